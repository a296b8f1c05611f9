/* Unit tests: json.c (positions, strings, numbers, errors, duplicate keys,
 * depth, BOM, ranges) and the conformance set in tests/data/json (y_*.json
 * must parse, n_*.json must fail). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json.h"

#ifndef BH_SOURCE_DIR
#define BH_SOURCE_DIR "."
#endif

/* One parse: the source, its arena and diagnostics, the root (or NULL). */
typedef struct fx {
    bh_source *src;
    bh_arena *a;
    bh_diags *d;
    doc_node *root;
} fx;

static doc_node *parse_len(fx *f, const char *text, size_t len, const json_limits *lim)
{
    f->src = source_new("t.json", text, len);
    f->a = arena_new();
    f->d = diags_new();
    assert_non_null(f->src);
    assert_non_null(f->a);
    assert_non_null(f->d);
    f->root = json_parse(f->src, f->a, lim, f->d);
    return f->root;
}

static doc_node *parse(fx *f, const char *text) { return parse_len(f, text, strlen(text), NULL); }

static void fx_free(fx *f)
{
    diags_free(f->d);
    arena_free(f->a);
    source_free(f->src);
}

/* The node's span as offsets, and its start as line and column. */
static void assert_span(const fx *f, const doc_node *n, uint32_t start, uint32_t end,
                        uint32_t line, uint32_t col)
{
    assert_non_null(n);
    bh_span sp = doc_span(n);
    assert_ptr_equal(sp.src, f->src);
    assert_int_equal(sp.start, start);
    assert_int_equal(sp.end, end);
    bh_pos p = source_pos(f->src, sp.start);
    assert_int_equal(p.line, line);
    assert_int_equal(p.col, col);
}

/* ---- positions --------------------------------------------------------- */

static void test_positions_every_kind(void **state)
{
    (void)state;
    fx f;
    /* "é" and "ü" are two bytes each: columns count code points */
    const char *t = "{\"h\xc3\xa9llo\": [1, -2.5e3, true, false, null, \"\xc3\xbc\"],\n"
                    " \"k\": {\"x\": \"y\"}}";
    doc_node *r = parse(&f, t);
    assert_non_null(r);
    assert_int_equal(diags_count(f.d), 0);
    assert_int_equal(doc_kind_of(r), DOC_MAP);
    assert_span(&f, r, 0, (uint32_t)strlen(t), 1, 1);
    assert_int_equal(doc_len(r), 2);

    doc_node *k0 = doc_map_key(r, 0);
    assert_span(&f, k0, 1, 9, 1, 2);
    assert_string_equal(doc_text(k0), "h\xc3\xa9llo");
    assert_int_equal(doc_style_of(k0), DOC_DOUBLE_QUOTED);

    doc_node *arr = doc_map_val(r, 0);
    assert_int_equal(doc_kind_of(arr), DOC_SEQ);
    assert_span(&f, arr, 11, 47, 1, 11);
    assert_int_equal(doc_len(arr), 6);
    assert_span(&f, doc_seq_at(arr, 0), 12, 13, 1, 12);
    assert_span(&f, doc_seq_at(arr, 1), 15, 21, 1, 15);
    assert_span(&f, doc_seq_at(arr, 2), 23, 27, 1, 23);
    assert_span(&f, doc_seq_at(arr, 3), 29, 34, 1, 29);
    assert_span(&f, doc_seq_at(arr, 4), 36, 40, 1, 36);
    doc_node *u = doc_seq_at(arr, 5);
    assert_span(&f, u, 42, 46, 1, 42);
    bh_pos e = source_pos(f.src, doc_span(u).end);   /* just past the closing quote */
    assert_int_equal(e.col, 45);

    doc_node *k1 = doc_map_key(r, 1);
    assert_span(&f, k1, 50, 53, 2, 2);
    doc_node *inner = doc_map_val(r, 1);
    assert_span(&f, inner, 55, 65, 2, 7);
    assert_span(&f, doc_map_key(inner, 0), 56, 59, 2, 8);
    assert_span(&f, doc_map_val(inner, 0), 61, 64, 2, 13);
    fx_free(&f);
}

static void test_positions_crlf_and_empty_containers(void **state)
{
    (void)state;
    fx f;
    doc_node *r = parse(&f, "[\r\n  {},\r\n  []\r\n]");
    assert_non_null(r);
    assert_span(&f, doc_seq_at(r, 0), 5, 7, 2, 3);
    assert_int_equal(doc_kind_of(doc_seq_at(r, 0)), DOC_MAP);
    assert_int_equal(doc_len(doc_seq_at(r, 0)), 0);
    assert_span(&f, doc_seq_at(r, 1), 12, 14, 3, 3);
    assert_int_equal(doc_kind_of(doc_seq_at(r, 1)), DOC_SEQ);
    fx_free(&f);
}

/* ---- strings ------------------------------------------------------------ */

/* The decoded text of the single string in a one-element array. */
static void assert_string(const char *json, const char *want, size_t want_len)
{
    fx f;
    doc_node *r = parse(&f, json);
    if (!r)
        fail_msg("%s: %s", json, diags_get(f.d, 0)->message);
    doc_node *s = doc_seq_at(r, 0);
    assert_int_equal(doc_type_of(s), DOC_STR);
    assert_int_equal(doc_style_of(s), DOC_DOUBLE_QUOTED);
    assert_int_equal(doc_text_len(s), want_len);
    assert_memory_equal(doc_text(s), want, want_len);
    assert_int_equal(doc_text(s)[want_len], '\0');
    /* the span includes both quotes */
    bh_span sp = doc_span(s);
    assert_int_equal(source_data(f.src)[sp.start], '"');
    assert_int_equal(source_data(f.src)[sp.end - 1], '"');
    fx_free(&f);
}

#define STR(json, want) assert_string(json, want, sizeof(want) - 1)

static void test_string_escapes(void **state)
{
    (void)state;
    STR("[\"plain\"]", "plain");
    STR("[\"\"]", "");
    STR("[\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\"]", "\" \\ / \b \f \n \r \t");
    STR("[\"\\u0041\\u00e9\\u00E9\"]", "A\xc3\xa9\xc3\xa9");
    STR("[\"\\u20ac\"]", "\xe2\x82\xac");
    STR("[\"a\\u0000b\"]", "a\0b");
    STR("[\"\\uFFFF\"]", "\xef\xbf\xbf");
    /* surrogate pairs */
    STR("[\"\\ud83d\\ude00\"]", "\xf0\x9f\x98\x80");
    STR("[\"\\uD834\\uDD1E!\"]", "\xf0\x9d\x84\x9e!");
    STR("[\"\\udbff\\udfff\"]", "\xf4\x8f\xbf\xbf");
    /* lone surrogates become U+FFFD (as Go's encoding/json) */
    STR("[\"\\ud800\"]", "\xef\xbf\xbd");
    STR("[\"\\udc00x\"]", "\xef\xbf\xbdx");
    STR("[\"\\ud800\\u0041\"]", "\xef\xbf\xbd" "A");
    STR("[\"\\ud800\\ud800\\udc00\"]", "\xef\xbf\xbd\xf0\x90\x80\x80");
    STR("[\"\\ud800\\n\"]", "\xef\xbf\xbd\n");
    /* raw UTF-8 passes through; DEL and U+2028 are allowed raw */
    STR("[\"caf\xc3\xa9 \xf0\x9f\x98\x80 \x7f \xe2\x80\xa8\"]",
        "caf\xc3\xa9 \xf0\x9f\x98\x80 \x7f \xe2\x80\xa8");
    STR("[\"\xc3\xa9\\n\xc3\xa9\"]", "\xc3\xa9\n\xc3\xa9");
}

/* The word-at-a-time scan must find the first special byte at any offset. */
static void test_string_every_offset(void **state)
{
    (void)state;
    char json[128], want[128];
    for (size_t i = 0; i < 40; i++) {
        memset(want, 'a', i);
        /* a quote after i plain bytes */
        snprintf(json, sizeof json, "[\"%.*s\"]", (int)i, want);
        assert_string(json, want, i);
        /* an escape after i plain bytes, then more plain bytes */
        snprintf(json, sizeof json, "[\"%.*s\\nbbbbbbbbbb\"]", (int)i, want);
        memcpy(want + i, "\nbbbbbbbbbb", 11);
        assert_string(json, want, i + 11);
        /* a two-byte character after i plain bytes */
        snprintf(json, sizeof json, "[\"%.*s\xc3\xa9z\"]", (int)i, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        memcpy(want + i, "\xc3\xa9z", 3);
        assert_string(json, want, i + 3);
        memset(want, 'a', sizeof want);
    }
}

/* ---- numbers and literals ---------------------------------------------- */

static void assert_int_value(const char *json, int64_t want)
{
    fx f;
    doc_node *r = parse(&f, json);
    assert_non_null(r);
    int64_t v = 0;
    assert_int_equal(doc_type_of(r), DOC_INT);
    assert_int_equal(doc_style_of(r), DOC_PLAIN);
    assert_true(doc_int(r, &v));
    assert_true(v == want);
    assert_string_equal(doc_text(r), json);      /* text kept verbatim */
    fx_free(&f);
}

static double float_value(const char *json)
{
    fx f;
    doc_node *r = parse(&f, json);
    assert_non_null(r);
    double v = 0;
    assert_int_equal(doc_type_of(r), DOC_FLOAT);
    assert_true(doc_float(r, &v));
    assert_false(doc_int(r, NULL));
    assert_string_equal(doc_text(r), json);
    fx_free(&f);
    return v;
}

static void test_numbers(void **state)
{
    (void)state;
    assert_int_value("0", 0);
    assert_int_value("-0", 0);
    assert_int_value("7", 7);
    assert_int_value("-123", -123);
    assert_int_value("1234567890123456789", 1234567890123456789LL);
    assert_int_value("9223372036854775807", INT64_MAX);
    assert_int_value("-9223372036854775808", INT64_MIN);

    /* past int64: floats */
    assert_true(float_value("9223372036854775808") == 9223372036854775808.0);
    assert_true(float_value("-9223372036854775809") == -9223372036854775809.0);
    assert_true(float_value("18446744073709551616") == 18446744073709551616.0);
    assert_true(float_value("100000000000000000000000") == 1e23);

    assert_true(float_value("1.5") == 1.5);
    assert_true(float_value("-0.25") == -0.25);
    double z = float_value("-0.0");
    assert_true(z == 0.0 && signbit(z));
    assert_true(float_value("1e3") == 1000.0);
    assert_true(float_value("1E+2") == 100.0);
    assert_true(float_value("25e-2") == 0.25);
    assert_true(float_value("0e0") == 0.0);
    assert_true(float_value("1.0") == 1.0);           /* a fraction makes a float */
    assert_true(isinf(float_value("1e400")));
    assert_true(float_value("1e-400") == 0.0);
}

static void test_literals(void **state)
{
    (void)state;
    fx f;
    doc_node *r = parse(&f, "[true, false, null]");
    assert_non_null(r);
    bool b = false;
    assert_true(doc_bool(doc_seq_at(r, 0), &b));
    assert_true(b);
    assert_true(doc_bool(doc_seq_at(r, 1), &b));
    assert_false(b);
    assert_int_equal(doc_type_of(doc_seq_at(r, 2)), DOC_NULL);
    assert_int_equal(doc_kind_of(doc_seq_at(r, 2)), DOC_SCALAR);
    assert_string_equal(doc_text(doc_seq_at(r, 2)), "null");
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(doc_style_of(doc_seq_at(r, i)), DOC_PLAIN);
    assert_string_equal(doc_text(doc_seq_at(r, 0)), "true");
    fx_free(&f);

    /* a quoted "true" is a string */
    r = parse(&f, "\"true\"");
    assert_int_equal(doc_type_of(r), DOC_STR);
    assert_true(doc_is_quoted(r));
    fx_free(&f);
}

/* ---- errors ---------------------------------------------------------- */

typedef struct err_case {
    const char *json;
    const char *message;
    uint32_t line, col;            /* where it broke */
    uint32_t ctx_line, ctx_col;    /* 0: no context */
    const char *ctx_note;
} err_case;

static const err_case err_cases[] = {
    {"", "empty input, expected a JSON value", 1, 1, 0, 0, NULL},
    {"  \n\t", "empty input, expected a JSON value", 1, 1, 0, 0, NULL},
    {"\xef\xbb\xbf", "empty input, expected a JSON value", 1, 2, 0, 0, NULL},
    {"[1,]", "expected a value after ',', found ']'", 1, 4, 1, 1, "array started here"},
    {"[,1]", "expected a value or ']', found ','", 1, 2, 1, 1, "array started here"},
    {"[", "expected a value or ']', found end of input", 1, 2, 1, 1, "array started here"},
    {"[1 2]", "expected ',' or ']' after array element, found '2'", 1, 4, 1, 1,
     "array started here"},
    {"[1", "expected ',' or ']' after array element, found end of input", 1, 3, 1, 1,
     "array started here"},
    {"{\n  \"a\": [1}\n}", "expected ',' or ']' after array element, found '}'", 2, 10, 2, 8,
     "array started here"},
    {"{\"a\":1,}", "expected a string key after ',', found '}'", 1, 8, 1, 1,
     "object started here"},
    {"{", "expected a string key or '}', found end of input", 1, 2, 1, 1, "object started here"},
    {"{a:1}", "expected a string key or '}', found \"a\"", 1, 2, 1, 1, "object started here"},
    {"{'a':1}", "expected a string key or '}', found \"'\"", 1, 2, 1, 1, "object started here"},
    {"{\"a\" 1}", "expected ':' after object key, found '1'", 1, 6, 1, 1, "object started here"},
    {"{\"a\":}", "expected a value after ':', found '}'", 1, 6, 1, 1, "object started here"},
    {"{\"a\":1 \"b\":2}", "expected ',' or '}' after object member, found '\"'", 1, 8, 1, 1,
     "object started here"},
    {"{\"a\":1]", "expected ',' or '}' after object member, found ']'", 1, 7, 1, 1,
     "object started here"},
    {"  {\"k\": {\"x\": 1\n", "expected ',' or '}' after object member, found end of input", 2,
     1, 1, 9, "object started here"},
    {"[True]", "expected a value or ']', found \"True\"", 1, 2, 1, 1, "array started here"},
    {"NaN", "expected a value, found \"NaN\"", 1, 1, 0, 0, NULL},
    {"+1", "expected a value, found '+'", 1, 1, 0, 0, NULL},
    {"[\xc2\xa0]", "expected a value or ']', found U+00A0", 1, 2, 1, 1, "array started here"},
    {"\xff", "expected a value, found byte 0xff", 1, 1, 0, 0, NULL},
    {"[012]", "invalid number: leading zeros are not allowed", 1, 2, 1, 1, "array started here"},
    {"-", "invalid number: expected a digit after '-', found end of input", 1, 2, 0, 0, NULL},
    {"-Infinity", "invalid number: expected a digit after '-', found \"Infinity\"", 1, 2, 0, 0,
     NULL},
    {"1.", "invalid number: expected a digit after '.', found end of input", 1, 3, 0, 0, NULL},
    {"1.e5", "invalid number: expected a digit after '.', found \"e5\"", 1, 3, 0, 0, NULL},
    {"1e", "invalid number: expected a digit in the exponent, found end of input", 1, 3, 0, 0,
     NULL},
    {"1e+x", "invalid number: expected a digit in the exponent, found \"x\"", 1, 4, 0, 0, NULL},
    {"\"abc", "unterminated string", 1, 5, 1, 1, "string started here"},
    {"[\"abc\\", "unterminated string", 1, 7, 1, 2, "string started here"},
    {"\"a\x01\"", "unescaped control character 0x01 in string", 1, 3, 1, 1,
     "string started here"},
    {"\"a\tb\"", "unescaped control character 0x09 in string", 1, 3, 1, 1, "string started here"},
    {"\"\\x\"", "invalid escape '\\x' in string", 1, 2, 1, 1, "string started here"},
    {"\"\\\x01\"", "invalid escape in string: '\\' before byte 0x01", 1, 2, 1, 1,
     "string started here"},
    {"\"\\u12G4\"", "invalid escape: '\\u' takes four hex digits", 1, 2, 1, 1,
     "string started here"},
    {"\"\\u12\"", "invalid escape: '\\u' takes four hex digits", 1, 2, 1, 1,
     "string started here"},
    {"\"\xc3\xa9\xff\"", "invalid UTF-8 byte 0xff in string", 1, 3, 1, 1, "string started here"},
    {"\"\\n\xc0\xaf\"", "invalid UTF-8 byte 0xc0 in string", 1, 4, 1, 1, "string started here"},
    {"\"\xed\xa0\x80\"", "invalid UTF-8 byte 0xed in string", 1, 2, 1, 1, "string started here"},
    {"\"\xe2\x82\"", "invalid UTF-8 byte 0xe2 in string", 1, 2, 1, 1, "string started here"},
    {"[1] x", "expected end of input after the JSON value, found \"x\"", 1, 5, 1, 1,
     "the value started here"},
    {"{}\n{}", "expected end of input after the JSON value, found '{'", 2, 1, 1, 1,
     "the value started here"},
    {"[1] // c", "expected end of input after the JSON value, found '/'", 1, 5, 1, 1,
     "the value started here"},
};

static void test_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof err_cases / sizeof *err_cases; i++) {
        const err_case *c = &err_cases[i];
        fx f;
        doc_node *r = parse(&f, c->json);
        if (r)
            fail_msg("case %zu parsed: %s", i, c->json);
        assert_int_equal(diags_count(f.d), 1);
        const bh_diag *g = diags_get(f.d, 0);
        assert_int_equal(g->level, DIAG_ERROR);
        if (strcmp(g->message, c->message) != 0)
            fail_msg("case %zu: message \"%s\", want \"%s\"", i, g->message, c->message);
        assert_string_equal(g->file, "t.json");
        if (g->pos.line != c->line || g->pos.col != c->col)
            fail_msg("case %zu (%s): at %u:%u, want %u:%u", i, c->message, g->pos.line, g->pos.col,
                     c->line, c->col);
        if (c->ctx_line) {
            assert_non_null(g->ctx_file);
            if (g->ctx_pos.line != c->ctx_line || g->ctx_pos.col != c->ctx_col)
                fail_msg("case %zu (%s): context at %u:%u, want %u:%u", i, c->message,
                         g->ctx_pos.line, g->ctx_pos.col, c->ctx_line, c->ctx_col);
            assert_string_equal(g->ctx_note, c->ctx_note);
        } else {
            assert_null(g->ctx_file);
        }
        fx_free(&f);
    }
}

/* Errors are reported inside the innermost open container. */
static void test_error_context_is_innermost(void **state)
{
    (void)state;
    fx f;
    assert_null(parse(&f, "{\"a\": [1, {\"b\": tru}]}"));
    const bh_diag *g = diags_get(f.d, 0);
    assert_string_equal(g->message, "expected a value after ':', found \"tru\"");
    assert_int_equal(g->ctx_pos.col, 11);
    assert_string_equal(g->ctx_note, "object started here");
    fx_free(&f);
}

/* Every allocation failure is an "out of memory" error, never a crash. */
static void test_out_of_memory(void **state)
{
    (void)state;
    const char *t = "{\"a\": [1, 2.5, \"x\\ny\", true, null, {\"b\": [\"c\"]}], \"d\": {}}";
    for (unsigned long n = 1; n < 60; n++) {
        bh_source *src = source_new("t.json", t, strlen(t));
        bh_arena *a = arena_new();
        bh_diags *d = diags_new();
        arena_set_fail_after(n);
        doc_node *r = json_parse(src, a, NULL, d);
        arena_set_fail_after(0);
        if (!r) {
            assert_int_equal(diags_count(d), 1);
            assert_string_equal(diags_get(d, 0)->message, "out of memory");
        } else {
            assert_int_equal(diags_count(d), 0);
            assert_int_equal(doc_len(r), 2);
        }
        diags_free(d);
        arena_free(a);
        source_free(src);
    }
}

/* ---- duplicate keys -------------------------------------------------- */

static void test_duplicate_keys(void **state)
{
    (void)state;
    fx f;
    doc_node *r = parse(&f, "{\"a\": 1, \"b\": 2,\n \"a\": 3}");
    assert_non_null(r);
    assert_int_equal(doc_len(r), 3);                 /* both pairs kept */
    int64_t v = 0;
    assert_true(doc_int(doc_get(r, "a"), &v));
    assert_int_equal(v, 3);                          /* doc_get finds the last */
    assert_int_equal(diags_count(f.d), 1);
    const bh_diag *g = diags_get(f.d, 0);
    assert_int_equal(g->level, DIAG_WARNING);
    assert_string_equal(g->message, "duplicate key \"a\"");
    assert_int_equal(g->pos.line, 2);
    assert_int_equal(g->pos.col, 2);
    assert_int_equal(g->ctx_pos.line, 1);
    assert_int_equal(g->ctx_pos.col, 2);
    assert_string_equal(g->ctx_note, "first defined here");
    fx_free(&f);

    /* keys compare decoded: "\u0061" is "a"; a third copy points at the first */
    r = parse(&f, "{\"a\": 1, \"\\u0061\": 2, \"a\": 3, \"A\": 4}");
    assert_non_null(r);
    assert_int_equal(diags_count(f.d), 2);
    for (size_t i = 0; i < 2; i++) {
        assert_string_equal(diags_get(f.d, i)->message, "duplicate key \"a\"");
        assert_int_equal(diags_get(f.d, i)->ctx_pos.col, 2);
    }
    assert_int_equal(diags_get(f.d, 0)->pos.col, 10);
    assert_int_equal(diags_get(f.d, 1)->pos.col, 23);
    fx_free(&f);

    /* nested objects are checked separately; the same key in two objects is fine */
    r = parse(&f, "{\"a\": {\"a\": 1}, \"b\": {\"a\": 2, \"a\": 3}}");
    assert_non_null(r);
    assert_int_equal(diags_count(f.d), 1);
    assert_int_equal(diags_get(f.d, 0)->pos.col, 31);
    fx_free(&f);
}

/* Large objects go through the hash set: same warnings, same order. */
static void test_duplicate_keys_large_object(void **state)
{
    (void)state;
    size_t cap = 1 << 20, len = 0;
    char *t = malloc(cap);
    assert_non_null(t);
    len += (size_t)snprintf(t + len, cap - len, "{");
    for (int i = 0; i < 5000; i++)
        len += (size_t)snprintf(t + len, cap - len, "\"key%d\": %d, ", i, i);
    /* duplicates of the first, a middle and the last key */
    len += (size_t)snprintf(t + len, cap - len, "\"key0\": 0, \"key2500\": 0, \"key4999\": 0}");
    fx f;
    doc_node *r = parse_len(&f, t, len, NULL);
    assert_non_null(r);
    assert_int_equal(doc_len(r), 5003);
    assert_int_equal(diags_count(f.d), 3);
    assert_string_equal(diags_get(f.d, 0)->message, "duplicate key \"key0\"");
    assert_string_equal(diags_get(f.d, 1)->message, "duplicate key \"key2500\"");
    assert_string_equal(diags_get(f.d, 2)->message, "duplicate key \"key4999\"");
    assert_int_equal(diags_get(f.d, 0)->ctx_pos.col, 2);
    fx_free(&f);
    free(t);
}

/* ---- depth ------------------------------------------------------------ */

static char *nested(size_t depth, size_t *len)
{
    char *t = malloc(2 * depth + 1);
    assert_non_null(t);
    memset(t, '[', depth);
    memset(t + depth, ']', depth);
    t[2 * depth] = '\0';
    *len = 2 * depth;
    return t;
}

static void test_depth_limit(void **state)
{
    (void)state;
    size_t len;
    fx f;
    char *t = nested(512, &len);
    assert_non_null(parse_len(&f, t, len, NULL));
    fx_free(&f);
    free(t);

    t = nested(513, &len);
    assert_null(parse_len(&f, t, len, NULL));
    assert_int_equal(diags_count(f.d), 1);
    assert_string_equal(diags_get(f.d, 0)->message, "nesting deeper than 512 levels");
    assert_int_equal(diags_get(f.d, 0)->pos.col, 513);
    fx_free(&f);
    free(t);

    /* a custom limit; objects count too */
    json_limits lim = json_default_limits();
    assert_int_equal(lim.max_depth, 512);
    lim.max_depth = 3;
    assert_non_null(parse_len(&f, "[{\"a\":[]}]", 10, &lim));
    fx_free(&f);
    assert_null(parse_len(&f, "[{\"a\":[{}]}]", 12, &lim));
    assert_string_equal(diags_get(f.d, 0)->message, "nesting deeper than 3 levels");
    assert_int_equal(diags_get(f.d, 0)->pos.col, 8);
    assert_string_equal(diags_get(f.d, 0)->ctx_note, "array started here");
    fx_free(&f);

    /* 100,000 open brackets: one clean error, at once */
    t = nested(100000, &len);
    clock_t c0 = clock();
    assert_null(parse_len(&f, t, 100000, NULL));
    assert_true((double)(clock() - c0) / CLOCKS_PER_SEC < 1.0);
    assert_int_equal(diags_count(f.d), 1);
    fx_free(&f);
    free(t);
}

/* ---- BOM, whitespace ---------------------------------------------------- */

static void test_bom(void **state)
{
    (void)state;
    fx f;
    doc_node *r = parse(&f, "\xef\xbb\xbf{\"a\": 1}");
    assert_non_null(r);
    assert_int_equal(doc_span(r).start, 3);
    assert_int_equal(source_pos(f.src, doc_span(doc_map_key(r, 0)).start).col, 3);
    fx_free(&f);

    /* only a leading BOM is skipped */
    assert_null(parse(&f, " \xef\xbb\xbf{}"));
    assert_string_equal(diags_get(f.d, 0)->message, "expected a value, found U+FEFF");
    fx_free(&f);
}

static void test_whitespace(void **state)
{
    (void)state;
    fx f;
    /* long indentation exercises the eight-spaces-at-a-time skip */
    doc_node *r = parse(&f, " \t\r\n[\n                 1 ,\t\r\n                \"a\"\n        ]  \n");
    assert_non_null(r);
    assert_int_equal(doc_len(r), 2);
    assert_span(&f, doc_seq_at(r, 0), 23, 24, 3, 18);
    fx_free(&f);
    static const char *const bad[] = {"[\f1]", "[\v1]", "[1\x00]"};
    static const size_t bad_len[] = {4, 4, 4};
    for (size_t i = 0; i < 3; i++) {
        assert_null(parse_len(&f, bad[i], bad_len[i], NULL));
        fx_free(&f);
    }
}

/* ---- ranges ------------------------------------------------------------- */

static void test_parse_range(void **state)
{
    (void)state;
    const char *t = "policy = <<EOF\n{\"Version\": \"2012\",\n \"Statement\": [1]}\nEOF\n";
    bh_source *src = source_new("main.tf", t, strlen(t));
    bh_arena *a = arena_new();
    bh_diags *d = diags_new();
    uint32_t start = (uint32_t)(strchr(t, '{') - t);
    uint32_t end = (uint32_t)(strrchr(t, '}') - t) + 1;
    doc_node *r = json_parse_range(src, start, end, a, NULL, d);
    assert_non_null(r);
    assert_int_equal(doc_span(r).start, start);
    assert_int_equal(doc_span(r).end, end);
    doc_node *stmt = doc_get(r, "Statement");
    assert_non_null(stmt);
    bh_pos p = source_pos(src, doc_span(doc_seq_at(stmt, 0)).start);
    assert_int_equal(p.line, 3);
    assert_int_equal(p.col, 16);
    assert_int_equal(diags_count(d), 0);

    /* the bytes after the range are not looked at */
    r = json_parse_range(src, start, end - 1, a, NULL, d);
    assert_null(r);
    const bh_diag *g = diags_get(d, 0);
    assert_string_equal(g->message,
                        "expected ',' or '}' after object member, found end of input");
    assert_string_equal(g->file, "main.tf");
    assert_int_equal(g->pos.line, 3);
    assert_int_equal(g->pos.col, 18);
    assert_int_equal(g->ctx_pos.line, 2);
    assert_int_equal(g->ctx_pos.col, 1);

    /* a range of the leading text is not JSON; an empty range is empty input */
    assert_null(json_parse_range(src, 0, 6, a, NULL, d));
    assert_null(json_parse_range(src, 3, 3, a, NULL, d));
    assert_string_equal(diags_get(d, 2)->message, "empty input, expected a JSON value");
    assert_int_equal(diags_get(d, 2)->pos.col, 4);
    /* a range outside the source */
    assert_null(json_parse_range(src, 5, (uint32_t)strlen(t) + 1, a, NULL, d));
    assert_null(json_parse_range(src, 9, 8, a, NULL, d));
    assert_int_equal(diags_count(d), 5);

    /* a string that ends exactly at the end of the range */
    const char *u = "x\"abc\"y";
    bh_source *src2 = source_new("u", u, strlen(u));
    r = json_parse_range(src2, 1, 6, a, NULL, d);
    assert_non_null(r);
    assert_string_equal(doc_text(r), "abc");
    assert_null(json_parse_range(src2, 1, 5, a, NULL, d));
    assert_string_equal(diags_get(d, diags_count(d) - 1)->message, "unterminated string");
    source_free(src2);

    diags_free(d);
    arena_free(a);
    source_free(src);
}

/* ---- conformance set ------------------------------------------------- */

static char *read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, fp)) > 0) {
        n += got;
        if (n == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb)
                free(buf);
            buf = nb;
        }
    }
    fclose(fp);
    *len = n;
    return buf;
}

static void test_conformance_set(void **state)
{
    (void)state;
    const char *dir = BH_SOURCE_DIR "/tests/data/json";
    DIR *dp = opendir(dir);
    if (!dp)
        fail_msg("cannot open \"%s\"", dir);
    size_t ny = 0, nn = 0;
    struct dirent *e;
    while ((e = readdir(dp)) != NULL) {
        const char *name = e->d_name;
        size_t nl = strlen(name);
        if (nl < 7 || name[1] != '_' || strcmp(name + nl - 5, ".json") != 0)
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, name);
        size_t len;
        char *text = read_file(path, &len);
        assert_non_null(text);
        fx f;
        doc_node *r = parse_len(&f, text, len, NULL);
        if (name[0] == 'y') {
            ny++;
            if (!r)
                fail_msg("%s must parse: %s", name, diags_get(f.d, 0)->message);
            assert_int_equal(diags_count_level(f.d, DIAG_ERROR), 0);
        } else if (name[0] == 'n') {
            nn++;
            if (r)
                fail_msg("%s must fail", name);
            assert_int_equal(diags_count_level(f.d, DIAG_ERROR), 1);
            const bh_diag *g = diags_get(f.d, diags_count(f.d) - 1);
            assert_true(g->pos.line >= 1);
        }
        fx_free(&f);
        free(text);
    }
    closedir(dp);
    assert_true(ny >= 30);
    assert_true(nn >= 40);
}

/* Values of a few conformance files, beyond "it parses". */
static void test_conformance_values(void **state)
{
    (void)state;
    size_t len;
    char *text = read_file(BH_SOURCE_DIR "/tests/data/json/y_string_lone_surrogates.json", &len);
    assert_non_null(text);
    fx f;
    doc_node *r = parse_len(&f, text, len, NULL);
    assert_non_null(r);
    assert_string_equal(doc_text(doc_seq_at(r, 0)), "\xef\xbf\xbd");
    assert_string_equal(doc_text(doc_seq_at(r, 2)), "\xef\xbf\xbd" "A");
    assert_string_equal(doc_text(doc_seq_at(r, 3)), "\xef\xbf\xbd\xef\xbf\xbd");
    fx_free(&f);
    free(text);

    text = read_file(BH_SOURCE_DIR "/tests/data/json/y_object_duplicate_keys.json", &len);
    assert_non_null(text);
    r = parse_len(&f, text, len, NULL);
    assert_non_null(r);
    assert_int_equal(diags_count_level(f.d, DIAG_WARNING), 1);
    fx_free(&f);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_positions_every_kind),
        cmocka_unit_test(test_positions_crlf_and_empty_containers),
        cmocka_unit_test(test_string_escapes),
        cmocka_unit_test(test_string_every_offset),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_literals),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_error_context_is_innermost),
        cmocka_unit_test(test_out_of_memory),
        cmocka_unit_test(test_duplicate_keys),
        cmocka_unit_test(test_duplicate_keys_large_object),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_bom),
        cmocka_unit_test(test_whitespace),
        cmocka_unit_test(test_parse_range),
        cmocka_unit_test(test_conformance_set),
        cmocka_unit_test(test_conformance_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests: expr.c (parsing, three-valued evaluation, deciders,
 * templates). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "doc.h"
#include "expr.h"
#include "source.h"

/* ---- fixture ---------------------------------------------------------- */

typedef struct env {
    bh_arena *a, *scratch;
    bh_diags *diags;
    bh_source *srcs[64];
    size_t nsrc;
    bh_expr *exprs[128];
    size_t nexpr;
} env;

static int setup(void **state)
{
    env *E = calloc(1, sizeof *E);
    assert_non_null(E);
    E->a = arena_new();
    E->scratch = arena_new();
    E->diags = diags_new();
    *state = E;
    return 0;
}

static int teardown(void **state)
{
    env *E = *state;
    for (size_t i = 0; i < E->nexpr; i++)
        expr_release(E->exprs[i]);
    arena_free(E->a);
    arena_free(E->scratch);
    for (size_t i = 0; i < E->nsrc; i++)
        source_free(E->srcs[i]);
    diags_free(E->diags);
    free(E);
    return 0;
}

static const bh_source *add_source(env *E, const char *path, const char *text)
{
    assert_true(E->nsrc < sizeof E->srcs / sizeof *E->srcs);
    bh_source *s = source_new(path, text, strlen(text));
    assert_non_null(s);
    E->srcs[E->nsrc++] = s;
    return s;
}

/* ---- a tiny JSON-ish document builder ----------------------------------
 * {"k": v, ...}  [v, ...]  "string" (no escapes)  123  1.5  true false null
 * and ?TEXT for an unknown whose expression is TEXT (up to , ] } or space).
 * Every node gets its span in a source holding the text. */

typedef struct jb {
    env *E;
    const bh_source *src;
    const char *s;
    size_t i;
} jb;

static void jb_ws(jb *b)
{
    while (isspace((unsigned char)b->s[b->i]))
        b->i++;
}

static bh_span jb_span(jb *b, size_t start) { return span_make(b->src, (uint32_t)start, (uint32_t)b->i); }

static doc_node *jb_value(jb *b)
{
    bh_arena *a = b->E->a;
    jb_ws(b);
    size_t start = b->i;
    char c = b->s[b->i];
    doc_node *n = NULL;
    if (c == '{' || c == '[') {
        n = c == '{' ? doc_new_map(a, jb_span(b, start)) : doc_new_seq(a, jb_span(b, start));
        b->i++;
        jb_ws(b);
        while (b->s[b->i] != (c == '{' ? '}' : ']')) {
            if (c == '{') {
                doc_node *k = jb_value(b);
                jb_ws(b);
                assert_int_equal(b->s[b->i], ':');
                b->i++;
                assert_true(doc_map_append(a, n, k, jb_value(b)));
            } else {
                assert_true(doc_seq_append(a, n, jb_value(b)));
            }
            jb_ws(b);
            if (b->s[b->i] == ',')
                b->i++;
            jb_ws(b);
        }
        b->i++;
        doc_set_span(n, jb_span(b, start));
    } else if (c == '"') {
        const char *end = strchr(b->s + b->i + 1, '"');
        assert_non_null(end);
        size_t len = (size_t)(end - (b->s + b->i + 1));
        b->i += len + 2;
        n = doc_new_scalar(a, jb_span(b, start), b->s + start + 1, len, DOC_STR,
                           DOC_DOUBLE_QUOTED);
    } else if (c == '?') {
        b->i++;
        while (b->s[b->i] && !strchr(",]} \n", b->s[b->i]))
            b->i++;
        char *text = arena_strndup(a, b->s + start + 1, b->i - start - 1);
        n = doc_new_unknown(a, jb_span(b, start), text);
    } else if (strncmp(b->s + b->i, "true", 4) == 0 || strncmp(b->s + b->i, "false", 5) == 0) {
        bool v = c == 't';
        b->i += v ? 4 : 5;
        n = doc_new_bool(a, jb_span(b, start), v);
    } else if (strncmp(b->s + b->i, "null", 4) == 0) {
        b->i += 4;
        n = doc_new_scalar(a, jb_span(b, start), "null", 4, DOC_NULL, DOC_PLAIN);
    } else {
        char *end;
        double f = strtod(b->s + b->i, &end);
        size_t len = (size_t)(end - (b->s + b->i));
        assert_true(len > 0);
        bool is_float = memchr(b->s + b->i, '.', len) != NULL;
        b->i += len;
        if (is_float) {
            n = doc_new_scalar(a, jb_span(b, start), b->s + start, len, DOC_FLOAT, DOC_PLAIN);
            doc_set_float(n, f);
        } else {
            n = doc_new_int(a, jb_span(b, start), strtoll(b->s + start, NULL, 10));
        }
    }
    assert_non_null(n);
    return n;
}

static doc_node *doc(env *E, const char *json)
{
    jb b = {E, add_source(E, "doc.json", json), json, 0};
    return jb_value(&b);
}

/* ---- expression helpers ------------------------------------------------ */

/* Parse text placed after "when: " in a logic.yaml source (so positions in
 * diagnostics are offset by 6 columns). */
static bh_expr *parse(env *E, const char *text)
{
    char *line = malloc(strlen(text) + 8);
    assert_non_null(line);
    sprintf(line, "when: %s", text);
    const bh_source *src = add_source(E, "logic.yaml", line);
    free(line);
    bh_span where = span_make(src, 6, (uint32_t)(6 + strlen(text)));
    bh_expr *e = expr_parse(E->a, text, strlen(text), where, E->diags);
    if (e) {
        assert_true(E->nexpr < sizeof E->exprs / sizeof *E->exprs);
        E->exprs[E->nexpr++] = e;
    }
    return e;
}

static bh_expr *must_parse(env *E, const char *text)
{
    bh_expr *e = parse(E, text);
    if (!e) {
        const bh_diag *d = diags_get(E->diags, diags_count(E->diags) - 1);
        fail_msg("parse of \"%s\" failed: %s", text, d ? d->message : "(no diagnostic)");
    }
    return e;
}

static expr_outcome run(env *E, const char *text, const doc_node *ctx)
{
    return expr_test(must_parse(E, text), ctx, E->scratch);
}

static tv tv_of(env *E, const char *text, const doc_node *ctx)
{
    return run(E, text, ctx).value;
}

static const char *render(env *E, const char *text, const doc_node *ctx)
{
    return expr_render(E->scratch, expr_value(must_parse(E, text), ctx, E->scratch));
}

#define ASSERT_TV(E, text, ctx, want)                                                         \
    do {                                                                                       \
        tv got_ = tv_of(E, text, ctx);                                                         \
        if (got_ != (want))                                                                    \
            fail_msg("%s: got %d, want %d", text, (int)got_, (int)(want));                     \
    } while (0)

/* ---- tests ------------------------------------------------------------ */

static void test_typed_equality(void **state)
{
    env *E = *state;
    doc_node *d = doc(E, "{\"zero\": \"0\", \"n\": 0, \"one\": 1, \"onef\": 1.0, \"nul\": null,"
                         " \"s\": \"\", \"t\": true, \"l\": [1], \"l2\": [1]}");
    ASSERT_TV(E, "\"0\" == 0", d, TV_FALSE);
    ASSERT_TV(E, "zero == 0", d, TV_FALSE);
    ASSERT_TV(E, "zero == \"0\"", d, TV_TRUE);
    ASSERT_TV(E, "n == 0", d, TV_TRUE);
    ASSERT_TV(E, "1 == 1.0", d, TV_TRUE);
    ASSERT_TV(E, "one == onef", d, TV_TRUE);
    ASSERT_TV(E, "onef == 1", d, TV_TRUE);
    ASSERT_TV(E, "1 == 2", d, TV_FALSE);
    ASSERT_TV(E, "1 != 2", d, TV_TRUE);
    ASSERT_TV(E, "'a' == \"a\"", d, TV_TRUE);
    ASSERT_TV(E, "\"a\" != 1", d, TV_TRUE);
    ASSERT_TV(E, "t == true", d, TV_TRUE);
    ASSERT_TV(E, "t == 1", d, TV_FALSE);
    ASSERT_TV(E, "t == \"true\"", d, TV_FALSE);
    ASSERT_TV(E, "false == false", d, TV_TRUE);
    ASSERT_TV(E, "nul == null", d, TV_TRUE);
    ASSERT_TV(E, "missing == null", d, TV_TRUE);
    ASSERT_TV(E, "missing == nul", d, TV_TRUE);
    ASSERT_TV(E, "s == null", d, TV_FALSE);
    ASSERT_TV(E, "n == null", d, TV_FALSE);
    ASSERT_TV(E, "missing != null", d, TV_FALSE);
    ASSERT_TV(E, "missing == 0", d, TV_FALSE);
    ASSERT_TV(E, "l == l2", d, TV_FALSE);
    ASSERT_TV(E, "-1 == -1.0", d, TV_TRUE);
    ASSERT_TV(E, "1e3 == 1000", d, TV_TRUE);
}

static void test_ordering(void **state)
{
    env *E = *state;
    doc_node *d = doc(E, "{\"n\": 10, \"f\": 2.5, \"s\": \"10\", \"big\": 9007199254740993}");
    ASSERT_TV(E, "3 < 5", d, TV_TRUE);
    ASSERT_TV(E, "5 < 5", d, TV_FALSE);
    ASSERT_TV(E, "5 <= 5", d, TV_TRUE);
    ASSERT_TV(E, "n >= 10", d, TV_TRUE);
    ASSERT_TV(E, "n > 10", d, TV_FALSE);
    ASSERT_TV(E, "f > 2", d, TV_TRUE);
    ASSERT_TV(E, "f < n", d, TV_TRUE);
    ASSERT_TV(E, "-1 < 0", d, TV_TRUE);
    /* Only numbers order. */
    ASSERT_TV(E, "s > 1", d, TV_FALSE);
    ASSERT_TV(E, "s < 1", d, TV_FALSE);
    ASSERT_TV(E, "\"a\" < \"b\"", d, TV_FALSE);
    ASSERT_TV(E, "missing < 1", d, TV_FALSE);
    ASSERT_TV(E, "missing >= 0", d, TV_FALSE);
    /* Two ints compare exactly, beyond double precision. */
    ASSERT_TV(E, "big > 9007199254740992", d, TV_TRUE);
}

static void test_in_operator(void **state)
{
    env *E = *state;
    doc_node *d = doc(E, "{\"caps\": [\"NET_RAW\", \"SYS_ADMIN\"], \"img\": \"nginx:latest\","
                         " \"mixed\": [\"a\", ?var.cap], \"mode\": \"host\"}");
    ASSERT_TV(E, "\"b\" in [\"a\", \"b\"]", d, TV_TRUE);
    ASSERT_TV(E, "\"c\" in [\"a\", \"b\"]", d, TV_FALSE);
    ASSERT_TV(E, "\"c\" not in [\"a\", \"b\"]", d, TV_TRUE);
    ASSERT_TV(E, "\"a\" not in [\"a\", \"b\"]", d, TV_FALSE);
    ASSERT_TV(E, "1 in [\"1\"]", d, TV_FALSE);
    ASSERT_TV(E, "1 in [1.0, 2]", d, TV_TRUE);
    ASSERT_TV(E, "\"x\" in []", d, TV_FALSE);
    ASSERT_TV(E, "mode in [\"host\", \"none\"]", d, TV_TRUE);
    ASSERT_TV(E, "\"latest\" in img", d, TV_TRUE);
    ASSERT_TV(E, "\"\" in img", d, TV_TRUE);
    ASSERT_TV(E, "\"alpine\" in img", d, TV_FALSE);
    ASSERT_TV(E, "1 in img", d, TV_FALSE);
    ASSERT_TV(E, "\"x\" in missing", d, TV_FALSE);
    ASSERT_TV(E, "\"x\" not in missing", d, TV_TRUE);
    ASSERT_TV(E, "\"x\" in mode", d, TV_FALSE);

    /* Against a document list, the match is placed at the matching item. */
    expr_outcome o = run(E, "\"SYS_ADMIN\" in caps", d);
    assert_int_equal(o.value, TV_TRUE);
    assert_ptr_equal(o.decider, doc_seq_at(doc_get(d, "caps"), 1));
    o = run(E, "\"CHOWN\" in caps", d);
    assert_int_equal(o.value, TV_FALSE);
    assert_ptr_equal(o.decider, doc_get(d, "caps"));

    /* An unknown element: a match elsewhere still decides, else unknown. */
    ASSERT_TV(E, "\"a\" in mixed", d, TV_TRUE);
    o = run(E, "\"b\" in mixed", d);
    assert_int_equal(o.value, TV_UNKNOWN);
    assert_ptr_equal(o.unknown, doc_seq_at(doc_get(d, "mixed"), 1));
    ASSERT_TV(E, "\"b\" not in mixed", d, TV_UNKNOWN);
}

static void test_kleene_tables(void **state)
{
    env *E = *state;
    doc_node *d = doc(E, "{\"t\": true, \"f\": false, \"u\": ?var.flag}");
    static const char *const names[] = {"f", "t", "u"};   /* indexed by tv */
    static const tv and_table[3][3] = {
        /*            F         T           U */
        /* F */ {TV_FALSE, TV_FALSE, TV_FALSE},
        /* T */ {TV_FALSE, TV_TRUE, TV_UNKNOWN},
        /* U */ {TV_FALSE, TV_UNKNOWN, TV_UNKNOWN},
    };
    static const tv or_table[3][3] = {
        /* F */ {TV_FALSE, TV_TRUE, TV_UNKNOWN},
        /* T */ {TV_TRUE, TV_TRUE, TV_TRUE},
        /* U */ {TV_UNKNOWN, TV_TRUE, TV_UNKNOWN},
    };
    static const tv not_table[3] = {TV_TRUE, TV_FALSE, TV_UNKNOWN};
    char buf[64];
    for (int x = 0; x < 3; x++) {
        snprintf(buf, sizeof buf, "not %s", names[x]);
        ASSERT_TV(E, buf, d, not_table[x]);
        for (int y = 0; y < 3; y++) {
            snprintf(buf, sizeof buf, "%s and %s", names[x], names[y]);
            ASSERT_TV(E, buf, d, and_table[x][y]);
            snprintf(buf, sizeof buf, "%s or %s", names[x], names[y]);
            ASSERT_TV(E, buf, d, or_table[x][y]);
        }
    }
    /* n-ary, precedence (not > and > or), parentheses. */
    ASSERT_TV(E, "t and t and f", d, TV_FALSE);
    ASSERT_TV(E, "u and t and f", d, TV_FALSE);
    ASSERT_TV(E, "f or f or t", d, TV_TRUE);
    ASSERT_TV(E, "t or f and f", d, TV_TRUE);
    ASSERT_TV(E, "(t or f) and f", d, TV_FALSE);
    ASSERT_TV(E, "not f and f", d, TV_FALSE);
    ASSERT_TV(E, "not (f and f)", d, TV_TRUE);
    ASSERT_TV(E, "not not t", d, TV_TRUE);
    ASSERT_TV(E, "not not u", d, TV_UNKNOWN);
    /* The unknown responsible is named. */
    expr_outcome o = run(E, "t and u", d);
    assert_int_equal(o.value, TV_UNKNOWN);
    assert_ptr_equal(o.unknown, doc_get(d, "u"));
    assert_ptr_equal(o.decider, doc_get(d, "u"));
    assert_string_equal(doc_text(o.unknown), "var.flag");
    o = run(E, "f and u", d);
    assert_int_equal(o.value, TV_FALSE);
    assert_null(o.unknown);
}

static void test_unknown_propagation(void **state)
{
    env *E = *state;
    doc_node *d = doc(E, "{\"u\": ?aws_iam_role.x.arn, \"m\": {\"inner\": ?var.mode},"
                         " \"items\": [{\"name\": \"a\"}, ?local.item], \"s\": \"x\"}");
    const doc_node *u = doc_get(d, "u");
    const doc_node *inner = doc_path(d, "m.inner");
    /* At the end of a path and on the way. */
    expr_outcome o = run(E, "u == \"x\"", d);
    assert_int_equal(o.value, TV_UNKNOWN);
    assert_ptr_equal(o.unknown, u);
    o = run(E, "u.a.b == 1", d);
    assert_int_equal(o.value, TV_UNKNOWN);
    assert_ptr_equal(o.unknown, u);
    o = run(E, "m.inner.deeper[0] != 1", d);
    assert_int_equal(o.value, TV_UNKNOWN);
    assert_ptr_equal(o.unknown, inner);
    o = run(E, "items[1].name == \"a\"", d);
    assert_int_equal(o.value, TV_UNKNOWN);
    assert_ptr_equal(o.unknown, doc_seq_at(doc_get(d, "items"), 1));
    ASSERT_TV(E, "items[0].name == \"a\"", d, TV_TRUE);
    /* Either side of a comparison; every strict function. */
    ASSERT_TV(E, "\"x\" == u", d, TV_UNKNOWN);
    ASSERT_TV(E, "s in u", d, TV_UNKNOWN);
    ASSERT_TV(E, "u < 3", d, TV_UNKNOWN);
    ASSERT_TV(E, "u", d, TV_UNKNOWN);
    ASSERT_TV(E, "exists(u)", d, TV_UNKNOWN);
    ASSERT_TV(E, "exists(u.x)", d, TV_UNKNOWN);
    ASSERT_TV(E, "empty(u)", d, TV_UNKNOWN);
    ASSERT_TV(E, "len(u) > 0", d, TV_UNKNOWN);
    ASSERT_TV(E, "lower(u) == \"x\"", d, TV_UNKNOWN);
    ASSERT_TV(E, "upper(u) == \"x\"", d, TV_UNKNOWN);
    ASSERT_TV(E, "capability(u) == \"x\"", d, TV_UNKNOWN);
    ASSERT_TV(E, "contains(u, \"x\")", d, TV_UNKNOWN);
    ASSERT_TV(E, "contains(s, u)", d, TV_UNKNOWN);
    ASSERT_TV(E, "starts_with(u, \"x\")", d, TV_UNKNOWN);
    ASSERT_TV(E, "ends_with(s, u)", d, TV_UNKNOWN);
    ASSERT_TV(E, "matches(u, \"x\")", d, TV_UNKNOWN);
    ASSERT_TV(E, "any(u, it == 1)", d, TV_UNKNOWN);
    ASSERT_TV(E, "all(u, it == 1)", d, TV_UNKNOWN);
    ASSERT_TV(E, "count(u, it == 1) == 0", d, TV_UNKNOWN);
    /* A path not reaching the unknown is unaffected. */
    ASSERT_TV(E, "s == \"x\"", d, TV_TRUE);
    /* The context itself unknown: `it` and every path from it. */
    o = expr_test(must_parse(E, "it == 1"), u, E->scratch);
    assert_int_equal(o.value, TV_UNKNOWN);
    assert_ptr_equal(o.unknown, u);
    o = expr_test(must_parse(E, "name == 1"), u, E->scratch);
    assert_int_equal(o.value, TV_UNKNOWN);
    assert_ptr_equal(o.unknown, u);
}

static void test_known(void **state)
{
    env *E = *state;
    doc_node *d = doc(E, "{\"u\": ?var.x, \"a\": 1, \"m\": {\"k\": ?var.y}}");
    expr_outcome o = run(E, "known(u)", d);
    assert_int_equal(o.value, TV_FALSE);
    assert_ptr_equal(o.decider, doc_get(d, "u"));
    assert_null(o.unknown);
    ASSERT_TV(E, "known(u.deep)", d, TV_FALSE);
    ASSERT_TV(E, "known(m.k)", d, TV_FALSE);
    ASSERT_TV(E, "known(m)", d, TV_TRUE);
    ASSERT_TV(E, "known(a)", d, TV_TRUE);
    ASSERT_TV(E, "known(missing)", d, TV_TRUE);
    ASSERT_TV(E, "known(u == 1)", d, TV_FALSE);
    ASSERT_TV(E, "known(u) and u == 1", d, TV_FALSE);
    ASSERT_TV(E, "not known(u)", d, TV_TRUE);
    ASSERT_TV(E, "not known(u) or u == 1", d, TV_TRUE);
}

static void test_path_as_condition(void **state)
{
    env *E = *state;
    doc_node *d = doc(E, "{\"yes\": true, \"no\": false, \"s\": \"true\", \"one\": 1,"
                         " \"m\": {\"a\": true}, \"l\": [true]}");
    ASSERT_TV(E, "yes", d, TV_TRUE);
    ASSERT_TV(E, "no", d, TV_FALSE);
    ASSERT_TV(E, "s", d, TV_FALSE);
    ASSERT_TV(E, "one", d, TV_FALSE);
    ASSERT_TV(E, "m", d, TV_FALSE);
    ASSERT_TV(E, "l", d, TV_FALSE);
    ASSERT_TV(E, "missing", d, TV_FALSE);
    ASSERT_TV(E, "not s", d, TV_TRUE);
    ASSERT_TV(E, "true", d, TV_TRUE);
    ASSERT_TV(E, "\"true\"", d, TV_FALSE);
    ASSERT_TV(E, "m.a", d, TV_TRUE);
    ASSERT_TV(E, "l[0]", d, TV_TRUE);
    expr_outcome o = run(E, "yes", d);
    assert_ptr_equal(o.decider, doc_get(d, "yes"));
}

static void test_paths(void **state)
{
    env *E = *state;
    doc_node *d = doc(E,
        "{\"spec\": {\"host-network\": true, \"run_as\": 0, \"in\": 5,"
        "  \"containers\": [{\"name\": \"web\", \"ports\": [80, 443]}, {\"name\": \"db\"}]},"
        " \"metadata\": {\"annotations\": {"
        "   \"container.apparmor.security.beta.kubernetes.io/web\": \"runtime/default\","
        "   \"a.b\": \"dotted\"}},"
        " \"it\": \"key named it\"}");
    ASSERT_TV(E, "spec.host-network", d, TV_TRUE);
    ASSERT_TV(E, "spec.run_as == 0", d, TV_TRUE);
    ASSERT_TV(E, "spec.containers[0].name == \"web\"", d, TV_TRUE);
    ASSERT_TV(E, "spec.containers[1].name == \"db\"", d, TV_TRUE);
    ASSERT_TV(E, "spec.containers[0].ports[1] == 443", d, TV_TRUE);
    ASSERT_TV(E, "spec . containers [ 0 ] . name == \"web\"", d, TV_TRUE);
    /* Out of range, through a list without an index, through a scalar. */
    ASSERT_TV(E, "spec.containers[2].name == null", d, TV_TRUE);
    ASSERT_TV(E, "exists(spec.containers[2])", d, TV_FALSE);
    ASSERT_TV(E, "exists(spec.containers.name)", d, TV_FALSE);
    ASSERT_TV(E, "exists(spec.run_as.x)", d, TV_FALSE);
    ASSERT_TV(E, "exists(spec[0])", d, TV_FALSE);
    /* Quoted keys. */
    ASSERT_TV(E,
              "metadata.annotations[\"container.apparmor.security.beta.kubernetes.io/web\"] == "
              "\"runtime/default\"",
              d, TV_TRUE);
    ASSERT_TV(E, "metadata.annotations['a.b'] == \"dotted\"", d, TV_TRUE);
    ASSERT_TV(E, "metadata[\"annotations\"][\"a.b\"] == \"dotted\"", d, TV_TRUE);
    ASSERT_TV(E, "exists(metadata.annotations.a)", d, TV_FALSE);
    /* A keyword after a dot is a key; `it` is the context. */
    ASSERT_TV(E, "spec.in == 5", d, TV_TRUE);
    ASSERT_TV(E, "it.spec.run_as == 0", d, TV_TRUE);
    ASSERT_TV(E, "it[\"it\"] == \"key named it\"", d, TV_TRUE);
    ASSERT_TV(E, "it == \"key named it\"", d, TV_FALSE);
    /* Keys match exactly. */
    ASSERT_TV(E, "exists(Spec)", d, TV_FALSE);
    /* A NULL context: everything is missing. */
    expr_outcome o = expr_test(must_parse(E, "exists(x)"), NULL, E->scratch);
    assert_int_equal(o.value, TV_FALSE);
    assert_null(o.decider);
}

static void test_functions(void **state)
{
    env *E = *state;
    doc_node *d = doc(E,
        "{\"s\": \"Hello\", \"e\": \"\", \"nul\": null, \"zero\": 0, \"f\": false,"
        " \"el\": [], \"em\": {}, \"l\": [1, 2, 3], \"m\": {\"a\": 1, \"b\": 2},"
        " \"uni\": \"h\xc3\xa9llo\", \"caps\": [\"cap_sys_admin\", \"NET_RAW\", 7],"
        " \"image\": \"registry.example.com/app:1.2\"}");
    /* exists */
    ASSERT_TV(E, "exists(s)", d, TV_TRUE);
    ASSERT_TV(E, "exists(e)", d, TV_TRUE);
    ASSERT_TV(E, "exists(zero)", d, TV_TRUE);
    ASSERT_TV(E, "exists(f)", d, TV_TRUE);
    ASSERT_TV(E, "exists(nul)", d, TV_FALSE);
    ASSERT_TV(E, "exists(nope)", d, TV_FALSE);
    /* empty */
    ASSERT_TV(E, "empty(nope)", d, TV_TRUE);
    ASSERT_TV(E, "empty(nul)", d, TV_TRUE);
    ASSERT_TV(E, "empty(e)", d, TV_TRUE);
    ASSERT_TV(E, "empty(el)", d, TV_TRUE);
    ASSERT_TV(E, "empty(em)", d, TV_TRUE);
    ASSERT_TV(E, "empty([])", d, TV_TRUE);
    ASSERT_TV(E, "empty(zero)", d, TV_FALSE);
    ASSERT_TV(E, "empty(f)", d, TV_FALSE);
    ASSERT_TV(E, "empty(s)", d, TV_FALSE);
    ASSERT_TV(E, "empty(l)", d, TV_FALSE);
    ASSERT_TV(E, "empty(m)", d, TV_FALSE);
    /* len */
    ASSERT_TV(E, "len(s) == 5", d, TV_TRUE);
    ASSERT_TV(E, "len(uni) == 5", d, TV_TRUE);      /* code points, not bytes */
    ASSERT_TV(E, "len(l) == 3", d, TV_TRUE);
    ASSERT_TV(E, "len(m) == 2", d, TV_TRUE);
    ASSERT_TV(E, "len(nope) == 0", d, TV_TRUE);
    ASSERT_TV(E, "len(el) == 0", d, TV_TRUE);
    ASSERT_TV(E, "len([1, 2]) == 2", d, TV_TRUE);
    ASSERT_TV(E, "len(zero) == 0", d, TV_FALSE);    /* a number has no length */
    /* lower, upper, capability */
    ASSERT_TV(E, "lower(s) == \"hello\"", d, TV_TRUE);
    ASSERT_TV(E, "upper(s) == \"HELLO\"", d, TV_TRUE);
    ASSERT_TV(E, "lower(s) == s", d, TV_FALSE);
    ASSERT_TV(E, "lower(zero) == 0", d, TV_TRUE);   /* non-strings unchanged */
    ASSERT_TV(E, "capability(\"cap_sys_admin\") == \"SYS_ADMIN\"", d, TV_TRUE);
    ASSERT_TV(E, "capability(\"net_raw\") == \"NET_RAW\"", d, TV_TRUE);
    ASSERT_TV(E, "capability(\"CAP_CHOWN\") == \"CHOWN\"", d, TV_TRUE);
    ASSERT_TV(E, "capability(\"xcap_a\") == \"XCAP_A\"", d, TV_TRUE);
    ASSERT_TV(E, "capability(caps[0]) == \"SYS_ADMIN\"", d, TV_TRUE);
    /* ...mapped over a list, items keeping their positions. */
    ASSERT_TV(E, "\"SYS_ADMIN\" in capability(caps)", d, TV_TRUE);
    ASSERT_TV(E, "\"NET_RAW\" in capability(caps)", d, TV_TRUE);
    ASSERT_TV(E, "7 in capability(caps)", d, TV_TRUE);
    ASSERT_TV(E, "\"sys_admin\" in lower(capability(caps))", d, TV_TRUE);
    ASSERT_TV(E, "\"SYS_ADMIN\" in caps", d, TV_FALSE);
    expr_outcome o = run(E, "\"SYS_ADMIN\" in capability(caps)", d);
    const doc_node *item0 = doc_seq_at(doc_get(d, "caps"), 0);
    assert_int_equal(doc_span(o.decider).start, doc_span(item0).start);
    assert_string_equal(doc_text(item0), "cap_sys_admin");   /* the document is untouched */
    /* contains, starts_with, ends_with */
    ASSERT_TV(E, "contains(s, \"ell\")", d, TV_TRUE);
    ASSERT_TV(E, "contains(s, \"xyz\")", d, TV_FALSE);
    ASSERT_TV(E, "contains(l, 2)", d, TV_TRUE);
    ASSERT_TV(E, "contains(l, \"2\")", d, TV_FALSE);
    ASSERT_TV(E, "contains([\"a\"], \"a\")", d, TV_TRUE);
    ASSERT_TV(E, "contains(nope, \"a\")", d, TV_FALSE);
    ASSERT_TV(E, "starts_with(image, \"registry.example.com/\")", d, TV_TRUE);
    ASSERT_TV(E, "starts_with(image, \"docker.io/\")", d, TV_FALSE);
    ASSERT_TV(E, "starts_with(s, \"\")", d, TV_TRUE);
    ASSERT_TV(E, "starts_with(\"ab\", \"abc\")", d, TV_FALSE);
    ASSERT_TV(E, "ends_with(image, \":1.2\")", d, TV_TRUE);
    ASSERT_TV(E, "ends_with(image, \":latest\")", d, TV_FALSE);
    ASSERT_TV(E, "ends_with(zero, \"0\")", d, TV_FALSE);
    ASSERT_TV(E, "starts_with(nope, \"a\")", d, TV_FALSE);
    /* matches (POSIX ERE, unanchored unless anchored) */
    ASSERT_TV(E, "matches(image, \":[0-9]+\\.[0-9]+$\")", d, TV_TRUE);
    ASSERT_TV(E, "matches(image, \"^registry\\.example\\.com/\")", d, TV_TRUE);
    ASSERT_TV(E, "matches(image, \":latest$\")", d, TV_FALSE);
    ASSERT_TV(E, "matches(s, 'ell')", d, TV_TRUE);
    ASSERT_TV(E, "matches(s, '^(Hello|Bye)$')", d, TV_TRUE);
    ASSERT_TV(E, "matches(zero, \"0\")", d, TV_FALSE);   /* strings only */
    ASSERT_TV(E, "matches(nope, \".*\")", d, TV_FALSE);
    ASSERT_TV(E, "matches(lower(s), \"^hello$\")", d, TV_TRUE);
}

static void test_quantifiers(void **state)
{
    env *E = *state;
    doc_node *d = doc(E,
        "{\"cs\": [{\"name\": \"a\", \"priv\": false, \"user\": \"0\"},"
        "          {\"name\": \"b\", \"priv\": true},"
        "          {\"name\": \"c\", \"priv\": true}],"
        " \"tags\": [\"x\", \"y\"], \"el\": [], \"s\": \"str\","
        " \"mix\": [{\"priv\": ?var.p}, {\"priv\": false}],"
        " \"mixt\": [{\"priv\": ?var.p}, {\"priv\": true}],"
        " \"nested\": [{\"ports\": [80, 8080]}, {\"ports\": [443]}]}");
    ASSERT_TV(E, "any(cs, priv)", d, TV_TRUE);
    ASSERT_TV(E, "any(cs, name == \"z\")", d, TV_FALSE);
    ASSERT_TV(E, "all(cs, exists(name))", d, TV_TRUE);
    ASSERT_TV(E, "all(cs, priv)", d, TV_FALSE);
    ASSERT_TV(E, "count(cs, priv) == 2", d, TV_TRUE);
    ASSERT_TV(E, "count(cs, it.priv == false) == 1", d, TV_TRUE);
    ASSERT_TV(E, "any(tags, it == \"y\")", d, TV_TRUE);
    ASSERT_TV(E, "all(tags, len(it) == 1)", d, TV_TRUE);
    ASSERT_TV(E, "any([1, 2, 3], it > 2)", d, TV_TRUE);
    ASSERT_TV(E, "count([1, 2, 3], it > 1) == 2", d, TV_TRUE);
    ASSERT_TV(E, "any(nested, any(ports, it > 8000))", d, TV_TRUE);
    ASSERT_TV(E, "all(nested, any(ports, it > 8000))", d, TV_FALSE);
    /* Empty, missing and non-lists have no items. */
    ASSERT_TV(E, "any(el, true)", d, TV_FALSE);
    ASSERT_TV(E, "all(el, false)", d, TV_TRUE);
    ASSERT_TV(E, "count(el, true) == 0", d, TV_TRUE);
    ASSERT_TV(E, "any(nope, true)", d, TV_FALSE);
    ASSERT_TV(E, "all(nope, false)", d, TV_TRUE);
    ASSERT_TV(E, "count(nope, true) == 0", d, TV_TRUE);
    ASSERT_TV(E, "any(s, true)", d, TV_FALSE);
    /* Kleene: a deciding item wins over an unknown one. */
    ASSERT_TV(E, "any(mix, priv)", d, TV_UNKNOWN);
    ASSERT_TV(E, "any(mixt, priv)", d, TV_TRUE);
    ASSERT_TV(E, "all(mix, priv)", d, TV_FALSE);
    ASSERT_TV(E, "all(mixt, priv)", d, TV_UNKNOWN);
    ASSERT_TV(E, "count(mixt, priv) == 1", d, TV_UNKNOWN);
    expr_outcome o = run(E, "any(mix, priv)", d);
    assert_ptr_equal(o.unknown, doc_path(doc_seq_at(doc_get(d, "mix"), 0), "priv"));

    /* any is placed at the first matching item's deciding value, all at the
     * first failing one. */
    const doc_node *cs = doc_get(d, "cs");
    o = run(E, "any(cs, priv)", d);
    assert_ptr_equal(o.decider, doc_get(doc_seq_at(cs, 1), "priv"));
    o = run(E, "any(cs, true)", d);
    assert_ptr_equal(o.decider, doc_seq_at(cs, 0));        /* no path: the item */
    o = run(E, "all(cs, priv)", d);
    assert_ptr_equal(o.decider, doc_get(doc_seq_at(cs, 0), "priv"));
    o = run(E, "all(cs, exists(name))", d);
    assert_ptr_equal(o.decider, cs);
    o = run(E, "any(cs, name == \"z\")", d);
    assert_ptr_equal(o.decider, cs);
}

static void test_deciders(void **state)
{
    env *E = *state;
    const char *json = "{\"networkMode\": \"host\", \"a\": {\"b\": 1}, \"user\": \"0\","
                       " \"priv\": true}";
    doc_node *d = doc(E, json);
    const doc_node *mode = doc_get(d, "networkMode");
    /* The value a path resolved to, whichever side it is on. */
    expr_outcome o = run(E, "networkMode == \"host\"", d);
    assert_int_equal(o.value, TV_TRUE);
    assert_ptr_equal(o.decider, mode);
    assert_int_equal(doc_span(o.decider).start, strstr(json, "\"host\"") - json);
    o = run(E, "\"host\" == networkMode", d);
    assert_ptr_equal(o.decider, mode);
    o = run(E, "networkMode != \"host\"", d);
    assert_int_equal(o.value, TV_FALSE);
    assert_ptr_equal(o.decider, mode);
    o = run(E, "len(networkMode) == 4", d);
    assert_ptr_equal(o.decider, mode);
    o = run(E, "lower(networkMode) == \"host\"", d);
    assert_ptr_equal(o.decider, mode);
    /* A missing path: the nearest node that exists. */
    o = run(E, "a.x.y == 1", d);
    assert_int_equal(o.value, TV_FALSE);
    assert_ptr_equal(o.decider, doc_get(d, "a"));
    o = run(E, "nope == 1", d);
    assert_ptr_equal(o.decider, d);
    o = run(E, "exists(a.b.c)", d);
    assert_ptr_equal(o.decider, doc_path(d, "a.b"));
    /* and: the last operand; or: the first true one; not: its operand. */
    o = run(E, "networkMode == \"host\" and user == \"0\"", d);
    assert_int_equal(o.value, TV_TRUE);
    assert_ptr_equal(o.decider, doc_get(d, "user"));
    o = run(E, "networkMode == \"host\" and true", d);
    assert_ptr_equal(o.decider, mode);
    o = run(E, "networkMode == \"none\" and user == \"0\"", d);
    assert_int_equal(o.value, TV_FALSE);
    assert_ptr_equal(o.decider, mode);
    o = run(E, "user == \"1\" or priv or networkMode == \"host\"", d);
    assert_int_equal(o.value, TV_TRUE);
    assert_ptr_equal(o.decider, doc_get(d, "priv"));
    o = run(E, "user == \"1\" or a.b == 2", d);
    assert_int_equal(o.value, TV_FALSE);
    assert_ptr_equal(o.decider, doc_path(d, "a.b"));
    o = run(E, "not priv", d);
    assert_ptr_equal(o.decider, doc_get(d, "priv"));
    /* Literals only: no place. */
    o = run(E, "1 == 1", d);
    assert_int_equal(o.value, TV_TRUE);
    assert_null(o.decider);
    assert_null(o.unknown);
}

typedef struct syntax_case {
    const char *text;
    const char *message;    /* a prefix of the message */
    unsigned col;           /* column within the expression text, 1-based */
} syntax_case;

static void test_syntax_errors(void **state)
{
    env *E = *state;
    static const syntax_case cases[] = {
        {"len(a", "expected ')' after arguments", 6},
        {"len(a b)", "expected ')' after arguments", 7},
        {"lenght(a)", "unknown function \"lenght\"", 1},
        {"x and any(a)", "\"any\" takes 2 arguments, got 1", 7},
        {"len(a, b)", "\"len\" takes 1 argument, got 2", 1},
        {"exists()", "\"exists\" takes 1 argument, got 0", 1},
        {"matches(a, b)", "matches() needs a literal regular expression", 12},
        {"matches(a, 1)", "matches() needs a literal regular expression", 12},
        {"matches(a, \"(\")", "invalid regular expression \"(\": ", 12},
        {"a ==", "expected an expression, got end of expression", 5},
        {"a == )", "expected an expression, got \")\"", 6},
        {"a = 1", "unexpected '=' (use \"==\")", 3},
        {"a && b", "unexpected '&&' (use \"and\")", 3},
        {"a || b", "unexpected '||' (use \"or\")", 3},
        {"!a", "unexpected '!' (use \"not\")", 1},
        {"\"abc", "unterminated string", 1},
        {"a == 'x", "unterminated string", 6},
        {"a == 1 == 2", "comparisons do not chain", 8},
        {"(a == 1", "expected ')' to close '('", 8},
        {"[1, 2", "expected ']' after list items", 6},
        {"a[x]", "expected an index", 3},
        {"a[-1]", "expected an index", 3},
        {"a[0", "expected ']' after index", 4},
        {"a.", "expected a name after '.'", 3},
        {"a.1", "expected a name after '.'", 3},
        {"a b", "unexpected \"b\" after expression", 3},
        {"a 'b'", "unexpected 'b' after expression", 3},
        {"a not b", "unexpected \"not\"", 3},
        {"", "empty expression", 1},
        {"   ", "empty expression", 1},
        {"a $ b", "unexpected character '$'", 3},
        {"12abc == 1", "invalid number \"12abc\"", 1},
        {"99999999999999999999 == 1", "number 99999999999999999999 is out of range", 1},
        {"a == not b", "expected an expression, got \"not\"", 6},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t before = diags_count(E->diags);
        bh_expr *e = parse(E, cases[i].text);
        if (e)
            fail_msg("\"%s\" parsed", cases[i].text);
        if (diags_count(E->diags) != before + 1)
            fail_msg("\"%s\": %zu diagnostics", cases[i].text, diags_count(E->diags) - before);
        const bh_diag *g = diags_get(E->diags, before);
        assert_int_equal(g->level, DIAG_ERROR);
        assert_string_equal(g->file, "logic.yaml");
        if (strncmp(g->message, cases[i].message, strlen(cases[i].message)) != 0)
            fail_msg("\"%s\": message \"%s\", want \"%s...\"", cases[i].text, g->message,
                     cases[i].message);
        assert_int_equal(g->pos.line, 1);
        if (g->pos.col != 6 + cases[i].col)
            fail_msg("\"%s\": column %u, want %u", cases[i].text, g->pos.col,
                     6 + cases[i].col);
    }
    /* The unclosed construct is named as the context. */
    size_t before = diags_count(E->diags);
    assert_null(parse(E, "(a == 1"));
    const bh_diag *g = diags_get(E->diags, before);
    assert_non_null(g->ctx_file);
    assert_int_equal(g->ctx_pos.col, 7);
    assert_string_equal(g->ctx_note, "opened here");
}

static void test_nesting_limit(void **state)
{
    env *E = *state;
    char deep[512];
    size_t n = 0;
    for (int i = 0; i < 100; i++)
        deep[n++] = '(';
    deep[n++] = 'a';
    for (int i = 0; i < 100; i++)
        deep[n++] = ')';
    deep[n] = '\0';
    assert_null(parse(E, deep));
    const bh_diag *g = diags_get(E->diags, diags_count(E->diags) - 1);
    assert_string_equal(g->message, "expression nested too deeply");
    /* Reasonable nesting is fine. */
    assert_non_null(parse(E, "((((((a))))))"));
    n = 0;
    for (int i = 0; i < 100; i++) {
        memcpy(deep + n, "not ", 4);
        n += 4;
    }
    memcpy(deep + n, "a", 2);
    assert_null(parse(E, deep));
}

/* In a quoted YAML scalar the text starts after the quote. */
static void test_error_position_in_quoted_scalar(void **state)
{
    env *E = *state;
    const char *file = "when: \"lenght(a)\"\n";
    const bh_source *src = add_source(E, "logic.yaml", file);
    const char *text = "lenght(a)";
    bh_span where = span_make(src, 6, 17);
    assert_null(expr_parse(E->a, text, strlen(text), where, E->diags));
    const bh_diag *g = diags_get(E->diags, diags_count(E->diags) - 1);
    assert_string_equal(g->message, "unknown function \"lenght\"");
    assert_int_equal(g->pos.col, 8);
    assert_int_equal(g->end.col, 14);
    /* No span at all: still a diagnostic. */
    bh_span none = {NULL, 0, 0};
    assert_null(expr_parse(E->a, "a ==", 4, none, E->diags));
    g = diags_get(E->diags, diags_count(E->diags) - 1);
    assert_string_equal(g->file, "");
    /* And no diagnostics list. */
    assert_null(expr_parse(E->a, "a ==", 4, none, NULL));
}

static void test_strings_and_escapes(void **state)
{
    env *E = *state;
    /* The builder does not unescape: bs holds the three bytes a\b. */
    doc_node *d = doc(E, "{\"sq\": \"it's\", \"bs\": \"a\\b\", \"dq\": \"x'y\"}");
    assert_int_equal(doc_text_len(doc_get(d, "bs")), 3);
    ASSERT_TV(E, "dq == 'x\\'y'", d, TV_TRUE);
    ASSERT_TV(E, "sq == \"it's\"", d, TV_TRUE);
    ASSERT_TV(E, "sq == 'it\\'s'", d, TV_TRUE);
    ASSERT_TV(E, "bs == 'a\\\\b'", d, TV_TRUE);            /* \\ is one backslash */
    ASSERT_TV(E, "bs == 'a\\\\\\\\b'", d, TV_FALSE);
    ASSERT_TV(E, "len(\"a\\tb\") == 3", d, TV_TRUE);
    ASSERT_TV(E, "len(\"a\\.b\") == 4", d, TV_TRUE);      /* unknown escape kept */
    assert_string_equal(render(E, "\"x\\\"y\"", d), "x\"y");
}

static void test_expr_text(void **state)
{
    env *E = *state;
    bh_expr *e = must_parse(E, "exists(status) and status != \"ACTIVE\"");
    assert_string_equal(expr_text(e), "exists(status) and status != \"ACTIVE\"");
}

static void test_render(void **state)
{
    env *E = *state;
    doc_node *d = doc(E,
        "{\"s\": \"web\", \"n\": 42, \"f\": 1.5, \"b\": false, \"nul\": null,"
        " \"u\": ?var.user, \"caps\": [\"NET_RAW\", \"SYS_ADMIN\"], \"nest\": [\"a\", [\"b\", \"c\"]],"
        " \"m\": {\"k\": \"v\", \"n\": 1}, \"em\": [], \"mm\": {\"l\": [1, 2]},"
        " \"cs\": [{\"p\": true}, {\"p\": true}, {\"p\": false}], \"Up\": \"MiXeD\"}");
    assert_string_equal(render(E, "s", d), "web");
    assert_string_equal(render(E, "n", d), "42");
    assert_string_equal(render(E, "f", d), "1.5");
    assert_string_equal(render(E, "b", d), "false");
    assert_string_equal(render(E, "nul", d), "null");
    assert_string_equal(render(E, "missing", d), "unset");
    assert_string_equal(render(E, "s.deeper", d), "unset");
    assert_string_equal(render(E, "u", d), "var.user");
    assert_string_equal(render(E, "u.name", d), "var.user");
    assert_string_equal(render(E, "caps", d), "NET_RAW, SYS_ADMIN");
    assert_string_equal(render(E, "nest", d), "a, [b, c]");
    assert_string_equal(render(E, "em", d), "");
    assert_string_equal(render(E, "m", d), "{k: v, n: 1}");
    assert_string_equal(render(E, "mm", d), "{l: [1, 2]}");
    assert_string_equal(render(E, "lower(Up)", d), "mixed");
    assert_string_equal(render(E, "upper(Up)", d), "MIXED");
    assert_string_equal(render(E, "capability(\"cap_net_raw\")", d), "NET_RAW");
    assert_string_equal(render(E, "count(cs, p)", d), "2");
    assert_string_equal(render(E, "len(caps)", d), "2");
    assert_string_equal(render(E, "any(cs, p)", d), "true");
    assert_string_equal(render(E, "n == 42", d), "true");
    assert_string_equal(render(E, "[1, s, 'x']", d), "1, web, x");
    assert_string_equal(render(E, "[1, missing, 2]", d), "1, 2");
    assert_string_equal(render(E, "2.25", d), "2.25");
    assert_string_equal(render(E, "lower(caps)", d), "net_raw, sys_admin");
    assert_string_equal(render(E, "it.s", d), "web");
    /* expr_value: the document node itself, or a new one placed at its source. */
    assert_ptr_equal(expr_value(must_parse(E, "s"), d, E->scratch), doc_get(d, "s"));
    assert_null(expr_value(must_parse(E, "missing"), d, E->scratch));
    const doc_node *low = expr_value(must_parse(E, "lower(Up)"), d, E->scratch);
    assert_int_equal(doc_type_of(low), DOC_STR);
    assert_int_equal(doc_span(low).start, doc_span(doc_get(d, "Up")).start);
    const doc_node *cnt = expr_value(must_parse(E, "count(cs, p)"), d, E->scratch);
    int64_t iv = 0;
    assert_true(doc_int(cnt, &iv));
    assert_int_equal(iv, 2);
    /* A NULL value renders as unset; a long one is cut. */
    assert_string_equal(expr_render(E->scratch, NULL), "unset");
    doc_node *big = doc_new_seq(E->a, doc_span(d));
    for (int i = 0; i < 300; i++)
        assert_true(doc_seq_append(E->a, big, doc_new_str(E->a, doc_span(d), "item")));
    const char *r = expr_render(E->scratch, big);
    assert_true(strlen(r) <= 512 + 3);
    assert_string_equal(r + strlen(r) - 3, "...");
    assert_memory_equal(r, "item, item, ", 12);
}

static void test_regex_release(void **state)
{
    env *E = *state;
    bh_arena *a = arena_new();
    const bh_source *src = add_source(E, "logic.yaml", "matches(x, \"^a+$\") or matches(x, 'b')");
    bh_span where = span_make(src, 0, (uint32_t)source_len(src));
    bh_expr *e = expr_parse(a, source_data(src), source_len(src), where, E->diags);
    assert_non_null(e);
    doc_node *d = doc(E, "{\"x\": \"aaa\"}");
    assert_int_equal(expr_test(e, d, E->scratch).value, TV_TRUE);
    expr_release(e);
    expr_release(e);            /* a second call is a no-op */
    expr_release(NULL);
    arena_free(a);
    /* A parse that fails after compiling a regex frees it (the sanitizer
     * build's leak checker watches). */
    assert_null(parse(E, "matches(x, \"a\") and len("));
    assert_null(parse(E, "matches(x, \"a\") and matches(x, \"[\")"));
}

/* Every allocation failure during parsing is a diagnostic, never a crash. */
static void test_allocation_failure(void **state)
{
    env *E = *state;
    const char *text = "any(cs, matches(name, \"^a\") and it.p in [1, 2]) or len(x) > 0";
    bool parsed = false;
    for (unsigned long nth = 1; nth < 500 && !parsed; nth++) {
        bh_arena *a = arena_new();
        assert_non_null(a);
        size_t before = diags_count(E->diags);
        arena_set_fail_after(nth);
        bh_expr *e = expr_parse(a, text, strlen(text), (bh_span){NULL, 0, 0}, E->diags);
        arena_set_fail_after(0);
        if (e) {
            parsed = true;
            doc_node *d = doc(E, "{\"cs\": [{\"name\": \"ab\", \"p\": 2}]}");
            assert_int_equal(expr_test(e, d, E->scratch).value, TV_TRUE);
            expr_release(e);
        } else {
            assert_int_equal(diags_count(E->diags), before + 1);
            assert_string_equal(diags_get(E->diags, before)->message,
                                "out of memory parsing expression");
        }
        arena_free(a);
    }
    assert_true(parsed);
}

/* The policy-format.md example, end to end. */
static void test_spec_example(void **state)
{
    env *E = *state;
    doc_node *td = doc(E,
        "{\"status\": \"ACTIVE\", \"networkMode\": \"host\","
        " \"containerDefinitions\": [{\"name\": \"web\", \"privileged\": false,"
        "   \"runsAsRoot\": true, \"user\": \"0\"}]}");
    ASSERT_TV(E, "exists(status) and status != \"ACTIVE\"", td, TV_FALSE);
    ASSERT_TV(E, "networkMode != \"host\"", td, TV_FALSE);
    const doc_node *c = doc_seq_at(doc_get(td, "containerDefinitions"), 0);
    ASSERT_TV(E, "privileged == true", c, TV_FALSE);
    expr_outcome o = run(E, "runsAsRoot", c);
    assert_int_equal(o.value, TV_TRUE);
    assert_ptr_equal(o.decider, doc_get(c, "runsAsRoot"));
    assert_string_equal(render(E, "name", c), "web");
    assert_string_equal(render(E, "user", c), "0");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_typed_equality, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ordering, setup, teardown),
        cmocka_unit_test_setup_teardown(test_in_operator, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kleene_tables, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_propagation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_known, setup, teardown),
        cmocka_unit_test_setup_teardown(test_path_as_condition, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paths, setup, teardown),
        cmocka_unit_test_setup_teardown(test_functions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quantifiers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deciders, setup, teardown),
        cmocka_unit_test_setup_teardown(test_syntax_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nesting_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_error_position_in_quoted_scalar, setup, teardown),
        cmocka_unit_test_setup_teardown(test_strings_and_escapes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expr_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_render, setup, teardown),
        cmocka_unit_test_setup_teardown(test_regex_release, setup, teardown),
        cmocka_unit_test_setup_teardown(test_allocation_failure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_spec_example, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

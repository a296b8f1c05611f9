/* Unit tests: yaml.c (positions in bytes and line/column, multi-document
 * streams, tags, YAML 1.1 typing, anchors and aliases, merge keys,
 * duplicate keys, limits, syntax errors, awkward bytes). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bhyaml.h"

/* One parse: the source, its arena and diagnostics, the documents. */
typedef struct fx {
    bh_source *src;
    bh_arena *a;
    bh_diags *d;
    doc_node **docs;
    long n;
} fx;

static long parse_len(fx *f, const char *text, size_t len, const bhyaml_limits *lim)
{
    f->src = source_new("t.yaml", text, len);
    f->a = arena_new();
    f->d = diags_new();
    assert_non_null(f->src);
    assert_non_null(f->a);
    assert_non_null(f->d);
    f->docs = NULL;
    f->n = bhyaml_parse(f->src, f->a, lim, &f->docs, f->d);
    return f->n;
}

static long parse(fx *f, const char *text) { return parse_len(f, text, strlen(text), NULL); }

/* Parse text that must be one document without any diagnostic. */
static doc_node *parse1(fx *f, const char *text)
{
    assert_int_equal(parse(f, text), 1);
    assert_int_equal(diags_count(f->d), 0);
    return f->docs[0];
}

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

/* The only diagnostic is an error whose message contains msg, at line:col. */
static const bh_diag *assert_one_error(const fx *f, const char *msg, uint32_t line, uint32_t col)
{
    assert_int_equal(f->n, -1);
    assert_null(f->docs);
    assert_int_equal(diags_count_level(f->d, DIAG_ERROR), 1);
    const bh_diag *g = NULL;
    for (size_t i = 0; i < diags_count(f->d); i++)
        if (diags_get(f->d, i)->level == DIAG_ERROR)
            g = diags_get(f->d, i);
    assert_non_null(g);
    assert_non_null(strstr(g->message, msg));
    assert_string_equal(g->file, "t.yaml");
    assert_int_equal(g->pos.line, line);
    assert_int_equal(g->pos.col, col);
    return g;
}

static doc_node *key_node(const doc_node *map, const char *key)
{
    long i = doc_map_find(map, key, strlen(key));
    assert_true(i >= 0);
    return doc_map_key(map, (size_t)i);
}

/* ---- positions -------------------------------------------------------- */

static void test_positions_ascii(void **state)
{
    (void)state;
    fx f;
    doc_node *root = parse1(&f, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n"
                                "  labels: {app: x}\nlist:\n- 'q'\n- \"dq\"\n");
    assert_int_equal(doc_kind_of(root), DOC_MAP);
    assert_int_equal(doc_len(root), 4);
    assert_span(&f, key_node(root, "apiVersion"), 0, 10, 1, 1);
    assert_span(&f, doc_get(root, "apiVersion"), 12, 14, 1, 13);
    assert_span(&f, key_node(root, "kind"), 15, 19, 2, 1);
    assert_span(&f, doc_get(root, "kind"), 21, 24, 2, 7);
    doc_node *md = doc_get(root, "metadata");
    assert_int_equal(doc_kind_of(md), DOC_MAP);
    assert_int_equal(doc_span(md).start, 37);          /* where "name" starts */
    assert_span(&f, key_node(md, "name"), 37, 41, 4, 3);
    assert_span(&f, doc_path(root, "metadata.name"), 43, 46, 4, 9);
    doc_node *labels = doc_get(md, "labels");
    assert_span(&f, labels, 57, 65, 5, 11);            /* "{app: x}" */
    assert_span(&f, doc_get(labels, "app"), 63, 64, 5, 17);
    doc_node *list = doc_get(root, "list");
    assert_int_equal(doc_kind_of(list), DOC_SEQ);
    assert_int_equal(doc_len(list), 2);
    /* quoted scalars: the span includes the quotes */
    assert_span(&f, doc_seq_at(list, 0), 74, 77, 7, 3);
    assert_span(&f, doc_seq_at(list, 1), 80, 84, 8, 3);
    assert_string_equal(doc_text(doc_seq_at(list, 1)), "dq");
    fx_free(&f);
}

static void test_positions_utf8(void **state)
{
    (void)state;
    fx f;
    doc_node *root = parse1(&f, "ké: v\nnäme: \"ü\"\nx: [é, z]\n");
    /* libyaml counts "ké: " as 4 characters; in bytes v is at 5 */
    assert_span(&f, key_node(root, "ké"), 0, 3, 1, 1);
    assert_span(&f, doc_get(root, "ké"), 5, 6, 1, 5);
    assert_span(&f, key_node(root, "näme"), 7, 12, 2, 1);
    assert_span(&f, doc_get(root, "näme"), 14, 18, 2, 7);
    doc_node *x = doc_get(root, "x");
    assert_span(&f, x, 22, 29, 3, 4);
    assert_span(&f, doc_seq_at(x, 0), 23, 25, 3, 5);
    assert_span(&f, doc_seq_at(x, 1), 27, 28, 3, 8);
    fx_free(&f);
}

/* Many lines of multi-byte text: every key and value is where strstr says,
 * well past the first position checkpoints, and a flow mapping's simple
 * keys (whose marks go backwards) too. */
static void test_positions_utf8_long(void **state)
{
    (void)state;
    enum { N = 3000 };
    size_t cap = (size_t)N * 64 + 64;
    char *text = malloc(cap);
    assert_non_null(text);
    size_t len = 0;
    for (int i = 0; i < N; i++)
        len += (size_t)snprintf(text + len, cap - len,
                                i % 7 == 3 ? "k€y%d: {ä%d: \"ö%d\"}\n" : "k€y%d: välüe%d\n", i, i, i);
    fx f;
    assert_int_equal(parse_len(&f, text, len, NULL), 1);
    assert_int_equal(diags_count(f.d), 0);
    doc_node *root = f.docs[0];
    assert_int_equal(doc_len(root), N);
    for (int i = 0; i < N; i += 1) {
        char key[32], needle[48];
        snprintf(key, sizeof key, "k€y%d", i);
        snprintf(needle, sizeof needle, "\n%s: ", key);
        const char *at = i == 0 ? text : strstr(text, needle) + 1;
        uint32_t off = (uint32_t)(at - text);
        doc_node *k = key_node(root, key);
        assert_int_equal(doc_span(k).start, off);
        assert_int_equal(doc_span(k).end, off + strlen(key));
        doc_node *v = doc_get(root, key);
        assert_int_equal(doc_span(v).start, off + strlen(key) + 2);
        if (i % 7 == 3) {
            char inner[16];
            snprintf(inner, sizeof inner, "ä%d", i);
            doc_node *ik = key_node(v, inner);
            assert_int_equal(doc_span(ik).start, off + strlen(key) + 3);
            assert_int_equal(doc_span(doc_get(v, inner)).start,
                             off + strlen(key) + 3 + strlen(inner) + 2);
        } else {
            assert_int_equal(doc_span(v).end, doc_span(v).start + strlen(doc_text(v)));
        }
    }
    /* marks far apart: the error's context lies thousands of characters
     * behind its problem, past many checkpoints */
    fx g;
    size_t len2 = (size_t)snprintf(text, cap, "x: \"");
    for (int i = 0; i < 500; i++)
        len2 += (size_t)snprintf(text + len2, cap - len2, "é%d,\n", i);
    parse_len(&g, text, len2, NULL);
    assert_int_equal(g.n, -1);
    const bh_diag *e = diags_get(g.d, 0);
    assert_non_null(e);
    assert_int_equal(e->level, DIAG_ERROR);
    assert_string_equal(e->message, "found unexpected end of stream");
    assert_int_equal(e->pos.line, 501);
    assert_int_equal(e->pos.col, 1);
    assert_non_null(e->ctx_file);
    assert_string_equal(e->ctx_note, "quoted scalar started here");
    assert_int_equal(e->ctx_pos.line, 1);
    assert_int_equal(e->ctx_pos.col, 4);
    fx_free(&g);
    fx_free(&f);
    free(text);
}

/* ---- documents -------------------------------------------------------- */

static void test_multi_document(void **state)
{
    (void)state;
    fx f;
    assert_int_equal(parse(&f, "a: 1\n---\n---\n- x\n--- scalar\n...\n"), 4);
    assert_int_equal(diags_count(f.d), 0);
    assert_int_equal(doc_kind_of(f.docs[0]), DOC_MAP);
    assert_int_equal(doc_kind_of(f.docs[1]), DOC_SCALAR);
    assert_int_equal(doc_type_of(f.docs[1]), DOC_NULL);
    assert_string_equal(doc_text(f.docs[1]), "");
    assert_int_equal(doc_kind_of(f.docs[2]), DOC_SEQ);
    assert_span(&f, doc_seq_at(f.docs[2], 0), 15, 16, 4, 3);
    assert_true(doc_text_eq(f.docs[3], "scalar"));
    assert_int_equal(source_pos(f.src, doc_span(f.docs[3]).start).line, 5);
    fx_free(&f);
}

static void test_empty_input(void **state)
{
    (void)state;
    fx f;
    assert_int_equal(parse(&f, ""), 0);
    assert_non_null(f.docs);
    assert_int_equal(diags_count(f.d), 0);
    fx_free(&f);
    assert_int_equal(parse(&f, "# only a comment\n\n"), 0);
    assert_int_equal(diags_count(f.d), 0);
    fx_free(&f);
    assert_int_equal(parse(&f, "---\n"), 1);
    assert_int_equal(doc_type_of(f.docs[0]), DOC_NULL);
    fx_free(&f);
}

static void test_document_limit(void **state)
{
    (void)state;
    bhyaml_limits lim = bhyaml_default_limits();
    assert_int_equal(lim.max_depth, 512);
    assert_int_equal(lim.max_alias_nodes, 1000000);
    assert_int_equal(lim.max_documents, 10000);
    lim.max_documents = 3;
    fx f;
    const char *three = "a\n---\nb\n---\nc\n";
    assert_int_equal(parse_len(&f, three, strlen(three), &lim), 3);
    fx_free(&f);
    const char *four = "a\n---\nb\n---\nc\n---\nd\n";
    parse_len(&f, four, strlen(four), &lim);
    assert_one_error(&f, "more than 3 documents", 6, 1);
    fx_free(&f);
}

/* ---- scalars ---------------------------------------------------------- */

static void test_plain_vs_quoted(void **state)
{
    (void)state;
    fx f;
    doc_node *r = parse1(&f, "a: yes\nb: \"yes\"\nc: 'yes'\nd: |\n  yes\ne: >\n  yes\n"
                             "f: On\ng: n\nh: \"true\"\ni: true\nj: FALSE\n");
    bool b = false;
    assert_true(doc_bool(doc_get(r, "a"), &b));
    assert_true(b);
    assert_int_equal(doc_style_of(doc_get(r, "a")), DOC_PLAIN);
    assert_int_equal(doc_type_of(doc_get(r, "b")), DOC_STR);
    assert_int_equal(doc_style_of(doc_get(r, "b")), DOC_DOUBLE_QUOTED);
    assert_true(doc_is_quoted(doc_get(r, "b")));
    assert_true(doc_text_eq(doc_get(r, "b"), "yes"));
    assert_int_equal(doc_type_of(doc_get(r, "c")), DOC_STR);
    assert_int_equal(doc_style_of(doc_get(r, "c")), DOC_SINGLE_QUOTED);
    assert_int_equal(doc_type_of(doc_get(r, "d")), DOC_STR);
    assert_int_equal(doc_style_of(doc_get(r, "d")), DOC_LITERAL);
    assert_string_equal(doc_text(doc_get(r, "d")), "yes\n");
    assert_int_equal(doc_type_of(doc_get(r, "e")), DOC_STR);
    assert_int_equal(doc_style_of(doc_get(r, "e")), DOC_FOLDED);
    assert_true(doc_bool(doc_get(r, "f"), &b));
    assert_true(b);
    assert_true(doc_bool(doc_get(r, "g"), &b));
    assert_false(b);
    assert_false(doc_bool(doc_get(r, "h"), &b));
    assert_true(doc_bool(doc_get(r, "i"), &b));
    assert_true(b);
    assert_true(doc_bool(doc_get(r, "j"), &b));
    assert_false(b);
    fx_free(&f);
}

static void test_yaml11_numbers(void **state)
{
    (void)state;
    fx f;
    doc_node *r = parse1(&f, "mode: 0644\nhex: 0x1F\nbin: 0b101\nbig: 1_000\nneg: -12\n"
                             "fl: 1.5\nexp: 1e3\nqs: \"0644\"\nver: 1.2.3\ninf: .inf\n"
                             "port: 8080\n");
    int64_t i = 0;
    double d = 0;
    assert_true(doc_int(doc_get(r, "mode"), &i));
    assert_int_equal(i, 420);
    assert_string_equal(doc_text(doc_get(r, "mode")), "0644");
    assert_true(doc_int(doc_get(r, "hex"), &i));
    assert_int_equal(i, 31);
    assert_true(doc_int(doc_get(r, "bin"), &i));
    assert_int_equal(i, 5);
    assert_true(doc_int(doc_get(r, "big"), &i));
    assert_int_equal(i, 1000);
    assert_true(doc_int(doc_get(r, "neg"), &i));
    assert_int_equal(i, -12);
    assert_int_equal(doc_type_of(doc_get(r, "fl")), DOC_FLOAT);
    assert_true(doc_float(doc_get(r, "fl"), &d));
    assert_true(d == 1.5);
    assert_true(doc_float(doc_get(r, "exp"), &d));
    assert_true(d == 1000.0);
    assert_int_equal(doc_type_of(doc_get(r, "qs")), DOC_STR);
    assert_int_equal(doc_type_of(doc_get(r, "ver")), DOC_STR);
    assert_true(doc_float(doc_get(r, "inf"), &d));
    assert_true(isinf(d));
    assert_true(doc_int(doc_get(r, "port"), &i));
    assert_int_equal(i, 8080);
    fx_free(&f);
}

static void test_null_forms(void **state)
{
    (void)state;
    fx f;
    doc_node *r = parse1(&f, "a: ~\nb: null\nc: Null\nd: NULL\ne:\nf: \"null\"\ng: ''\n"
                             "h: nil\n");
    const char *nulls[] = {"a", "b", "c", "d", "e"};
    for (size_t i = 0; i < sizeof nulls / sizeof *nulls; i++) {
        doc_node *v = doc_get(r, nulls[i]);
        assert_non_null(v);
        assert_int_equal(doc_kind_of(v), DOC_SCALAR);
        assert_int_equal(doc_type_of(v), DOC_NULL);
    }
    assert_string_equal(doc_text(doc_get(r, "e")), "");
    assert_int_equal(doc_type_of(doc_get(r, "f")), DOC_STR);
    assert_int_equal(doc_type_of(doc_get(r, "g")), DOC_STR);
    assert_int_equal(doc_type_of(doc_get(r, "h")), DOC_STR);
    fx_free(&f);
}

static void test_tags(void **state)
{
    (void)state;
    fx f;
    doc_node *r = parse1(&f,
                         "ref: !Ref MyParam\n"
                         "sub: !Sub 'arn:${AWS::Region}'\n"
                         "if: !If [IsProd, 1, 2]\n"
                         "tr: !Transform {Name: AWS::Include}\n"
                         "azs: !GetAZs ''\n"
                         "s: !!str 12\n"
                         "i: !!int \"12\"\n"
                         "b: !!bool \"yes\"\n"
                         "fl: !!float 1\n"
                         "nu: !!null ''\n"
                         "seq: !!seq [a]\n"
                         "nested: !Join ['', [!Ref A, !GetAtt B.Arn]]\n"
                         "plain: 12\n");
    doc_node *ref = doc_get(r, "ref");
    assert_string_equal(doc_tag(ref), "!Ref");
    assert_int_equal(doc_type_of(ref), DOC_STR);
    assert_true(doc_text_eq(ref, "MyParam"));
    assert_span(&f, ref, 5, 17, 1, 6);                   /* the span covers the tag */
    doc_node *sub = doc_get(r, "sub");
    assert_string_equal(doc_tag(sub), "!Sub");
    assert_int_equal(doc_style_of(sub), DOC_SINGLE_QUOTED);
    doc_node *iff = doc_get(r, "if");
    assert_int_equal(doc_kind_of(iff), DOC_SEQ);
    assert_string_equal(doc_tag(iff), "!If");
    assert_int_equal(doc_len(iff), 3);
    doc_node *tr = doc_get(r, "tr");
    assert_int_equal(doc_kind_of(tr), DOC_MAP);
    assert_string_equal(doc_tag(tr), "!Transform");
    assert_true(doc_text_eq(doc_get(tr, "Name"), "AWS::Include"));
    assert_string_equal(doc_tag(doc_get(r, "azs")), "!GetAZs");
    doc_node *s = doc_get(r, "s");
    assert_string_equal(doc_tag(s), "tag:yaml.org,2002:str");
    assert_int_equal(doc_type_of(s), DOC_STR);
    int64_t i = 0;
    assert_true(doc_int(doc_get(r, "i"), &i));
    assert_int_equal(i, 12);
    assert_string_equal(doc_tag(doc_get(r, "i")), "tag:yaml.org,2002:int");
    bool b = false;
    assert_true(doc_bool(doc_get(r, "b"), &b));
    assert_true(b);
    assert_int_equal(doc_type_of(doc_get(r, "fl")), DOC_FLOAT);
    double d = 0;
    assert_true(doc_float(doc_get(r, "fl"), &d));
    assert_true(d == 1.0);
    assert_int_equal(doc_type_of(doc_get(r, "nu")), DOC_NULL);
    assert_string_equal(doc_tag(doc_get(r, "seq")), "tag:yaml.org,2002:seq");
    doc_node *join = doc_get(r, "nested");
    assert_string_equal(doc_tag(join), "!Join");
    doc_node *parts = doc_seq_at(join, 1);
    assert_null(doc_tag(parts));
    assert_string_equal(doc_tag(doc_seq_at(parts, 0)), "!Ref");
    assert_string_equal(doc_tag(doc_seq_at(parts, 1)), "!GetAtt");
    assert_true(doc_text_eq(doc_seq_at(parts, 1), "B.Arn"));
    assert_null(doc_tag(doc_get(r, "plain")));
    fx_free(&f);
}

static void test_tag_mismatch_warns(void **state)
{
    (void)state;
    fx f;
    assert_int_equal(parse(&f, "a: !!int abc\n"), 1);
    doc_node *v = doc_get(f.docs[0], "a");
    assert_int_equal(doc_type_of(v), DOC_STR);
    assert_string_equal(doc_tag(v), "tag:yaml.org,2002:int");
    assert_int_equal(diags_count(f.d), 1);
    const bh_diag *g = diags_get(f.d, 0);
    assert_int_equal(g->level, DIAG_WARNING);
    assert_string_equal(g->message, "invalid !!int value \"abc\"");
    assert_int_equal(g->pos.line, 1);
    assert_int_equal(g->pos.col, 4);
    fx_free(&f);
}

/* ---- anchors and aliases ------------------------------------------------ */

static void test_anchors_aliases(void **state)
{
    (void)state;
    fx f;
    doc_node *r = parse1(&f, "base: &b {cpu: 1}\nuse: *b\nname: &n web\nalso: *n\n"
                             "list: [*b, *n]\nn2: &n other\nlast: *n\n");
    doc_node *base = doc_get(r, "base");
    assert_int_equal(doc_kind_of(base), DOC_MAP);
    assert_ptr_equal(doc_get(r, "use"), base);
    assert_ptr_equal(doc_get(r, "also"), doc_get(r, "name"));
    doc_node *list = doc_get(r, "list");
    assert_ptr_equal(doc_seq_at(list, 0), base);
    assert_ptr_equal(doc_seq_at(list, 1), doc_get(r, "name"));
    /* a redefined anchor applies from there on */
    assert_ptr_equal(doc_get(r, "last"), doc_get(r, "n2"));
    assert_true(doc_text_eq(doc_get(r, "last"), "other"));
    /* the alias is the anchored node, with the anchored node's span */
    assert_span(&f, doc_get(r, "use"), 6, 17, 1, 7);
    fx_free(&f);
}

static void test_unknown_alias(void **state)
{
    (void)state;
    fx f;
    parse(&f, "a: 1\nb: *nope\n");
    assert_one_error(&f, "unknown alias \"nope\"", 2, 4);
    fx_free(&f);
    /* anchors do not cross documents */
    parse(&f, "a: &x 1\n---\nb: *x\n");
    assert_one_error(&f, "unknown alias \"x\"", 3, 4);
    fx_free(&f);
    /* a collection cannot contain itself */
    parse(&f, "a: &x [1, *x]\n");
    assert_one_error(&f, "alias \"x\" refers to a collection that contains it", 1, 11);
    fx_free(&f);
}

static void test_billion_laughs(void **state)
{
    (void)state;
    const char *bomb =
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
        "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
        "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
        "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
        "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
        "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
        "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
        "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
    fx f;
    parse(&f, bomb);
    const bh_diag *g = assert_one_error(&f, "alias expansion exceeds the limit of 1000000 nodes",
                                        7, 0 + 8);
    (void)g;
    fx_free(&f);
    /* the same through merge keys */
    const char *merges =
        "a: &a {a0: 0, a1: 1, a2: 2, a3: 3, a4: 4, a5: 5, a6: 6, a7: 7}\n"
        "b: &b {<<: [*a], b0: *a, b1: *a, b2: *a, b3: *a, b4: *a, b5: *a, b6: *a}\n"
        "c: &c {<<: [*b], c0: *b, c1: *b, c2: *b, c3: *b, c4: *b, c5: *b, c6: *b}\n"
        "d: &d {<<: [*c], d0: *c, d1: *c, d2: *c, d3: *c, d4: *c, d5: *c, d6: *c}\n"
        "e: &e {<<: [*d], e0: *d, e1: *d, e2: *d, e3: *d, e4: *d, e5: *d, e6: *d}\n"
        "f: &f {<<: [*e], f0: *e, f1: *e, f2: *e, f3: *e, f4: *e, f5: *e, f6: *e}\n"
        "g: &g {<<: [*f], g0: *f, g1: *f, g2: *f, g3: *f, g4: *f, g5: *f, g6: *f}\n"
        "h: &h {<<: [*g], h0: *g, h1: *g, h2: *g, h3: *g, h4: *g, h5: *g, h6: *g}\n";
    parse(&f, merges);
    assert_int_equal(f.n, -1);
    assert_non_null(strstr(diags_get(f.d, 0)->message, "alias expansion exceeds the limit"));
    fx_free(&f);
    /* a small budget counts merged pairs and alias uses */
    bhyaml_limits lim = bhyaml_default_limits();
    lim.max_alias_nodes = 10;
    const char *small = "a: &a {x: 1, y: 2}\nb: {<<: *a}\nc: *a\n";
    /* *a costs 5 nodes, the merge copies 4 (ok: 9), the second *a 5 more */
    parse_len(&f, small, strlen(small), &lim);
    assert_one_error(&f, "alias expansion exceeds the limit of 10 nodes", 3, 4);
    fx_free(&f);
    lim.max_alias_nodes = 14;
    assert_int_equal(parse_len(&f, small, strlen(small), &lim), 1);
    fx_free(&f);
}

/* ---- merge keys --------------------------------------------------------- */

static void test_merge_single(void **state)
{
    (void)state;
    fx f;
    doc_node *r = parse1(&f, "base: &b\n  cpu: 1\n  mem: 2\nsvc:\n  name: web\n  <<: *b\n"
                             "  mem: 9\n");
    doc_node *svc = doc_get(r, "svc");
    assert_int_equal(doc_len(svc), 3);
    /* explicit keys in order, then merged ones not already present */
    assert_true(doc_text_eq(doc_map_key(svc, 0), "name"));
    assert_true(doc_text_eq(doc_map_key(svc, 1), "mem"));
    assert_true(doc_text_eq(doc_map_key(svc, 2), "cpu"));
    int64_t i = 0;
    assert_true(doc_int(doc_get(svc, "mem"), &i));
    assert_int_equal(i, 9);                                 /* explicit (after <<) wins */
    /* merged pairs are the anchored nodes themselves */
    doc_node *base = doc_get(r, "base");
    assert_ptr_equal(doc_get(svc, "cpu"), doc_get(base, "cpu"));
    assert_ptr_equal(doc_map_key(svc, 2), doc_map_key(base, 0));
    assert_int_equal(doc_len(base), 2);                     /* the source is untouched */
    fx_free(&f);
}

static void test_merge_list_and_order(void **state)
{
    (void)state;
    fx f;
    doc_node *r = parse1(&f, "one: &one {a: 1, b: 1}\ntwo: &two {b: 2, c: 2}\n"
                             "m:\n  a: 0\n  <<: [*one, *two]\n  d: 0\n");
    doc_node *m = doc_get(r, "m");
    assert_int_equal(doc_len(m), 4);
    const char *order[] = {"a", "d", "b", "c"};
    const int64_t want[] = {0, 0, 1, 2};
    for (size_t k = 0; k < 4; k++) {
        assert_true(doc_text_eq(doc_map_key(m, k), order[k]));
        int64_t i = -1;
        assert_true(doc_int(doc_map_val(m, k), &i));
        assert_int_equal(i, want[k]);  /* explicit a wins (before <<), earlier map's b wins */
    }
    assert_int_equal(diags_count(f.d), 0);                 /* merges are not duplicates */
    fx_free(&f);
}

static void test_merge_forms(void **state)
{
    (void)state;
    fx f;
    /* an inline mapping, two << keys (earlier wins), the !!merge tag, and a
     * quoted "<<" that is an ordinary key */
    doc_node *r = parse1(&f, "m: {<<: {x: 1}, <<: {x: 2, y: 2}, \"<<\": q}\n"
                             "t: {!!merge <<: {z: 3}}\n");
    doc_node *m = doc_get(r, "m");
    assert_int_equal(doc_len(m), 3);
    assert_true(doc_text_eq(doc_map_key(m, 0), "<<"));
    assert_true(doc_text_eq(doc_map_val(m, 0), "q"));
    int64_t i = 0;
    assert_true(doc_int(doc_get(m, "x"), &i));
    assert_int_equal(i, 1);
    assert_true(doc_int(doc_get(m, "y"), &i));
    assert_int_equal(i, 2);
    doc_node *t = doc_get(r, "t");
    assert_int_equal(doc_len(t), 1);
    assert_true(doc_int(doc_get(t, "z"), &i));
    assert_int_equal(i, 3);
    fx_free(&f);
}

static void test_merge_errors(void **state)
{
    (void)state;
    fx f;
    parse(&f, "a:\n  <<: scalar\n");
    assert_one_error(&f, "merge key value must be a mapping or a sequence of mappings", 2, 7);
    fx_free(&f);
    parse(&f, "a: &a [1]\nb:\n  <<: [*a]\n");
    assert_one_error(&f, "merge key sequence item is not a mapping", 1, 4);
    fx_free(&f);
    parse(&f, "b:\n  <<: [{x: 1}, 3]\n");
    assert_one_error(&f, "merge key sequence item is not a mapping", 2, 16);
    fx_free(&f);
}

/* ---- duplicate keys ----------------------------------------------------- */

static void test_duplicate_keys(void **state)
{
    (void)state;
    fx f;
    assert_int_equal(parse(&f, "name: a\nimage: x\nname: b\nname: c\n"), 1);
    doc_node *r = f.docs[0];
    assert_int_equal(doc_len(r), 2);                        /* one pair per key */
    assert_true(doc_text_eq(doc_get(r, "name"), "c"));      /* the last wins */
    assert_true(doc_text_eq(doc_map_key(r, 0), "name"));    /* at the first place */
    assert_span(&f, doc_map_key(r, 0), 0, 4, 1, 1);
    assert_span(&f, doc_map_val(r, 0), 31, 32, 4, 7);
    assert_int_equal(diags_count(f.d), 2);
    for (size_t k = 0; k < 2; k++) {
        const bh_diag *g = diags_get(f.d, k);
        assert_int_equal(g->level, DIAG_WARNING);
        assert_string_equal(g->message, "duplicate key \"name\"");
        assert_int_equal(g->pos.line, 3 + k);
        assert_int_equal(g->pos.col, 1);
        assert_non_null(g->ctx_file);
        assert_string_equal(g->ctx_note, "first defined here");
        assert_int_equal(g->ctx_pos.line, 1);
        assert_int_equal(g->ctx_pos.col, 1);
    }
    fx_free(&f);
}

/* A mapping large enough for the hash set: duplicates found, order kept. */
static void test_duplicate_keys_large(void **state)
{
    (void)state;
    char text[4096];
    size_t len = 0;
    for (int i = 0; i < 100; i++)
        len += (size_t)snprintf(text + len, sizeof text - len, "k%d: %d\n", i, i);
    len += (size_t)snprintf(text + len, sizeof text - len, "k42: last\nk99: end\n");
    fx f;
    assert_int_equal(parse_len(&f, text, len, NULL), 1);
    doc_node *r = f.docs[0];
    assert_int_equal(doc_len(r), 100);
    assert_true(doc_text_eq(doc_map_key(r, 42), "k42"));
    assert_true(doc_text_eq(doc_map_val(r, 42), "last"));
    assert_true(doc_text_eq(doc_map_val(r, 99), "end"));
    assert_int_equal(diags_count_level(f.d, DIAG_WARNING), 2);
    assert_int_equal(diags_get(f.d, 0)->pos.line, 101);
    assert_int_equal(diags_get(f.d, 0)->ctx_pos.line, 43);
    assert_string_equal(diags_get(f.d, 1)->message, "duplicate key \"k99\"");
    fx_free(&f);
}

/* ---- limits and errors -------------------------------------------------- */

static void test_depth_limit(void **state)
{
    (void)state;
    enum { N = 100000 };
    char *text = malloc(N + 1);
    assert_non_null(text);
    memset(text, '[', N);
    fx f;
    parse_len(&f, text, N, NULL);
    assert_one_error(&f, "nesting deeper than 512 levels", 1, 513);
    fx_free(&f);
    /* exactly the limit is fine */
    memset(text, ']', 1024);
    memset(text, '[', 512);
    assert_int_equal(parse_len(&f, text, 1024, NULL), 1);
    assert_int_equal(diags_count(f.d), 0);
    fx_free(&f);
    /* block collections count too */
    bhyaml_limits lim = bhyaml_default_limits();
    lim.max_depth = 2;
    const char *ok = "a:\n  b: [1]\n";
    assert_int_equal(parse_len(&f, ok, strlen(ok), &lim), -1);
    assert_one_error(&f, "nesting deeper than 2 levels", 2, 6);
    fx_free(&f);
    lim.max_depth = 3;
    assert_int_equal(parse_len(&f, ok, strlen(ok), &lim), 1);
    fx_free(&f);
    free(text);
}

static void test_syntax_errors(void **state)
{
    (void)state;
    fx f;
    parse(&f, "a: b: c\n");
    assert_one_error(&f, "mapping values are not allowed in this context", 1, 5);
    fx_free(&f);

    parse(&f, "x: 1\nlist:\n  - [b, c\n");
    const bh_diag *g = assert_one_error(&f, "did not find expected ',' or ']'", 4, 1);
    assert_non_null(g->ctx_file);
    assert_string_equal(g->ctx_note, "flow sequence started here");
    assert_int_equal(g->ctx_pos.line, 3);
    assert_int_equal(g->ctx_pos.col, 5);
    fx_free(&f);

    parse(&f, "a: ok\nb: \"unterminated\nc: 1\n");
    g = assert_one_error(&f, "found unexpected end of stream", 4, 1);
    assert_string_equal(g->ctx_note, "quoted scalar started here");
    assert_int_equal(g->ctx_pos.line, 2);
    assert_int_equal(g->ctx_pos.col, 4);
    fx_free(&f);

    /* bad indentation in a block mapping, after multi-byte text */
    parse(&f, "é: 1\n  ü: 2\n b: 3\n");
    assert_int_equal(f.n, -1);
    g = diags_get(f.d, 0);
    assert_int_equal(g->level, DIAG_ERROR);
    assert_int_equal(g->pos.line, 2);
    assert_int_equal(g->pos.col, 4);
    fx_free(&f);

    /* truncated input */
    parse(&f, "a: [1, {b: ");
    assert_int_equal(f.n, -1);
    assert_int_equal(diags_count_level(f.d, DIAG_ERROR), 1);
    fx_free(&f);
}

/* ---- awkward bytes ------------------------------------------------------ */

static void test_bom(void **state)
{
    (void)state;
    fx f;
    doc_node *r = parse1(&f, "\xEF\xBB\xBF" "a: 1\nb: é\n");
    assert_int_equal(doc_span(key_node(r, "a")).start, 3);
    assert_int_equal(doc_span(doc_get(r, "a")).start, 6);
    assert_span(&f, key_node(r, "b"), 8, 9, 2, 1);
    assert_span(&f, doc_get(r, "b"), 11, 13, 2, 4);
    fx_free(&f);
    r = parse1(&f, "\xEF\xBB\xBF---\nx: y\n");
    assert_span(&f, doc_get(r, "x"), 10, 11, 2, 4);
    fx_free(&f);
    parse(&f, "\xFF\xFEx\0:\0 \0");
    assert_one_error(&f, "utf-16 input is not supported", 1, 1);
    fx_free(&f);
}

static void test_crlf(void **state)
{
    (void)state;
    fx f;
    doc_node *r = parse1(&f, "a: 1\r\nb:\r\n  c: \"x\"\r\n");
    assert_span(&f, key_node(r, "b"), 6, 7, 2, 1);
    doc_node *b = doc_get(r, "b");
    assert_span(&f, key_node(b, "c"), 12, 13, 3, 3);
    assert_span(&f, doc_get(b, "c"), 15, 18, 3, 6);
    fx_free(&f);
}

static void test_nul_and_invalid_utf8(void **state)
{
    (void)state;
    fx f;
    static const char nul[] = "a: 1\n\0b: 2\n";
    parse_len(&f, nul, sizeof nul - 1, NULL);
    assert_one_error(&f, "control characters are not allowed", 2, 1);
    fx_free(&f);
    parse(&f, "a: ok\nb: \xFF\xFE\n");
    assert_one_error(&f, "invalid leading UTF-8 octet", 2, 4);
    fx_free(&f);
    parse(&f, "a: \xC3");                             /* truncated sequence */
    assert_int_equal(f.n, -1);
    assert_int_equal(diags_count_level(f.d, DIAG_ERROR), 1);
    fx_free(&f);
}

static void test_huge_scalar(void **state)
{
    (void)state;
    enum { N = 2 * 1024 * 1024 };
    char *text = malloc(N + 16);
    assert_non_null(text);
    memcpy(text, "k: \"", 4);
    memset(text + 4, 'x', N);
    memcpy(text + 4 + N, "\"\nz: 1\n", 7);
    fx f;
    assert_int_equal(parse_len(&f, text, N + 11, NULL), 1);
    doc_node *v = doc_get(f.docs[0], "k");
    assert_int_equal(doc_text_len(v), N);
    assert_span(&f, v, 3, N + 5, 1, 4);
    assert_span(&f, key_node(f.docs[0], "z"), N + 6, N + 7, 2, 1);
    fx_free(&f);
    free(text);
}

/* Allocation failure anywhere: -1 with an error, never a crash. */
static void test_out_of_memory(void **state)
{
    (void)state;
    static const char yaml[] = "a: &a {x: 1, y: [1, 2, !Ref q]}\nb:\n  <<: *a\n  y: 2\n"
                               "c: [é, 'q']\n---\nd: 1\n";
    bool completed = false;
    for (unsigned long n = 1; n < 500 && !completed; n++) {
        fx f;
        f.src = source_new("oom.yaml", yaml, sizeof yaml - 1);
        f.a = arena_new();
        f.d = diags_new();
        arena_set_fail_after(n);
        f.n = bhyaml_parse(f.src, f.a, NULL, &f.docs, f.d);
        arena_set_fail_after(0);
        if (f.n >= 0) {
            completed = true;
            assert_int_equal(f.n, 2);
            assert_int_equal(doc_len(doc_get(f.docs[0], "b")), 2);
        } else {
            assert_int_equal(diags_count_level(f.d, DIAG_ERROR), 1);
            assert_non_null(strstr(diags_get(f.d, 0)->message, "out of memory"));
        }
        fx_free(&f);
    }
    assert_true(completed);
}

static void test_parse_range_keeps_whole_source_offsets(void **state)
{
    (void)state;
    const char *text = "k\xc3\xa9: 1\n---\nname: web\n";
    bh_source *src = source_new("s.yaml", text, strlen(text));
    bh_arena *a = arena_new();
    bh_diags *d = diags_new();
    doc_node **docs;
    uint32_t start = (uint32_t)(strstr(text, "---") - text);
    long n = bhyaml_parse_range(src, start, (uint32_t)strlen(text), a, NULL, &docs, d);
    assert_int_equal(n, 1);
    doc_node *v = doc_get(docs[0], "name");
    assert_true(doc_text_eq(v, "web"));
    bh_pos p = source_pos(src, doc_span(v).start);
    assert_int_equal(p.line, 3);
    assert_int_equal(p.col, 7);
    assert_int_equal(doc_span(v).start, start + 4 + 6);
    assert_int_equal(diags_count(d), 0);
    diags_free(d);
    arena_free(a);
    source_free(src);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_range_keeps_whole_source_offsets),
        cmocka_unit_test(test_positions_ascii),
        cmocka_unit_test(test_positions_utf8),
        cmocka_unit_test(test_positions_utf8_long),
        cmocka_unit_test(test_multi_document),
        cmocka_unit_test(test_empty_input),
        cmocka_unit_test(test_document_limit),
        cmocka_unit_test(test_plain_vs_quoted),
        cmocka_unit_test(test_yaml11_numbers),
        cmocka_unit_test(test_null_forms),
        cmocka_unit_test(test_tags),
        cmocka_unit_test(test_tag_mismatch_warns),
        cmocka_unit_test(test_anchors_aliases),
        cmocka_unit_test(test_unknown_alias),
        cmocka_unit_test(test_billion_laughs),
        cmocka_unit_test(test_merge_single),
        cmocka_unit_test(test_merge_list_and_order),
        cmocka_unit_test(test_merge_forms),
        cmocka_unit_test(test_merge_errors),
        cmocka_unit_test(test_duplicate_keys),
        cmocka_unit_test(test_duplicate_keys_large),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_bom),
        cmocka_unit_test(test_crlf),
        cmocka_unit_test(test_nul_and_invalid_utf8),
        cmocka_unit_test(test_huge_scalar),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

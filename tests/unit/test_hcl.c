/* Unit tests: hcl.c (HCL2 native syntax parser). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "hcl.h"
#include "source.h"

#ifndef BH_SOURCE_DIR
#define BH_SOURCE_DIR "."
#endif

/* S-expression rendering of an expression, for compact assertions. */
typedef struct sbuf { char *s; size_t n, cap; } sbuf;

static void sb_put(sbuf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->n + n + 1)
            cap *= 2;
        b->s = realloc(b->s, cap);
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}
static void sb_str(sbuf *b, const char *s) { sb_put(b, s, strlen(s)); }

static void sb_quoted(sbuf *b, const char *s, size_t n)
{
    sb_str(b, "\"");
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\')
            sb_str(b, "\\\\");
        else if (s[i] == '\r')
            sb_str(b, "\\r");
        else if (s[i] == '\n')
            sb_str(b, "\\n");
        else if (s[i] == '"')
            sb_str(b, "\\\"");
        else if (s[i] == '\t')
            sb_str(b, "\\t");
        else if (s[i] == '\0')
            sb_str(b, "\\0");
        else
            sb_put(b, s + i, 1);
    }
    sb_str(b, "\"");
}

static void dump(sbuf *b, const hcl_expr *e)
{
    if (!e) {
        sb_str(b, "nil");
        return;
    }
    switch (e->kind) {
    case HCL_E_NUMBER: sb_str(b, e->u.number.text); break;
    case HCL_E_BOOL: sb_str(b, e->u.boolean ? "true" : "false"); break;
    case HCL_E_NULL: sb_str(b, "null"); break;
    case HCL_E_STRING: sb_quoted(b, e->u.str.text, e->u.str.len); break;
    case HCL_E_TEMPLATE:
        sb_str(b, "(tmpl");
        for (size_t i = 0; i < e->u.tmpl.n; i++) {
            sb_str(b, " ");
            dump(b, e->u.tmpl.parts[i]);
        }
        sb_str(b, ")");
        break;
    case HCL_E_TMPL_IF:
        sb_str(b, "(%if ");
        dump(b, e->u.tif.cond);
        sb_str(b, " ");
        dump(b, e->u.tif.then_);
        sb_str(b, " ");
        dump(b, e->u.tif.else_);
        sb_str(b, ")");
        break;
    case HCL_E_TMPL_FOR:
        sb_str(b, "(%for ");
        sb_str(b, e->u.tfor.key ? e->u.tfor.key : "_");
        sb_str(b, " ");
        sb_str(b, e->u.tfor.val);
        sb_str(b, " ");
        dump(b, e->u.tfor.coll);
        sb_str(b, " ");
        dump(b, e->u.tfor.body);
        sb_str(b, ")");
        break;
    case HCL_E_TUPLE:
        sb_str(b, "[");
        for (size_t i = 0; i < e->u.tuple.n; i++) {
            if (i)
                sb_str(b, " ");
            dump(b, e->u.tuple.items[i]);
        }
        sb_str(b, "]");
        break;
    case HCL_E_OBJECT:
        sb_str(b, "{");
        for (size_t i = 0; i < e->u.object.n; i++) {
            if (i)
                sb_str(b, " ");
            const hcl_expr *k = e->u.object.items[i].key;
            if (k->kind == HCL_E_STRING && k->u.str.info.style == HCL_STR_BARE)
                sb_str(b, k->u.str.text);
            else
                dump(b, k);
            sb_str(b, e->u.object.items[i].colon ? ":" : "=");
            dump(b, e->u.object.items[i].value);
        }
        sb_str(b, "}");
        break;
    case HCL_E_VAR: sb_str(b, e->u.var.name); break;
    case HCL_E_ATTR:
        sb_str(b, "(. ");
        dump(b, e->u.attr.obj);
        sb_str(b, " ");
        sb_str(b, e->u.attr.name);
        sb_str(b, ")");
        break;
    case HCL_E_INDEX:
        sb_str(b, e->u.index.legacy ? "(.idx " : "(idx ");
        dump(b, e->u.index.coll);
        sb_str(b, " ");
        dump(b, e->u.index.key);
        sb_str(b, ")");
        break;
    case HCL_E_SPLAT:
        sb_str(b, e->u.splat.attr_only ? "(.* " : "([*] ");
        dump(b, e->u.splat.source);
        sb_str(b, " ");
        dump(b, e->u.splat.each);
        sb_str(b, ")");
        break;
    case HCL_E_SPLAT_ITEM: sb_str(b, "@"); break;
    case HCL_E_CALL:
        sb_str(b, "(call ");
        sb_str(b, e->u.call.name);
        for (size_t i = 0; i < e->u.call.n; i++) {
            sb_str(b, " ");
            dump(b, e->u.call.args[i]);
        }
        if (e->u.call.expand)
            sb_str(b, " ...");
        sb_str(b, ")");
        break;
    case HCL_E_COND:
        sb_str(b, "(? ");
        dump(b, e->u.cond.cond);
        sb_str(b, " ");
        dump(b, e->u.cond.then_);
        sb_str(b, " ");
        dump(b, e->u.cond.else_);
        sb_str(b, ")");
        break;
    case HCL_E_UNARY:
        sb_str(b, "(");
        sb_str(b, hcl_op_symbol(e->u.unary.op));
        sb_str(b, " ");
        dump(b, e->u.unary.operand);
        sb_str(b, ")");
        break;
    case HCL_E_BINARY:
        sb_str(b, "(");
        sb_str(b, hcl_op_symbol(e->u.binary.op));
        sb_str(b, " ");
        dump(b, e->u.binary.lhs);
        sb_str(b, " ");
        dump(b, e->u.binary.rhs);
        sb_str(b, ")");
        break;
    case HCL_E_PAREN:
        sb_str(b, "(paren ");
        dump(b, e->u.paren.inner);
        sb_str(b, ")");
        break;
    case HCL_E_FOR:
        sb_str(b, e->u.forx.object ? "{for " : "[for ");
        sb_str(b, e->u.forx.key ? e->u.forx.key : "_");
        sb_str(b, " ");
        sb_str(b, e->u.forx.val);
        sb_str(b, " ");
        dump(b, e->u.forx.coll);
        sb_str(b, " : ");
        if (e->u.forx.object) {
            dump(b, e->u.forx.key_expr);
            sb_str(b, " => ");
        }
        dump(b, e->u.forx.val_expr);
        if (e->u.forx.group)
            sb_str(b, "...");
        if (e->u.forx.cond) {
            sb_str(b, " if ");
            dump(b, e->u.forx.cond);
        }
        sb_str(b, e->u.forx.object ? "}" : "]");
        break;
    }
}

/* ---- helpers ---------------------------------------------------------- */

/* One parse: the source, its arena and diagnostics, freed by done(). */
typedef struct fx {
    bh_source *src;
    bh_arena *a;
    bh_diags *d;
} fx;

static fx start(const char *text, size_t len)
{
    fx f;
    f.src = source_new("t.tf", text, len);
    f.a = arena_new();
    f.d = diags_new();
    assert_non_null(f.src);
    assert_non_null(f.a);
    assert_non_null(f.d);
    return f;
}

static void done(fx *f)
{
    diags_free(f->d);
    arena_free(f->a);
    source_free(f->src);
}

static hcl_file *parse_ok(fx *f, const char *text)
{
    *f = start(text, strlen(text));
    hcl_file *file = hcl_parse(f->src, f->a, NULL, f->d);
    if (!file) {
        const bh_diag *g = diags_get(f->d, 0);
        print_error("unexpected error %u:%u: %s\n", g->pos.line, g->pos.col, g->message);
    }
    assert_non_null(file);
    assert_int_equal(diags_count(f->d), 0);
    return file;
}

/* The S-expression of text parsed as one expression. */
static void check_expr(const char *text, const char *want)
{
    fx f = start(text, strlen(text));
    hcl_expr *e = hcl_parse_expr(f.src, f.a, NULL, f.d);
    if (!e) {
        const bh_diag *g = diags_get(f.d, 0);
        print_error("%s: unexpected error %u:%u: %s\n", text, g->pos.line, g->pos.col, g->message);
    }
    assert_non_null(e);
    sbuf b = {0};
    dump(&b, e);
    if (strcmp(b.s, want) != 0)
        print_error("input: %s\n  got: %s\n want: %s\n", text, b.s, want);
    assert_string_equal(b.s, want);
    free(b.s);
    done(&f);
}

/* The expression of the only attribute "x" of a body (newline sensitive). */
static void check_attr(const char *text, const char *want)
{
    fx f;
    hcl_file *file = parse_ok(&f, text);
    const hcl_item *it = hcl_body_attr(file->body, "x");
    assert_non_null(it);
    sbuf b = {0};
    dump(&b, it->expr);
    if (strcmp(b.s, want) != 0)
        print_error("input: %s\n  got: %s\n want: %s\n", text, b.s, want);
    assert_string_equal(b.s, want);
    free(b.s);
    done(&f);
}

/* Parsing fails with one error at line:col whose message contains msg;
 * ctx_line 0: no context expected. */
static void check_error_ctx(const char *text, size_t len, unsigned line, unsigned col,
                            const char *msg, unsigned ctx_line, unsigned ctx_col)
{
    fx f = start(text, len);
    hcl_file *file = hcl_parse(f.src, f.a, NULL, f.d);
    assert_null(file);
    assert_int_equal(diags_count(f.d), 1);
    const bh_diag *g = diags_get(f.d, 0);
    assert_int_equal(g->level, DIAG_ERROR);
    if (!strstr(g->message, msg) || g->pos.line != line || g->pos.col != col)
        print_error("input: %s\n  got: %u:%u: %s\n want: %u:%u: ...%s...\n", text, g->pos.line,
                    g->pos.col, g->message, line, col, msg);
    assert_non_null(strstr(g->message, msg));
    assert_int_equal(g->pos.line, line);
    assert_int_equal(g->pos.col, col);
    assert_string_equal(g->file, "t.tf");
    if (ctx_line) {
        assert_non_null(g->ctx_note);
        assert_int_equal(g->ctx_pos.line, ctx_line);
        assert_int_equal(g->ctx_pos.col, ctx_col);
    }
    done(&f);
}

static void check_error(const char *text, unsigned line, unsigned col, const char *msg)
{
    check_error_ctx(text, strlen(text), line, col, msg, 0, 0);
}

static bh_pos pos(const fx *f, uint32_t off) { return source_pos(f->src, off); }

static void assert_at(const fx *f, bh_span sp, unsigned l1, unsigned c1, unsigned l2, unsigned c2)
{
    bh_pos a = pos(f, sp.start), b = pos(f, sp.end);
    if (a.line != l1 || a.col != c1 || b.line != l2 || b.col != c2)
        print_error("span %u:%u-%u:%u, want %u:%u-%u:%u\n", a.line, a.col, b.line, b.col, l1, c1,
                    l2, c2);
    assert_int_equal(a.line, l1);
    assert_int_equal(a.col, c1);
    assert_int_equal(b.line, l2);
    assert_int_equal(b.col, c2);
}

static const char *span_text(const fx *f, bh_span sp, char *buf, size_t cap)
{
    size_t n = sp.end - sp.start;
    if (n >= cap)
        n = cap - 1;
    memcpy(buf, source_data(f->src) + sp.start, n);
    buf[n] = '\0';
    return buf;
}

/* ---- bodies ----------------------------------------------------------- */

static void test_body_items_and_spans(void **state)
{
    (void)state;
    fx f;
    hcl_file *file = parse_ok(&f,
        "region = \"eu-west-1\"\n"
        "\n"
        "resource \"aws_ecs_task_definition\" app {\n"
        "  family = \"web\"\n"
        "  nested {\n"
        "  }\n"
        "}\n"
        "empty {}\n"
        "one \"l\" { v = 1 }\n");
    const hcl_body *b = file->body;
    assert_int_equal(b->n, 4);

    const hcl_item *a = &b->items[0];
    assert_int_equal(a->kind, HCL_ATTRIBUTE);
    assert_string_equal(a->name, "region");
    assert_at(&f, a->name_span, 1, 1, 1, 7);
    assert_at(&f, a->expr->span, 1, 10, 1, 21);
    assert_at(&f, a->span, 1, 1, 1, 21);
    assert_int_equal(a->expr->kind, HCL_E_STRING);
    assert_string_equal(a->expr->u.str.text, "eu-west-1");
    assert_int_equal(a->expr->u.str.info.style, HCL_STR_QUOTED);
    assert_true(a->expr->u.str.info.verbatim);
    assert_at(&f, a->expr->u.str.info.content, 1, 11, 1, 20);

    const hcl_item *r = &b->items[1];
    assert_int_equal(r->kind, HCL_BLOCK);
    assert_string_equal(r->name, "resource");
    assert_int_equal(r->nlabels, 2);
    assert_string_equal(r->labels[0].text, "aws_ecs_task_definition");
    assert_true(r->labels[0].quoted);
    assert_at(&f, r->labels[0].span, 3, 10, 3, 35);
    assert_string_equal(r->labels[1].text, "app");
    assert_false(r->labels[1].quoted);
    assert_at(&f, r->labels[1].span, 3, 36, 3, 39);
    assert_at(&f, r->open, 3, 40, 3, 41);
    assert_at(&f, r->close, 7, 1, 7, 2);
    assert_at(&f, r->span, 3, 1, 7, 2);
    assert_int_equal(r->body->n, 2);
    assert_string_equal(hcl_body_attr(r->body, "family")->expr->u.str.text, "web");
    const hcl_item *nested = hcl_body_block(r->body, "nested", 0);
    assert_non_null(nested);
    assert_int_equal(nested->body->n, 0);
    assert_null(hcl_body_block(r->body, "nested", 1));
    assert_null(hcl_body_attr(r->body, "nope"));

    const hcl_item *e = &b->items[2];
    assert_int_equal(e->kind, HCL_BLOCK);
    assert_int_equal(e->body->n, 0);
    assert_at(&f, e->span, 8, 1, 8, 9);

    const hcl_item *one = &b->items[3];                 /* one-line block */
    assert_int_equal(one->body->n, 1);
    assert_string_equal(one->body->items[0].name, "v");
    assert_string_equal(one->body->items[0].expr->u.number.text, "1");
    done(&f);
}

static void test_newlines_crlf_bom_and_eof(void **state)
{
    (void)state;
    fx f;
    hcl_file *file = parse_ok(&f, "\xEF\xBB\xBF" "a = 1\r\nb {\r\n  c = \"x\"\r\n}\r\nd = 2");
    assert_int_equal(file->body->n, 3);
    assert_string_equal(hcl_body_attr(file->body, "d")->expr->u.number.text, "2");
    assert_at(&f, hcl_body_block(file->body, "b", 0)->body->items[0].name_span, 3, 3, 3, 4);
    done(&f);

    file = parse_ok(&f, "");
    assert_int_equal(file->body->n, 0);
    done(&f);
    file = parse_ok(&f, "\n\n# only a comment\n");
    assert_int_equal(file->body->n, 0);
    assert_int_equal(file->ncomments, 1);
    done(&f);
}

static void test_identifiers(void **state)
{
    (void)state;
    /* dashes belong to identifiers, as in HCL: a-b is one name */
    check_attr("x = a-b\n", "a-b");
    check_attr("x = a - b\n", "(- a b)");
    check_attr("x = for_each\n", "for_each");
    check_attr("x = caf\xc3\xa9\n", "caf\xc3\xa9");
    fx f;
    hcl_file *file = parse_ok(&f, "block-type label-1 { }\n");
    assert_string_equal(file->body->items[0].name, "block-type");
    assert_string_equal(file->body->items[0].labels[0].text, "label-1");
    done(&f);
}

/* ---- expressions ------------------------------------------------------ */

static void test_literals(void **state)
{
    (void)state;
    check_expr("42", "42");
    check_expr("1.5", "1.5");
    check_expr("1e10", "1e10");
    check_expr("2.5E-3", "2.5E-3");
    check_expr("-7", "-7");
    check_expr("true", "true");
    check_expr("false", "false");
    check_expr("null", "null");
    check_expr("\"\"", "\"\"");
    check_expr("\"plain\"", "\"plain\"");
    /* a number's text is kept; a negated literal folds into it */
    fx f = start("- 3", 3);
    hcl_expr *e = hcl_parse_expr(f.src, f.a, NULL, f.d);
    assert_int_equal(e->kind, HCL_E_NUMBER);
    assert_string_equal(e->u.number.text, "-3");
    assert_int_equal(e->span.start, 0);
    assert_int_equal(e->span.end, 3);
    done(&f);
}

static void test_string_escapes(void **state)
{
    (void)state;
    check_expr("\"a\\nb\\rc\\td\\\"e\\\\f\"", "\"a\\nb\\rc\\td\\\"e\\\\f\"");
    check_expr("\"\\u00e9\\U0001F600\"", "\"\xc3\xa9\xf0\x9f\x98\x80\"");
    check_expr("\"$${literal} %%{literal}\"", "\"${literal} %{literal}\"");
    check_expr("\"a $ b % c $\"", "\"a $ b % c $\"");
    check_expr("\"\\u0000x\"", "\"\\0x\"");
    /* a decoded string that differs from its source is not verbatim */
    fx f = start("\"a\\tb\"", 6);
    hcl_expr *e = hcl_parse_expr(f.src, f.a, NULL, f.d);
    assert_int_equal(e->kind, HCL_E_STRING);
    assert_int_equal(e->u.str.len, 3);
    assert_false(e->u.str.info.verbatim);
    assert_int_equal(e->u.str.info.content.start, 1);
    assert_int_equal(e->u.str.info.content.end, 5);
    done(&f);
}

static void test_precedence(void **state)
{
    (void)state;
    /* lowest to highest: || && (== !=) (< > <= >=) (+ -) (* / %) */
    check_expr("a || b && c", "(|| a (&& b c))");
    check_expr("a && b || c", "(|| (&& a b) c)");
    check_expr("a && b == c", "(&& a (== b c))");
    check_expr("a != b && c", "(&& (!= a b) c)");
    check_expr("a == b < c", "(== a (< b c))");
    check_expr("a > b != c", "(!= (> a b) c)");
    check_expr("a <= b + c", "(<= a (+ b c))");
    check_expr("a - b >= c", "(>= (- a b) c)");
    check_expr("a + b * c", "(+ a (* b c))");
    check_expr("a / b - c % d", "(- (/ a b) (% c d))");
    check_expr("a || b && c == d < e + f * g", "(|| a (&& b (== c (< d (+ e (* f g))))))");
    check_expr("a * b + c < d == e && f || g", "(|| (&& (== (< (+ (* a b) c) d) e) f) g)");
    /* left associative */
    check_expr("a - b - c", "(- (- a b) c)");
    check_expr("a / b * c", "(* (/ a b) c)");
    check_expr("a == b != c", "(!= (== a b) c)");
    /* unary binds tighter than binary, looser than traversals */
    check_expr("!a && b", "(&& (! a) b)");
    check_expr("-a * b", "(* (- a) b)");
    check_expr("-a.b[0]", "(- (idx (. a b) 0))");
    check_expr("!!a", "(! (! a))");
    check_expr("-46+5", "(+ -46 5)");
    /* parentheses */
    check_expr("(a + b) * c", "(* (paren (+ a b)) c)");
    /* conditional: lowest, right associative */
    check_expr("a || b ? c + 1 : d", "(? (|| a b) (+ c 1) d)");
    check_expr("a ? b : c ? d : e", "(? a b (? c d e))");
    check_expr("a ? b ? c : d : e", "(? a (? b c d) e)");
}

static void test_traversals_and_splats(void **state)
{
    (void)state;
    check_expr("var.a.b", "(. (. var a) b)");
    check_expr("a[0][\"k\"]", "(idx (idx a 0) \"k\")");
    check_expr("a[b.c + 1]", "(idx a (+ (. b c) 1))");
    /* legacy index */
    check_expr("a.0", "(.idx a 0)");
    check_expr("a.0.1.b", "(. (.idx (.idx a 0) 1) b)");
    check_expr("aws_instance.web.0.id", "(. (.idx (. aws_instance web) 0) id)");
    /* full splat takes the following steps */
    check_expr("a[*]", "([*] a nil)");
    check_expr("a[*].b", "([*] a (. @ b))");
    check_expr("a[*].b.c[0]", "([*] a (idx (. (. @ b) c) 0))");
    check_expr("a[ * ].b", "([*] a (. @ b))");
    /* attribute-only splat: only .name steps; an index applies to the result */
    check_expr("a.*.b", "(.* a (. @ b))");
    check_expr("a.*.b.c", "(.* a (. (. @ b) c))");
    check_expr("a.*.b[0]", "(idx (.* a (. @ b)) 0)");
    /* a second splat starts over from the first one's result */
    check_expr("a[*].b[*].c", "([*] ([*] a (. @ b)) (. @ c))");
    /* traversals apply to any term */
    check_expr("[1, 2][0]", "(idx [1 2] 0)");
    check_expr("f(x).y", "(. (call f x) y)");
    check_expr("(a).b", "(. (paren a) b)");
    check_expr("\"s\"[0]", "(idx \"s\" 0)");
    assert_string_equal(hcl_expr_kind_name(HCL_E_SPLAT), "splat");

    fx f = start("var.list[*].id", 14);
    hcl_expr *e = hcl_parse_expr(f.src, f.a, NULL, f.d);
    assert_int_equal(e->kind, HCL_E_SPLAT);
    assert_false(e->u.splat.attr_only);
    assert_int_equal(e->u.splat.item->kind, HCL_E_SPLAT_ITEM);
    assert_ptr_equal(e->u.splat.each->u.attr.obj, e->u.splat.item);
    assert_int_equal(e->span.start, 0);
    assert_int_equal(e->span.end, 14);
    assert_string_equal(hcl_traversal_root(e), "var");
    assert_string_equal(e->u.splat.each->u.attr.name, "id");
    done(&f);
}

static void test_calls(void **state)
{
    (void)state;
    check_expr("f()", "(call f)");
    check_expr("f(a, b)", "(call f a b)");
    check_expr("f(a, b,)", "(call f a b)");
    check_expr("f(\n  a,\n  b\n)", "(call f a b)");
    check_expr("concat(a, b...)", "(call concat a b ...)");
    check_expr("max(var.list...)", "(call max (. var list) ...)");
    check_expr("provider::aws::arn_parse(x)", "(call provider::aws::arn_parse x)");
    check_expr("jsonencode({ a = [1] })", "(call jsonencode {a=[1]})");

    fx f = start("lower( x )", 10);
    hcl_expr *e = hcl_parse_expr(f.src, f.a, NULL, f.d);
    assert_int_equal(e->kind, HCL_E_CALL);
    assert_false(e->u.call.expand);
    assert_int_equal(e->u.call.name_span.start, 0);
    assert_int_equal(e->u.call.name_span.end, 5);
    assert_int_equal(e->span.end, 10);
    assert_int_equal(e->u.call.args[0]->span.start, 7);
    done(&f);
}

static void test_collections(void **state)
{
    (void)state;
    check_expr("[]", "[]");
    check_expr("[1, \"a\", true,]", "[1 \"a\" true]");
    check_expr("[\n  1,\n  2\n]", "[1 2]");
    check_expr("{}", "{}");
    check_expr("{ a = 1, b = 2 }", "{a=1 b=2}");
    check_expr("{\n  a = 1\n  b = 2\n}", "{a=1 b=2}");
    check_expr("{\n  a = 1,\n  b = 2,\n}", "{a=1 b=2}");
    check_expr("{ \"a\": 1, \"b\": [2] }", "{\"a\":1 \"b\":[2]}");
    check_expr("{ (var.k) = 1 }", "{(paren (. var k))=1}");
    check_expr("{ \"${var.p}-x\" = 1 }", "{(tmpl (. var p) \"-x\")=1}");
    check_expr("{ a.b = 1 }", "{(. a b)=1}");
    check_expr("{ a = { b = { c = 1 } } }", "{a={b={c=1}}}");
    check_expr("{ a = (1 +\n 2) }", "{a=(paren (+ 1 2))}");

    fx f = start("{ key = 1 }", 11);
    hcl_expr *e = hcl_parse_expr(f.src, f.a, NULL, f.d);
    const hcl_obj_item *it = &e->u.object.items[0];
    assert_int_equal(it->key->kind, HCL_E_STRING);
    assert_int_equal(it->key->u.str.info.style, HCL_STR_BARE);
    assert_string_equal(it->key->u.str.text, "key");
    assert_int_equal(it->key->span.start, 2);
    assert_int_equal(it->key->span.end, 5);
    assert_false(it->colon);
    done(&f);
}

static void test_for_expressions(void **state)
{
    (void)state;
    check_expr("[for v in xs : v]", "[for _ v xs : v]");
    check_expr("[for i, v in xs : v * i if i > 0]", "[for i v xs : (* v i) if (> i 0)]");
    check_expr("{for k, v in m : k => v}", "{for k v m : k => v}");
    check_expr("{for v in xs : v.name => v...}", "{for _ v xs : (. v name) => v...}");
    check_expr("{for k, v in m : upper(k) => v... if v != null}",
               "{for k v m : (call upper k) => v... if (!= v null)}");
    check_expr("{\n  for k, v in m :\n  k => v\n  if v\n}", "{for k v m : k => v if v}");
    check_expr("[\n  for x in xs :\n  x\n]", "[for _ x xs : x]");
    check_expr("[for x in xs : x ? 1 : 2]", "[for _ x xs : (? x 1 2)]");
    check_expr("[for x in a ? b : c : x]", "[for _ x (? a b c) : x]");

    fx f = start("[for k, v in m : v]", 19);
    hcl_expr *e = hcl_parse_expr(f.src, f.a, NULL, f.d);
    assert_int_equal(e->kind, HCL_E_FOR);
    assert_false(e->u.forx.object);
    assert_int_equal(e->u.forx.key_span.start, 5);
    assert_int_equal(e->u.forx.val_span.start, 8);
    assert_int_equal(e->span.start, 0);
    assert_int_equal(e->span.end, 19);
    done(&f);
}

/* ---- templates -------------------------------------------------------- */

static void test_templates(void **state)
{
    (void)state;
    check_expr("\"a${b}c\"", "(tmpl \"a\" b \"c\")");
    check_expr("\"${x}\"", "(tmpl x)");
    check_expr("\"${ a + 1 }\"", "(tmpl (+ a 1))");
    check_expr("\"${\"inner ${x}\"}\"", "(tmpl (tmpl \"inner \" x))");
    check_expr("\"${f(\n  a\n)}\"", "(tmpl (call f a))");
    check_expr("\"a%{if c}b%{endif}d\"", "(tmpl \"a\" (%if c (tmpl \"b\") nil) \"d\")");
    check_expr("\"%{if c}b%{else}e%{endif}\"", "(tmpl (%if c (tmpl \"b\") (tmpl \"e\")))");
    check_expr("\"%{for x in xs}${x},%{endfor}\"", "(tmpl (%for _ x xs (tmpl x \",\")))");
    check_expr("\"%{for k, v in m}${k}%{endfor}\"", "(tmpl (%for k v m (tmpl k)))");
    check_expr("\"%{if a}%{if b}x%{endif}%{endif}\"", "(tmpl (%if a (tmpl (%if b (tmpl \"x\") nil)) nil))");
    /* strip markers */
    check_expr("\"a  ${~ b ~}  c\"", "(tmpl \"a\" b \"c\")");
    check_expr("\"a  ${b ~}  c\"", "(tmpl \"a  \" b \"c\")");
    check_expr("\"a  %{~ if x}y%{ endif ~}  c\"", "(tmpl \"a\" (%if x (tmpl \"y\") nil) \"c\")");
    check_expr("\"%{ if x ~} y %{~ endif }\"", "(tmpl (%if x (tmpl \"y\") nil))");
}

static void test_heredocs(void **state)
{
    (void)state;
    const char *text = "x = <<EOT\n  {\"a\": 1}\nEOT\ny = 2\n";
    fx f;
    hcl_file *file = parse_ok(&f, text);
    const hcl_expr *e = hcl_body_attr(file->body, "x")->expr;
    assert_int_equal(e->kind, HCL_E_STRING);
    assert_string_equal(e->u.str.text, "  {\"a\": 1}\n");
    assert_int_equal(e->u.str.info.style, HCL_STR_HEREDOC);
    assert_string_equal(e->u.str.info.delim, "EOT");
    assert_false(e->u.str.info.flush);
    assert_true(e->u.str.info.verbatim);
    assert_int_equal(e->u.str.info.content.start, 10);       /* the line after <<EOT */
    assert_at(&f, e->u.str.info.content, 2, 1, 3, 1);
    assert_at(&f, e->span, 1, 5, 3, 4);
    assert_string_equal(hcl_body_attr(file->body, "y")->expr->u.number.text, "2");
    done(&f);

    /* <<- removes the common indentation; blank lines do not count */
    text = "x = <<-EOT\n    [\n      1\n\n    ]\n    EOT\n";
    file = parse_ok(&f, text);
    e = hcl_body_attr(file->body, "x")->expr;
    assert_int_equal(e->kind, HCL_E_STRING);
    assert_string_equal(e->u.str.text, "[\n  1\n\n]\n");
    assert_true(e->u.str.info.flush);
    assert_false(e->u.str.info.verbatim);
    assert_at(&f, e->u.str.info.content, 2, 1, 6, 1);
    done(&f);

    /* interpolations: a template; an interpolation at a line start counts as no indentation */
    check_attr("x = <<-EOT\n    a ${b}\n      c\n    EOT\n", "(tmpl \"a \" b \"\\n  c\\n\")");
    check_attr("x = <<-EOT\n    a\n${b}\n    EOT\n", "(tmpl \"    a\\n\" b \"\\n\")");
    /* escapes other than $${ and %%{ are literal in heredocs */
    check_attr("x = <<EOT\na\\nb \"q\" $${x}\nEOT\n", "\"a\\\\nb \\\"q\\\" ${x}\\n\"");
    /* the closing marker may be indented; a longer word is not the marker */
    check_attr("x = <<EOT\nEOTX\n  EOT\n", "\"EOTX\\n\"");
    check_attr("x = <<EOT\nEOT\n", "\"\"");
    /* CRLF */
    check_attr("x = <<EOT\r\nab\r\nEOT\r\n", "\"ab\\r\\n\"");
    /* directives with strip markers, as used to build lists */
    check_attr("x = <<EOT\n%{ for v in xs ~}\n${v}\n%{ endfor ~}\nEOT\n",
               "(tmpl (%for _ v xs (tmpl v \"\\n\")))");
    /* as in HCL, a heredoc's strip marker only reaches to the line boundary
     * (each result below was checked against HashiCorp's parser) */
    check_attr("x = <<-EOT\n  %{~ if a ~}\n    yes\n  %{~ endif ~}\n  EOT\n",
               "(tmpl (%if a (tmpl \"    yes\\n\") nil))");
    check_attr("x = <<-EOT\n  %{ if a ~}\n    yes\n  %{ endif }\n  EOT\n",
               "(tmpl (%if a (tmpl \"    yes\\n\") nil) \"\\n\")");
    check_attr("x = <<-EOT\n  %{ if a }\n    yes\n  %{ endif }\n  EOT\n",
               "(tmpl (%if a (tmpl \"\\n  yes\\n\") nil) \"\\n\")");
    check_attr("x = <<-EOT\n\tA\n\t  B\n\tEOT\n", "\"A\\n  B\\n\"");
    check_attr("x = <<-EOT\n    a\n     \n    b\n    EOT\n", "\"a\\n     \\nb\\n\"");
    check_attr("x = <<-EOT\n    a ${x} \n  ${y}  b\n    EOT\n", "(tmpl \"  a \" x \" \\n\" y \"  b\\n\")");
    /* in a quoted string the marker takes all the whitespace, newlines too */
    check_attr("x = \"a\\n  ${~ b}\"\n", "(tmpl \"a\" b)");
    /* heredoc inside a call, followed by more arguments */
    check_attr("x = f(<<EOT\nhi\nEOT\n, 2)\n", "(call f \"hi\\n\" 2)");

    /* a heredoc with interpolation keeps its content span too */
    file = parse_ok(&f, "x = <<EOT\n{\"n\": \"${v}\"}\nEOT\n");
    e = hcl_body_attr(file->body, "x")->expr;
    assert_int_equal(e->kind, HCL_E_TEMPLATE);
    assert_int_equal(e->u.tmpl.info.style, HCL_STR_HEREDOC);
    assert_int_equal(e->u.tmpl.info.content.start, 10);
    assert_int_equal(e->u.tmpl.n, 3);
    assert_at(&f, e->u.tmpl.parts[1]->span, 2, 10, 2, 11);   /* v */
    done(&f);
}

static void test_parse_template_entry(void **state)
{
    (void)state;
    fx f = start("Hello ${name}!\n%{ for s in xs }- ${s}\n%{ endfor }", 49);
    hcl_expr *e = hcl_parse_template(f.src, f.a, NULL, f.d);
    assert_non_null(e);
    sbuf b = {0};
    dump(&b, e);
    assert_string_equal(b.s, "(tmpl \"Hello \" name \"!\\n\" (%for _ s xs (tmpl \"- \" s \"\\n\")))");
    free(b.s);
    done(&f);
    f = start("plain \"text\" \\n", 15);
    e = hcl_parse_template(f.src, f.a, NULL, f.d);
    assert_int_equal(e->kind, HCL_E_STRING);
    assert_string_equal(e->u.str.text, "plain \"text\" \\n");
    assert_true(e->u.str.info.verbatim);
    done(&f);
}

/* ---- comments --------------------------------------------------------- */

static void test_comments(void **state)
{
    (void)state;
    const char *text =
        "# file header\n"                                   /* 1 */
        "\n"                                                /* 2 */
        "# bulkhead:ignore ECS001 reason=\"x\"\n"           /* 3 */
        "// second line of the run\n"                       /* 4 */
        "resource \"a\" \"b\" { # on the header\n"          /* 5 */
        "  privileged = true # bulkhead:ignore P1\n"        /* 6 */
        "  /* block */\n"                                   /* 7 */
        "  other = 1\n"                                     /* 8 */
        "  x = 1 /* not above */ \n"                        /* 9 */
        "  y = 2\n"                                         /* 10 */
        "}\n"
        "/* multi\n   line */\n"
        "z = [1, # inside\n 2]\n";
    fx f;
    hcl_file *file = parse_ok(&f, text);
    assert_int_equal(file->ncomments, 9);
    char buf[80];
    assert_string_equal(span_text(&f, file->comments[0].span, buf, sizeof buf), "# file header");
    assert_int_equal(file->comments[0].len, 12);
    assert_memory_equal(file->comments[0].text, " file header", 12);

    const hcl_item *r = &file->body->items[0];
    size_t n;
    const hcl_comment *trail;
    const hcl_comment *c = hcl_item_comments(file, r, &n, &trail);
    assert_int_equal(n, 2);                 /* the blank line ends the run */
    assert_at(&f, c[0].span, 3, 1, 3, 36);
    assert_false(c[0].block);
    assert_memory_equal(c[1].text, " second line", 12);
    assert_non_null(trail);
    assert_at(&f, trail->span, 5, 20, 5, 35);

    const hcl_item *p = hcl_body_attr(r->body, "privileged");
    c = hcl_item_comments(file, p, &n, &trail);
    assert_int_equal(n, 0);
    assert_null(c);
    assert_non_null(trail);
    assert_memory_equal(trail->text, " bulkhead:ignore P1", 19);

    const hcl_item *o = hcl_body_attr(r->body, "other");
    c = hcl_item_comments(file, o, &n, &trail);
    assert_int_equal(n, 1);
    assert_true(c[0].block);
    assert_memory_equal(c[0].text, " block ", 7);
    assert_null(trail);

    /* a trailing comment of the line above is not "above" y */
    c = hcl_item_comments(file, hcl_body_attr(r->body, "y"), &n, &trail);
    assert_int_equal(n, 0);
    c = hcl_item_comments(file, hcl_body_attr(r->body, "x"), &n, &trail);
    assert_non_null(trail);
    assert_true(trail->block);

    /* a multi-line block comment directly above */
    c = hcl_item_comments(file, hcl_body_attr(file->body, "z"), &n, &trail);
    assert_int_equal(n, 1);
    assert_at(&f, c[0].span, 12, 1, 13, 11);
    /* comments inside expressions are recorded too, and found by offset */
    const hcl_item *z = hcl_body_attr(file->body, "z");
    const hcl_comment *in = hcl_comment_after(file, z->expr->u.tuple.items[0]->span.end);
    assert_non_null(in);
    assert_memory_equal(in->text, " inside", 7);
    done(&f);
}

/* ---- errors ----------------------------------------------------------- */

static void test_errors(void **state)
{
    (void)state;
    check_error("resource \"a\" = 1\n", 1, 14, "expected \"{\" or another label after block type \"resource\", found \"=\"");
    check_error("resource\n", 1, 9, "expected \"=\", a label or \"{\" after \"resource\", found newline");
    check_error("= 1\n", 1, 1, "expected an attribute or a block, found \"=\"");
    check_error("a = \n", 1, 5, "expected an expression, found newline");
    check_error("a = 1 2\n", 1, 7, "expected a newline after the value of attribute \"a\", found number 2");
    check_error("a = 1 + \n2\n", 1, 9, "expected an expression, found newline");
    check_error("a = [1 2]\n", 1, 8, "expected \",\" or \"]\" after a tuple element, found number 2");
    check_error("a = {b = 1 c = 2}\n", 1, 12, "expected \",\", a newline or \"}\" after an object element");
    check_error("a = {b 1}\n", 1, 8, "expected \"=\" or \":\" after an object key, found number 1");
    check_error("a = f(1 2)\n", 1, 9, "expected \",\" or \")\" in the arguments of \"f\"");
    check_error("a = f(x..., y)\n", 1, 13, "expected \")\" after the expanded last argument of \"f\"");
    check_error("a = (1\n", 2, 1, "expected \")\", found end of file");
    check_error("a = x ? 1\n", 1, 10, "expected \":\" in the conditional expression, found newline");
    check_error("a = x.\n", 1, 7, "expected an attribute name, a number or \"*\" after \".\"");
    check_error("a = x[*\n", 2, 1, "expected \"]\" after \"[*\"");
    check_error("a = [for x xs : x]\n", 1, 12, "expected \"in\" after the variables of the for expression");
    check_error("a = [for x in xs x]\n", 1, 18, "expected \":\" after the collection of the for expression");
    check_error("a = {for x in xs : x}\n", 1, 21, "expected \"=>\" after the key of the for expression");
    check_error("a = [for x in xs : x if y z]\n", 1, 27, "expected \"]\" to end the for expression");
    check_error("a = 1\na = 2\n", 2, 1, "attribute \"a\" is defined twice");
    check_error("b {\n  a = 1\n}}\n", 3, 2, "expected a newline after the \"}\" closing block \"b\"");
    check_error("}\n", 1, 1, "unexpected \"}\" (no block is open)");
    check_error("b { c {} }\n", 1, 7, "expected \"=\" (a one-line block holds a single attribute), found \"{\"");
    check_error("b { 1 }\n", 1, 5, "expected a newline, an attribute or \"}\" after \"{\" of block \"b\"");
    check_error("b { a = 1, c = 2 }\n", 1, 10, "expected \"}\" to end the one-line block");
    check_error("b \"x${y}\" {\n}\n", 1, 3, "a block label must be a literal string");
    check_error("a = \"x\\q\"\n", 1, 7, "invalid escape sequence \"\\q\"");
    check_error("a = \"\\u12\"\n", 1, 6, "invalid unicode escape");
    check_error("a = \"${x\"\n", 1, 9, "expected \"}\" to end the interpolation, found a string");
    check_error("a = \"%{if x}y\"\n", 1, 14, "missing %{endif} for this %{if}");
    check_error("a = \"%{endif}\"\n", 1, 6, "unexpected %{endif} (no %{if} is open)");
    check_error("a = \"%{if x}y%{endfor}\"\n", 1, 14, "expected %{endif}, found %{endfor}");
    check_error("a = \"%{when x}\"\n", 1, 8, "expected a template directive");
    check_error("a = <<EOT x\n", 1, 5, "expected a newline after the heredoc opener \"<<EOT\"");
    check_error("a = << EOT\n", 1, 5, "expected a heredoc delimiter");
    check_error("a = 1 & 2\n", 1, 7, "expected a newline after the value of attribute \"a\", found \"&\"");
    check_error("a = @\n", 1, 5, "expected an expression, found \"@\"");
    check_error("a = \"\xff\"\n", 1, 6, "invalid UTF-8 byte 0xff in a string");
    check_error("\xfe = 1\n", 1, 1, "expected an attribute or a block, found invalid UTF-8 byte 0xfe");

    /* errors that name the construct that began the trouble */
    check_error_ctx("a = \"abc\nb = 1\n", sizeof "a = \"abc\nb = 1\n" - 1, 1, 9, "unterminated string: missing closing quote", 1, 5);
    check_error_ctx("a = \"abc", sizeof "a = \"abc" - 1, 1, 9, "unterminated string", 1, 5);
    check_error_ctx("x = 1\na = <<EOT\nhello\n", sizeof "x = 1\na = <<EOT\nhello\n" - 1, 4, 1, "unterminated heredoc \"EOT\"", 2, 5);
    check_error_ctx("b {\n  a = 1\n", sizeof "b {\n  a = 1\n" - 1, 3, 1, "missing \"}\" to close block \"b\"", 1, 3);
    check_error_ctx("a = [\n1,\n", sizeof "a = [\n1,\n" - 1, 3, 1, "missing \"]\" to close the tuple", 1, 5);
    check_error_ctx("a = f(\n1,\n", sizeof "a = f(\n1,\n" - 1, 3, 1, "missing \")\" to close the arguments of \"f\"", 1, 6);
    check_error_ctx("a = [1\n", sizeof "a = [1\n" - 1, 2, 1, "expected \",\" or \"]\" after a tuple element", 1, 5);
    check_error_ctx("a = {\n  b = 1\n", sizeof "a = {\n  b = 1\n" - 1, 3, 1, "missing \"}\" to close the object", 1, 5);
    check_error_ctx("a = \"${\n  x y}\"\n", sizeof "a = \"${\n  x y}\"\n" - 1, 2, 5, "expected \"}\" to end the interpolation", 1, 6);
    check_error_ctx("a = 1 /* open\n", sizeof "a = 1 /* open\n" - 1, 1, 7, "unterminated comment", 0, 0);
}

static void test_nul_bytes(void **state)
{
    (void)state;
    /* a NUL inside a string is kept (lengths are explicit); elsewhere it is an error */
    fx f = start("a = \"x\0y\"\n", 10);
    hcl_file *file = hcl_parse(f.src, f.a, NULL, f.d);
    assert_non_null(file);
    const hcl_expr *e = file->body->items[0].expr;
    assert_int_equal(e->u.str.len, 3);
    assert_memory_equal(e->u.str.text, "x\0y", 3);
    done(&f);
    check_error_ctx("a = 1\0\n", sizeof "a = 1\0\n" - 1, 1, 6, "found control character 0x00", 0, 0);
}

/* ---- limits and robustness ------------------------------------------ */

static char *repeat(const char *head, const char *unit, size_t times, const char *tail)
{
    size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail);
    char *s = malloc(hl + ul * times + tl + 1);
    assert_non_null(s);
    memcpy(s, head, hl);
    for (size_t i = 0; i < times; i++)
        memcpy(s + hl + i * ul, unit, ul);
    memcpy(s + hl + ul * times, tail, tl + 1);
    return s;
}

static void check_too_deep(const char *head, const char *unit, size_t times, const char *tail)
{
    char *text = repeat(head, unit, times, tail);
    fx f = start(text, strlen(text));
    assert_null(hcl_parse(f.src, f.a, NULL, f.d));
    assert_int_equal(diags_count(f.d), 1);
    const bh_diag *g = diags_get(f.d, 0);
    if (!strstr(g->message, "nesting too deep"))
        print_error("%s...: %s\n", head, g->message);
    assert_non_null(strstr(g->message, "nesting too deep (the limit is 256 levels)"));
    done(&f);
    free(text);
}

static void test_depth_limit(void **state)
{
    (void)state;
    check_too_deep("a = ", "(", 100000, "");
    check_too_deep("a = ", "[", 100000, "");
    check_too_deep("a = ", "{x=", 100000, "");
    check_too_deep("a = ", "!", 100000, "x");
    check_too_deep("a = ", "-", 100000, "x");
    check_too_deep("a = ", "\"${", 100000, "");
    check_too_deep("a = ", "x ? y : ", 100000, "z");
    check_too_deep("a = ", "f(", 100000, "");
    check_too_deep("", "b {\n", 100000, "");
    check_too_deep("a = \"", "%{if x}", 100000, "\"\n");

    /* just under the limit is fine; a lower limit is honoured */
    char *text = repeat("a = ", "(", 200, "1");
    char *full = malloc(strlen(text) + 201);
    strcpy(full, text);
    memset(full + strlen(text), ')', 200);
    full[strlen(text) + 200] = '\0';
    fx f = start(full, strlen(full));
    assert_non_null(hcl_parse(f.src, f.a, NULL, f.d));
    done(&f);
    f = start(full, strlen(full));
    hcl_limits lim = hcl_default_limits();
    assert_int_equal(lim.max_depth, 256);
    lim.max_depth = 50;
    assert_null(hcl_parse(f.src, f.a, &lim, f.d));
    assert_non_null(strstr(diags_get(f.d, 0)->message, "the limit is 50 levels"));
    done(&f);
    free(text);
    free(full);

    /* long flat inputs are fine: a 100k-element tuple and a 100k-term sum */
    text = repeat("a = [", "1,", 100000, "]\n");
    f = start(text, strlen(text));
    hcl_file *file = hcl_parse(f.src, f.a, NULL, f.d);
    assert_non_null(file);
    assert_int_equal(file->body->items[0].expr->u.tuple.n, 100000);
    done(&f);
    free(text);
    /* left-deep chains nest the tree as much as brackets do */
    check_too_deep("a = 0", "+1", 100000, "\n");
    check_too_deep("a = x", ".y", 100000, "\n");
    check_too_deep("a = x", "[0]", 100000, "\n");
    text = repeat("a = 0", "+1", 200, "\n");
    f = start(text, strlen(text));
    assert_non_null(hcl_parse(f.src, f.a, NULL, f.d));
    done(&f);
    free(text);
    text = repeat("a = x", ".y[0]", 100, "\n");
    f = start(text, strlen(text));
    assert_non_null(hcl_parse(f.src, f.a, NULL, f.d));
    done(&f);
    free(text);

    /* 20,000 attributes in one body (the duplicate check is a hash table) */
    char *big = malloc(20000 * 24 + 32);
    size_t o = 0;
    for (int i = 0; i < 20000; i++)
        o += (size_t)sprintf(big + o, "attr_%d = %d\n", i, i);
    f = start(big, o);
    hcl_file *many = hcl_parse(f.src, f.a, NULL, f.d);
    assert_non_null(many);
    assert_int_equal(many->body->n, 20000);
    assert_string_equal(hcl_body_attr(many->body, "attr_19999")->expr->u.number.text, "19999");
    done(&f);
    o += (size_t)sprintf(big + o, "attr_777 = 1\n");
    check_error_ctx(big, o, 20001, 1, "attribute \"attr_777\" is defined twice", 778, 1);
    free(big);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    *len = (size_t)n;
    return b;
}

/* Every prefix and many corruptions of a fixture: no crash, no hang, and
 * a NULL result always comes with an error. */
static void test_truncations_and_mutations(void **state)
{
    (void)state;
    size_t len;
    char *text = read_file(BH_SOURCE_DIR "/tests/data/hcl/ecs_task.tf", &len);
    assert_non_null(text);
    for (size_t cut = 0; cut <= len; cut += 1) {
        fx f = start(text, cut);
        hcl_file *file = hcl_parse(f.src, f.a, NULL, f.d);
        assert_true(file != NULL || diags_count_level(f.d, DIAG_ERROR) == 1);
        done(&f);
    }
    static const char bytes[] = "\"{}[]()$%~\n\r\\#/*<-=:.,?!\0\xff\xc3";
    unsigned seed = 12345;
    char *mut = malloc(len);
    for (int round = 0; round < 3000; round++) {
        memcpy(mut, text, len);
        for (int k = 0; k < 3; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = (seed >> 8) % len;
            seed = seed * 1103515245u + 12345u;
            mut[at] = bytes[(seed >> 8) % (sizeof bytes - 1)];
        }
        fx f = start(mut, len);
        hcl_file *file = hcl_parse(f.src, f.a, NULL, f.d);
        assert_true(file != NULL || diags_count_level(f.d, DIAG_ERROR) == 1);
        done(&f);
    }
    free(mut);
    free(text);
}

static void test_allocation_failures(void **state)
{
    (void)state;
    size_t len;
    char *text = read_file(BH_SOURCE_DIR "/tests/data/hcl/k8s_pod.tf", &len);
    assert_non_null(text);
    for (unsigned long nth = 1; nth < 400; nth++) {
        fx f = start(text, len);
        arena_set_fail_after(nth);
        hcl_file *file = hcl_parse(f.src, f.a, NULL, f.d);
        arena_set_fail_after(0);
        if (!file)
            assert_int_equal(diags_count_level(f.d, DIAG_ERROR), 1);
        done(&f);
    }
    free(text);
}

/* ---- fixtures --------------------------------------------------------- */

static hcl_file *parse_fixture(fx *f, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/tests/data/hcl/%s", BH_SOURCE_DIR, name);
    size_t len;
    char *text = read_file(path, &len);
    assert_non_null(text);
    *f = start(text, len);
    free(text);
    hcl_file *file = hcl_parse(f->src, f->a, NULL, f->d);
    assert_non_null(file);
    return file;
}

static void test_fixture_ecs(void **state)
{
    (void)state;
    fx f;
    hcl_file *file = parse_fixture(&f, "ecs_task.tf");
    const hcl_body *b = file->body;
    assert_int_equal(b->n, 4);
    const hcl_item *app = hcl_body_block(b, "resource", 0);
    assert_string_equal(app->labels[1].text, "app");

    /* the inline suppression sits on network_mode's line */
    const hcl_item *nm = hcl_body_attr(app->body, "network_mode");
    size_t n;
    const hcl_comment *trail;
    hcl_item_comments(file, nm, &n, &trail);
    assert_non_null(trail);
    assert_memory_equal(trail->text, " bulkhead:ignore ECS001", 23);
    assert_at(&f, nm->span, 14, 3, 14, 33);

    /* jsonencode([{ ... privileged = false ... }]) */
    const hcl_expr *cd = hcl_body_attr(app->body, "container_definitions")->expr;
    assert_int_equal(cd->kind, HCL_E_CALL);
    assert_string_equal(cd->u.call.name, "jsonencode");
    const hcl_expr *c0 = cd->u.call.args[0]->u.tuple.items[0];
    assert_int_equal(c0->kind, HCL_E_OBJECT);
    const hcl_obj_item *priv = NULL;
    for (size_t i = 0; i < c0->u.object.n; i++)
        if (strcmp(c0->u.object.items[i].key->u.str.text, "privileged") == 0)
            priv = &c0->u.object.items[i];
    assert_non_null(priv);
    assert_int_equal(priv->value->kind, HCL_E_BOOL);
    assert_false(priv->value->u.boolean);
    assert_at(&f, priv->value->span, 23, 22, 23, 27);

    /* the locals conditional */
    const hcl_item *locals = hcl_body_block(b, "locals", 0);
    const hcl_expr *hm = hcl_body_attr(locals->body, "host_mode")->expr;
    assert_int_equal(hm->kind, HCL_E_COND);
    assert_string_equal(hm->u.cond.then_->u.str.text, "host");

    /* the sidecar's heredoc JSON: its raw content starts on the line after <<-EOT */
    const hcl_item *side = hcl_body_block(b, "resource", 1);
    hcl_item_comments(file, side, &n, &trail);
    assert_int_equal(n, 1);
    const hcl_expr *hd = hcl_body_attr(side->body, "container_definitions")->expr;
    assert_int_equal(hd->kind, HCL_E_STRING);
    assert_true(hd->u.str.info.flush);
    assert_at(&f, hd->u.str.info.content, 53, 1, 61, 1);
    assert_int_equal(strncmp(hd->u.str.text, "[\n  {\n    \"name\": \"sidecar\",", 27), 0);

    /* splats and the one-line block */
    const hcl_item *svc = hcl_body_block(b, "resource", 2);
    assert_int_equal(hcl_body_attr(svc->body, "desired_count")->expr->kind, HCL_E_SPLAT);
    assert_true(hcl_body_attr(svc->body, "subnets")->expr->u.splat.attr_only);
    assert_int_equal(hcl_body_block(svc->body, "network_configuration", 0)->body->n, 1);
    done(&f);
}

static void test_fixture_k8s_and_tfvars(void **state)
{
    (void)state;
    fx f;
    hcl_file *file = parse_fixture(&f, "k8s_pod.tf");
    const hcl_item *pod = hcl_body_block(file->body, "resource", 0);
    const hcl_item *spec = hcl_body_block(pod->body, "spec", 0);
    const hcl_item *hn = hcl_body_attr(spec->body, "host_network");
    assert_true(hn->expr->u.boolean);
    assert_at(&f, hn->span, 15, 5, 15, 24);
    const hcl_item *ctr = hcl_body_block(spec->body, "container", 0);
    const hcl_item *vm = hcl_body_block(ctr->body, "volume_mount", 0);
    size_t n;
    const hcl_comment *c = hcl_item_comments(file, vm, &n, NULL);
    assert_int_equal(n, 1);
    assert_memory_equal(c->text, " mounts the host", 16);
    const hcl_expr *labels = hcl_body_attr(hcl_body_block(pod->body, "metadata", 0)->body, "labels")->expr;
    assert_true(labels->u.object.items[1].colon);
    assert_int_equal(file->comments[0].block, true);
    done(&f);

    file = parse_fixture(&f, "settings.tfvars");
    assert_int_equal(file->body->n, 6);
    assert_string_equal(hcl_body_attr(file->body, "image_digest")->expr->u.str.text, "sha256:abc");
    done(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_body_items_and_spans),
        cmocka_unit_test(test_newlines_crlf_bom_and_eof),
        cmocka_unit_test(test_identifiers),
        cmocka_unit_test(test_literals),
        cmocka_unit_test(test_string_escapes),
        cmocka_unit_test(test_precedence),
        cmocka_unit_test(test_traversals_and_splats),
        cmocka_unit_test(test_calls),
        cmocka_unit_test(test_collections),
        cmocka_unit_test(test_for_expressions),
        cmocka_unit_test(test_templates),
        cmocka_unit_test(test_heredocs),
        cmocka_unit_test(test_parse_template_entry),
        cmocka_unit_test(test_comments),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_nul_bytes),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_truncations_and_mutations),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_fixture_ecs),
        cmocka_unit_test(test_fixture_k8s_and_tfvars),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

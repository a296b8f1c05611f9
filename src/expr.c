/*
 * expr.c - the policy expression language (see expr.h and
 * docs/policy-format.md, "Expressions").
 *
 * An expression is parsed once, when the catalog loads, into an AST that
 * lives in the catalog's arena; it is then evaluated for every object of
 * every scan, so evaluation is written to allocate nothing: values are small
 * structs passed by value (struct val), paths walk the document in place, a
 * literal list is evaluated element by element where it is used, and only
 * the functions that make new text (lower, upper, capability) or a literal
 * list that must become a context (any/all/count) touch the scratch arena.
 *
 * Three-valued logic.  Every value may be V_UNKNOWN (it came from a document
 * node that could not be resolved statically, or a path ran through one).
 * Comparisons and most functions are strict: an unknown operand makes them
 * unknown.  and/or/not/any/all are Kleene: an operand that settles the
 * outcome (false for and, true for or) wins over an unknown one, wherever it
 * is.  known() is the one function that looks at unknowns without becoming
 * one.
 *
 * Positions.  A value carries `at`, the node it came from: the node a path
 * resolved to, the nearest existing node for a missing path, the unknown
 * node for an unknown, NULL for a literal.  Operators pass on the `at` of
 * the operand that decided them (comparisons prefer the path side); that
 * becomes the outcome's decider and, eventually, the result's position.
 *
 * Regular expressions are compiled by regcomp() at parse time.  A regex_t
 * owns malloc()ed memory the arena cannot release, so each parsed
 * expression keeps a list of its compiled regexes and expr_release() frees
 * them; the caller calls it before freeing the arena.
 */
#include "expr.h"

#include <ctype.h>
#include <errno.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Nesting deeper than this is refused at parse time, which also bounds the
 * evaluator's recursion. */
#define EXPR_MAX_DEPTH 64
/* Rendered values longer than this are cut with "...". */
#define RENDER_MAX 512

/* ==== AST ================================================================ */

typedef enum ekind { E_LIT, E_LIST, E_PATH, E_CALL, E_NOT, E_AND, E_OR, E_CMP } ekind;

typedef enum cmp_op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_IN, OP_NOT_IN } cmp_op;

typedef struct step {
    const char *key;        /* NULL for an index step */
    size_t key_len;
    size_t index;
} step;

typedef struct rx {
    regex_t re;
    bool live;              /* compiled and not yet freed */
    struct rx *next;
} rx;

typedef struct fn_def fn_def;
typedef struct enode enode;

struct enode {
    ekind kind;
    uint32_t start, end;    /* byte offsets in the expression text */
    union {
        const doc_node *lit;                                     /* E_LIT */
        struct { enode **v; size_t n; } list;                    /* E_LIST, E_AND, E_OR */
        struct { bool from_it; step *steps; size_t n; } path;    /* E_PATH */
        struct { const fn_def *fn; enode **args; size_t n; rx *re; } call;
        struct { cmp_op op; enode *l, *r; } cmp;                 /* E_CMP */
        enode *operand;                                          /* E_NOT */
    } u;
};

struct bh_expr {
    const char *text;       /* NUL-terminated copy */
    size_t len;
    enode *root;
    rx *regexes;
};

/* ==== values ============================================================= */

typedef enum vkind {
    V_MISSING, V_NULL, V_BOOL, V_INT, V_FLOAT, V_STR, V_MAP, V_SEQ, V_LIST, V_UNKNOWN
} vkind;

typedef struct val {
    vkind k;
    bool b;
    int64_t i;
    double f;
    const char *s;          /* V_STR: NUL-terminated */
    size_t n;               /* V_STR: length */
    const doc_node *node;   /* the node this value is (documents and literals) */
    const doc_node *at;     /* the deciding node (see the top of this file) */
    const enode *list;      /* V_LIST: the literal list, evaluated lazily */
    const doc_node *ctx;    /* V_LIST: the context to evaluate it in */
} val;

static val eval(const enode *e, const doc_node *ctx, bh_arena *scratch);

static val mk_missing(const doc_node *near)
{
    val v = {.k = V_MISSING, .at = near};
    return v;
}

static val mk_bool(bool b, const doc_node *at)
{
    val v = {.k = V_BOOL, .b = b, .at = at};
    return v;
}

static val mk_int(int64_t i, const doc_node *at)
{
    val v = {.k = V_INT, .i = i, .at = at};
    return v;
}

static val mk_unknown(const doc_node *u)
{
    val v = {.k = V_UNKNOWN, .node = u, .at = u};
    return v;
}

/* The value of a document node (NULL: missing, placed at nothing). */
static val from_node(const doc_node *n)
{
    val v = {.k = V_MISSING, .node = n, .at = n};
    if (!n)
        return v;
    switch (doc_kind_of(n)) {
    case DOC_MAP: v.k = V_MAP; break;
    case DOC_SEQ: v.k = V_SEQ; break;
    case DOC_UNKNOWN: v.k = V_UNKNOWN; break;
    case DOC_SCALAR:
        switch (doc_type_of(n)) {
        case DOC_NULL: v.k = V_NULL; break;
        case DOC_BOOL: v.k = V_BOOL; doc_bool(n, &v.b); break;
        case DOC_INT: v.k = V_INT; doc_int(n, &v.i); break;
        case DOC_FLOAT: v.k = V_FLOAT; doc_float(n, &v.f); break;
        case DOC_STR:
            v.k = V_STR;
            v.s = doc_text(n);
            v.n = doc_text_len(n);
            break;
        }
        break;
    }
    return v;
}

/* A value as a condition: only the boolean true is true. */
static tv truth(const val *v)
{
    if (v->k == V_UNKNOWN)
        return TV_UNKNOWN;
    return v->k == V_BOOL && v->b ? TV_TRUE : TV_FALSE;
}

static bool is_num(const val *v) { return v->k == V_INT || v->k == V_FLOAT; }
static double num_of(const val *v) { return v->k == V_INT ? (double)v->i : v->f; }

/* Typed equality: numbers by value, bools with bools, strings with strings,
 * null and missing alike; anything else differs. */
static bool equal(const val *a, const val *b)
{
    if (is_num(a) && is_num(b)) {
        if (a->k == V_INT && b->k == V_INT)
            return a->i == b->i;
        return num_of(a) == num_of(b);
    }
    bool a_null = a->k == V_NULL || a->k == V_MISSING;
    bool b_null = b->k == V_NULL || b->k == V_MISSING;
    if (a_null || b_null)
        return a_null && b_null;
    if (a->k != b->k)
        return false;
    if (a->k == V_BOOL)
        return a->b == b->b;
    if (a->k == V_STR)
        return a->n == b->n && memcmp(a->s, b->s, a->n) == 0;
    return false;
}

/* ---- making nodes from values (templates, contexts) ------------------- */

static bh_span span_of(const doc_node *n)
{
    bh_span none = {NULL, 0, 0};
    return n ? doc_span(n) : none;
}

/* The node for a value: the document or literal node it is, or a new node
 * in scratch for a computed value.  NULL for missing (or on exhaustion). */
static const doc_node *val_to_node(const val *v, bh_arena *scratch)
{
    if (v->k == V_MISSING)
        return NULL;
    if (v->node)
        return v->node;
    bh_span at = span_of(v->at);
    switch (v->k) {
    case V_BOOL: return doc_new_bool(scratch, at, v->b);
    case V_INT: return doc_new_int(scratch, at, v->i);
    case V_FLOAT: {
        char *t = arena_printf(scratch, "%.17g", v->f);
        doc_node *n = t ? doc_wrap_scalar(scratch, at, t, strlen(t), DOC_FLOAT, DOC_PLAIN) : NULL;
        if (n)
            doc_set_float(n, v->f);
        return n;
    }
    case V_STR: return doc_new_scalar(scratch, at, v->s, v->n, DOC_STR, DOC_DOUBLE_QUOTED);
    case V_LIST: {
        doc_node *seq = doc_new_seq(scratch, at);
        for (size_t i = 0; seq && i < v->list->u.list.n; i++) {
            val item = eval(v->list->u.list.v[i], v->ctx, scratch);
            const doc_node *n = val_to_node(&item, scratch);
            if (n && !doc_seq_append(scratch, seq, (doc_node *)n))
                return NULL;
        }
        return seq;
    }
    default: return NULL;
    }
}

/* ---- collections: sequences and literal lists alike -------------------- */

static size_t items_len(const val *v)
{
    if (v->k == V_SEQ)
        return doc_len(v->node);
    if (v->k == V_LIST)
        return v->list->u.list.n;
    return 0;
}

static val item_val(const val *v, size_t i, bh_arena *scratch)
{
    if (v->k == V_SEQ)
        return from_node(doc_seq_at(v->node, i));
    return eval(v->list->u.list.v[i], v->ctx, scratch);
}

static bool substring(const char *hay, size_t n, const char *needle, size_t m)
{
    for (size_t i = 0; m <= n && i <= n - m; i++)
        if (memcmp(hay + i, needle, m) == 0)
            return true;
    return false;
}

/* Membership, Kleene style: true when x equals some element of coll (or is
 * a substring of the string coll), else unknown when an element is unknown,
 * else false.  Placed at x when x came from the document, else at the
 * matching element, else at coll. */
static val member(const val *x, const val *coll, bh_arena *scratch)
{
    const doc_node *at = x->at ? x->at : coll->at;
    if (coll->k == V_STR) {
        return mk_bool(x->k == V_STR && substring(coll->s, coll->n, x->s, x->n), at);
    }
    const doc_node *unk = NULL;
    size_t n = items_len(coll);
    for (size_t i = 0; i < n; i++) {
        val item = item_val(coll, i, scratch);
        if (item.k == V_UNKNOWN) {
            if (!unk)
                unk = item.node;
            continue;
        }
        if (equal(x, &item))
            return mk_bool(true, x->at ? x->at : item.at ? item.at : coll->at);
    }
    return unk ? mk_unknown(unk) : mk_bool(false, at);
}

/* ==== builtin functions ================================================== */

/* An implementation gets the call, its first `eager` arguments already
 * evaluated (and, for strict functions, known), and the context to
 * evaluate the others in. */
typedef val (*fn_impl)(const enode *call, const val *args, const doc_node *ctx,
                       bh_arena *scratch);

enum {
    FN_STRICT = 1,          /* an unknown eager argument makes the result unknown */
    FN_REGEX = 2            /* the second argument is a literal regex, compiled at parse */
};

struct fn_def {
    const char *name;
    unsigned nargs;         /* exact arity */
    unsigned eager;         /* leading arguments evaluated before the call */
    unsigned flags;
    fn_impl impl;
};

static val fn_exists(const enode *call, const val *a, const doc_node *ctx, bh_arena *scratch)
{
    return mk_bool(a[0].k != V_MISSING && a[0].k != V_NULL, a[0].at);
}

static val fn_empty(const enode *call, const val *a, const doc_node *ctx, bh_arena *scratch)
{
    bool e;
    switch (a[0].k) {
    case V_MISSING: case V_NULL: e = true; break;
    case V_STR: e = a[0].n == 0; break;
    case V_MAP: case V_SEQ: e = doc_len(a[0].node) == 0; break;
    case V_LIST: e = a[0].list->u.list.n == 0; break;
    default: e = false; break;
    }
    return mk_bool(e, a[0].at);
}

static val fn_known(const enode *call, const val *a, const doc_node *ctx, bh_arena *scratch)
{
    return mk_bool(a[0].k != V_UNKNOWN, a[0].at);
}

/* Length of a string in code points, of a list or mapping in items;
 * missing and null are 0; other scalars have none (missing). */
static val fn_len(const enode *call, const val *a, const doc_node *ctx, bh_arena *scratch)
{
    switch (a[0].k) {
    case V_MISSING: case V_NULL: return mk_int(0, a[0].at);
    case V_MAP: case V_SEQ: return mk_int((int64_t)doc_len(a[0].node), a[0].at);
    case V_LIST: return mk_int((int64_t)a[0].list->u.list.n, a[0].at);
    case V_STR: {
        int64_t n = 0;
        for (size_t i = 0; i < a[0].n; i++)
            n += ((unsigned char)a[0].s[i] & 0xC0) != 0x80;
        return mk_int(n, a[0].at);
    }
    default: return mk_missing(a[0].at);
    }
}

typedef enum textmap { TM_LOWER, TM_UPPER, TM_CAPABILITY } textmap;

/* s[0..n) mapped into scratch (NUL-terminated); NULL on exhaustion. */
static const char *map_text(const char *s, size_t n, textmap how, size_t *out_len,
                            bh_arena *scratch)
{
    char *t = arena_strndup(scratch, s, n);
    if (!t)
        return NULL;
    for (size_t i = 0; i < n; i++)
        t[i] = (char)(how == TM_LOWER ? tolower((unsigned char)t[i])
                                      : toupper((unsigned char)t[i]));
    if (how == TM_CAPABILITY && n >= 4 && memcmp(t, "CAP_", 4) == 0) {
        t += 4;
        n -= 4;
    }
    *out_len = n;
    return t;
}

/* lower/upper/capability: a string maps to a new string; a list maps item
 * by item (strings mapped, keeping their positions; other items kept);
 * anything else is returned unchanged.  Missing on arena exhaustion. */
static val map_value(const val *a, textmap how, bh_arena *scratch)
{
    if (a->k == V_STR) {
        val v = {.k = V_STR, .at = a->at};
        v.s = map_text(a->s, a->n, how, &v.n, scratch);
        return v.s ? v : mk_missing(a->at);
    }
    if (a->k != V_SEQ && a->k != V_LIST)
        return *a;
    doc_node *seq = doc_new_seq(scratch, span_of(a->at));
    if (!seq)
        return mk_missing(a->at);
    size_t n = items_len(a);
    for (size_t i = 0; i < n; i++) {
        val item = item_val(a, i, scratch);
        const doc_node *node;
        if (item.k == V_STR) {
            size_t len;
            const char *t = map_text(item.s, item.n, how, &len, scratch);
            node = t ? doc_wrap_scalar(scratch, span_of(item.at), t, len, DOC_STR,
                                       doc_style_of(item.node))
                     : NULL;
        } else {
            node = val_to_node(&item, scratch);
            if (!node && item.k == V_MISSING)
                continue;
        }
        if (!node || !doc_seq_append(scratch, seq, (doc_node *)node))
            return mk_missing(a->at);
    }
    val v = from_node(seq);
    v.at = a->at;
    return v;
}

static val fn_lower(const enode *call, const val *a, const doc_node *ctx, bh_arena *scratch)
{
    return map_value(&a[0], TM_LOWER, scratch);
}

static val fn_upper(const enode *call, const val *a, const doc_node *ctx, bh_arena *scratch)
{
    return map_value(&a[0], TM_UPPER, scratch);
}

static val fn_capability(const enode *call, const val *a, const doc_node *ctx,
                         bh_arena *scratch)
{
    return map_value(&a[0], TM_CAPABILITY, scratch);
}

/* contains(a, b) is `b in a`, placed as `in` is. */
static val fn_contains(const enode *call, const val *a, const doc_node *ctx, bh_arena *scratch)
{
    return member(&a[1], &a[0], scratch);
}

static bool affix(const val *a, const val *b, bool prefix)
{
    if (a->k != V_STR || b->k != V_STR || b->n > a->n)
        return false;
    const char *from = prefix ? a->s : a->s + (a->n - b->n);
    return memcmp(from, b->s, b->n) == 0;
}

static val fn_starts_with(const enode *call, const val *a, const doc_node *ctx,
                          bh_arena *scratch)
{
    return mk_bool(affix(&a[0], &a[1], true), a[0].at ? a[0].at : a[1].at);
}

static val fn_ends_with(const enode *call, const val *a, const doc_node *ctx,
                        bh_arena *scratch)
{
    return mk_bool(affix(&a[0], &a[1], false), a[0].at ? a[0].at : a[1].at);
}

static val fn_matches(const enode *call, const val *a, const doc_node *ctx, bh_arena *scratch)
{
    bool m = a[0].k == V_STR && regexec(&call->u.call.re->re, a[0].s, 0, NULL, 0) == 0;
    return mk_bool(m, a[0].at);
}

typedef enum quant { Q_ANY, Q_ALL, Q_COUNT } quant;

/* any/all/count: COND evaluated with each item as context.  A missing,
 * null or non-list value has no items.  any is placed at the first item
 * that satisfies COND (its decider), all at the first that does not. */
static val quantify(const enode *call, const val *list, quant q, bh_arena *scratch)
{
    const enode *cond = call->u.call.args[1];
    const doc_node *unk = NULL;
    int64_t count = 0;
    size_t n = items_len(list);
    for (size_t i = 0; i < n; i++) {
        val iv = item_val(list, i, scratch);
        const doc_node *item = val_to_node(&iv, scratch);
        val c = eval(cond, item, scratch);
        tv t = truth(&c);
        const doc_node *at = c.at ? c.at : item;
        if (t == TV_UNKNOWN) {
            if (!unk)
                unk = c.node;
        } else if (q == Q_ANY && t == TV_TRUE) {
            return mk_bool(true, at);
        } else if (q == Q_ALL && t == TV_FALSE) {
            return mk_bool(false, at);
        } else if (t == TV_TRUE) {
            count++;
        }
    }
    if (unk)
        return mk_unknown(unk);
    if (q == Q_COUNT)
        return mk_int(count, list->at);
    return mk_bool(q == Q_ALL, list->at);
}

static val fn_any(const enode *call, const val *a, const doc_node *ctx, bh_arena *scratch)
{
    return quantify(call, &a[0], Q_ANY, scratch);
}

static val fn_all(const enode *call, const val *a, const doc_node *ctx, bh_arena *scratch)
{
    return quantify(call, &a[0], Q_ALL, scratch);
}

static val fn_count(const enode *call, const val *a, const doc_node *ctx, bh_arena *scratch)
{
    return quantify(call, &a[0], Q_COUNT, scratch);
}

static const fn_def functions[] = {
    {"exists",      1, 1, FN_STRICT, fn_exists},
    {"empty",       1, 1, FN_STRICT, fn_empty},
    {"known",       1, 1, 0, fn_known},
    {"len",         1, 1, FN_STRICT, fn_len},
    {"lower",       1, 1, FN_STRICT, fn_lower},
    {"upper",       1, 1, FN_STRICT, fn_upper},
    {"capability",  1, 1, FN_STRICT, fn_capability},
    {"contains",    2, 2, FN_STRICT, fn_contains},
    {"starts_with", 2, 2, FN_STRICT, fn_starts_with},
    {"ends_with",   2, 2, FN_STRICT, fn_ends_with},
    {"matches",     2, 1, FN_STRICT | FN_REGEX, fn_matches},
    {"any",         2, 1, FN_STRICT, fn_any},
    {"all",         2, 1, FN_STRICT, fn_all},
    {"count",       2, 1, FN_STRICT, fn_count},
};

#define MAX_ARGS 2

static const fn_def *find_function(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof functions / sizeof *functions; i++)
        if (strlen(functions[i].name) == len && memcmp(functions[i].name, name, len) == 0)
            return &functions[i];
    return NULL;
}

/* ==== evaluation ========================================================= */

/* Walk a path from ctx.  Missing is placed at the last node that exists;
 * an unknown node on the way (or at the end) makes the path unknown. */
static val eval_path(const enode *e, const doc_node *ctx)
{
    const doc_node *cur = ctx;
    if (!cur)
        return mk_missing(NULL);
    for (size_t i = 0; i < e->u.path.n; i++) {
        const step *s = &e->u.path.steps[i];
        if (doc_kind_of(cur) == DOC_UNKNOWN)
            return mk_unknown(cur);
        const doc_node *next = NULL;
        if (!s->key) {
            next = doc_seq_at(cur, s->index);
        } else {
            long k = doc_map_find(cur, s->key, s->key_len);
            next = k < 0 ? NULL : doc_map_val(cur, (size_t)k);
        }
        if (!next)
            return mk_missing(cur);
        cur = next;
    }
    return from_node(cur);
}

static val eval_cmp(const enode *e, const doc_node *ctx, bh_arena *scratch)
{
    val l = eval(e->u.cmp.l, ctx, scratch);
    val r = eval(e->u.cmp.r, ctx, scratch);
    if (l.k == V_UNKNOWN)
        return mk_unknown(l.node);
    if (r.k == V_UNKNOWN)
        return mk_unknown(r.node);
    const doc_node *at = l.at ? l.at : r.at;
    switch (e->u.cmp.op) {
    case OP_EQ: return mk_bool(equal(&l, &r), at);
    case OP_NE: return mk_bool(!equal(&l, &r), at);
    case OP_IN: return member(&l, &r, scratch);
    case OP_NOT_IN: {
        val m = member(&l, &r, scratch);
        if (m.k == V_BOOL)
            m.b = !m.b;
        return m;
    }
    default: break;
    }
    if (!is_num(&l) || !is_num(&r))
        return mk_bool(false, at);
    int c;
    if (l.k == V_INT && r.k == V_INT) {
        c = (l.i > r.i) - (l.i < r.i);
    } else {
        double x = num_of(&l), y = num_of(&r);
        if (x != x || y != y)
            return mk_bool(false, at);      /* NaN is unordered */
        c = (x > y) - (x < y);
    }
    bool ok = false;
    switch (e->u.cmp.op) {
    case OP_LT: ok = c < 0; break;
    case OP_LE: ok = c <= 0; break;
    case OP_GT: ok = c > 0; break;
    case OP_GE: ok = c >= 0; break;
    default: break;
    }
    return mk_bool(ok, at);
}

/* Kleene and (is_and) / or over n operands, left to right.  The dominant
 * value (false for and, true for or) ends it, placed at that operand;
 * otherwise an unknown operand makes it unknown; otherwise it is placed at
 * the last operand that has a place. */
static val eval_junction(const enode *e, bool is_and, const doc_node *ctx, bh_arena *scratch)
{
    tv dominant = is_and ? TV_FALSE : TV_TRUE;
    const doc_node *at = NULL, *unk = NULL;
    for (size_t i = 0; i < e->u.list.n; i++) {
        val v = eval(e->u.list.v[i], ctx, scratch);
        tv t = truth(&v);
        if (t == TV_UNKNOWN) {
            if (!unk)
                unk = v.node;
            continue;
        }
        if (v.at)
            at = v.at;
        if (t == dominant)
            return mk_bool(!is_and, at);
    }
    return unk ? mk_unknown(unk) : mk_bool(is_and, at);
}

static val eval_call(const enode *e, const doc_node *ctx, bh_arena *scratch)
{
    const fn_def *fn = e->u.call.fn;
    val args[MAX_ARGS];
    for (unsigned i = 0; i < fn->eager; i++) {
        args[i] = eval(e->u.call.args[i], ctx, scratch);
        if ((fn->flags & FN_STRICT) && args[i].k == V_UNKNOWN)
            return mk_unknown(args[i].node);
    }
    return fn->impl(e, args, ctx, scratch);
}

static val eval(const enode *e, const doc_node *ctx, bh_arena *scratch)
{
    switch (e->kind) {
    case E_LIT: {
        val v = from_node(e->u.lit);
        v.at = NULL;
        return v;
    }
    case E_LIST: {
        val v = {.k = V_LIST, .list = e, .ctx = ctx};
        return v;
    }
    case E_PATH: return eval_path(e, ctx);
    case E_CALL: return eval_call(e, ctx, scratch);
    case E_CMP: return eval_cmp(e, ctx, scratch);
    case E_AND: return eval_junction(e, true, ctx, scratch);
    case E_OR: return eval_junction(e, false, ctx, scratch);
    case E_NOT: {
        val v = eval(e->u.operand, ctx, scratch);
        tv t = truth(&v);
        return t == TV_UNKNOWN ? mk_unknown(v.node) : mk_bool(t == TV_FALSE, v.at);
    }
    }
    return mk_missing(NULL);
}

expr_outcome expr_test(const bh_expr *e, const doc_node *ctx, bh_arena *scratch)
{
    val v = eval(e->root, ctx, scratch);
    expr_outcome o = {truth(&v), v.at, NULL};
    if (o.value == TV_UNKNOWN)
        o.decider = o.unknown = v.node;
    return o;
}

const doc_node *expr_value(const bh_expr *e, const doc_node *ctx, bh_arena *scratch)
{
    val v = eval(e->root, ctx, scratch);
    return val_to_node(&v, scratch);
}

const char *expr_text(const bh_expr *e) { return e->text; }

void expr_release(bh_expr *e)
{
    if (!e)
        return;
    for (rx *r = e->regexes; r; r = r->next) {
        if (r->live)
            regfree(&r->re);
        r->live = false;
    }
}

/* ==== rendering ========================================================== */

typedef struct sbuf {
    bh_arena *a;
    char *p;
    size_t n, cap;
    bool failed, cut;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n)
{
    if (b->failed || b->cut)
        return;
    if (b->n + n > RENDER_MAX) {
        n = RENDER_MAX - b->n;
        b->cut = true;
    }
    if (b->n + n + 4 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->n + n + 4)
            cap *= 2;
        char *p = arena_realloc(b->a, b->p, b->cap, cap);
        if (!p) {
            b->failed = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    if (b->cut) {
        memcpy(b->p + b->n, "...", 3);
        b->n += 3;
    }
}

static void sb_str(sbuf *b, const char *s) { sb_add(b, s, strlen(s)); }

/* Top-level lists are "a, b"; nested ones "[a, b]"; mappings "{k: v}". */
static void render(sbuf *b, const doc_node *v, int depth)
{
    if (!v) {
        sb_str(b, "unset");
        return;
    }
    switch (doc_kind_of(v)) {
    case DOC_UNKNOWN:
        sb_add(b, doc_text(v), doc_text_len(v));
        return;
    case DOC_SCALAR:
        if (doc_type_of(v) == DOC_NULL && doc_text_len(v) == 0)
            sb_str(b, "null");
        else
            sb_add(b, doc_text(v), doc_text_len(v));
        return;
    case DOC_SEQ:
        if (depth > 0)
            sb_str(b, "[");
        for (size_t i = 0; i < doc_len(v); i++) {
            if (i)
                sb_str(b, ", ");
            render(b, doc_seq_at(v, i), depth + 1);
        }
        if (depth > 0)
            sb_str(b, "]");
        return;
    case DOC_MAP:
        sb_str(b, "{");
        for (size_t i = 0; i < doc_len(v); i++) {
            if (i)
                sb_str(b, ", ");
            render(b, doc_map_key(v, i), depth + 1);
            sb_str(b, ": ");
            render(b, doc_map_val(v, i), depth + 1);
        }
        sb_str(b, "}");
        return;
    }
}

const char *expr_render(bh_arena *a, const doc_node *v)
{
    sbuf b = {.a = a};
    render(&b, v, 0);
    sb_add(&b, "", 0);          /* makes sure there is a buffer */
    if (b.failed || !b.p)
        return "";
    b.p[b.n] = '\0';
    return b.p;
}

/* ==== lexer ============================================================== */

typedef enum tok_kind {
    T_EOF, T_ERROR, T_NAME, T_STRING, T_INT, T_FLOAT,
    T_LPAREN, T_RPAREN, T_LBRACKET, T_RBRACKET, T_COMMA, T_DOT,
    T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE,
    T_AND, T_OR, T_NOT, T_IN, T_TRUE, T_FALSE, T_NULL
} tok_kind;

typedef struct tok {
    tok_kind k;
    uint32_t start, end;
} tok;

typedef struct parser {
    bh_arena *a;
    const char *text;
    uint32_t len;
    bh_span where;
    uint32_t base;          /* where the text begins in where.src */
    bh_diags *diags;
    uint32_t pos;           /* lexer position, after the current token */
    tok t;                  /* the current token */
    bool failed;
    int depth;
    rx *regexes;
} parser;

static const struct { const char *word; tok_kind k; } keywords[] = {
    {"and", T_AND}, {"or", T_OR}, {"not", T_NOT}, {"in", T_IN},
    {"true", T_TRUE}, {"false", T_FALSE}, {"null", T_NULL},
};

static const struct { const char *text; tok_kind k; } punctuation[] = {
    {"==", T_EQ}, {"!=", T_NE}, {"<=", T_LE}, {">=", T_GE}, {"<", T_LT}, {">", T_GT},
    {"(", T_LPAREN}, {")", T_RPAREN}, {"[", T_LBRACKET}, {"]", T_RBRACKET},
    {",", T_COMMA}, {".", T_DOT},
};

/* Operators from other languages, refused with a pointer to ours. */
static const struct { const char *text; const char *hint; } foreign[] = {
    {"&&", "use \"and\""}, {"||", "use \"or\""}, {"!", "use \"not\""}, {"=", "use \"==\""},
};

static bh_span span_at(const parser *p, uint32_t start, uint32_t end)
{
    bh_span s = p->where;
    if (!s.src)
        return s;
    uint32_t lo = p->base + start, hi = p->base + end;
    if (p->where.end >= p->where.start) {
        if (lo > p->where.end)
            lo = p->where.end;
        if (hi > p->where.end)
            hi = p->where.end;
    }
    return span_make(s.src, lo, hi);
}

static void error_at(parser *p, uint32_t start, uint32_t end, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Report a syntax error; only the first one of an expression counts. */
static void error_at(parser *p, uint32_t start, uint32_t end, const char *fmt, ...)
{
    if (p->failed)
        return;
    p->failed = true;
    if (!p->diags)
        return;
    va_list ap;
    va_start(ap, fmt);
    diags_vadd(p->diags, DIAG_ERROR, span_at(p, start, end), fmt, ap);
    va_end(ap);
}

/* As error_at, with a second place: where the construct began. */
static void error_ctx(parser *p, const tok *at, const tok *opened, const char *msg)
{
    if (p->failed)
        return;
    p->failed = true;
    if (p->diags)
        diags_add_ctx(p->diags, DIAG_ERROR, span_at(p, at->start, at->end),
                      span_at(p, opened->start, opened->end), "opened here", "%s", msg);
}

static void oom(parser *p) { error_at(p, 0, p->len, "out of memory parsing expression"); }

static bool name_start(int c) { return isalpha(c) || c == '_'; }
static bool name_char(int c) { return isalnum(c) || c == '_' || c == '-'; }

static tok_kind lex_number(parser *p, uint32_t *i)
{
    const char *s = p->text;
    tok_kind k = T_INT;
    if (s[*i] == '-')
        (*i)++;
    while (*i < p->len && isdigit((unsigned char)s[*i]))
        (*i)++;
    if (*i + 1 < p->len && s[*i] == '.' && isdigit((unsigned char)s[*i + 1])) {
        k = T_FLOAT;
        for ((*i)++; *i < p->len && isdigit((unsigned char)s[*i]);)
            (*i)++;
    }
    if (*i < p->len && (s[*i] == 'e' || s[*i] == 'E')) {
        uint32_t j = *i + 1;
        if (j < p->len && (s[j] == '+' || s[j] == '-'))
            j++;
        if (j < p->len && isdigit((unsigned char)s[j])) {
            k = T_FLOAT;
            for (*i = j; *i < p->len && isdigit((unsigned char)s[*i]);)
                (*i)++;
        }
    }
    return k;
}

/* Move to the next token. */
static void advance(parser *p)
{
    const char *s = p->text;
    uint32_t i = p->pos;
    while (i < p->len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    tok t = {T_EOF, i, i};
    if (i >= p->len)
        goto done;
    unsigned char c = (unsigned char)s[i];
    if (name_start(c)) {
        while (i < p->len && name_char((unsigned char)s[i]))
            i++;
        t.k = T_NAME;
        for (size_t k = 0; k < sizeof keywords / sizeof *keywords; k++)
            if (strlen(keywords[k].word) == i - t.start &&
                memcmp(keywords[k].word, s + t.start, i - t.start) == 0)
                t.k = keywords[k].k;
    } else if (isdigit(c) || (c == '-' && i + 1 < p->len && isdigit((unsigned char)s[i + 1]))) {
        t.k = lex_number(p, &i);
        if (i < p->len && name_char((unsigned char)s[i])) {
            while (i < p->len && name_char((unsigned char)s[i]))
                i++;
            error_at(p, t.start, i, "invalid number \"%.*s\"", (int)(i - t.start), s + t.start);
            t.k = T_ERROR;
        }
    } else if (c == '"' || c == '\'') {
        for (i++; i < p->len && (unsigned char)s[i] != c; i++)
            if (s[i] == '\\' && i + 1 < p->len)
                i++;
        if (i >= p->len) {
            error_at(p, t.start, p->len, "unterminated string");
            t.k = T_ERROR;
        } else {
            i++;
            t.k = T_STRING;
        }
    } else {
        t.k = T_ERROR;
        for (size_t k = 0; k < sizeof punctuation / sizeof *punctuation; k++) {
            size_t n = strlen(punctuation[k].text);
            if (i + n <= p->len && memcmp(s + i, punctuation[k].text, n) == 0) {
                t.k = punctuation[k].k;
                i += (uint32_t)n;
                break;
            }
        }
        for (size_t k = 0; t.k == T_ERROR && k < sizeof foreign / sizeof *foreign; k++) {
            size_t n = strlen(foreign[k].text);
            if (i + n <= p->len && memcmp(s + i, foreign[k].text, n) == 0) {
                error_at(p, i, i + (uint32_t)n, "unexpected '%s' (%s)", foreign[k].text,
                         foreign[k].hint);
                i += (uint32_t)n;
                break;
            }
        }
        if (t.k == T_ERROR && i == t.start) {
            if (isprint(c))
                error_at(p, i, i + 1, "unexpected character '%c'", c);
            else
                error_at(p, i, i + 1, "unexpected byte 0x%02x", c);
            i++;
        }
    }
done:
    t.end = i;
    p->pos = i;
    p->t = t;
}

/* The kind of the token after the current one, without moving. */
static tok_kind peek(const parser *p)
{
    parser ahead = *p;
    ahead.diags = NULL;         /* a lexical error there is reported when reached */
    advance(&ahead);
    return ahead.t.k;
}

/* How a token reads in a message. */
static const char *describe(const parser *p, const tok *t, char *buf, size_t size)
{
    if (t->k == T_EOF)
        return "end of expression";
    int n = (int)(t->end - t->start);
    if (n > 40)
        n = 40;
    bool quoted = t->k == T_STRING;     /* already in quotes */
    snprintf(buf, size, quoted ? "%.*s" : "\"%.*s\"", n, p->text + t->start);
    return buf;
}

/* ==== parser ============================================================= */

static enode *new_enode(parser *p, ekind k, uint32_t start, uint32_t end)
{
    enode *e = arena_alloc(p->a, sizeof *e);
    if (!e) {
        oom(p);
        return NULL;
    }
    e->kind = k;
    e->start = start;
    e->end = end;
    return e;
}

/* Append x to a growing array of pointers in the arena. */
static bool push_ptr(parser *p, enode ***v, size_t *n, size_t *cap, enode *x)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 4;
        enode **nv = arena_realloc(p->a, *v, *cap * sizeof **v, c * sizeof **v);
        if (!nv) {
            oom(p);
            return false;
        }
        *v = nv;
        *cap = c;
    }
    (*v)[(*n)++] = x;
    return true;
}

/* The text of a string token, escapes resolved: \\ \" \' \n \t; any other
 * backslash is kept, so regular expressions read naturally ("\.") */
static char *string_value(parser *p, const tok *t, size_t *len)
{
    const char *s = p->text + t->start + 1;
    size_t n = t->end - t->start - 2;
    char *out = arena_alloc(p->a, n + 1);
    if (!out) {
        oom(p);
        return NULL;
    }
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n) {
            char e = s[i + 1];
            char r = e == 'n' ? '\n' : e == 't' ? '\t'
                   : (e == '\\' || e == '"' || e == '\'') ? e : 0;
            if (r) {
                out[o++] = r;
                i++;
                continue;
            }
        }
        out[o++] = s[i];
    }
    out[o] = '\0';
    *len = o;
    return out;
}

static enode *parse_or(parser *p);

static enode *parse_literal(parser *p)
{
    tok t = p->t;
    bh_span at = span_at(p, t.start, t.end);
    const char *text = p->text + t.start;
    size_t n = t.end - t.start;
    doc_node *lit = NULL;
    switch (t.k) {
    case T_STRING: {
        size_t len;
        char *v = string_value(p, &t, &len);
        if (!v)
            return NULL;
        lit = doc_wrap_scalar(p->a, at, v, len, DOC_STR,
                              text[0] == '"' ? DOC_DOUBLE_QUOTED : DOC_SINGLE_QUOTED);
        break;
    }
    case T_INT: case T_FLOAT: {
        char *copy = arena_strndup(p->a, text, n);
        if (!copy)
            break;
        errno = 0;
        char *end;
        if (t.k == T_INT) {
            long long v = strtoll(copy, &end, 10);
            if (errno == ERANGE) {
                error_at(p, t.start, t.end, "number %s is out of range", copy);
                return NULL;
            }
            lit = doc_wrap_scalar(p->a, at, copy, n, DOC_INT, DOC_PLAIN);
            if (lit)
                doc_set_int(lit, (int64_t)v);
        } else {
            double v = strtod(copy, &end);
            if (errno == ERANGE && (v > 1 || v < -1)) {
                error_at(p, t.start, t.end, "number %s is out of range", copy);
                return NULL;
            }
            lit = doc_wrap_scalar(p->a, at, copy, n, DOC_FLOAT, DOC_PLAIN);
            if (lit)
                doc_set_float(lit, v);
        }
        break;
    }
    case T_TRUE: case T_FALSE:
        lit = doc_new_bool(p->a, at, t.k == T_TRUE);
        break;
    default:    /* T_NULL */
        lit = doc_wrap_scalar(p->a, at, "null", 4, DOC_NULL, DOC_PLAIN);
        break;
    }
    if (!lit) {
        oom(p);
        return NULL;
    }
    enode *e = new_enode(p, E_LIT, t.start, t.end);
    if (e)
        e->u.lit = lit;
    advance(p);
    return e;
}

/* Parse "expr (, expr)* CLOSE" (the opener already consumed) into v/n; an
 * empty list is allowed.  what names the items in the error message. */
static bool parse_items(parser *p, tok_kind close, const char *close_text, const char *what,
                        const tok *open, enode ***v, size_t *n)
{
    size_t cap = 0;
    *v = NULL;
    *n = 0;
    if (p->t.k != close) {
        for (;;) {
            enode *x = parse_or(p);
            if (!x || !push_ptr(p, v, n, &cap, x))
                return false;
            if (p->t.k != T_COMMA)
                break;
            advance(p);
        }
    }
    if (p->t.k != close) {
        char msg[64];
        snprintf(msg, sizeof msg, "expected '%s' after %s", close_text, what);
        error_ctx(p, &p->t, open, msg);
        return false;
    }
    return true;
}

static enode *parse_call(parser *p, tok name)
{
    const fn_def *fn = find_function(p->text + name.start, name.end - name.start);
    if (!fn) {
        error_at(p, name.start, name.end, "unknown function \"%.*s\"",
                 (int)(name.end - name.start), p->text + name.start);
        return NULL;
    }
    tok open = p->t;
    advance(p);                 /* ( */
    enode *e = new_enode(p, E_CALL, name.start, name.end);
    if (!e || !parse_items(p, T_RPAREN, ")", "arguments", &open, &e->u.call.args, &e->u.call.n))
        return NULL;
    e->end = p->t.end;
    advance(p);                 /* ) */
    e->u.call.fn = fn;
    if (e->u.call.n != fn->nargs) {
        error_at(p, e->start, e->end, "\"%s\" takes %u argument%s, got %zu", fn->name,
                 fn->nargs, fn->nargs == 1 ? "" : "s", e->u.call.n);
        return NULL;
    }
    if (fn->flags & FN_REGEX) {
        const enode *re = e->u.call.args[1];
        if (re->kind != E_LIT || doc_type_of(re->u.lit) != DOC_STR) {
            error_at(p, re->start, re->end, "%s() needs a literal regular expression", fn->name);
            return NULL;
        }
        rx *r = arena_alloc(p->a, sizeof *r);
        if (!r) {
            oom(p);
            return NULL;
        }
        int rc = regcomp(&r->re, doc_text(re->u.lit), REG_EXTENDED | REG_NOSUB);
        if (rc != 0) {
            char msg[128];
            regerror(rc, &r->re, msg, sizeof msg);
            msg[0] = (char)tolower((unsigned char)msg[0]);
            error_at(p, re->start, re->end, "invalid regular expression \"%s\": %s",
                     doc_text(re->u.lit), msg);
            return NULL;
        }
        r->live = true;
        r->next = p->regexes;
        p->regexes = r;
        e->u.call.re = r;
    }
    return e;
}

/* A keyword may name a key after a dot (`spec.in`). */
static bool is_wordlike(tok_kind k)
{
    return k == T_NAME || k == T_AND || k == T_OR || k == T_NOT || k == T_IN || k == T_TRUE ||
           k == T_FALSE || k == T_NULL;
}

static bool push_step(parser *p, enode *e, size_t *cap, step s)
{
    if (e->u.path.n == *cap) {
        size_t c = *cap ? *cap * 2 : 4;
        step *v = arena_realloc(p->a, e->u.path.steps, *cap * sizeof *v, c * sizeof *v);
        if (!v) {
            oom(p);
            return false;
        }
        e->u.path.steps = v;
        *cap = c;
    }
    e->u.path.steps[e->u.path.n++] = s;
    return true;
}

static enode *parse_path(parser *p, tok name)
{
    enode *e = new_enode(p, E_PATH, name.start, name.end);
    if (!e)
        return NULL;
    size_t cap = 0;
    const char *text = p->text;
    if (name.end - name.start == 2 && memcmp(text + name.start, "it", 2) == 0) {
        e->u.path.from_it = true;
    } else {
        step s = {text + name.start, name.end - name.start, 0};
        if (!push_step(p, e, &cap, s))
            return NULL;
    }
    for (;;) {
        if (p->t.k == T_DOT) {
            advance(p);
            if (!is_wordlike(p->t.k)) {
                char buf[64];
                error_at(p, p->t.start, p->t.end, "expected a name after '.', got %s",
                         describe(p, &p->t, buf, sizeof buf));
                return NULL;
            }
            step s = {text + p->t.start, p->t.end - p->t.start, 0};
            if (!push_step(p, e, &cap, s))
                return NULL;
        } else if (p->t.k == T_LBRACKET) {
            tok open = p->t;
            advance(p);
            step s = {NULL, 0, 0};
            if (p->t.k == T_INT && text[p->t.start] != '-') {
                errno = 0;
                unsigned long long v = strtoull(text + p->t.start, NULL, 10);
                if (errno == ERANGE || v > SIZE_MAX) {
                    error_at(p, p->t.start, p->t.end, "index out of range");
                    return NULL;
                }
                s.index = (size_t)v;
            } else if (p->t.k == T_STRING) {
                s.key = string_value(p, &p->t, &s.key_len);
                if (!s.key)
                    return NULL;
            } else {
                char buf[64];
                error_at(p, p->t.start, p->t.end,
                         "expected an index (a non-negative integer) or a quoted key in '[...]', "
                         "got %s", describe(p, &p->t, buf, sizeof buf));
                return NULL;
            }
            advance(p);
            if (p->t.k != T_RBRACKET) {
                error_ctx(p, &p->t, &open, "expected ']' after index");
                return NULL;
            }
            if (!push_step(p, e, &cap, s))
                return NULL;
        } else {
            break;
        }
        e->end = p->t.end;
        advance(p);
    }
    return e;
}

static enode *parse_primary(parser *p)
{
    tok t = p->t;
    switch (t.k) {
    case T_STRING: case T_INT: case T_FLOAT: case T_TRUE: case T_FALSE: case T_NULL:
        return parse_literal(p);
    case T_NAME:
        advance(p);
        return p->t.k == T_LPAREN ? parse_call(p, t) : parse_path(p, t);
    case T_LBRACKET: {
        advance(p);
        enode *e = new_enode(p, E_LIST, t.start, t.end);
        if (!e || !parse_items(p, T_RBRACKET, "]", "list items", &t, &e->u.list.v, &e->u.list.n))
            return NULL;
        e->end = p->t.end;
        advance(p);
        return e;
    }
    case T_LPAREN: {
        advance(p);
        enode *e = parse_or(p);
        if (!e)
            return NULL;
        if (p->t.k != T_RPAREN) {
            error_ctx(p, &p->t, &t, "expected ')' to close '('");
            return NULL;
        }
        advance(p);
        return e;
    }
    case T_ERROR:
        p->failed = true;       /* the lexer reported it */
        return NULL;
    default: {
        char buf[64];
        error_at(p, t.start, t.end, "expected an expression, got %s",
                 describe(p, &t, buf, sizeof buf));
        return NULL;
    }
    }
}

static const struct { tok_kind k; cmp_op op; } comparisons[] = {
    {T_EQ, OP_EQ}, {T_NE, OP_NE}, {T_LT, OP_LT}, {T_LE, OP_LE},
    {T_GT, OP_GT}, {T_GE, OP_GE}, {T_IN, OP_IN},
};

/* The comparison operator at the current token (consuming it), or -1. */
static int take_cmp_op(parser *p)
{
    if (p->t.k == T_NOT && peek(p) == T_IN) {
        advance(p);
        advance(p);
        return OP_NOT_IN;
    }
    for (size_t i = 0; i < sizeof comparisons / sizeof *comparisons; i++)
        if (p->t.k == comparisons[i].k) {
            advance(p);
            return (int)comparisons[i].op;
        }
    return -1;
}

static enode *parse_compare(parser *p)
{
    enode *l = parse_primary(p);
    if (!l)
        return NULL;
    int op = take_cmp_op(p);
    if (op < 0)
        return l;
    enode *r = parse_primary(p);
    if (!r)
        return NULL;
    tok next = p->t;
    if (take_cmp_op(p) >= 0) {
        error_at(p, next.start, next.end, "comparisons do not chain; join them with \"and\"");
        return NULL;
    }
    enode *e = new_enode(p, E_CMP, l->start, r->end);
    if (!e)
        return NULL;
    e->u.cmp.op = (cmp_op)op;
    e->u.cmp.l = l;
    e->u.cmp.r = r;
    return e;
}

static enode *parse_not(parser *p)
{
    if (p->t.k != T_NOT)
        return parse_compare(p);
    tok t = p->t;
    if (++p->depth > EXPR_MAX_DEPTH) {
        error_at(p, t.start, t.end, "expression nested too deeply");
        return NULL;
    }
    advance(p);
    enode *operand = parse_not(p);
    p->depth--;
    if (!operand)
        return NULL;
    enode *e = new_enode(p, E_NOT, t.start, operand->end);
    if (e)
        e->u.operand = operand;
    return e;
}

/* One level of "x (OP x)*" for and/or. */
static enode *parse_junction(parser *p, tok_kind op, ekind kind, enode *(*sub)(parser *))
{
    enode *first = sub(p);
    if (!first || p->t.k != op)
        return first;
    enode *e = new_enode(p, kind, first->start, first->end);
    size_t cap = 0;
    if (!e || !push_ptr(p, &e->u.list.v, &e->u.list.n, &cap, first))
        return NULL;
    while (p->t.k == op) {
        advance(p);
        enode *x = sub(p);
        if (!x || !push_ptr(p, &e->u.list.v, &e->u.list.n, &cap, x))
            return NULL;
        e->end = x->end;
    }
    return e;
}

static enode *parse_and(parser *p) { return parse_junction(p, T_AND, E_AND, parse_not); }

static enode *parse_or(parser *p)
{
    if (++p->depth > EXPR_MAX_DEPTH) {
        error_at(p, p->t.start, p->t.end, "expression nested too deeply");
        return NULL;
    }
    enode *e = parse_junction(p, T_OR, E_OR, parse_and);
    p->depth--;
    return e;
}

static void release_list(rx *r)
{
    for (; r; r = r->next)
        if (r->live) {
            regfree(&r->re);
            r->live = false;
        }
}

bh_expr *expr_parse(bh_arena *a, const char *text, size_t len, bh_span where,
                    bh_diags *diags)
{
    parser p = {.a = a, .text = text, .where = where, .diags = diags};
    p.base = where.start;
    if (where.src && where.end > where.start && where.end - where.start > len) {
        char q = source_data(where.src)[where.start];
        if (q == '"' || q == '\'')
            p.base++;           /* a quoted YAML scalar: skip the quote */
    }
    if (len > UINT32_MAX / 2) {
        error_at(&p, 0, 0, "expression too long");
        return NULL;
    }
    p.len = (uint32_t)len;
    advance(&p);
    if (p.t.k == T_EOF && !p.failed) {
        error_at(&p, 0, p.len, "empty expression");
        return NULL;
    }
    enode *root = parse_or(&p);
    if (root && p.t.k != T_EOF) {
        char buf[64];
        if (p.t.k == T_NOT)
            error_at(&p, p.t.start, p.t.end, "unexpected \"not\" (did you mean \"not in\"?)");
        else
            error_at(&p, p.t.start, p.t.end, "unexpected %s after expression",
                     describe(&p, &p.t, buf, sizeof buf));
        root = NULL;
    }
    if (p.failed)
        root = NULL;
    bh_expr *e = root ? arena_alloc(a, sizeof *e) : NULL;
    char *copy = e ? arena_strndup(a, text, len) : NULL;
    if (!copy) {
        if (root)
            oom(&p);
        release_list(p.regexes);
        return NULL;
    }
    e->text = copy;
    e->len = len;
    e->root = root;
    e->regexes = p.regexes;
    return e;
}

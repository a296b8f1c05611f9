/*
 * tfeval.c - Terraform modules: declarations, variables, locals, module
 * calls, resources, and the expression language (tfeval.h, tf_int.h).
 *
 * A module instance (tf_mod) holds the declarations of its files and
 * evaluates lazily: a variable or local is computed when first referenced
 * and kept; a reference to a local that is being computed is a cycle.
 * Resources of wanted types are expanded (count, for_each) and their
 * bodies evaluated; module calls with local sources load the child's
 * files (once per directory) and evaluate it with the call's arguments.
 * Expressions of the HCL native syntax are evaluated by tf_ev; values of
 * the JSON syntax by evj (strings holding "${" are templates).
 */
#include "tf_int.h"

#include <dirent.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "strbuf.h"

/* ==================================================================== */
/* Declarations                                                           */
/* ==================================================================== */

/* An expression in either syntax: a HCL expression or a JSON value. */
typedef struct tfx {
    const hcl_expr *h;
    const doc_node *j;
} tfx;

static bool tfx_set(tfx x) { return x.h || x.j; }

/* A body in either syntax. */
typedef struct tfbody {
    const hcl_body *h;
    const doc_node *j;      /* a JSON object */
} tfbody;

typedef enum { ST_NEW, ST_BUSY, ST_DONE } state;

typedef struct var_decl {
    const char *name;
    bh_span at;
    tfx def;
    const char *type;       /* "string", "bool", "number", "list", ...; NULL: any */
    const hcl_expr *type_x; /* the type constraint, when written in HCL */
    bool nonnull;           /* nullable = false: a null argument means the default */
    state st;
    doc_node *val;          /* its value (may be unknown) */
} var_decl;

typedef struct local_decl {
    const char *name;
    bh_span at;
    tfx x;
    state st;
    doc_node *val;          /* NULL when it failed */
    const char *err;
    bh_span err_at;
} local_decl;

typedef struct res_decl {
    const char *type, *name;
    bh_span at;
    tfbody body;
    tfx count, for_each;
} res_decl;

typedef struct mod_decl {
    const char *name;
    bh_span at;
    tfbody body;
    const char *source;     /* NULL when not a string */
    tfx count, for_each;
    struct mod_inst {
        doc_node *key;      /* count.index or each.key; NULL without count/for_each */
        tf_mod *child;      /* NULL when not read (outside the roots, ...) */
    } *insts;
    size_t ninsts, capinsts;
    state st;               /* of the expansion */
} mod_decl;

typedef struct out_decl {
    const char *name;
    bh_span at;
    tfx x;
} out_decl;

/* A value given to a root module variable: tfvars files, --var-file,
 * --var (later entries win). */
typedef struct given {
    const char *name;
    tfx x;                  /* its expression */
    const doc_node *str;    /* or a string (--var) */
    const char *note;
    bh_span at;
} given;

/* The declarations of one directory's files. */
typedef struct decls {
    const char *dir;
    var_decl *vars;
    size_t nvars, capvars;
    local_decl *locals;
    size_t nlocals, caplocals;
    res_decl *res;
    size_t nres, capres;
    mod_decl *mods;
    size_t nmods, capmods;
    out_decl *outs;
    size_t nouts, capouts;
} decls;

struct tf_mod {
    tf_eval *e;
    decls d;                /* a copy: its variables and locals have their own state */
    const char *dir;        /* as displayed */
    const char *rel;        /* path.module: relative to the root module's directory */
    const char *prefix;     /* "" or "module.web." */
    unsigned depth;
    const tf_mod *caller;   /* NULL for the root */
    const mod_decl *call;
    const tf_scope *call_scope;  /* each / count of the call's instance */
    state out_st;
    doc_node *outputs;      /* a map of the output values */
};

typedef struct rendered rendered;

typedef struct dir_cache {
    const char *dir;
    decls d;
} dir_cache;

struct tf_eval {
    bh_arena *a;
    bh_diags *diags;
    const tf_opts *o;
    bool (*wanted)(const char *type);
    unsigned long steps, max_steps;
    size_t max_bytes;       /* the module's arena may grow to this */
    bool spent;
    unsigned refdepth;
    unsigned nerrors;
    const char *err;
    bh_span err_at;
    const char *root_dir;
    given *given;
    size_t ngiven, capgiven;
    tf_resource *res;
    size_t nres, capres;
    const bh_source **srcs;
    size_t nsrcs, capsrcs;
    dir_cache *dirs;
    size_t ndirs, capdirs;
    unsigned nmods;
    rendered *rendered;     /* tracked renders, for tf_decode_json */
    size_t nrendered, caprendered;
    bh_span *reported;      /* errors already turned into diagnostics */
    size_t nreported, capreported;
};

struct tf_module {
    tf_eval *e;
};

enum {
    MAX_REF_DEPTH = 128,    /* nested references (local -> local -> ...) */
    MAX_MOD_DEPTH = 16,     /* nested module calls */
    MAX_MODULES = 256,      /* module instances per evaluation */
    MAX_INSTANCES = 1024,   /* count / for_each instances of one resource */
    DEFAULT_STEPS = 2000000
};
#define DEFAULT_BYTES ((size_t)64 << 20)

/* Grow an arena array of elements of size sz to hold n + 1; NULL when
 * memory ran out. */
static void *grow(bh_arena *a, void *p, size_t *cap, size_t n, size_t sz)
{
    if (n < *cap)
        return p;
    size_t nc = *cap ? *cap * 2 : 8;
    void *q = arena_realloc(a, p, *cap * sz, nc * sz);
    if (q)
        *cap = nc;
    return q;
}

#define PUSH(a, arr, n, cap) \
    (((arr) = grow((a), (arr), &(cap), (n), sizeof *(arr))) ? &(arr)[(n)++] : NULL)

/* ==================================================================== */
/* Errors, steps, unknowns                                                */
/* ==================================================================== */

doc_node *tf_fail(const tf_ctx *c, bh_span at, const char *fmt, ...)
{
    tf_eval *e = c->e;
    va_list ap;
    va_start(ap, fmt);
    const char *msg = arena_vprintf(e->a, fmt, ap);
    va_end(ap);
    e->err = msg ? msg : "out of memory";
    e->err_at = at;
    e->nerrors++;
    return NULL;
}

unsigned tf_error_mark(const tf_ctx *c) { return c->e->nerrors; }
void tf_error_reset(const tf_ctx *c, unsigned mark) { c->e->nerrors = mark; }
bh_arena *tf_arena(const tf_ctx *c) { return c->e->a; }

bool tf_charge(const tf_ctx *c, bh_span at, unsigned long n)
{
    tf_eval *e = c->e;
    if (!e->spent && arena_used(e->a) > e->max_bytes) {
        e->spent = true;
        tf_fail(c, at, "evaluation stopped: the memory budget (%zu MiB) is spent (an enormous "
                       "expression?)", e->max_bytes >> 20);
        return false;
    }
    if (e->spent || (e->steps += n) > e->max_steps) {
        if (!e->spent)
            tf_fail(c, at, "evaluation stopped: the step budget (%lu) is spent (a "
                           "self-referencing or enormous expression?)", e->max_steps);
        e->spent = true;
        return false;
    }
    return true;
}

/* The source text at a span for an unknown: runs of blanks and newlines
 * as one space, at most 100 bytes. */
static const char *span_text(bh_arena *a, bh_span at)
{
    if (!span_valid(at) || at.end < at.start)
        return "?";
    const char *s = source_data(at.src) + at.start, *e = source_data(at.src) + at.end;
    char buf[104];
    size_t o = 0;
    for (; s < e && o < 100; s++) {
        bool blank = *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r';
        if (blank && (o == 0 || buf[o - 1] == ' '))
            continue;
        buf[o++] = blank ? ' ' : *s;
    }
    while (o && buf[o - 1] == ' ')
        o--;
    if (s < e) {
        memcpy(buf + (o > 97 ? 97 : o), "...", 3);
        o = (o > 97 ? 97 : o) + 3;
    }
    return arena_strndup(a, buf, o);
}

doc_node *tf_unknown(const tf_ctx *c, bh_span at)
{
    const char *t = span_text(c->e->a, at);
    doc_node *u = t ? doc_new_unknown(c->e->a, at, t) : NULL;
    return u ? u : tf_fail(c, at, "out of memory");
}

/* An unknown for the expression at `at` caused by unknown u (its trace
 * kept: why u is unknown). */
static doc_node *unknown_from(const tf_ctx *c, bh_span at, const doc_node *u)
{
    doc_node *n = tf_unknown(c, at);
    if (n && u)
        doc_set_trace(n, doc_trace_of(u));
    return n;
}

static doc_node *oom(const tf_ctx *c, bh_span at) { return tf_fail(c, at, "out of memory"); }

static doc_node *traced(const tf_ctx *c, doc_node *v, bh_span at, const char *note)
{
    if (!v || !note || !doc_add_trace(c->e->a, v, at, note))
        return oom(c, at);
    return v;
}

/* Report the last error as a diagnostic once per place. */
static void report_error(tf_eval *e)
{
    for (size_t i = 0; i < e->nreported; i++)
        if (e->reported[i].src == e->err_at.src && e->reported[i].start == e->err_at.start)
            return;
    bh_span *slot = PUSH(e->a, e->reported, e->nreported, e->capreported);
    if (slot)
        *slot = e->err_at;
    diags_add(e->diags, DIAG_ERROR, e->err_at, "%s", e->err);
}

/* ==================================================================== */
/* Expressions                                                            */
/* ==================================================================== */

static doc_node *evj(const tf_ctx *c, const doc_node *j);

static doc_node *ev_x(const tf_ctx *c, tfx x)
{
    return x.h ? tf_ev(c, x.h) : evj(c, x.j);
}

static bh_span tfx_span(tfx x) { return x.h ? x.h->span : doc_span(x.j); }

/* Evaluate where a value is needed: an error becomes a diagnostic and an
 * unknown, so one bad expression never hides the others. */
static doc_node *ev_top(const tf_ctx *c, tfx x)
{
    unsigned mark = tf_error_mark(c);
    doc_node *v = ev_x(c, x);
    if (v)
        return v;
    report_error(c->e);
    tf_error_reset(c, mark);
    doc_node *u = tf_unknown(c, tfx_span(x));
    if (u)
        doc_add_trace(c->e->a, u, c->e->err_at, "cannot be evaluated here");
    tf_error_reset(c, mark);
    return u;
}

static const tf_scope *scope_find(const tf_scope *s, const char *name)
{
    for (; s; s = s->next)
        if (s->name && strcmp(s->name, name) == 0)
            return s;
    return NULL;
}

/* ---- references ---------------------------------------------------------- */

static var_decl *find_var(tf_mod *m, const char *name)
{
    for (size_t i = 0; i < m->d.nvars; i++)
        if (strcmp(m->d.vars[i].name, name) == 0)
            return &m->d.vars[i];
    return NULL;
}

static const given *find_given(const tf_eval *e, const char *name)
{
    for (size_t i = e->ngiven; i-- > 0;)
        if (strcmp(e->given[i].name, name) == 0)
            return &e->given[i];
    return NULL;
}

static bool type_is(const char *type, const char *t) { return type && strcmp(type, t) == 0; }

/* Convert a value to a primitive type, as Terraform does. */
static doc_node *convert_to(const tf_ctx *c, doc_node *v, const char *type)
{
    bh_arena *a = c->e->a;
    if (!v || tf_type_of(v) == TF_UNKNOWN || tf_type_of(v) == TF_NULL)
        return v;
    doc_node *out = v;
    if (type_is(type, "bool") && tf_type_of(v) == TF_STR) {
        bool b;
        if (tf_to_bool(v, &b))
            out = tf_bool(a, doc_span(v), b);
    } else if (type_is(type, "number") && tf_type_of(v) == TF_STR) {
        double d;
        bool isint;
        int64_t i;
        if (tf_to_number(v, &d, &isint, &i))
            out = isint ? tf_num_i(a, doc_span(v), i) : tf_num_f(a, doc_span(v), d);
    } else if (type_is(type, "string") &&
               (tf_type_of(v) == TF_NUM || tf_type_of(v) == TF_BOOL)) {
        out = tf_str(a, doc_span(v), doc_text(v), doc_text_len(v));
    }
    if (out && out != v)
        doc_set_trace(out, doc_trace_of(v));
    return out ? out : oom(c, doc_span(v));
}

static doc_node *conform(const tf_ctx *c, doc_node *v, const hcl_expr *t, unsigned depth);

static const hcl_expr *call_arg(const hcl_expr *t, const char *fn, size_t i)
{
    return t && t->kind == HCL_E_CALL && strcmp(t->u.call.name, fn) == 0 && i < t->u.call.n
               ? t->u.call.args[i]
               : NULL;
}

/* object({a = optional(T, d), b = T}): missing optional attributes get
 * their default (or null), as Terraform's type conversion does. */
static doc_node *conform_object(const tf_ctx *c, doc_node *v, const hcl_expr *attrs,
                                unsigned depth)
{
    bh_arena *a = c->e->a;
    doc_node *m = doc_new_map(a, doc_span(v));
    for (size_t i = 0; m && i < doc_len(v); i++)
        if (!doc_map_append(a, m, doc_map_key(v, i), doc_map_val(v, i)))
            m = NULL;
    for (size_t i = 0; m && i < attrs->u.object.n; i++) {
        const hcl_obj_item *it = &attrs->u.object.items[i];
        const char *name = it->key->kind == HCL_E_STRING ? it->key->u.str.text
                           : it->key->kind == HCL_E_VAR  ? it->key->u.var.name
                                                         : NULL;
        if (!name)
            continue;
        const hcl_expr *at = it->value, *opt = call_arg(at, "optional", 0);
        doc_node *val = doc_get(v, name);
        /* an optional attribute omitted or null takes its default */
        if (val && opt && tf_type_of(val) == TF_NULL && call_arg(at, "optional", 1))
            val = NULL;
        if (!val && opt) {
            const hcl_expr *def = call_arg(at, "optional", 1);
            tf_ctx none = {c->e, NULL, NULL};
            val = def ? ev_top(&none, (tfx){def, NULL}) : tf_null(a, doc_span(v));
            if (val && def && !doc_add_trace(a, val = doc_copy(a, val), def->span,
                                             arena_printf(a, "from the optional default of "
                                                             "attribute \"%s\"", name)))
                val = NULL;
        }
        if (!val)
            continue;
        val = conform(c, val, opt ? opt : at, depth + 1);
        if (!val || !doc_map_put(a, m, name, val))
            m = NULL;
    }
    return m ? m : oom(c, doc_span(v));
}

/* v converted to the type constraint t (HCL): primitives converted,
 * optional object attributes filled in, collections element by element. */
static doc_node *conform(const tf_ctx *c, doc_node *v, const hcl_expr *t, unsigned depth)
{
    if (!v || !t || depth > 32)
        return v;
    tf_type vt = tf_type_of(v);
    if (vt == TF_UNKNOWN || vt == TF_NULL)
        return v;
    if (t->kind == HCL_E_VAR)
        return convert_to(c, v, t->u.var.name);
    if (t->kind != HCL_E_CALL || t->u.call.n == 0)
        return v;
    const char *fn = t->u.call.name;
    const hcl_expr *inner = t->u.call.args[0];
    bh_arena *a = c->e->a;
    if (strcmp(fn, "optional") == 0)
        return conform(c, v, inner, depth + 1);
    if (strcmp(fn, "object") == 0 && vt == TF_MAP && inner->kind == HCL_E_OBJECT)
        return conform_object(c, v, inner, depth);
    if ((strcmp(fn, "list") == 0 || strcmp(fn, "set") == 0) && vt == TF_LIST) {
        doc_node *s = doc_new_seq(a, doc_span(v));
        for (size_t i = 0; s && i < doc_len(v); i++) {
            doc_node *item = conform(c, doc_seq_at(v, i), inner, depth + 1);
            if (!item || !doc_seq_append(a, s, item))
                s = NULL;
        }
        return s ? s : oom(c, doc_span(v));
    }
    if (strcmp(fn, "map") == 0 && vt == TF_MAP) {
        doc_node *m = doc_new_map(a, doc_span(v));
        for (size_t i = 0; m && i < doc_len(v); i++) {
            doc_node *item = conform(c, doc_map_val(v, i), inner, depth + 1);
            if (!item || !doc_map_append(a, m, doc_map_key(v, i), item))
                m = NULL;
        }
        return m ? m : oom(c, doc_span(v));
    }
    return v;
}

/* A value converted to a variable's type constraint. */
static doc_node *convert(const tf_ctx *c, doc_node *v, const var_decl *d)
{
    if (d->type_x)
        return conform(c, v, d->type_x, 0);
    return convert_to(c, v, d->type);
}

/* Compute a variable's value once: given, caller's argument, default, or
 * unknown. */
static doc_node *var_compute(const tf_ctx *c, tf_mod *m, var_decl *d)
{
    tf_eval *e = c->e;
    bh_arena *a = e->a;
    if (!m->caller) {
        const given *g = find_given(e, d->name);
        if (g) {
            tf_ctx none = {e, NULL, NULL};
            doc_node *v = g->str ? (doc_node *)g->str : ev_top(&none, g->x);
            if (v && g->str && !type_is(d->type, "string") && d->type) {
                /* --var values of complex types are HCL expressions */
                bh_diags *tmp = diags_new();
                hcl_expr *x = tmp ? hcl_parse_expr_range(doc_span(v).src, doc_span(v).start,
                                                         doc_span(v).end, a, NULL, tmp)
                                  : NULL;
                diags_free(tmp);
                if (x)
                    v = ev_top(&none, (tfx){x, NULL});
            }
            v = v ? doc_copy(a, v) : NULL;
            v = traced(c, v, g->at, g->note);
            return convert(c, v, d);
        }
    } else {
        const hcl_item *arg = m->call->body.h ? hcl_body_attr(m->call->body.h, d->name) : NULL;
        const doc_node *jarg = m->call->body.j ? doc_get(m->call->body.j, d->name) : NULL;
        if (arg || jarg) {
            tf_ctx cc = {e, (tf_mod *)m->caller, m->call_scope};
            tfx x = {arg ? arg->expr : NULL, arg ? NULL : jarg};
            doc_node *v = ev_top(&cc, x);
            if (!(v && d->nonnull && tf_type_of(v) == TF_NULL && tfx_set(d->def))) {
                v = v ? doc_copy(a, v) : NULL;
                const char *note = arena_printf(a, "from the argument of module \"%s\"",
                                                m->call->name);
                return convert(c, traced(c, v, tfx_span(x), note), d);
            }
        }
    }
    if (tfx_set(d->def)) {
        tf_ctx none = {e, NULL, NULL};
        doc_node *v = ev_top(&none, d->def);
        v = v ? doc_copy(a, v) : NULL;
        const char *note = arena_printf(a, "from the default of variable \"%s\"", d->name);
        return convert(c, traced(c, v, tfx_span(d->def), note), d);
    }
    doc_node *u = doc_new_unknown(a, d->at, arena_printf(a, "var.%s", d->name));
    const char *note = m->caller
                           ? arena_printf(a, "variable \"%s\" has no default and module \"%s\" "
                                             "passes no value", d->name, m->call->name)
                           : arena_printf(a, "variable \"%s\" has no default, and no tfvars "
                                             "file or --var gives it a value", d->name);
    return traced(c, u, d->at, note);
}

static doc_node *var_ref(const tf_ctx *c, const char *name, bh_span at)
{
    tf_mod *m = c->m;
    var_decl *d = find_var(m, name);
    if (!d)
        return tf_fail(c, at, "reference to undeclared input variable \"%s\"", name);
    if (d->st == ST_BUSY)
        return tf_fail(c, at, "variable \"%s\" depends on itself", name);
    if (d->st == ST_NEW) {
        d->st = ST_BUSY;
        d->val = var_compute(c, m, d);
        d->st = ST_DONE;
    }
    if (!d->val)
        return NULL;
    if (tf_is_unknown(d->val)) {
        doc_node *u = doc_new_unknown(c->e->a, at, arena_printf(c->e->a, "var.%s", name));
        if (u)
            doc_set_trace(u, doc_trace_of(d->val));
        return u ? u : oom(c, at);
    }
    return tf_moved(c->e->a, d->val, at);
}

static doc_node *local_ref(const tf_ctx *c, const char *name, bh_span at)
{
    tf_mod *m = c->m;
    local_decl *d = NULL;
    for (size_t i = 0; i < m->d.nlocals && !d; i++)
        if (strcmp(m->d.locals[i].name, name) == 0)
            d = &m->d.locals[i];
    if (!d)
        return tf_fail(c, at, "reference to undeclared local value \"%s\"", name);
    if (d->st == ST_BUSY)
        return tf_fail(c, at, "local.%s refers to itself", name);
    if (d->st == ST_NEW) {
        if (c->e->refdepth >= MAX_REF_DEPTH)
            return tf_fail(c, at, "references nested more than %d deep", MAX_REF_DEPTH);
        d->st = ST_BUSY;
        c->e->refdepth++;
        tf_ctx lc = {c->e, m, NULL};
        d->val = ev_x(&lc, d->x);
        c->e->refdepth--;
        if (!d->val) {
            d->err = c->e->err;
            d->err_at = c->e->err_at;
        }
        d->st = ST_DONE;
    }
    if (!d->val)
        return tf_fail(c, d->err_at, "%s", d->err);
    doc_node *v = tf_is_unknown(d->val) ? unknown_from(c, at, d->val)
                                        : tf_moved(c->e->a, d->val, at);
    return traced(c, v, d->at, arena_printf(c->e->a, "from local.%s", name));
}

static bool is_local_source(const char *s);
static void mod_expand(tf_mod *m, mod_decl *d);

/* The outputs of a module instance, computed once. */
static doc_node *child_outputs(const tf_ctx *c, tf_mod *child, bh_span at)
{
    if (child->out_st == ST_BUSY)
        return tf_fail(c, at, "module outputs depend on themselves");
    if (child->out_st == ST_NEW) {
        child->out_st = ST_BUSY;
        doc_node *outs = doc_new_map(c->e->a, at);
        tf_ctx cc = {c->e, child, NULL};
        for (size_t i = 0; outs && i < child->d.nouts; i++) {
            out_decl *o = &child->d.outs[i];
            doc_node *v = ev_top(&cc, o->x);
            if (!v || !doc_map_put(c->e->a, outs, o->name, v))
                outs = NULL;
        }
        child->outputs = outs;
        child->out_st = ST_DONE;
    }
    return child->outputs ? child->outputs : oom(c, at);
}

/* module.NAME: the map of the child's outputs (a list of them with count,
 * a map by key with for_each). */
static doc_node *module_ref(const tf_ctx *c, const char *name, bh_span at)
{
    tf_mod *m = c->m;
    bh_arena *a = c->e->a;
    mod_decl *d = NULL;
    for (size_t i = 0; i < m->d.nmods && !d; i++)
        if (strcmp(m->d.mods[i].name, name) == 0)
            d = &m->d.mods[i];
    if (!d)
        return tf_fail(c, at, "reference to undeclared module \"%s\"", name);
    if (!is_local_source(d->source)) {
        const char *why = d->source ? arena_printf(a, "module \"%s\" comes from \"%s\", which "
                                                      "bulkhead does not fetch", name, d->source)
                                    : "the module's source is not a string";
        return traced(c, tf_unknown(c, at), d->at, why);
    }
    if (d->st == ST_BUSY)
        return tf_fail(c, at, "module \"%s\" depends on its own outputs", name);
    mod_expand(m, d);
    bool keyed = tfx_set(d->count) || tfx_set(d->for_each);
    doc_node *all = tfx_set(d->count) ? doc_new_seq(a, at) : doc_new_map(a, at);
    if (!all)
        return oom(c, at);
    for (size_t i = 0; i < d->ninsts; i++) {
        const struct mod_inst *in = &d->insts[i];
        if (!in->child || (in->key && tf_is_unknown(in->key)))
            return traced(c, tf_unknown(c, at), d->at,
                          in->child ? "how many instances the module has is not known"
                                    : "the module's directory is not read");
        doc_node *outs = child_outputs(c, in->child, at);
        if (!outs)
            return NULL;
        if (!keyed)
            return tf_moved(a, outs, at);
        if (tfx_set(d->count) ? !doc_seq_append(a, all, outs)
                              : !doc_map_put(a, all, doc_text(in->key), outs))
            return oom(c, at);
    }
    if (!keyed)
        return traced(c, tf_unknown(c, at), d->at, "the module is not evaluated");
    return all;
}

static doc_node *get_attr(const tf_ctx *c, const doc_node *o, const char *name, bh_span at);

/* A root name followed by one attribute: var.x, local.x, module.x,
 * path.module, ...; NULL with *handled false when the root is an
 * ordinary value. */
static doc_node *root_attr(const tf_ctx *c, const hcl_expr *x, bool *handled)
{
    const char *root = x->u.attr.obj->u.var.name, *name = x->u.attr.name;
    *handled = true;
    const tf_scope *bound = scope_find(c->scope, root);
    if (bound && (strcmp(root, "each") == 0 || strcmp(root, "count") == 0)) {
        /* each.value, count.index: placed at the reference, traced to
         * where the value is written */
        doc_node *v = get_attr(c, bound->val, name, x->span);
        if (!v || tf_is_unknown(v))
            return v;
        const char *note = arena_printf(c->e->a, "from %s.%s", root, name);
        return traced(c, tf_moved(c->e->a, v, x->span), doc_span(v), note);
    }
    if (bound) {
        *handled = false;
        return NULL;
    }
    if (!c->m) {
        if (strcmp(root, "path") == 0 || strcmp(root, "var") == 0 || strcmp(root, "local") == 0)
            return tf_fail(c, x->span, "variables may not be used here");
        return tf_unknown(c, x->span);
    }
    if (strcmp(root, "var") == 0)
        return var_ref(c, name, x->span);
    if (strcmp(root, "local") == 0)
        return local_ref(c, name, x->span);
    if (strcmp(root, "module") == 0)
        return module_ref(c, name, x->span);
    if (strcmp(root, "path") == 0) {
        const char *p = strcmp(name, "module") == 0 ? c->m->rel : ".";
        if (strcmp(name, "module") && strcmp(name, "root") && strcmp(name, "cwd"))
            return tf_fail(c, x->span, "unknown path attribute \"%s\"", name);
        return traced(c, tf_str(c->e->a, x->span, p, strlen(p)), x->span,
                      "relative to the root module's directory");
    }
    if (strcmp(root, "each") == 0 || strcmp(root, "count") == 0)
        return tf_fail(c, x->span, "\"%s.%s\" used where %s is not set", root, name,
                       root[0] == 'e' ? "for_each" : "count");
    /* data sources, resources, self, terraform.workspace: known only to a
     * plan */
    doc_node *u = tf_unknown(c, x->span);
    return traced(c, u, x->span,
                  strcmp(root, "data") == 0 ? "a data source is read when Terraform plans"
                                            : "known only when Terraform plans or applies");
}

static doc_node *get_attr(const tf_ctx *c, const doc_node *o, const char *name, bh_span at)
{
    switch (tf_type_of(o)) {
    case TF_UNKNOWN: return unknown_from(c, at, o);
    case TF_MAP: {
        doc_node *v = doc_get(o, name);
        return v ? v : tf_fail(c, at, "this object has no attribute \"%s\"", name);
    }
    case TF_NULL: return tf_fail(c, at, "attempt to get attribute \"%s\" from a null value", name);
    default:
        return tf_fail(c, at, "cannot get attribute \"%s\" of a %s", name,
                       tf_type_name(tf_type_of(o)));
    }
}

static doc_node *ev_attr(const tf_ctx *c, const hcl_expr *x)
{
    const hcl_expr *obj = x->u.attr.obj;
    if (obj->kind == HCL_E_VAR) {
        bool handled;
        doc_node *v = root_attr(c, x, &handled);
        if (handled)
            return v;
    }
    doc_node *o = tf_ev(c, obj);
    if (!o)
        return NULL;
    return get_attr(c, o, x->u.attr.name, x->span);
}

static doc_node *ev_var(const tf_ctx *c, const hcl_expr *x)
{
    const tf_scope *s = scope_find(c->scope, x->u.var.name);
    if (s)
        return s->val;
    const char *n = x->u.var.name;
    if (strcmp(n, "var") == 0 || strcmp(n, "local") == 0 || strcmp(n, "module") == 0 ||
        strcmp(n, "path") == 0 || strcmp(n, "each") == 0 || strcmp(n, "count") == 0)
        return tf_fail(c, x->span, "\"%s\" must be followed by an attribute name", n);
    return tf_unknown(c, x->span);
}

static doc_node *ev_index(const tf_ctx *c, const hcl_expr *x)
{
    doc_node *coll = tf_ev(c, x->u.index.coll);
    if (!coll)
        return NULL;
    if (tf_is_unknown(coll))
        return unknown_from(c, x->span, coll);
    doc_node *key = tf_ev(c, x->u.index.key);
    if (!key)
        return NULL;
    if (tf_is_unknown(key))
        return unknown_from(c, x->span, key);
    if (tf_type_of(coll) == TF_LIST) {
        double d;
        bool isint;
        int64_t i;
        if (!tf_to_number(key, &d, &isint, &i) || !isint)
            return tf_fail(c, x->u.index.key->span, "a list index must be a whole number");
        if (i < 0 || (size_t)i >= doc_len(coll))
            return tf_fail(c, x->u.index.key->span, "index %lld is out of range for a list "
                           "of %zu", (long long)i, doc_len(coll));
        return doc_seq_at(coll, (size_t)i);
    }
    if (tf_type_of(coll) == TF_MAP) {
        size_t n;
        const char *k = tf_to_text(c->e->a, key, &n);
        if (!k)
            return tf_fail(c, x->u.index.key->span, "a map key must be a string");
        doc_node *v = doc_get(coll, k);
        return v ? v : tf_fail(c, x->u.index.key->span, "the map has no element \"%s\"", k);
    }
    return tf_fail(c, x->span, "cannot index a %s", tf_type_name(tf_type_of(coll)));
}

static doc_node *ev_splat(const tf_ctx *c, const hcl_expr *x)
{
    doc_node *src = tf_ev(c, x->u.splat.source);
    if (!src)
        return NULL;
    if (tf_is_unknown(src))
        return unknown_from(c, x->span, src);
    doc_node *out = doc_new_seq(c->e->a, x->span);
    if (!out)
        return oom(c, x->span);
    if (tf_type_of(src) == TF_NULL)
        return out;
    size_t n = tf_type_of(src) == TF_LIST ? doc_len(src) : 1;
    for (size_t i = 0; i < n; i++) {
        doc_node *item = tf_type_of(src) == TF_LIST ? doc_seq_at(src, i) : src;
        tf_scope s = {NULL, x->u.splat.item, item, c->scope};
        tf_ctx ic = {c->e, c->m, &s};
        doc_node *v = x->u.splat.each ? tf_ev(&ic, x->u.splat.each) : item;
        if (!v)
            return NULL;
        if (!doc_seq_append(c->e->a, out, v))
            return oom(c, x->span);
    }
    return out;
}

static doc_node *ev_splat_item(const tf_ctx *c, const hcl_expr *x)
{
    for (const tf_scope *s = c->scope; s; s = s->next)
        if (s->item == x)
            return s->val;
    return tf_fail(c, x->span, "splat placeholder outside its splat");
}

/* ---- templates ----------------------------------------------------------- */

/* A piece of rendered template text and where it came from: a literal
 * part (lit: its bytes are the source's, lines aligned at their ends) or
 * an interpolation (every byte maps to the expression). */
typedef struct tf_seg {
    uint32_t out, len;
    bh_span at;
    bool lit;
} tf_seg;

/* A rendered heredoc or template file, kept so JSON in it can be decoded
 * with positions (tf_decode_json).  key: the rendered string's text, or,
 * when a part was unknown, the trace entry added to the unknown value;
 * unknown parts are rendered as "@@bhu<N>@@" placeholders. */
struct rendered {
    const void *key;
    const char *text;
    size_t len;
    tf_seg *segs;
    size_t nsegs;
    doc_node **unknowns;
    size_t nunknowns;
    const bh_source *src;   /* the template's source */
};

typedef struct tbuf {
    strbuf text;
    bool track;             /* record segments and render unknowns as placeholders */
    tf_seg *segs;
    size_t nsegs, capsegs;
    doc_node **unk;
    size_t nunk, capunk;
} tbuf;

static bool tput(tbuf *b, const char *s, size_t n) { return strbuf_put(&b->text, s, n); }

static bool tseg(tbuf *b, size_t from, bh_span at, bool lit)
{
    if (!b->track || b->text.n == from)
        return true;
    if (b->nsegs == b->capsegs) {
        size_t cap = b->capsegs ? b->capsegs * 2 : 16;
        tf_seg *v = realloc(b->segs, cap * sizeof *v);
        if (!v)
            return false;
        b->segs = v;
        b->capsegs = cap;
    }
    b->segs[b->nsegs++] = (tf_seg){(uint32_t)from, (uint32_t)(b->text.n - from), at, lit};
    return true;
}

/* An unknown part of a tracked render: a placeholder. */
static bool tunknown(tbuf *b, doc_node *u, bh_span at)
{
    if (b->nunk == b->capunk) {
        size_t cap = b->capunk ? b->capunk * 2 : 8;
        doc_node **v = realloc(b->unk, cap * sizeof *v);
        if (!v)
            return false;
        b->unk = v;
        b->capunk = cap;
    }
    b->unk[b->nunk] = u;
    char ph[32];
    int n = snprintf(ph, sizeof ph, "@@bhu%zu@@", b->nunk++);
    size_t from = b->text.n;
    return tput(b, ph, (size_t)n) && tseg(b, from, at, false);
}

static void tfree(tbuf *b)
{
    strbuf_free(&b->text);
    free(b->segs);
    free(b->unk);
}

/* Render a template part into b; false on error, *unknown set (and true
 * returned) when a part is unknown. */
static bool render(const tf_ctx *c, const hcl_expr *part, tbuf *b, doc_node **unknown);

static bool render_lit(const tf_ctx *c, const hcl_expr *t, tbuf *b)
{
    size_t from = b->text.n;
    return (tput(b, t->u.str.text, t->u.str.len) && tseg(b, from, t->span, true)) ||
           oom(c, t->span);
}

static bool render_all(const tf_ctx *c, const hcl_expr *t, tbuf *b, doc_node **unknown)
{
    if (t->kind == HCL_E_STRING)
        return render_lit(c, t, b);
    if (t->kind != HCL_E_TEMPLATE)
        return render(c, t, b, unknown);
    for (size_t i = 0; i < t->u.tmpl.n && !*unknown; i++)
        if (!render(c, t->u.tmpl.parts[i], b, unknown))
            return false;
    return true;
}

static bool render_for(const tf_ctx *c, const hcl_expr *p, tbuf *b, doc_node **unknown);

static bool render(const tf_ctx *c, const hcl_expr *p, tbuf *b, doc_node **unknown)
{
    if (p->kind == HCL_E_STRING)
        return render_lit(c, p, b);
    if (p->kind == HCL_E_TEMPLATE)
        return render_all(c, p, b, unknown);
    if (p->kind == HCL_E_TMPL_IF) {
        doc_node *cond = tf_ev(c, p->u.tif.cond);
        bool t;
        if (!cond)
            return false;
        if (tf_is_unknown(cond))
            return b->track ? tunknown(b, cond, p->span) || oom(c, p->span)
                            : ((*unknown = cond), true);
        if (!tf_to_bool(cond, &t))
            return tf_fail(c, p->u.tif.cond->span, "the condition must be a bool"), false;
        const hcl_expr *branch = t ? p->u.tif.then_ : p->u.tif.else_;
        return !branch || render_all(c, branch, b, unknown);
    }
    if (p->kind == HCL_E_TMPL_FOR)
        return render_for(c, p, b, unknown);
    doc_node *v = tf_ev(c, p);
    if (!v)
        return false;
    if (tf_is_unknown(v) || (b->track && tf_find_unknown(v)))
        return b->track ? tunknown(b, v, p->span) || oom(c, p->span)
                        : ((*unknown = v), true);
    size_t n;
    const char *s = tf_to_text(c->e->a, v, &n);
    if (!s)
        return tf_fail(c, p->span, "cannot include a %s in a string template",
                       tf_type_name(tf_type_of(v))), false;
    if (!tf_charge(c, p->span, n / 64))
        return false;
    size_t from = b->text.n;
    return (tput(b, s, n) && tseg(b, from, p->span, false)) || oom(c, p->span);
}

/* Iterate a collection for `for` (templates and expressions): keys of a map
 * in lexical order, as Terraform does. */
typedef bool (*each_fn)(const tf_ctx *c, const doc_node *k, doc_node *v, void *arg);

static int pair_cmp(const void *x, const void *y)
{
    const doc_node *const *a = x, *const *b = y;
    return strcmp(doc_text(a[0]), doc_text(b[0]));
}

static bool iterate(const tf_ctx *c, const doc_node *coll, bh_span at, each_fn fn, void *arg)
{
    bh_arena *a = c->e->a;
    if (tf_type_of(coll) == TF_LIST) {
        for (size_t i = 0; i < doc_len(coll); i++) {
            doc_node *k = tf_num_i(a, doc_span(doc_seq_at(coll, i)), (int64_t)i);
            if (!k)
                return oom(c, at);
            if (!fn(c, k, doc_seq_at(coll, i), arg))
                return false;
        }
        return true;
    }
    if (tf_type_of(coll) != TF_MAP)
        return tf_fail(c, at, "cannot iterate over a %s", tf_type_name(tf_type_of(coll))), false;
    size_t n = doc_len(coll);
    doc_node **kv = malloc((n ? n : 1) * 2 * sizeof *kv);
    if (!kv)
        return oom(c, at);
    for (size_t i = 0; i < n; i++) {
        kv[2 * i] = doc_map_key(coll, i);
        kv[2 * i + 1] = doc_map_val(coll, i);
    }
    qsort(kv, n, 2 * sizeof *kv, pair_cmp);
    bool ok = true;
    for (size_t i = 0; ok && i < n; i++) {
        doc_node *k = tf_str(a, doc_span(kv[2 * i]), doc_text(kv[2 * i]),
                             doc_text_len(kv[2 * i]));
        ok = k ? fn(c, k, kv[2 * i + 1], arg) : (oom(c, at), false);
    }
    free(kv);
    return ok;
}

typedef struct tfor_arg {
    const hcl_expr *p;
    tbuf *b;
    doc_node **unknown;
} tfor_arg;

static bool tfor_one(const tf_ctx *c, const doc_node *k, doc_node *v, void *arg)
{
    tfor_arg *t = arg;
    tf_scope sv = {t->p->u.tfor.val, NULL, v, c->scope};
    tf_scope sk = {t->p->u.tfor.key, NULL, (doc_node *)k, &sv};
    tf_ctx ic = {c->e, c->m, t->p->u.tfor.key ? &sk : &sv};
    return !*t->unknown && render_all(&ic, t->p->u.tfor.body, t->b, t->unknown);
}

static bool render_for(const tf_ctx *c, const hcl_expr *p, tbuf *b, doc_node **unknown)
{
    doc_node *coll = tf_ev(c, p->u.tfor.coll);
    if (!coll)
        return false;
    if (tf_is_unknown(coll))
        return b->track ? tunknown(b, coll, p->span) || oom(c, p->span)
                        : ((*unknown = coll), true);
    tfor_arg t = {p, b, unknown};
    return iterate(c, coll, p->u.tfor.coll->span, tfor_one, &t) || *unknown;
}

/* Keep a tracked render for tf_decode_json; v is its result (a string, or
 * an unknown that gets a trace entry as the key). */
static doc_node *keep_render(const tf_ctx *c, tbuf *b, bh_span at, doc_node *v)
{
    tf_eval *e = c->e;
    rendered *r = PUSH(e->a, e->rendered, e->nrendered, e->caprendered);
    if (!r)
        return oom(c, at);
    *r = (rendered){NULL, arena_strndup(e->a, b->text.p ? b->text.p : "", b->text.n), b->text.n,
                    arena_alloc(e->a, (b->nsegs ? b->nsegs : 1) * sizeof(tf_seg)), b->nsegs,
                    arena_alloc(e->a, (b->nunk ? b->nunk : 1) * sizeof(doc_node *)), b->nunk,
                    at.src};
    if (!r->text || !r->segs || !r->unknowns)
        return oom(c, at);
    if (b->nsegs)
        memcpy(r->segs, b->segs, b->nsegs * sizeof(tf_seg));
    if (b->nunk)
        memcpy(r->unknowns, b->unk, b->nunk * sizeof(doc_node *));
    if (b->nunk == 0) {
        doc_node *str = tf_str(e->a, at, r->text, r->len);
        if (!str)
            return oom(c, at);
        r->key = doc_text(str);
        return str;
    }
    doc_node *u = unknown_from(c, doc_span(b->unk[0]), b->unk[0]);
    if (!u || !doc_add_trace(e->a, u, at, "a template with a part known only at apply time"))
        return oom(c, at);
    r->key = doc_trace_of(u);
    return u;
}

/* Render a template; tracked: keep the rendering for tf_decode_json. */
static doc_node *render_template(const tf_ctx *c, const hcl_expr *x, bool track)
{
    tbuf b = {0};
    b.track = track;
    doc_node *unknown = NULL;
    bool ok = render_all(c, x, &b, &unknown);
    doc_node *v = NULL;
    if (ok && unknown)
        v = unknown;
    else if (ok && track)
        v = keep_render(c, &b, x->span, NULL);
    else if (ok)
        v = tf_str(c->e->a, x->span, b.text.p ? b.text.p : "", b.text.n);
    tfree(&b);
    return ok && !v ? oom(c, x->span) : v;
}

static doc_node *ev_template(const tf_ctx *c, const hcl_expr *x)
{
    const hcl_expr *const *parts = (const hcl_expr *const *)x->u.tmpl.parts;
    size_t n = x->u.tmpl.n;
    if (n == 1 && parts[0]->kind != HCL_E_STRING && parts[0]->kind != HCL_E_TMPL_IF &&
        parts[0]->kind != HCL_E_TMPL_FOR)
        return tf_ev(c, parts[0]);   /* "${x}" is x, unconverted */
    return render_template(c, x, x->u.tmpl.info.style == HCL_STR_HEREDOC);
}

doc_node *tf_render_file(const tf_ctx *c, const hcl_expr *t) { return render_template(c, t, true); }

static doc_node *ev_string(const tf_ctx *c, const hcl_expr *x)
{
    const hcl_strinfo *in = &x->u.str.info;
    if (in->verbatim && (in->style == HCL_STR_QUOTED || in->style == HCL_STR_HEREDOC)) {
        doc_node *v = tf_str(c->e->a, in->content, x->u.str.text, x->u.str.len);
        if (v)
            doc_set_tag(v, "!verbatim");
        return v ? v : oom(c, x->span);
    }
    doc_node *v = tf_str(c->e->a, x->span, x->u.str.text, x->u.str.len);
    return v ? v : oom(c, x->span);
}

/* ---- collections ----------------------------------------------------------- */

static doc_node *ev_tuple(const tf_ctx *c, const hcl_expr *x)
{
    doc_node *s = doc_new_seq(c->e->a, x->span);
    if (!s)
        return oom(c, x->span);
    for (size_t i = 0; i < x->u.tuple.n; i++) {
        doc_node *v = tf_ev(c, x->u.tuple.items[i]);
        if (!v)
            return NULL;
        if (!doc_seq_append(c->e->a, s, v))
            return oom(c, x->span);
    }
    return s;
}

/* An object key: a bare name, or an expression that gives a string. */
static doc_node *ev_key(const tf_ctx *c, const hcl_expr *k)
{
    if (k->kind == HCL_E_STRING && k->u.str.info.style == HCL_STR_BARE)
        return tf_str(c->e->a, k->span, k->u.str.text, k->u.str.len);
    if (k->kind == HCL_E_VAR && !scope_find(c->scope, k->u.var.name))
        return tf_str(c->e->a, k->span, k->u.var.name, strlen(k->u.var.name));
    doc_node *v = tf_ev(c, k);
    if (!v || tf_is_unknown(v))
        return v;
    size_t n;
    const char *s = tf_to_text(c->e->a, v, &n);
    if (!s)
        return tf_fail(c, k->span, "an object key must be a string, not a %s",
                       tf_type_name(tf_type_of(v)));
    return tf_str(c->e->a, k->span, s, n);
}

static doc_node *ev_object(const tf_ctx *c, const hcl_expr *x)
{
    doc_node *m = doc_new_map(c->e->a, x->span);
    if (!m)
        return oom(c, x->span);
    for (size_t i = 0; i < x->u.object.n; i++) {
        const hcl_obj_item *it = &x->u.object.items[i];
        doc_node *k = ev_key(c, it->key);
        if (!k)
            return NULL;
        if (tf_is_unknown(k))
            return unknown_from(c, x->span, k);
        doc_node *v = tf_ev(c, it->value);
        if (!v)
            return NULL;
        if (!doc_map_put(c->e->a, m, doc_text(k), v))
            return oom(c, x->span);
        /* the key keeps its own span */
        long at = doc_map_find(m, doc_text(k), doc_text_len(k));
        if (at >= 0)
            doc_set_span(doc_map_key(m, (size_t)at), doc_span(k));
    }
    return m;
}

typedef struct for_arg {
    const hcl_expr *x;
    doc_node *out;
    doc_node *unknown;
} for_arg;

static bool for_one(const tf_ctx *c, const doc_node *k, doc_node *v, void *arg)
{
    for_arg *f = arg;
    const hcl_expr *x = f->x;
    tf_scope sv = {x->u.forx.val, NULL, v, c->scope};
    tf_scope sk = {x->u.forx.key, NULL, (doc_node *)k, &sv};
    tf_ctx ic = {c->e, c->m, x->u.forx.key ? &sk : &sv};
    if (f->unknown)
        return true;
    if (x->u.forx.cond) {
        doc_node *cv = tf_ev(&ic, x->u.forx.cond);
        bool keep;
        if (!cv)
            return false;
        if (tf_is_unknown(cv))
            return (f->unknown = cv), true;
        if (!tf_to_bool(cv, &keep))
            return tf_fail(c, x->u.forx.cond->span, "the \"if\" condition must be a bool"), false;
        if (!keep)
            return true;
    }
    doc_node *val = tf_ev(&ic, x->u.forx.val_expr);
    if (!val)
        return false;
    if (!x->u.forx.object)
        return doc_seq_append(c->e->a, f->out, val) || oom(c, x->span);
    doc_node *key = tf_ev(&ic, x->u.forx.key_expr);
    if (!key)
        return false;
    if (tf_is_unknown(key))
        return (f->unknown = key), true;
    size_t n;
    const char *ks = tf_to_text(c->e->a, key, &n);
    if (!ks)
        return tf_fail(c, x->u.forx.key_expr->span, "an object key must be a string"), false;
    if (!x->u.forx.group)
        return doc_map_put(c->e->a, f->out, ks, val) || oom(c, x->span);
    doc_node *group = doc_get(f->out, ks);
    if (!group) {
        group = doc_new_seq(c->e->a, x->span);
        if (!group || !doc_map_put(c->e->a, f->out, ks, group))
            return oom(c, x->span);
    }
    return doc_seq_append(c->e->a, group, val) || oom(c, x->span);
}

static doc_node *ev_for(const tf_ctx *c, const hcl_expr *x)
{
    doc_node *coll = tf_ev(c, x->u.forx.coll);
    if (!coll)
        return NULL;
    if (tf_is_unknown(coll))
        return unknown_from(c, x->span, coll);
    for_arg f = {x, x->u.forx.object ? doc_new_map(c->e->a, x->span)
                                     : doc_new_seq(c->e->a, x->span), NULL};
    if (!f.out)
        return oom(c, x->span);
    if (!iterate(c, coll, x->u.forx.coll->span, for_one, &f))
        return NULL;
    return f.unknown ? unknown_from(c, x->span, f.unknown) : f.out;
}

/* ---- operators ------------------------------------------------------------- */

static doc_node *ev_cond(const tf_ctx *c, const hcl_expr *x)
{
    doc_node *cond = tf_ev(c, x->u.cond.cond);
    bool t;
    if (!cond)
        return NULL;
    if (tf_is_unknown(cond))
        return cond;
    if (!tf_to_bool(cond, &t))
        return tf_fail(c, x->u.cond.cond->span, "the condition must be a bool, not a %s",
                       tf_type_name(tf_type_of(cond)));
    return tf_ev(c, t ? x->u.cond.then_ : x->u.cond.else_);
}

static doc_node *arith(const tf_ctx *c, const hcl_expr *x, doc_node *l, doc_node *r)
{
    double a, b;
    bool ai, bi;
    int64_t ia, ib, ir;
    bh_arena *ar = c->e->a;
    if (!tf_to_number(l, &a, &ai, &ia))
        return tf_fail(c, x->u.binary.lhs->span, "a number is required, not a %s",
                       tf_type_name(tf_type_of(l)));
    if (!tf_to_number(r, &b, &bi, &ib))
        return tf_fail(c, x->u.binary.rhs->span, "a number is required, not a %s",
                       tf_type_name(tf_type_of(r)));
    bool ints = ai && bi;
    switch (x->u.binary.op) {
    case HCL_OP_ADD:
        if (ints && !__builtin_add_overflow(ia, ib, &ir))
            return tf_num_i(ar, x->span, ir);
        return tf_num_f(ar, x->span, a + b);
    case HCL_OP_SUB:
        if (ints && !__builtin_sub_overflow(ia, ib, &ir))
            return tf_num_i(ar, x->span, ir);
        return tf_num_f(ar, x->span, a - b);
    case HCL_OP_MUL:
        if (ints && !__builtin_mul_overflow(ia, ib, &ir))
            return tf_num_i(ar, x->span, ir);
        return tf_num_f(ar, x->span, a * b);
    case HCL_OP_DIV:
        if (b == 0)
            return tf_fail(c, x->span, "division by zero");
        return tf_num_f(ar, x->span, a / b);
    case HCL_OP_MOD:
        if (!ints)
            return tf_fail(c, x->span, "%% needs whole numbers here");
        if (ib == 0)
            return tf_fail(c, x->span, "modulo by zero");
        if (ia == INT64_MIN && ib == -1)
            return tf_num_i(ar, x->span, 0);
        return tf_num_i(ar, x->span, ia % ib);
    case HCL_OP_LT: return tf_bool(ar, x->span, a < b);
    case HCL_OP_GT: return tf_bool(ar, x->span, a > b);
    case HCL_OP_LE: return tf_bool(ar, x->span, a <= b);
    case HCL_OP_GE: return tf_bool(ar, x->span, a >= b);
    default: return tf_fail(c, x->span, "unexpected operator");
    }
}

static doc_node *ev_binary(const tf_ctx *c, const hcl_expr *x)
{
    doc_node *l = tf_ev(c, x->u.binary.lhs);
    if (!l)
        return NULL;
    doc_node *r = tf_ev(c, x->u.binary.rhs);
    if (!r)
        return NULL;
    hcl_op op = x->u.binary.op;
    const doc_node *u = tf_find_unknown(l) ? tf_find_unknown(l) : tf_find_unknown(r);
    if (u)
        return (doc_node *)u;
    bh_arena *a = c->e->a;
    if (op == HCL_OP_EQ || op == HCL_OP_NE)
        return tf_bool(a, x->span, tf_equal(l, r) == (op == HCL_OP_EQ));
    if (op == HCL_OP_AND || op == HCL_OP_OR) {
        bool p, q;
        if (!tf_to_bool(l, &p))
            return tf_fail(c, x->u.binary.lhs->span, "a bool is required");
        if (!tf_to_bool(r, &q))
            return tf_fail(c, x->u.binary.rhs->span, "a bool is required");
        return tf_bool(a, x->span, op == HCL_OP_AND ? p && q : p || q);
    }
    return arith(c, x, l, r);
}

static doc_node *ev_unary(const tf_ctx *c, const hcl_expr *x)
{
    doc_node *v = tf_ev(c, x->u.unary.operand);
    if (!v || tf_is_unknown(v))
        return v;
    if (x->u.unary.op == HCL_OP_NOT) {
        bool b;
        if (!tf_to_bool(v, &b))
            return tf_fail(c, x->u.unary.operand->span, "a bool is required");
        return tf_bool(c->e->a, x->span, !b);
    }
    double d;
    bool isint;
    int64_t i;
    if (!tf_to_number(v, &d, &isint, &i))
        return tf_fail(c, x->u.unary.operand->span, "a number is required");
    return isint && i != INT64_MIN ? tf_num_i(c->e->a, x->span, -i)
                                   : tf_num_f(c->e->a, x->span, -d);
}

doc_node *tf_ev(const tf_ctx *c, const hcl_expr *x)
{
    if (!tf_charge(c, x->span, 1))
        return NULL;
    bh_arena *a = c->e->a;
    doc_node *v;
    switch (x->kind) {
    case HCL_E_NUMBER:
        v = tf_num_text(a, x->span, x->u.number.text, x->u.number.len);
        return v ? v : tf_fail(c, x->span, "a number out of range");
    case HCL_E_BOOL: return tf_bool(a, x->span, x->u.boolean);
    case HCL_E_NULL: return tf_null(a, x->span);
    case HCL_E_STRING: return ev_string(c, x);
    case HCL_E_TEMPLATE: return ev_template(c, x);
    case HCL_E_TUPLE: return ev_tuple(c, x);
    case HCL_E_OBJECT: return ev_object(c, x);
    case HCL_E_VAR: return ev_var(c, x);
    case HCL_E_ATTR: return ev_attr(c, x);
    case HCL_E_INDEX: return ev_index(c, x);
    case HCL_E_SPLAT: return ev_splat(c, x);
    case HCL_E_SPLAT_ITEM: return ev_splat_item(c, x);
    case HCL_E_CALL: return tf_call(c, x);
    case HCL_E_COND: return ev_cond(c, x);
    case HCL_E_UNARY: return ev_unary(c, x);
    case HCL_E_BINARY: return ev_binary(c, x);
    case HCL_E_PAREN: return tf_ev(c, x->u.paren.inner);
    case HCL_E_FOR: return ev_for(c, x);
    case HCL_E_TMPL_IF:
    case HCL_E_TMPL_FOR: break;
    }
    return tf_fail(c, x->span, "a template directive outside a template");
}

/* ---- the JSON syntax ---------------------------------------------------------
 * A string holding "${" or "%{" is a template; other values are literal. */

static bool has_template(const char *s, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++)
        if ((s[i] == '$' || s[i] == '%') && s[i + 1] == '{')
            return true;
    return false;
}

static void free_source(void *s) { source_free(s); }

static doc_node *evj_string(const tf_ctx *c, const doc_node *j)
{
    bh_arena *a = c->e->a;
    bh_span sp = doc_span(j);
    size_t n = doc_text_len(j);
    /* the raw text between the quotes, when it has no escapes */
    bool raw = span_valid(sp) && sp.end >= sp.start + 2 && sp.end - sp.start - 2 == n;
    if (!has_template(doc_text(j), n)) {
        doc_node *v = tf_str(a, raw ? span_make(sp.src, sp.start + 1, sp.end - 1) : sp,
                             doc_text(j), n);
        if (v && raw)
            doc_set_tag(v, "!verbatim");
        return v ? v : oom(c, sp);
    }
    bh_diags *d = diags_new();
    hcl_expr *t = NULL;
    if (d && raw) {
        t = hcl_parse_template_range(sp.src, sp.start + 1, sp.end - 1, a, NULL, d);
    } else if (d) {
        /* escapes: parse the decoded text on its own, placed at the string */
        bh_source *s = source_new(source_path(sp.src), doc_text(j), n);
        if (s && !arena_defer(a, free_source, s)) {
            source_free(s);
            s = NULL;
        }
        t = s ? hcl_parse_template(s, a, NULL, d) : NULL;
    }
    const bh_diag *err = d && diags_count(d) ? diags_get(d, 0) : NULL;
    doc_node *v = NULL;
    if (t)
        v = tf_ev(c, t);
    else
        tf_fail(c, sp, "%s", err ? err->message : "out of memory");
    diags_free(d);
    if (v && !raw && doc_kind_of(v) == DOC_SCALAR)
        v = tf_moved(a, v, sp);
    return v;
}

static doc_node *evj(const tf_ctx *c, const doc_node *j)
{
    bh_span sp = doc_span(j);
    if (!tf_charge(c, sp, 1))
        return NULL;
    bh_arena *a = c->e->a;
    switch (doc_kind_of(j)) {
    case DOC_SCALAR:
        return doc_type_of(j) == DOC_STR ? evj_string(c, j) : (doc_node *)j;
    case DOC_SEQ: {
        doc_node *s = doc_new_seq(a, sp);
        for (size_t i = 0; s && i < doc_len(j); i++) {
            doc_node *v = evj(c, doc_seq_at(j, i));
            if (!v)
                return NULL;
            if (!doc_seq_append(a, s, v))
                s = NULL;
        }
        return s ? s : oom(c, sp);
    }
    case DOC_MAP: {
        doc_node *m = doc_new_map(a, sp);
        for (size_t i = 0; m && i < doc_len(j); i++) {
            doc_node *k = doc_map_key(j, i);
            if (doc_text_eq(k, "//"))
                continue;
            doc_node *v = evj(c, doc_map_val(j, i));
            if (!v)
                return NULL;
            if (!doc_map_append(a, m, k, v))
                m = NULL;
        }
        return m ? m : oom(c, sp);
    }
    case DOC_UNKNOWN: break;
    }
    return (doc_node *)j;
}

/* ==================================================================== */
/* Bodies                                                                 */
/* ==================================================================== */

static bool is_meta(const char *name)
{
    static const char *const meta[] = {"count", "for_each", "depends_on", "provider",
                                       "lifecycle", "provisioner", "connection", NULL};
    for (int i = 0; meta[i]; i++)
        if (strcmp(meta[i], name) == 0)
            return true;
    return false;
}

static doc_node *eval_body(const tf_ctx *c, tfbody b, bh_span at);

/* The "!block" list of type in map, created when missing. */
static doc_node *block_list(const tf_ctx *c, doc_node *map, const char *type, bh_span at)
{
    doc_node *l = doc_get(map, type);
    if (l && doc_kind_of(l) == DOC_SEQ && doc_tag(l) && strcmp(doc_tag(l), "!block") == 0)
        return l;
    l = doc_new_seq(c->e->a, at);
    if (!l)
        return NULL;
    doc_set_tag(l, "!block");
    return doc_map_put(c->e->a, map, type, l) ? l : NULL;
}

typedef struct dyn_arg {
    const hcl_item *blk;
    const hcl_item *content;
    const char *iter;
    doc_node *list;
} dyn_arg;

static bool dyn_one(const tf_ctx *c, const doc_node *k, doc_node *v, void *arg)
{
    dyn_arg *d = arg;
    bh_arena *a = c->e->a;
    doc_node *it = doc_new_map(a, d->blk->span);
    if (!it || !doc_map_put(a, it, "key", (doc_node *)k) || !doc_map_put(a, it, "value", v))
        return oom(c, d->blk->span);
    tf_scope s = {d->iter, NULL, it, c->scope};
    tf_ctx ic = {c->e, c->m, &s};
    doc_node *body = eval_body(&ic, (tfbody){d->content->body, NULL}, d->content->span);
    return body && (doc_seq_append(a, d->list, body) || oom(c, d->blk->span));
}

/* dynamic "type" { for_each = ...  iterator = name  content { ... } } */
static bool eval_dynamic(const tf_ctx *c, doc_node *map, const hcl_item *blk)
{
    if (blk->nlabels != 1)
        return tf_fail(c, blk->name_span, "a dynamic block needs one label"), false;
    const hcl_item *fe = hcl_body_attr(blk->body, "for_each");
    const hcl_item *content = hcl_body_block(blk->body, "content", 0);
    const hcl_item *iter = hcl_body_attr(blk->body, "iterator");
    if (!fe || !content)
        return tf_fail(c, blk->name_span, "a dynamic block needs for_each and content"), false;
    dyn_arg d = {blk, content, blk->labels[0].text,
                 block_list(c, map, blk->labels[0].text, blk->span)};
    if (iter && iter->expr->kind == HCL_E_VAR)
        d.iter = iter->expr->u.var.name;
    if (!d.list)
        return oom(c, blk->span), false;
    doc_node *coll = ev_top(c, (tfx){fe->expr, NULL});
    if (!coll)
        return false;
    if (tf_is_unknown(coll)) {
        /* how many blocks is unknown: one, whose iterator is unknown */
        doc_node *k = unknown_from(c, fe->expr->span, coll);
        return k && dyn_one(c, k, k, &d);
    }
    if (tf_type_of(coll) == TF_NULL)
        return true;
    return iterate(c, coll, fe->expr->span, dyn_one, &d);
}

static doc_node *eval_body(const tf_ctx *c, tfbody b, bh_span at)
{
    bh_arena *a = c->e->a;
    doc_node *m = doc_new_map(a, at);
    if (!m)
        return oom(c, at);
    if (b.j) {
        for (size_t i = 0; i < doc_len(b.j); i++) {
            doc_node *k = doc_map_key(b.j, i);
            if (doc_text_eq(k, "//") || is_meta(doc_text(k)))
                continue;
            doc_node *v = ev_top(c, (tfx){NULL, doc_map_val(b.j, i)});
            if (!v || !doc_map_append(a, m, k, v))
                return oom(c, at);
        }
        return m;
    }
    for (size_t i = 0; b.h && i < b.h->n; i++) {
        const hcl_item *it = &b.h->items[i];
        if (is_meta(it->name))
            continue;
        if (it->kind == HCL_ATTRIBUTE) {
            doc_node *k = tf_str(a, it->name_span, it->name, strlen(it->name));
            doc_node *v = ev_top(c, (tfx){it->expr, NULL});
            if (!k || !v || !doc_map_append(a, m, k, v))
                return oom(c, at);
        } else if (strcmp(it->name, "dynamic") == 0) {
            if (!eval_dynamic(c, m, it))
                report_error(c->e);
        } else {
            doc_node *l = block_list(c, m, it->name, it->span);
            doc_node *body = l ? eval_body(c, (tfbody){it->body, NULL}, it->span) : NULL;
            if (!body || !doc_seq_append(a, l, body))
                return oom(c, at);
        }
    }
    return m;
}

/* ==================================================================== */
/* Collecting declarations                                                */
/* ==================================================================== */

static const char *type_name_of(const tf_ctx *c, tfx t)
{
    if (t.h) {
        if (t.h->kind == HCL_E_VAR)
            return t.h->u.var.name;
        if (t.h->kind == HCL_E_CALL)
            return t.h->u.call.name;
        return NULL;
    }
    if (t.j && doc_type_of(t.j) == DOC_STR) {
        const char *s = doc_text(t.j);
        size_t n = strcspn(s, "(");
        return arena_strndup(c->e->a, s, n);
    }
    return NULL;
}

static tfx hcl_attr_x(const hcl_body *b, const char *name)
{
    const hcl_item *it = hcl_body_attr(b, name);
    return (tfx){it ? it->expr : NULL, NULL};
}

static tfx json_attr_x(const doc_node *b, const char *name)
{
    return (tfx){NULL, doc_get(b, name)};
}

static tfx body_attr(tfbody b, const char *name)
{
    return b.h ? hcl_attr_x(b.h, name) : json_attr_x(b.j, name);
}

static bool add_var(const tf_ctx *c, decls *d, const char *name, bh_span at, tfbody b)
{
    var_decl *v = PUSH(c->e->a, d->vars, d->nvars, d->capvars);
    if (!v)
        return false;
    tfx t = body_attr(b, "type");
    tfx nl = body_attr(b, "nullable");
    bool nonnull = (nl.h && nl.h->kind == HCL_E_BOOL && !nl.h->u.boolean) ||
                   (nl.j && doc_type_of(nl.j) == DOC_BOOL && doc_text_eq(nl.j, "false"));
    *v = (var_decl){name, at, body_attr(b, "default"), type_name_of(c, t), t.h, nonnull,
                    ST_NEW, NULL};
    return true;
}

static bool add_local(const tf_ctx *c, decls *d, const char *name, bh_span at, tfx x)
{
    local_decl *l = PUSH(c->e->a, d->locals, d->nlocals, d->caplocals);
    if (!l)
        return false;
    *l = (local_decl){name, at, x, ST_NEW, NULL, NULL, {0}};
    return true;
}

static bool add_res(const tf_ctx *c, decls *d, const char *type, const char *name, bh_span at,
                    tfbody b)
{
    res_decl *r = PUSH(c->e->a, d->res, d->nres, d->capres);
    if (!r)
        return false;
    *r = (res_decl){type, name, at, b, body_attr(b, "count"), body_attr(b, "for_each")};
    return true;
}

static bool add_mod(const tf_ctx *c, decls *d, const char *name, bh_span at, tfbody b)
{
    mod_decl *m = PUSH(c->e->a, d->mods, d->nmods, d->capmods);
    if (!m)
        return false;
    tfx src = body_attr(b, "source");
    const char *s = NULL;
    if (src.h && src.h->kind == HCL_E_STRING)
        s = src.h->u.str.text;
    else if (src.j && doc_type_of(src.j) == DOC_STR)
        s = doc_text(src.j);
    *m = (mod_decl){name, at, b, s, body_attr(b, "count"), body_attr(b, "for_each"),
                    NULL, 0, 0, ST_NEW};
    return true;
}

static bool add_out(const tf_ctx *c, decls *d, const char *name, bh_span at, tfbody b)
{
    out_decl *o = PUSH(c->e->a, d->outs, d->nouts, d->capouts);
    if (!o)
        return false;
    *o = (out_decl){name, at, body_attr(b, "value")};
    return true;
}

static bool collect_hcl(const tf_ctx *c, decls *d, const hcl_file *f)
{
    bool ok = true;
    for (size_t i = 0; ok && i < f->body->n; i++) {
        const hcl_item *it = &f->body->items[i];
        if (it->kind != HCL_BLOCK)
            continue;
        tfbody b = {it->body, NULL};
        const char *l0 = it->nlabels > 0 ? it->labels[0].text : NULL;
        if (strcmp(it->name, "variable") == 0 && it->nlabels == 1)
            ok = add_var(c, d, l0, it->span, b);
        else if (strcmp(it->name, "module") == 0 && it->nlabels == 1)
            ok = add_mod(c, d, l0, it->span, b);
        else if (strcmp(it->name, "output") == 0 && it->nlabels == 1)
            ok = add_out(c, d, l0, it->span, b);
        else if (strcmp(it->name, "resource") == 0 && it->nlabels == 2)
            ok = add_res(c, d, l0, it->labels[1].text, it->span, b);
        else if (strcmp(it->name, "locals") == 0)
            for (size_t k = 0; ok && k < it->body->n; k++) {
                const hcl_item *l = &it->body->items[k];
                if (l->kind == HCL_ATTRIBUTE)
                    ok = add_local(c, d, l->name, l->name_span, (tfx){l->expr, NULL});
            }
    }
    return ok;
}

/* Each entry of a JSON block-type object: {"NAME": {...}} (a body may
 * also be a list of bodies: the first is taken). */
static const doc_node *json_first_body(const doc_node *v)
{
    if (doc_kind_of(v) == DOC_SEQ)
        v = doc_len(v) ? doc_seq_at(v, 0) : NULL;
    return v && doc_kind_of(v) == DOC_MAP ? v : NULL;
}

static bool collect_json(const tf_ctx *c, decls *d, const doc_node *root)
{
    bool ok = true;
    for (size_t i = 0; ok && i < doc_len(root); i++) {
        const char *kind = doc_text(doc_map_key(root, i));
        const doc_node *v = doc_map_val(root, i);
        if (doc_kind_of(v) == DOC_SEQ && strcmp(kind, "locals") == 0) {
            for (size_t k = 0; ok && k < doc_len(v); k++) {
                const doc_node *lm = doc_seq_at(v, k);
                for (size_t n = 0; ok && n < doc_len(lm); n++)
                    ok = add_local(c, d, doc_text(doc_map_key(lm, n)),
                                   doc_span(doc_map_key(lm, n)),
                                   (tfx){NULL, doc_map_val(lm, n)});
            }
            continue;
        }
        if (doc_kind_of(v) != DOC_MAP)
            continue;
        for (size_t k = 0; ok && k < doc_len(v); k++) {
            const doc_node *key = doc_map_key(v, k), *val = doc_map_val(v, k);
            const char *name = doc_text(key);
            if (doc_text_eq(key, "//"))
                continue;
            if (strcmp(kind, "locals") == 0) {
                ok = add_local(c, d, name, doc_span(key), (tfx){NULL, val});
                continue;
            }
            const doc_node *body = json_first_body(val);
            if (strcmp(kind, "resource") == 0 && doc_kind_of(val) == DOC_MAP) {
                for (size_t r = 0; ok && r < doc_len(val); r++) {
                    const doc_node *rb = json_first_body(doc_map_val(val, r));
                    if (rb)
                        ok = add_res(c, d, name, doc_text(doc_map_key(val, r)), doc_span(rb),
                                     (tfbody){NULL, rb});
                }
            } else if (!body) {
                continue;
            } else if (strcmp(kind, "variable") == 0) {
                ok = add_var(c, d, name, doc_span(body), (tfbody){NULL, body});
            } else if (strcmp(kind, "module") == 0) {
                ok = add_mod(c, d, name, doc_span(body), (tfbody){NULL, body});
            } else if (strcmp(kind, "output") == 0) {
                ok = add_out(c, d, name, doc_span(body), (tfbody){NULL, body});
            }
        }
    }
    return ok;
}

/* ==================================================================== */
/* Files                                                                  */
/* ==================================================================== */

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static const char *base_name(const char *path)
{
    const char *b = strrchr(path, '/');
    return b ? b + 1 : path;
}

static bool is_tfvars(const char *path)
{
    return ends_with(path, ".tfvars") || ends_with(path, ".tfvars.json");
}

static bool is_json_path(const char *path) { return ends_with(path, ".json"); }

/* Parse one file (HCL or JSON syntax) into decls; a syntax error is a
 * diagnostic. */
static bool parse_into(const tf_ctx *c, decls *d, const bh_source *src)
{
    tf_eval *e = c->e;
    if (is_json_path(source_path(src))) {
        doc_node *root = json_parse(src, e->a, NULL, e->diags);
        if (root && doc_kind_of(root) != DOC_MAP) {
            diags_add(e->diags, DIAG_ERROR, doc_span(root),
                      "a Terraform JSON file must hold an object, not %s", doc_describe(root));
            return true;
        }
        return !root || collect_json(c, d, root);
    }
    hcl_limits hl = {e->o->hcl_depth};
    hcl_file *f = hcl_parse(src, e->a, &hl, e->diags);
    return !f || collect_hcl(c, d, f);
}

/* tfvars files, in Terraform's order: terraform.tfvars,
 * terraform.tfvars.json, then *.auto.tfvars(.json) by name. */
static int tfvars_rank(const char *path)
{
    const char *b = base_name(path);
    if (strcmp(b, "terraform.tfvars") == 0)
        return 1;
    if (strcmp(b, "terraform.tfvars.json") == 0)
        return 2;
    if (ends_with(b, ".auto.tfvars") || ends_with(b, ".auto.tfvars.json"))
        return 3;
    return 0;
}

static bool add_given(tf_eval *e, const char *name, tfx x, const doc_node *str, bh_span at,
                      const char *note)
{
    given *g = PUSH(e->a, e->given, e->ngiven, e->capgiven);
    if (!g || !note)
        return false;
    *g = (given){name, x, str, note, at};
    return true;
}

/* The assignments of a tfvars file (HCL or JSON syntax) as given values. */
static bool load_tfvars(tf_eval *e, const bh_source *src, bh_arena *a, bh_diags *diags)
{
    const char *path = source_path(src);
    const char *note = "set in a tfvars file";
    if (is_json_path(path)) {
        doc_node *root = json_parse(src, a, NULL, diags);
        for (size_t i = 0; root && doc_kind_of(root) == DOC_MAP && i < doc_len(root); i++) {
            const doc_node *v = doc_map_val(root, i);
            if (!add_given(e, doc_text(doc_map_key(root, i)), (tfx){NULL, v}, NULL,
                           doc_span(v), note))
                return false;
        }
        return true;
    }
    hcl_file *f = hcl_parse(src, a, NULL, diags);
    for (size_t i = 0; f && i < f->body->n; i++) {
        const hcl_item *it = &f->body->items[i];
        if (it->kind == HCL_ATTRIBUTE &&
            !add_given(e, it->name, (tfx){it->expr, NULL}, NULL, it->expr->span, note))
            return false;
    }
    return true;
}

/* ==================================================================== */
/* Reading files and module directories                                   */
/* ==================================================================== */

static bool track_source(tf_eval *e, const bh_source *s)
{
    const bh_source **slot = PUSH(e->a, e->srcs, e->nsrcs, e->capsrcs);
    if (!slot)
        return false;
    *slot = s;
    return true;
}

/* Whether path (resolved) lies inside a scan root. */
static bool inside_roots(const tf_eval *e, const char *path)
{
    char *real = realpath(path, NULL);
    if (!real)
        return false;
    bool in = false;
    for (size_t i = 0; i < e->o->nroots && !in; i++) {
        char *root = realpath(e->o->roots[i], NULL);
        if (!root)
            continue;
        size_t n = strlen(root);
        in = strncmp(real, root, n) == 0 && (real[n] == '/' || real[n] == '\0' ||
                                             (n == 1 && root[0] == '/'));
        free(root);
    }
    free(real);
    return in;
}

static char *join_root(const tf_eval *e, const char *rel)
{
    if (rel[0] == '/')
        return tf_clean_path(rel);
    char *j = discover_join(e->root_dir, rel);
    char *c = j ? tf_clean_path(j) : NULL;
    free(j);
    return c;
}

const bh_source *tf_read_file(const tf_ctx *c, bh_span at, const char *path)
{
    tf_eval *e = c->e;
    char *full = join_root(e, path);
    if (!full)
        return oom(c, at), NULL;
    if (e->o->nroots == 0 || !inside_roots(e, full)) {
        tf_fail(c, at, "\"%s\" is not read: it is outside the scanned directories", full);
        free(full);
        return NULL;
    }
    bh_diags *d = diags_new();
    bh_source *s = d ? discover_read(full, e->o->discover, d) : NULL;
    if (!s) {
        const bh_diag *why = d && diags_count(d) ? diags_get(d, 0) : NULL;
        tf_fail(c, at, "cannot read \"%s\": %s", full, why ? why->message : "out of memory");
    }
    diags_free(d);
    free(full);
    if (s && !arena_defer(e->a, free_source, s)) {
        source_free(s);
        return oom(c, at), NULL;
    }
    /* from here the arena owns s */
    if (s && !track_source(e, s))
        return oom(c, at), NULL;
    return s;
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The declarations of a child module's directory, parsed once. */
static decls *dir_decls(const tf_ctx *c, const char *dir, bh_span at)
{
    tf_eval *e = c->e;
    for (size_t i = 0; i < e->ndirs; i++)
        if (strcmp(e->dirs[i].dir, dir) == 0)
            return &e->dirs[i].d;
    DIR *dh = opendir(dir);
    if (!dh)
        return tf_fail(c, at, "cannot open module directory \"%s\"", dir), NULL;
    char **names = NULL;
    size_t n = 0, cap = 0;
    bool ok = true;
    for (struct dirent *de; ok && (de = readdir(dh));) {
        if (!(ends_with(de->d_name, ".tf") || ends_with(de->d_name, ".tf.json")) ||
            de->d_name[0] == '.')
            continue;
        if (n == cap) {
            char **nn = realloc(names, (cap = cap ? cap * 2 : 16) * sizeof *nn);
            ok = nn != NULL;
            names = nn ? nn : names;
        }
        if (ok)
            ok = (names[n++] = discover_join(dir, de->d_name)) != NULL;
    }
    closedir(dh);
    qsort(names, n, sizeof *names, str_cmp);
    dir_cache *dc = ok ? PUSH(e->a, e->dirs, e->ndirs, e->capdirs) : NULL;
    if (dc)
        *dc = (dir_cache){arena_strdup(e->a, dir), {0}};
    for (size_t i = 0; dc && i < n; i++) {
        bh_source *s = discover_read(names[i], e->o->discover, e->diags);
        if (!s)
            continue;
        if (!arena_defer(e->a, free_source, s)) {
            source_free(s);
            dc = NULL;
            break;
        }
        if (!track_source(e, s) || !parse_into(c, &dc->d, s))
            dc = NULL;
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    if (!dc)
        return oom(c, at), NULL;
    dc->d.dir = dc->dir;
    return &dc->d;
}

/* A fresh instance of declarations: variables and locals get their own
 * state, module calls their own children. */
static bool instance_decls(bh_arena *a, decls *dst, const decls *src)
{
    *dst = *src;
    dst->vars = arena_alloc(a, (src->nvars ? src->nvars : 1) * sizeof *dst->vars);
    dst->locals = arena_alloc(a, (src->nlocals ? src->nlocals : 1) * sizeof *dst->locals);
    dst->mods = arena_alloc(a, (src->nmods ? src->nmods : 1) * sizeof *dst->mods);
    if (!dst->vars || !dst->locals || !dst->mods)
        return false;
    if (src->nvars)
        memcpy(dst->vars, src->vars, src->nvars * sizeof *dst->vars);
    if (src->nlocals)
        memcpy(dst->locals, src->locals, src->nlocals * sizeof *dst->locals);
    if (src->nmods)
        memcpy(dst->mods, src->mods, src->nmods * sizeof *dst->mods);
    dst->capvars = src->nvars;
    dst->caplocals = src->nlocals;
    dst->capmods = src->nmods;
    return true;
}

static bool is_local_source(const char *s)
{
    return s && (strncmp(s, "./", 2) == 0 || strncmp(s, "../", 3) == 0 || strcmp(s, ".") == 0 ||
                 strcmp(s, "..") == 0);
}

static tf_mod *module_load(const tf_ctx *c, mod_decl *call, const tf_scope *scope,
                           const char *prefix)
{
    tf_eval *e = c->e;
    tf_mod *m = c->m;
    if (!is_local_source(call->source) || !prefix)
        return NULL;
    if (m->depth + 1 >= MAX_MOD_DEPTH || e->nmods >= MAX_MODULES) {
        diags_add(e->diags, DIAG_ERROR, call->at, "module \"%s\" is not evaluated: more than "
                  "%d nested modules or %d module instances", call->name, MAX_MOD_DEPTH,
                  MAX_MODULES);
        return NULL;
    }
    char *j = discover_join(m->dir, call->source), *dir = j ? tf_clean_path(j) : NULL;
    char *rj = discover_join(m->rel, call->source), *rel = rj ? tf_clean_path(rj) : NULL;
    free(j);
    free(rj);
    tf_mod *child = NULL;
    for (const tf_mod *p = m; dir && p; p = p->caller)
        if (strcmp(p->dir, dir) == 0) {
            diags_add(e->diags, DIAG_ERROR, call->at, "module \"%s\" calls itself (%s)",
                      call->name, dir);
            goto out;
        }
    if (!dir || !rel) {
        oom(c, call->at);
        goto out;
    }
    if (e->o->nroots == 0 || !inside_roots(e, dir)) {
        diags_add(e->diags, DIAG_NOTE, call->at, "module \"%s\" is not read: \"%s\" is outside "
                  "the scanned directories", call->name, dir);
        goto out;
    }
    decls *d = dir_decls(c, dir, call->at);
    if (!d) {
        report_error(e);
        goto out;
    }
    child = arena_alloc(e->a, sizeof *child);
    if (!child || !instance_decls(e->a, &child->d, d)) {
        child = NULL;
        goto out;
    }
    e->nmods++;
    child->e = e;
    child->dir = arena_strdup(e->a, dir);
    child->rel = arena_strdup(e->a, rel);
    child->prefix = prefix;
    child->depth = m->depth + 1;
    child->caller = m;
    child->call = call;
    child->call_scope = scope;
out:
    free(dir);
    free(rel);
    return child;
}

/* ==================================================================== */
/* Resources and module instances                                         */
/* ==================================================================== */

static void eval_module(tf_mod *m);

typedef struct inst_arg {
    tf_mod *m;
    const char *what;            /* "aws_x.y" or "module.x" */
    const res_decl *res;
    mod_decl *mod;
    bool by_key;                 /* for_each: [key]; count: [index] */
    size_t n;
} inst_arg;

/* One instance of a resource or module call, bound to `bind` (each or
 * count) with suffix "[0]" / "[\"k\"]". */
static bool instance(const tf_ctx *c, inst_arg *ia, const tf_scope *bind, const char *suffix)
{
    tf_eval *e = c->e;
    if (++ia->n > MAX_INSTANCES)
        return tf_fail(c, ia->res ? ia->res->at : ia->mod->at, "more than %d instances",
                       MAX_INSTANCES), false;
    tf_ctx ic = {e, ia->m, bind};
    if (ia->res) {
        doc_node *body = eval_body(&ic, ia->res->body, ia->res->at);
        tf_resource *r = PUSH(e->a, e->res, e->nres, e->capres);
        if (!r || !body)
            return oom(c, ia->res->at), false;
        *r = (tf_resource){ia->res->type,
                           arena_printf(e->a, "%s%s%s", ia->m->prefix, ia->what, suffix),
                           ia->res->at, body};
        return r->address || (oom(c, ia->res->at), false);
    }
    const char *prefix = arena_printf(e->a, "%s%s%s.", ia->m->prefix, ia->what, suffix);
    tf_scope *sc = bind ? arena_alloc(e->a, sizeof *sc) : NULL;
    if (sc)
        *sc = *bind;            /* the binding outlives this call */
    struct mod_inst *in = PUSH(e->a, ia->mod->insts, ia->mod->ninsts, ia->mod->capinsts);
    if (!in || (bind && !sc))
        return oom(c, ia->mod->at), false;
    in->key = NULL;
    if (bind)
        in->key = doc_get(bind->val, strcmp(bind->name, "count") == 0 ? "index" : "key");
    in->child = module_load(c, ia->mod, sc, prefix);
    return true;
}

static bool count_one(const tf_ctx *c, const doc_node *k, doc_node *v, void *arg)
{
    (void)v;
    inst_arg *ia = arg;
    bh_arena *a = c->e->a;
    doc_node *obj = doc_new_map(a, doc_span(k));
    if (!obj || !doc_map_put(a, obj, "index", (doc_node *)k))
        return oom(c, doc_span(k)), false;
    tf_scope s = {"count", NULL, obj, NULL};
    const char *suffix = tf_is_unknown(k) ? "" : arena_printf(a, "[%s]", doc_text(k));
    return suffix && instance(c, ia, &s, suffix);
}

static bool each_one(const tf_ctx *c, const doc_node *k, doc_node *v, void *arg)
{
    inst_arg *ia = arg;
    bh_arena *a = c->e->a;
    doc_node *obj = doc_new_map(a, doc_span(v));
    if (!obj || !doc_map_put(a, obj, "key", (doc_node *)k) || !doc_map_put(a, obj, "value", v))
        return oom(c, doc_span(k)), false;
    tf_scope s = {"each", NULL, obj, NULL};
    const char *suffix = tf_is_unknown(k) ? "" : arena_printf(a, "[\"%s\"]", doc_text(k));
    return suffix && instance(c, ia, &s, suffix);
}

/* for_each over a set of strings: key and value are the string. */
static bool each_item(const tf_ctx *c, const doc_node *k, doc_node *v, void *arg)
{
    (void)k;
    size_t n;
    const char *s = tf_to_text(c->e->a, v, &n);
    if (!s)
        return tf_fail(c, doc_span(v), "for_each over a list needs strings"), false;
    doc_node *key = tf_str(c->e->a, doc_span(v), s, n);
    return key && each_one(c, key, v, arg);
}

/* Expand count / for_each and evaluate each instance. */
static void expand(tf_mod *m, inst_arg *ia, tfx count, tfx for_each, bh_span at)
{
    tf_ctx c = {m->e, m, NULL};
    bool ok = true;
    if (tfx_set(count)) {
        doc_node *n = ev_top(&c, count);
        double d;
        bool isint;
        int64_t i;
        if (!n)
            return;
        if (tf_is_unknown(n)) {
            ok = count_one(&c, n, n, ia);
        } else if (!tf_to_number(n, &d, &isint, &i) || !isint || i < 0) {
            ok = tf_fail(&c, tfx_span(count), "count must be a whole number, not %s",
                         doc_describe(n)) != NULL;
        } else {
            for (int64_t k = 0; ok && k < i; k++) {
                doc_node *kn = tf_num_i(m->e->a, tfx_span(count), k);
                ok = kn && count_one(&c, kn, kn, ia);
            }
        }
    } else if (tfx_set(for_each)) {
        doc_node *coll = ev_top(&c, for_each);
        if (!coll)
            return;
        if (tf_is_unknown(coll))
            ok = each_one(&c, coll, coll, ia);
        else if (tf_type_of(coll) == TF_MAP)
            ok = iterate(&c, coll, tfx_span(for_each), each_one, ia);
        else if (tf_type_of(coll) == TF_LIST)
            ok = iterate(&c, coll, tfx_span(for_each), each_item, ia);
        else
            ok = tf_fail(&c, tfx_span(for_each), "for_each needs a map or a set, not %s",
                         doc_describe(coll)) != NULL;
    } else {
        ok = instance(&c, ia, NULL, "");
    }
    if (!ok)
        report_error(m->e);
    (void)at;
}

/* Create the instances of a module call once (count, for_each). */
static void mod_expand(tf_mod *m, mod_decl *d)
{
    if (d->st != ST_NEW)
        return;
    d->st = ST_BUSY;
    inst_arg ia = {m, arena_printf(m->e->a, "module.%s", d->name), NULL, d, false, 0};
    if (ia.what)
        expand(m, &ia, d->count, d->for_each, d->at);
    d->st = ST_DONE;
}

static void eval_module(tf_mod *m)
{
    bh_arena *a = m->e->a;
    for (size_t i = 0; i < m->d.nres; i++) {
        const res_decl *r = &m->d.res[i];
        if (!m->e->wanted(r->type))
            continue;
        inst_arg ia = {m, arena_printf(a, "%s.%s", r->type, r->name), r, NULL, false, 0};
        if (ia.what)
            expand(m, &ia, r->count, r->for_each, r->at);
    }
    for (size_t i = 0; i < m->d.nmods; i++) {
        mod_decl *d = &m->d.mods[i];
        if (!is_local_source(d->source))
            continue;
        mod_expand(m, d);
        for (size_t k = 0; k < d->ninsts; k++)
            if (d->insts[k].child)
                eval_module(d->insts[k].child);
    }
}

/* ==================================================================== */
/* The public interface                                                   */
/* ==================================================================== */

struct tf_vars {
    bh_arena *a;
    struct tv_entry {
        const char *name;
        tfx x;
        const doc_node *str;
        bh_span at;
        const char *note;
    } *v;
    size_t n, cap;
};

tf_vars *tf_vars_new(void)
{
    tf_vars *v = calloc(1, sizeof *v);
    if (v && !(v->a = arena_new())) {
        free(v);
        return NULL;
    }
    return v;
}

void tf_vars_free(tf_vars *v)
{
    if (!v)
        return;
    arena_free(v->a);
    free(v);
}

size_t tf_vars_len(const tf_vars *v) { return v ? v->n : 0; }

static bool vars_push(tf_vars *v, const char *name, tfx x, const doc_node *str, bh_span at,
                      const char *note)
{
    struct tv_entry *e = PUSH(v->a, v->v, v->n, v->cap);
    if (!e)
        return false;
    *e = (struct tv_entry){name, x, str, at, note};
    return true;
}

bool tf_vars_add_arg(tf_vars *v, const char *arg, bh_diags *diags)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg) {
        diags_add_file(diags, DIAG_ERROR, "--var", (bh_pos){0, 0},
                       "\"%s\" is not NAME=VALUE", arg);
        return false;
    }
    bh_source *s = source_new("--var", arg, strlen(arg));
    if (!s || !arena_defer(v->a, free_source, s)) {
        source_free(s);
        return false;
    }
    uint32_t vs = (uint32_t)(eq + 1 - arg), ve = (uint32_t)strlen(arg);
    bh_span at = span_make(s, vs, ve);
    doc_node *str = tf_str(v->a, at, eq + 1, ve - vs);
    const char *name = arena_strndup(v->a, arg, (size_t)(eq - arg));
    return str && name && vars_push(v, name, (tfx){0}, str, at, "set by --var");
}

bool tf_vars_add_file(tf_vars *v, const char *path, bh_diags *diags)
{
    bh_source *s = discover_read(path, NULL, diags);
    if (!s)
        return false;
    if (!arena_defer(v->a, free_source, s)) {
        source_free(s);
        return false;
    }
    const char *note = "set by --var-file";
    size_t before = diags_count_level(diags, DIAG_ERROR);
    if (is_json_path(path)) {
        doc_node *root = json_parse(s, v->a, NULL, diags);
        if (root && doc_kind_of(root) != DOC_MAP) {
            diags_add(diags, DIAG_ERROR, doc_span(root), "a tfvars file must hold an object");
            return false;
        }
        for (size_t i = 0; root && i < doc_len(root); i++)
            if (!vars_push(v, doc_text(doc_map_key(root, i)), (tfx){NULL, doc_map_val(root, i)},
                           NULL, doc_span(doc_map_val(root, i)), note))
                return false;
    } else {
        hcl_file *f = hcl_parse(s, v->a, NULL, diags);
        for (size_t i = 0; f && i < f->body->n; i++) {
            const hcl_item *it = &f->body->items[i];
            if (it->kind != HCL_ATTRIBUTE) {
                diags_add(diags, DIAG_ERROR, it->name_span,
                          "a tfvars file holds only NAME = VALUE assignments");
                return false;
            }
            if (!vars_push(v, it->name, (tfx){it->expr, NULL}, NULL, it->expr->span, note))
                return false;
        }
    }
    return diags_count_level(diags, DIAG_ERROR) == before;
}

static bool wants_nothing(const char *type)
{
    (void)type;
    return false;
}

tf_module *tf_eval_module(const char *dir, bh_source *const *srcs, size_t n, const tf_opts *o,
                          bool (*wanted)(const char *type), bh_arena *a, bh_diags *diags)
{
    static const tf_opts none = {0};
    tf_module *tm = arena_alloc(a, sizeof *tm);
    tf_eval *e = arena_alloc(a, sizeof *e);
    tf_mod *m = arena_alloc(a, sizeof *m);
    if (!tm || !e || !m)
        return NULL;
    *e = (tf_eval){0};
    e->a = a;
    e->diags = diags;
    e->o = o ? o : &none;
    e->wanted = wanted ? wanted : wants_nothing;
    e->max_steps = e->o->max_steps ? e->o->max_steps : DEFAULT_STEPS;
    e->max_bytes = e->o->max_bytes ? e->o->max_bytes : DEFAULT_BYTES;
    e->root_dir = dir;
    tm->e = e;
    *m = (tf_mod){0};
    m->e = e;
    m->dir = dir;
    m->rel = ".";
    m->prefix = "";
    tf_ctx c = {e, m, NULL};
    /* the module's own files, then its tfvars in Terraform's order */
    for (size_t i = 0; i < n; i++)
        if (!is_tfvars(source_path(srcs[i])) && !parse_into(&c, &m->d, srcs[i]))
            return NULL;
    for (int rank = 1; rank <= 3; rank++)
        for (size_t i = 0; i < n; i++)
            if (tfvars_rank(source_path(srcs[i])) == rank && !load_tfvars(e, srcs[i], a, diags))
                return NULL;
    /* other .tfvars files are only read when named: check their syntax */
    for (size_t i = 0; i < n; i++)
        if (is_tfvars(source_path(srcs[i])) && tfvars_rank(source_path(srcs[i])) == 0) {
            if (is_json_path(source_path(srcs[i])))
                json_parse(srcs[i], a, NULL, diags);
            else
                hcl_parse(srcs[i], a, NULL, diags);
        }
    const tf_vars *cli = e->o->vars;
    for (size_t i = 0; cli && i < cli->n; i++) {
        const struct tv_entry *v = &cli->v[i];
        if (!add_given(e, v->name, v->x, v->str, v->at, v->note))
            return NULL;
    }
    eval_module(m);
    return tm;
}

size_t tf_module_nresources(const tf_module *m) { return m->e->nres; }
const tf_resource *tf_module_resource(const tf_module *m, size_t i) { return &m->e->res[i]; }
size_t tf_module_nsources(const tf_module *m) { return m->e->nsrcs; }
const bh_source *tf_module_source(const tf_module *m, size_t i) { return m->e->srcs[i]; }

/* ==================================================================== */
/* Paths and the quick look for module calls                              */
/* ==================================================================== */

char *tf_clean_path(const char *path)
{
    size_t n = strlen(path);
    char *out = malloc(n + 2);
    size_t *starts = malloc((n / 2 + 2) * sizeof *starts);   /* where each kept part begins */
    if (!out || !starts) {
        free(out);
        free(starts);
        return NULL;
    }
    bool abs = path[0] == '/';
    size_t o = abs ? 1 : 0, depth = 0, ups = 0;
    out[0] = '/';
    for (const char *p = path; *p;) {
        while (*p == '/')
            p++;
        const char *s = p;
        while (*p && *p != '/')
            p++;
        size_t len = (size_t)(p - s);
        if (len == 0 || (len == 1 && s[0] == '.'))
            continue;
        bool up = len == 2 && s[0] == '.' && s[1] == '.';
        if (up && depth > ups) {            /* drop the last real part */
            o = starts[--depth];
            if (o > (abs ? 1u : 0u))
                o--;                        /* and its separator */
            continue;
        }
        if (up && abs)
            continue;                       /* "/.." is "/" */
        if (o > (abs ? 1u : 0u))
            out[o++] = '/';
        starts[depth++] = o;
        ups += up;
        memcpy(out + o, s, len);
        o += len;
    }
    if (o == 0)
        out[o++] = '.';
    out[o] = '\0';
    free(starts);
    return out;
}

/* The value of a `source = "./x"` line inside a module block, found by
 * reading lines: a line whose first word is `source`, then `=`, then a
 * quoted local path. */
static bool source_line(const char *p, const char *end, const char **s, size_t *n)
{
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    if (end - p < 6 || memcmp(p, "source", 6) != 0)
        return false;
    p += 6;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    if (p >= end || *p++ != '=')
        return false;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    if (p >= end || *p++ != '"')
        return false;
    const char *q = memchr(p, '"', (size_t)(end - p));
    if (!q || (q - p < 1) || p[0] != '.')
        return false;
    *s = p;
    *n = (size_t)(q - p);
    return true;
}

bool tf_called_modules(const char *dir, bh_source *const *srcs, size_t n, char ***out,
                       size_t *nout)
{
    for (size_t i = 0; i < n; i++) {
        const char *path = source_path(srcs[i]);
        if (is_tfvars(path) || is_json_path(path))
            continue;
        const char *d = source_data(srcs[i]), *end = d + source_len(srcs[i]);
        for (const char *p = d; p < end;) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            const char *le = nl ? nl : end, *s;
            size_t len;
            if (source_line(p, le, &s, &len)) {
                char *rel = strndup(s, len);
                char *j = rel ? discover_join(dir, rel) : NULL;
                char *c = j ? tf_clean_path(j) : NULL;
                free(rel);
                free(j);
                char **grown = c ? realloc(*out, (*nout + 1) * sizeof **out) : NULL;
                if (!grown) {
                    free(c);
                    return false;
                }
                *out = grown;
                (*out)[(*nout)++] = c;
            }
            p = le + 1;
        }
    }
    return true;
}

/* ==================================================================== */
/* JSON inside strings, with positions                                    */
/* ==================================================================== */

/* Where byte rel of segment g's text is in its source: a literal's lines
 * are the source's lines, aligned at their ends (a <<- heredoc loses
 * leading indentation, an escape is longer in the source). */
static uint32_t seg_map(const rendered *r, const tf_seg *g, uint32_t rel)
{
    if (!g->lit)
        return g->at.start;
    const char *t = r->text + g->out, *src = source_data(g->at.src);
    uint32_t line = 0, col_from_end;
    const char *ls = t;
    for (uint32_t i = 0; i < rel; i++)
        if (t[i] == '\n') {
            line++;
            ls = t + i + 1;
        }
    const char *le = memchr(ls, '\n', (size_t)(t + g->len - ls));
    col_from_end = (uint32_t)((le ? le : t + g->len) - (t + rel));
    uint32_t p = g->at.start;
    for (uint32_t l = 0; l < line && p < g->at.end; p++)
        if (src[p] == '\n')
            l++;
    uint32_t e = p;
    while (e < g->at.end && src[e] != '\n')
        e++;
    return e - col_from_end >= p && e >= col_from_end ? e - col_from_end : p;
}

static bh_span remap(const rendered *r, bh_span sp)
{
    const tf_seg *g = NULL;
    for (size_t i = 0; i < r->nsegs && !g; i++)
        if (sp.start >= r->segs[i].out && sp.start < r->segs[i].out + r->segs[i].len)
            g = &r->segs[i];
    if (!g)
        return r->nsegs ? r->segs[0].at : sp;
    uint32_t s = seg_map(r, g, sp.start - g->out);
    uint32_t e = sp.end <= g->out + g->len ? seg_map(r, g, sp.end - g->out) : g->at.end;
    if (!g->lit)
        e = g->at.end;
    return span_make(g->at.src, s, e >= s ? e : s);
}

/* Give every node of a tree decoded from r's text its place in the
 * template, and turn placeholders back into the unknowns they stand for. */
static doc_node *remap_tree(bh_arena *a, const rendered *r, doc_node *n)
{
    bh_span sp = remap(r, doc_span(n));
    switch (doc_kind_of(n)) {
    case DOC_MAP:
        for (size_t i = 0; i < doc_len(n); i++) {
            doc_node *k = doc_map_key(n, i);
            doc_set_span(k, remap(r, doc_span(k)));
            doc_map_set_val(n, i, remap_tree(a, r, doc_map_val(n, i)));
        }
        break;
    case DOC_SEQ:
        for (size_t i = 0; i < doc_len(n); i++) {
            doc_seq_set(n, i, remap_tree(a, r, doc_seq_at(n, i)));
        }
        break;
    default:
        if (doc_type_of(n) == DOC_STR) {
            const char *ph = strstr(doc_text(n), "@@bhu");
            size_t k;
            if (ph && sscanf(ph, "@@bhu%zu@@", &k) == 1 && k < r->nunknowns) {
                doc_node *u = tf_moved(a, r->unknowns[k], sp);
                return u ? u : n;
            }
        }
        break;
    }
    doc_set_span(n, sp);
    return n;
}

static const rendered *find_rendered(const tf_eval *e, const doc_node *v)
{
    for (size_t i = 0; e && i < e->nrendered; i++) {
        const rendered *r = &e->rendered[i];
        if (doc_kind_of(v) == DOC_SCALAR && r->key == doc_text(v))
            return r;
        for (const doc_trace *t = doc_trace_of(v); doc_kind_of(v) == DOC_UNKNOWN && t;
             t = t->next)
            if (r->key == t)
                return r;
    }
    return NULL;
}

/* Place every node of a tree at one span (JSON decoded from a computed
 * string has no better place). */
static void place_all(doc_node *n, bh_span at)
{
    doc_set_span(n, at);
    for (size_t i = 0; i < doc_len(n); i++) {
        if (doc_kind_of(n) == DOC_MAP) {
            doc_set_span(doc_map_key(n, i), at);
            place_all(doc_map_val(n, i), at);
        } else {
            place_all(doc_seq_at(n, i), at);
        }
    }
}

static doc_node *decode(const tf_eval *e, const doc_node *v, bh_arena *a, bh_diags *diags)
{
    const char *tag = doc_tag(v);
    if (tag && strcmp(tag, "!json") == 0 && doc_kind_of(v) != DOC_SCALAR) {
        doc_node *c = doc_copy(a, v);
        if (c)
            doc_set_tag(c, NULL);
        return c;
    }
    const rendered *r = find_rendered(e, v);
    if (doc_kind_of(v) == DOC_UNKNOWN && !r)
        return (doc_node *)v;
    if (!r && (doc_kind_of(v) != DOC_SCALAR || doc_type_of(v) != DOC_STR))
        return (doc_node *)v;
    bh_span sp = doc_span(v);
    if (!r && tag && strcmp(tag, "!verbatim") == 0 && span_valid(sp))
        return json_parse_range(sp.src, sp.start, sp.end, a, NULL, diags);
    const char *text = r ? r->text : doc_text(v);
    size_t len = r ? r->len : doc_text_len(v);
    bh_source *s = source_new(span_valid(sp) ? source_path(sp.src) : "", text, len);
    bh_diags *tmp = diags_new();
    doc_node *root = s && tmp ? json_parse(s, a, NULL, tmp) : NULL;
    if (!root && tmp && diags_count(tmp))
        diags_add(diags, DIAG_ERROR, sp, "not valid JSON: %s", diags_get(tmp, 0)->message);
    if (root && r)
        root = remap_tree(a, r, root);
    else if (root)
        place_all(root, sp);
    diags_free(tmp);
    source_free(s);
    return root;
}

doc_node *tf_decode_json(const tf_module *m, const doc_node *v, bh_arena *a, bh_diags *diags)
{
    return decode(m ? m->e : NULL, v, a, diags);
}

doc_node *tf_jsondecode(const tf_ctx *c, const doc_node *v, bh_span at)
{
    bh_diags *d = diags_new();
    if (!d)
        return oom(c, at);
    doc_node *r = decode(c->e, v, c->e->a, d);
    if (!r) {
        const bh_diag *g = diags_count(d) ? diags_get(d, 0) : NULL;
        tf_fail(c, at, "jsondecode: %s", g ? g->message : "out of memory");
    }
    diags_free(d);
    return r;
}

/*
 * cfn.c - CloudFormation intrinsic functions: see cfn.h.
 *
 * One resolver per template.  resolve_node() walks a value: a mapping with
 * a single `Ref` / `Fn::*` key, or a node tagged with a short form (`!If`,
 * `!Ref`, ...), is a call and goes to its function in the table `fns`;
 * other mappings and sequences are rebuilt from their resolved children
 * (dropping what resolves to AWS::NoValue); scalars are shared as they
 * are.  A short form's argument is the tagged node itself, so it is
 * resolved "untagged" (a flag, never a copy).
 *
 * Conditions are evaluated on demand and remembered per name, with an
 * in-progress mark that turns a cycle into an error instead of a loop.
 * Every step of resolve_node() and of condition evaluation counts against
 * the step budget, and recursion against the depth cap: after the first
 * hit the resolver is "failed" and every call returns at once.
 */
#include "cfn.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "json.h"
#include "source.h"
#include "strbuf.h"

/* ==================================================================== */
/* Parameter values given on the command line                            */
/* ==================================================================== */

typedef struct cfn_value {
    const char *key, *value;
    bh_span at;            /* the value in a parameter file; invalid for --cfn-param */
    const char *note;      /* "from --cfn-param Mode" */
} cfn_value;

struct cfn_params {
    bh_arena *a;
    cfn_value *v;
    size_t n, cap;
    bh_source **files;
    size_t nfiles;
};

cfn_params *cfn_params_new(void)
{
    cfn_params *p = calloc(1, sizeof *p);
    if (p && !(p->a = arena_new())) {
        free(p);
        return NULL;
    }
    return p;
}

void cfn_params_free(cfn_params *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nfiles; i++)
        source_free(p->files[i]);
    free(p->files);
    free(p->v);
    arena_free(p->a);
    free(p);
}

size_t cfn_params_len(const cfn_params *p) { return p ? p->n : 0; }

static bool params_push(cfn_params *p, const char *key, size_t klen, const char *value,
                        size_t vlen, bh_span at, const char *origin)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 8;
        cfn_value *nv = realloc(p->v, cap * sizeof *nv);
        if (!nv)
            return false;
        p->v = nv;
        p->cap = cap;
    }
    cfn_value *e = &p->v[p->n];
    e->key = arena_strndup(p->a, key, klen);
    e->value = arena_strndup(p->a, value, vlen);
    e->at = at;
    e->note = e->key ? arena_printf(p->a, "from %s %s", origin, e->key) : NULL;
    if (!e->key || !e->value || !e->note)
        return false;
    p->n++;
    return true;
}

bool cfn_params_add_arg(cfn_params *p, const char *arg, bh_diags *diags)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg) {
        diags_add_file(diags, DIAG_ERROR, "", (bh_pos){0, 0},
                       "--cfn-param needs KEY=VALUE, not \"%s\"", arg);
        return false;
    }
    bh_span none = {NULL, 0, 0};
    if (!params_push(p, arg, (size_t)(eq - arg), eq + 1, strlen(eq + 1), none, "--cfn-param")) {
        diags_add_file(diags, DIAG_ERROR, "", (bh_pos){0, 0}, "out of memory");
        return false;
    }
    return true;
}

static bool is_str(const doc_node *n)
{
    return n && doc_kind_of(n) == DOC_SCALAR && doc_type_of(n) != DOC_NULL;
}

static bool file_entry(cfn_params *p, const doc_node *key, const doc_node *val)
{
    return params_push(p, doc_text(key), doc_text_len(key), doc_text(val), doc_text_len(val),
                       doc_span(val), "--cfn-params-file");
}

bool cfn_params_load_file(cfn_params *p, const char *path, bh_diags *diags)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        diags_add_file(diags, DIAG_ERROR, path, (bh_pos){0, 0}, "cannot read: %s",
                       strerror(errno));
        return false;
    }
    size_t len = 0, cap = 4096;
    char *buf = malloc(cap + 1);
    for (size_t got; buf && (got = fread(buf + len, 1, cap - len, f)) > 0;) {
        len += got;
        if (len == cap) {
            char *nb = cap < (64u << 20) ? realloc(buf, 2 * cap + 1) : NULL;
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    bool read_error = ferror(f);
    fclose(f);
    bh_source *src = buf && !read_error ? source_adopt(path, buf, len) : NULL;
    if (!src) {
        free(buf);
        diags_add_file(diags, DIAG_ERROR, path, (bh_pos){0, 0}, "%s",
                       read_error ? "cannot read the file" : "file too large or out of memory");
        return false;
    }
    bh_source **nf = realloc(p->files, (p->nfiles + 1) * sizeof *nf);
    if (!nf) {
        source_free(src);
        diags_add_file(diags, DIAG_ERROR, path, (bh_pos){0, 0}, "out of memory");
        return false;
    }
    p->files = nf;
    p->files[p->nfiles++] = src;

    doc_node *root = json_parse(src, p->a, NULL, diags);
    if (!root)
        return false;
    bool ok = true;
    const doc_node *cp = doc_kind_of(root) == DOC_MAP ? doc_get(root, "Parameters") : NULL;
    if (cp && doc_kind_of(cp) == DOC_MAP) {
        /* CodePipeline template configuration: {"Parameters": {"K": "V"}} */
        for (size_t i = 0; ok && i < doc_len(cp); i++) {
            const doc_node *v = doc_map_val(cp, i);
            if (!is_str(v)) {
                diags_add(diags, DIAG_ERROR, doc_span(v),
                          "parameter \"%s\" must be a string", doc_text(doc_map_key(cp, i)));
                return false;
            }
            ok = file_entry(p, doc_map_key(cp, i), v);
        }
    } else if (doc_kind_of(root) == DOC_SEQ) {
        for (size_t i = 0; ok && i < doc_len(root); i++) {
            const doc_node *e = doc_seq_at(root, i);
            const doc_node *k = doc_get(e, "ParameterKey"), *v = doc_get(e, "ParameterValue");
            if (!is_str(k) || (v && !is_str(v))) {
                diags_add(diags, DIAG_ERROR, doc_span(e),
                          "a parameter entry needs a \"ParameterKey\" and a string "
                          "\"ParameterValue\"");
                return false;
            }
            if (v)       /* UsePreviousValue without a value: unknown here */
                ok = file_entry(p, k, v);
        }
    } else {
        diags_add(diags, DIAG_ERROR, doc_span(root),
                  "a parameter file must be a list of {\"ParameterKey\", \"ParameterValue\"} "
                  "or {\"Parameters\": {...}}");
        return false;
    }
    if (!ok)
        diags_add_file(diags, DIAG_ERROR, path, (bh_pos){0, 0}, "out of memory");
    return ok;
}

/* The last value given for key, or NULL. */
static const cfn_value *given(const cfn_params *p, const char *key)
{
    for (size_t i = p ? p->n : 0; i-- > 0;)
        if (strcmp(p->v[i].key, key) == 0)
            return &p->v[i];
    return NULL;
}

/* ==================================================================== */
/* The resolver                                                          */
/* ==================================================================== */

cfn_limits cfn_default_limits(void) { return (cfn_limits){1000000, 256}; }

enum { COND_NEW, COND_BUSY, COND_DONE };

struct cfn_resolver {
    bh_arena *a;
    const doc_node *params, *mappings, *conditions, *resources;
    const cfn_params *given;
    bh_diags *diags;
    cfn_limits lim;
    size_t steps;
    bool failed;
    uint8_t *cstate;             /* per pair of Conditions */
    cfn_truth *cval;
    const doc_node **ccause;
};

typedef struct cfn_resolver R;

typedef enum rv { RV_OK, RV_NOVALUE, RV_FAIL } rv;

static const doc_node *section(const doc_node *root, const char *name)
{
    const doc_node *s = doc_get(root, name);
    return s && doc_kind_of(s) == DOC_MAP ? s : NULL;
}

cfn_resolver *cfn_resolver_new(bh_arena *a, const doc_node *root, const cfn_params *params,
                               const cfn_limits *limits, bh_diags *diags)
{
    R *r = arena_alloc(a, sizeof *r);
    if (!r)
        return NULL;
    r->a = a;
    r->params = section(root, "Parameters");
    r->mappings = section(root, "Mappings");
    r->conditions = section(root, "Conditions");
    r->resources = section(root, "Resources");
    r->given = params;
    r->diags = diags;
    r->lim = limits ? *limits : cfn_default_limits();
    size_t nc = doc_len(r->conditions);
    if (nc) {
        r->cstate = arena_alloc(a, nc * sizeof *r->cstate);
        r->cval = arena_alloc(a, nc * sizeof *r->cval);
        r->ccause = arena_alloc(a, nc * sizeof *r->ccause);
        if (!r->cstate || !r->cval || !r->ccause)
            return NULL;
    }
    return r;
}

bool cfn_resolver_failed(const cfn_resolver *r) { return r->failed; }

static rv oom(R *r, const doc_node *at)
{
    if (!r->failed)
        diags_add(r->diags, DIAG_ERROR, doc_span(at), "out of memory resolving the template");
    r->failed = true;
    return RV_FAIL;
}

/* Count a step at depth; false (and the resolver failed) past a limit. */
static bool step(R *r, const doc_node *at, unsigned depth)
{
    if (r->failed)
        return false;
    if (++r->steps > r->lim.max_steps) {
        diags_add(r->diags, DIAG_ERROR, doc_span(at),
                  "template needs more than %zu steps to resolve its intrinsic functions; "
                  "its values are not evaluated",
                  r->lim.max_steps);
        r->failed = true;
        return false;
    }
    if (depth > r->lim.max_depth) {
        diags_add(r->diags, DIAG_ERROR, doc_span(at),
                  "values and intrinsic functions nested deeper than %u; the template's "
                  "values are not evaluated",
                  r->lim.max_depth);
        r->failed = true;
        return false;
    }
    return true;
}

/* ---- calls ------------------------------------------------------------- */

typedef struct fn_def fn_def;

typedef struct call {
    const fn_def *fn;
    const doc_node *node;    /* the whole intrinsic: its span */
    const doc_node *arg;     /* the argument (for a short form, node itself) */
    bool short_form;
} call;

typedef rv (*fn_impl)(R *r, const call *c, unsigned depth, doc_node **out);

struct fn_def {
    const char *name;        /* long form; NULL: short form only (in values) */
    const char *tag;         /* YAML short form */
    fn_impl impl;
};

static rv fn_ref(R *r, const call *c, unsigned depth, doc_node **out);
static rv fn_if(R *r, const call *c, unsigned depth, doc_node **out);
static rv fn_sub(R *r, const call *c, unsigned depth, doc_node **out);
static rv fn_join(R *r, const call *c, unsigned depth, doc_node **out);
static rv fn_select(R *r, const call *c, unsigned depth, doc_node **out);
static rv fn_split(R *r, const call *c, unsigned depth, doc_node **out);
static rv fn_find_in_map(R *r, const call *c, unsigned depth, doc_node **out);
static rv fn_base64(R *r, const call *c, unsigned depth, doc_node **out);
static rv fn_length(R *r, const call *c, unsigned depth, doc_node **out);
static rv fn_opaque(R *r, const call *c, unsigned depth, doc_node **out);
static rv fn_boolean(R *r, const call *c, unsigned depth, doc_node **out);

/* Every intrinsic function read.  `Condition` has no long form here: a
 * single-key {"Condition": ...} mapping is a call only inside a condition
 * (container dependsOn items have a Condition key of their own). */
static const fn_def fns[] = {
    {"Ref", "!Ref", fn_ref},
    {"Fn::If", "!If", fn_if},
    {"Fn::Sub", "!Sub", fn_sub},
    {"Fn::Join", "!Join", fn_join},
    {"Fn::Select", "!Select", fn_select},
    {"Fn::Split", "!Split", fn_split},
    {"Fn::FindInMap", "!FindInMap", fn_find_in_map},
    {"Fn::Base64", "!Base64", fn_base64},
    {"Fn::Length", "!Length", fn_length},
    {"Fn::GetAtt", "!GetAtt", fn_opaque},
    {"Fn::ImportValue", "!ImportValue", fn_opaque},
    {"Fn::GetAZs", "!GetAZs", fn_opaque},
    {"Fn::Cidr", "!Cidr", fn_opaque},
    {"Fn::Transform", "!Transform", fn_opaque},
    {"Fn::ToJsonString", "!ToJsonString", fn_opaque},
    {"Fn::Equals", "!Equals", fn_boolean},
    {"Fn::And", "!And", fn_boolean},
    {"Fn::Or", "!Or", fn_boolean},
    {"Fn::Not", "!Not", fn_boolean},
    {NULL, "!Condition", fn_boolean},
};
#define NFNS (sizeof fns / sizeof fns[0])

static const fn_def condition_fn = {"Condition", "!Condition", fn_boolean};

/* Whether v is a call; untagged: ignore v's own tag (v is a short form's
 * argument); in_condition: a {"Condition": name} mapping is one too. */
static bool find_call(const doc_node *v, bool untagged, bool in_condition, call *c)
{
    const char *tag = untagged ? NULL : doc_tag(v);
    if (tag && tag[0] == '!' && tag[1] != '!') {
        for (size_t i = 0; i < NFNS; i++)
            if (strcmp(fns[i].tag, tag) == 0) {
                *c = (call){&fns[i], v, v, true};
                return true;
            }
    }
    if (doc_kind_of(v) != DOC_MAP || doc_len(v) != 1)
        return false;
    const doc_node *k = doc_map_key(v, 0);
    if (doc_kind_of(k) != DOC_SCALAR)
        return false;
    for (size_t i = 0; i < NFNS; i++)
        if (fns[i].name && doc_text_eq(k, fns[i].name)) {
            *c = (call){&fns[i], v, doc_map_val(v, 0), false};
            return true;
        }
    if (in_condition && doc_text_eq(k, "Condition")) {
        *c = (call){&condition_fn, v, doc_map_val(v, 0), false};
        return true;
    }
    return false;
}

static const char *call_name(const call *c)
{
    return c->short_form ? c->fn->tag : c->fn->name ? c->fn->name : c->fn->tag;
}

/* ---- rendering expressions (the text of unknowns) ---------------------- */

enum { RENDER_MAX = 120 };

typedef struct sbuf {
    char b[RENDER_MAX + 4];
    size_t n;
    bool full;
} sbuf;

static void sb_put(sbuf *s, const char *t, size_t len)
{
    if (s->full)
        return;
    if (s->n + len > RENDER_MAX) {
        len = RENDER_MAX - s->n;
        s->full = true;
    }
    memcpy(s->b + s->n, t, len);
    s->n += len;
    if (s->full) {
        memcpy(s->b + s->n, "...", 3);
        s->n += 3;
    }
    s->b[s->n] = '\0';
}

static void sb_str(sbuf *s, const char *t) { sb_put(s, t, strlen(t)); }

static void render(sbuf *s, const doc_node *v, bool untagged, int depth)
{
    call c;
    if (depth > 8) {
        sb_str(s, "...");
        return;
    }
    if (find_call(v, untagged, false, &c)) {
        sb_str(s, call_name(&c));
        sb_str(s, " ");
        const doc_node *a = c.arg;
        if (c.fn->impl == fn_opaque && strcmp(c.fn->tag, "!GetAtt") == 0 &&
            doc_kind_of(a) == DOC_SEQ && doc_len(a) == 2 &&
            doc_kind_of(doc_seq_at(a, 1)) == DOC_SCALAR) {
            render(s, doc_seq_at(a, 0), false, depth + 1);   /* Role.Arn */
            sb_str(s, ".");
            render(s, doc_seq_at(a, 1), false, depth + 1);
            return;
        }
        render(s, a, c.short_form, depth + 1);
        return;
    }
    switch (doc_kind_of(v)) {
    case DOC_SCALAR:
    case DOC_UNKNOWN: {
        const char *t = doc_text(v);
        bool quote = doc_kind_of(v) == DOC_SCALAR && (!*t || strpbrk(t, " ,") != NULL);
        if (quote)
            sb_str(s, "\"");
        sb_put(s, t, doc_text_len(v));
        if (quote)
            sb_str(s, "\"");
        return;
    }
    case DOC_SEQ:
        sb_str(s, "[");
        for (size_t i = 0; i < doc_len(v) && !s->full; i++) {
            if (i)
                sb_str(s, ", ");
            render(s, doc_seq_at(v, i), false, depth + 1);
        }
        sb_str(s, "]");
        return;
    case DOC_MAP:
        sb_str(s, "{");
        for (size_t i = 0; i < doc_len(v) && !s->full; i++) {
            if (i)
                sb_str(s, ", ");
            render(s, doc_map_key(v, i), false, depth + 1);
            sb_str(s, ": ");
            render(s, doc_map_val(v, i), false, depth + 1);
        }
        sb_str(s, "}");
        return;
    }
}

/* An unknown at the call, its text the call's expression. */
static rv unknown_call(R *r, const call *c, doc_node **out)
{
    sbuf s = {.n = 0};
    render(&s, c->node, false, 0);
    *out = doc_new_unknown(r->a, doc_span(c->node), s.b);
    return *out ? RV_OK : oom(r, c->node);
}

static rv unknown_text(R *r, const doc_node *at, const char *text, doc_node **out)
{
    *out = text ? doc_new_unknown(r->a, doc_span(at), text) : NULL;
    return *out ? RV_OK : oom(r, at);
}

/* A malformed call: an error at it, and an unknown. */
__attribute__((format(printf, 4, 5))) static rv bad_call(R *r, const call *c, doc_node **out,
                                                         const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = arena_vprintf(r->a, fmt, ap);
    va_end(ap);
    diags_add(r->diags, DIAG_ERROR, doc_span(c->node), "%s: %s", call_name(c),
              msg ? msg : "invalid arguments");
    return unknown_call(r, c, out);
}

/* The first unknown node in v (depth-first), or NULL. */
static const doc_node *find_unknown(const doc_node *v, int depth)
{
    if (!v || depth > 64)
        return NULL;
    switch (doc_kind_of(v)) {
    case DOC_UNKNOWN:
        return v;
    case DOC_SEQ:
        for (size_t i = 0; i < doc_len(v); i++) {
            const doc_node *u = find_unknown(doc_seq_at(v, i), depth + 1);
            if (u)
                return u;
        }
        return NULL;
    case DOC_MAP:
        for (size_t i = 0; i < doc_len(v); i++) {
            const doc_node *u = find_unknown(doc_map_val(v, i), depth + 1);
            if (u)
                return u;
        }
        return NULL;
    case DOC_SCALAR:
        break;
    }
    return NULL;
}

/* Append the trace entries of from to n, oldest last as they were. */
static bool copy_traces(R *r, doc_node *n, const doc_node *from)
{
    const doc_trace *v[32];
    size_t k = 0;
    for (const doc_trace *t = doc_trace_of(from); t && k < 32; t = t->next)
        v[k++] = t;
    while (k-- > 0)
        if (!doc_add_trace(r->a, n, v[k]->at, v[k]->note))
            return false;
    return true;
}

/* v with the span at (a shallow copy; v's trace kept). */
static doc_node *moved(R *r, const doc_node *v, bh_span at)
{
    doc_node *n = doc_copy(r->a, v);
    if (n)
        doc_set_span(n, at);
    return n;
}

/* ---- the walk ---------------------------------------------------------- */

static rv resolve_node(R *r, const doc_node *v, unsigned depth, bool untagged, doc_node **out)
{
    *out = NULL;
    if (!step(r, v, depth))
        return RV_FAIL;
    call c;
    if (find_call(v, untagged, false, &c))
        return c.fn->impl(r, &c, depth + 1, out);
    switch (doc_kind_of(v)) {
    case DOC_MAP: {
        doc_node *m = doc_new_map(r->a, doc_span(v));
        if (!m)
            return oom(r, v);
        for (size_t i = 0; i < doc_len(v); i++) {
            doc_node *x;
            rv k = resolve_node(r, doc_map_val(v, i), depth + 1, false, &x);
            if (k == RV_FAIL)
                return RV_FAIL;
            if (k == RV_OK && !doc_map_append(r->a, m, doc_map_key(v, i), x))
                return oom(r, v);
        }
        *out = m;
        return RV_OK;
    }
    case DOC_SEQ: {
        doc_node *s = doc_new_seq(r->a, doc_span(v));
        if (!s)
            return oom(r, v);
        for (size_t i = 0; i < doc_len(v); i++) {
            doc_node *x;
            rv k = resolve_node(r, doc_seq_at(v, i), depth + 1, false, &x);
            if (k == RV_FAIL)
                return RV_FAIL;
            if (k == RV_OK && !doc_seq_append(r->a, s, x))
                return oom(r, v);
        }
        *out = s;
        return RV_OK;
    }
    case DOC_SCALAR:
    case DOC_UNKNOWN:
        break;
    }
    *out = (doc_node *)v;
    return RV_OK;
}

static rv resolve_arg(R *r, const call *c, unsigned depth, doc_node **out)
{
    return resolve_node(r, c->arg, depth, c->short_form, out);
}

/* Resolve item i of a call's list argument. */
static rv resolve_item(R *r, const call *c, size_t i, unsigned depth, doc_node **out)
{
    return resolve_node(r, doc_seq_at(c->arg, i), depth, false, out);
}

/* A known scalar's text (numbers and booleans as written), or NULL. */
static const char *scalar_text(const doc_node *v)
{
    return v && doc_kind_of(v) == DOC_SCALAR && doc_type_of(v) != DOC_NULL ? doc_text(v) : NULL;
}

/* ---- growing strings ------------------------------------------------- */

/* Text built for Sub and Join: strbuf with a 1 MiB ceiling. */
enum { TBUF_MAX = 1 << 20 };

static void tb_put(strbuf *t, const char *s, size_t len)
{
    t->max = TBUF_MAX;
    strbuf_put(t, s, len);
}

/* A string scalar of the buffer's text at the call, with the traces of the
 * parts; frees the buffer. */
static rv tb_finish(R *r, strbuf *t, const call *c, doc_node *const *parts, size_t nparts,
                    doc_node **out)
{
    if (t->failed || t->toolong) {
        strbuf_free(t);
        diags_add(r->diags, DIAG_ERROR, doc_span(c->node), "%s: the string is too long",
                  call_name(c));
        return unknown_call(r, c, out);
    }
    *out = doc_new_scalar(r->a, doc_span(c->node), t->p ? t->p : "", t->n, DOC_STR,
                          DOC_DOUBLE_QUOTED);
    strbuf_free(t);
    if (!*out)
        return oom(r, c->node);
    for (size_t i = 0; i < nparts; i++)
        if (parts[i] && !copy_traces(r, *out, parts[i]))
            return oom(r, c->node);
    return RV_OK;
}

/* ==================================================================== */
/* Ref: parameters, pseudo parameters, resources                         */
/* ==================================================================== */

static bool is_list_type(const char *type)
{
    return type && (strcmp(type, "CommaDelimitedList") == 0 || strncmp(type, "List<", 5) == 0);
}

/* A list of strings split from text at ',', each at at with the trace of
 * from (and one more entry: at, note). */
static doc_node *split_list(R *r, const char *text, const char *delim, bh_span at,
                            const doc_node *from, bh_span note_at, const char *note)
{
    doc_node *s = doc_new_seq(r->a, at);
    size_t dl = strlen(delim);
    for (const char *p = text; s;) {
        const char *e = dl ? strstr(p, delim) : NULL;
        size_t len = e ? (size_t)(e - p) : strlen(p);
        doc_node *item = doc_new_scalar(r->a, at, p, len, DOC_STR, DOC_DOUBLE_QUOTED);
        if (!item || (from && !copy_traces(r, item, from)) ||
            (note && !doc_add_trace(r->a, item, note_at, note)) || !doc_seq_append(r->a, s, item))
            return NULL;
        if (!e)
            break;
        p = e + dl;
    }
    return s;
}

/* The value of a name for Ref (and ${name} in Fn::Sub), at the node `at`;
 * expr renders the unknown.  NOVALUE for AWS::NoValue. */
static rv ref_value(R *r, const char *name, const doc_node *at, const char *expr,
                    doc_node **out)
{
    if (strcmp(name, "AWS::NoValue") == 0)
        return RV_NOVALUE;
    const doc_node *decl = doc_get(r->params, name);
    bool pseudo = strncmp(name, "AWS::", 5) == 0;
    const char *type = decl ? scalar_text(doc_get(decl, "Type")) : NULL;
    if (type && strncmp(type, "AWS::SSM::Parameter::Value<", 27) == 0) {
        /* the Default (or a given value) names an SSM parameter; its value
         * is read at deploy time */
        if (unknown_text(r, at, expr, out) != RV_OK)
            return RV_FAIL;
        const char *note = arena_printf(r->a, "parameter \"%s\" is read from SSM Parameter "
                                              "Store when the stack is deployed", name);
        return note && doc_add_trace(r->a, *out, doc_span(decl), note) ? RV_OK : oom(r, at);
    }
    const cfn_value *g = (decl || pseudo) ? given(r->given, name) : NULL;
    if (g) {
        if (is_list_type(type)) {
            *out = split_list(r, g->value, ",", doc_span(at), NULL, g->at, g->note);
            return *out ? RV_OK : oom(r, at);
        }
        *out = doc_new_scalar(r->a, doc_span(at), g->value, strlen(g->value), DOC_STR,
                              DOC_DOUBLE_QUOTED);
        return *out && doc_add_trace(r->a, *out, g->at, g->note) ? RV_OK : oom(r, at);
    }
    if (decl) {
        const doc_node *def = doc_get(decl, "Default");
        if (!def || doc_kind_of(def) == DOC_MAP || doc_kind_of(def) == DOC_SEQ) {
            if (unknown_text(r, at, expr, out) != RV_OK)
                return RV_FAIL;
            const char *note = arena_printf(r->a, "parameter \"%s\" has no default", name);
            return note && doc_add_trace(r->a, *out, doc_span(decl), note) ? RV_OK
                                                                           : oom(r, at);
        }
        const char *note = arena_printf(r->a, "from parameter \"%s\" default", name);
        if (!note)
            return oom(r, at);
        if (is_list_type(type)) {
            *out = split_list(r, doc_text(def), ",", doc_span(at), NULL, doc_span(def), note);
            return *out ? RV_OK : oom(r, at);
        }
        *out = moved(r, def, doc_span(at));
        if (*out)
            doc_set_trace(*out, NULL);
        return *out && doc_add_trace(r->a, *out, doc_span(def), note) ? RV_OK : oom(r, at);
    }
    if (strcmp(name, "AWS::Partition") == 0 || strcmp(name, "AWS::URLSuffix") == 0) {
        const char *v = name[5] == 'P' ? "aws" : "amazonaws.com";
        *out = doc_new_scalar(r->a, doc_span(at), v, strlen(v), DOC_STR, DOC_DOUBLE_QUOTED);
        return *out ? RV_OK : oom(r, at);
    }
    /* other pseudo parameters, resources (their physical ids), and names
     * the template does not define */
    return unknown_text(r, at, expr, out);
}

static rv fn_ref(R *r, const call *c, unsigned depth, doc_node **out)
{
    const char *name = scalar_text(c->arg);
    if (!name || doc_type_of(c->arg) != DOC_STR)
        return bad_call(r, c, out, "needs the name of a parameter or resource");
    sbuf s = {.n = 0};
    render(&s, c->node, false, 0);
    return ref_value(r, name, c->node, s.b, out);
}

/* ==================================================================== */
/* Conditions                                                            */
/* ==================================================================== */

static cfn_truth cond_expr(R *r, const doc_node *v, unsigned depth, bool untagged,
                           const doc_node **cause);

static cfn_truth cond_named(R *r, const doc_node *name, unsigned depth, const doc_node **cause)
{
    *cause = NULL;
    const char *n = scalar_text(name);
    long i = n ? doc_map_find(r->conditions, n, doc_text_len(name)) : -1;
    if (i < 0) {
        diags_add(r->diags, DIAG_ERROR, doc_span(name), "condition \"%s\" is not defined",
                  n ? n : "");
        return CFN_UNKNOWN;
    }
    switch (r->cstate[i]) {
    case COND_DONE:
        *cause = r->ccause[i];
        return r->cval[i];
    case COND_BUSY:
        diags_add_ctx(r->diags, DIAG_ERROR, doc_span(name),
                      doc_span(doc_map_key(r->conditions, (size_t)i)), "condition defined here",
                      "condition \"%s\" depends on itself", n);
        return CFN_UNKNOWN;
    default:
        break;
    }
    r->cstate[i] = COND_BUSY;
    cfn_truth t = cond_expr(r, doc_map_val(r->conditions, (size_t)i), depth + 1, false, cause);
    r->cstate[i] = COND_DONE;
    r->cval[i] = t;
    r->ccause[i] = *cause;
    return t;
}

/* Whether two resolved values are equal (as text, as CloudFormation
 * compares them). */
static bool values_equal(const doc_node *a, const doc_node *b, int depth)
{
    if (depth > 64 || doc_kind_of(a) != doc_kind_of(b))
        return false;
    switch (doc_kind_of(a)) {
    case DOC_SCALAR:
        return strcmp(doc_text(a), doc_text(b)) == 0;
    case DOC_SEQ:
        if (doc_len(a) != doc_len(b))
            return false;
        for (size_t i = 0; i < doc_len(a); i++)
            if (!values_equal(doc_seq_at(a, i), doc_seq_at(b, i), depth + 1))
                return false;
        return true;
    case DOC_MAP:
    case DOC_UNKNOWN:
        break;
    }
    return false;
}

static cfn_truth cond_error(R *r, const doc_node *at, const char *what)
{
    diags_add(r->diags, DIAG_ERROR, doc_span(at), "%s", what);
    return CFN_UNKNOWN;
}

static cfn_truth cond_expr(R *r, const doc_node *v, unsigned depth, bool untagged,
                           const doc_node **cause)
{
    *cause = NULL;
    if (!step(r, v, depth))
        return CFN_UNKNOWN;
    call c;
    if (!find_call(v, untagged, true, &c)) {
        bool b;
        if (doc_bool(v, &b))
            return b ? CFN_TRUE : CFN_FALSE;
        if (doc_kind_of(v) == DOC_SCALAR && (strcasecmp(doc_text(v), "true") == 0 ||
                                             strcasecmp(doc_text(v), "false") == 0))
            return strcasecmp(doc_text(v), "true") == 0 ? CFN_TRUE : CFN_FALSE;
        return cond_error(r, v, "a condition must be Fn::Equals, Fn::And, Fn::Or, Fn::Not or "
                                "Condition");
    }
    const char *tag = c.fn->tag;
    const doc_node *a = c.arg;
    if (strcmp(tag, "!Condition") == 0)
        return cond_named(r, a, depth + 1, cause);
    if (strcmp(tag, "!Equals") == 0) {
        if (doc_kind_of(a) != DOC_SEQ || doc_len(a) != 2)
            return cond_error(r, c.node, "Fn::Equals needs a list of two values");
        doc_node *x, *y;
        rv k1 = resolve_item(r, &c, 0, depth + 1, &x);
        if (k1 == RV_FAIL)
            return CFN_UNKNOWN;
        rv k2 = resolve_item(r, &c, 1, depth + 1, &y);
        if (k2 == RV_FAIL)
            return CFN_UNKNOWN;
        if (k1 == RV_NOVALUE || k2 == RV_NOVALUE)
            return k1 == k2 ? CFN_TRUE : CFN_FALSE;
        const doc_node *u = find_unknown(x, 0);
        if (!u)
            u = find_unknown(y, 0);
        if (u) {
            *cause = u;
            return CFN_UNKNOWN;
        }
        return values_equal(x, y, 0) ? CFN_TRUE : CFN_FALSE;
    }
    bool is_and = strcmp(tag, "!And") == 0, is_or = strcmp(tag, "!Or") == 0;
    if (is_and || is_or) {
        if (doc_kind_of(a) != DOC_SEQ || doc_len(a) < 1)
            return cond_error(r, c.node, is_and ? "Fn::And needs a list of conditions"
                                                : "Fn::Or needs a list of conditions");
        cfn_truth acc = is_and ? CFN_TRUE : CFN_FALSE;
        for (size_t i = 0; i < doc_len(a); i++) {
            const doc_node *ci;
            cfn_truth t = cond_expr(r, doc_seq_at(a, i), depth + 1, false, &ci);
            if (r->failed)
                return CFN_UNKNOWN;
            if (t == (is_and ? CFN_FALSE : CFN_TRUE)) {
                *cause = NULL;
                return t;      /* decided, whatever the others are */
            }
            if (t == CFN_UNKNOWN) {
                acc = CFN_UNKNOWN;
                if (!*cause)
                    *cause = ci;
            }
        }
        if (acc != CFN_UNKNOWN)
            *cause = NULL;
        return acc;
    }
    if (strcmp(tag, "!Not") == 0) {
        const doc_node *x = doc_kind_of(a) == DOC_SEQ && doc_len(a) == 1 ? doc_seq_at(a, 0) : NULL;
        if (!x)
            return cond_error(r, c.node, "Fn::Not needs a list of one condition");
        cfn_truth t = cond_expr(r, x, depth + 1, false, cause);
        return t == CFN_UNKNOWN ? t : t == CFN_TRUE ? CFN_FALSE : CFN_TRUE;
    }
    /* another function giving a value: it must be a boolean */
    doc_node *val;
    rv k = resolve_node(r, v, depth + 1, untagged, &val);
    if (k == RV_FAIL)
        return CFN_UNKNOWN;
    if (k == RV_OK && doc_kind_of(val) == DOC_UNKNOWN) {
        *cause = val;
        return CFN_UNKNOWN;
    }
    bool b;
    if (k == RV_OK && doc_bool(val, &b))
        return b ? CFN_TRUE : CFN_FALSE;
    if (k == RV_OK && doc_kind_of(val) == DOC_SCALAR &&
        (strcasecmp(doc_text(val), "true") == 0 || strcasecmp(doc_text(val), "false") == 0))
        return strcasecmp(doc_text(val), "true") == 0 ? CFN_TRUE : CFN_FALSE;
    return cond_error(r, v, "a condition must be Fn::Equals, Fn::And, Fn::Or, Fn::Not or "
                            "Condition");
}

cfn_truth cfn_condition(cfn_resolver *r, const doc_node *name, const doc_node **cause)
{
    const doc_node *u = NULL;
    cfn_truth t = r->failed ? CFN_UNKNOWN : cond_named(r, name, 0, &u);
    if (cause)
        *cause = u;
    return t;
}

/* Fn::Equals, Fn::And, Fn::Or, Fn::Not and !Condition used as values: a
 * boolean, or unknown. */
static rv fn_boolean(R *r, const call *c, unsigned depth, doc_node **out)
{
    const doc_node *cause;
    cfn_truth t = cond_expr(r, c->node, depth, false, &cause);
    if (r->failed)
        return RV_FAIL;
    if (t == CFN_UNKNOWN)
        return unknown_call(r, c, out);
    *out = doc_new_bool(r->a, doc_span(c->node), t == CFN_TRUE);
    return *out ? RV_OK : oom(r, c->node);
}

/* ==================================================================== */
/* The other functions                                                   */
/* ==================================================================== */

static rv fn_if(R *r, const call *c, unsigned depth, doc_node **out)
{
    const doc_node *a = c->arg;
    if (doc_kind_of(a) != DOC_SEQ || doc_len(a) != 3)
        return bad_call(r, c, out, "needs [condition, value if true, value if false]");
    const doc_node *name = doc_seq_at(a, 0), *cause;
    cfn_truth t = cond_named(r, name, depth, &cause);
    if (r->failed)
        return RV_FAIL;
    if (t == CFN_UNKNOWN) {
        sbuf s = {.n = 0};
        sb_str(&s, call_name(c));
        sb_str(&s, " ");
        render(&s, name, false, 1);
        if (cause) {
            sb_str(&s, " (depends on ");
            sb_put(&s, doc_text(cause), doc_text_len(cause));
            sb_str(&s, ")");
        }
        if (unknown_text(r, c->node, s.b, out) != RV_OK)
            return RV_FAIL;
        return !cause || copy_traces(r, *out, cause) ? RV_OK : oom(r, c->node);
    }
    rv k = resolve_node(r, doc_seq_at(a, t == CFN_TRUE ? 1 : 2), depth, false, out);
    if (k != RV_OK)
        return k;
    /* the branch keeps its own span (it is written here); say who chose it */
    doc_node *n = doc_copy(r->a, *out);
    const char *note = arena_printf(r->a, "condition \"%s\" is %s", doc_text(name),
                                    t == CFN_TRUE ? "true" : "false");
    if (!n || !note || !doc_add_trace(r->a, n, doc_span(name), note))
        return oom(r, c->node);
    *out = n;
    return RV_OK;
}

static rv fn_sub(R *r, const call *c, unsigned depth, doc_node **out)
{
    const doc_node *a = c->arg, *tmpl = a, *vars = NULL;
    if (doc_kind_of(a) == DOC_SEQ) {
        if (doc_len(a) != 2 || doc_kind_of(doc_seq_at(a, 1)) != DOC_MAP)
            return bad_call(r, c, out, "needs a string or [string, {variables}]");
        tmpl = doc_seq_at(a, 0);
        vars = doc_seq_at(a, 1);
    }
    if (doc_kind_of(tmpl) != DOC_SCALAR || doc_type_of(tmpl) != DOC_STR ||
        (tmpl != a && doc_tag(tmpl)))
        return bad_call(r, c, out, "needs a string or [string, {variables}]");
    enum { MAXPARTS = 64 };
    doc_node *parts[MAXPARTS];
    size_t np = 0;
    strbuf t = {0};
    const char *p = doc_text(tmpl);
    bool unknown = false;
    while (*p && !unknown) {
        const char *open = strstr(p, "${");
        const char *close = open ? strchr(open + 2, '}') : NULL;
        if (!open || !close) {
            tb_put(&t, p, strlen(p));
            break;
        }
        tb_put(&t, p, (size_t)(open - p));
        p = close + 1;
        if (open[2] == '!') {                    /* ${!Literal} */
            tb_put(&t, "${", 2);
            tb_put(&t, open + 3, (size_t)(close - open - 2));
            continue;
        }
        char *name = arena_strndup(r->a, open + 2, (size_t)(close - open - 2));
        if (!name) {
            strbuf_free(&t);
            return oom(r, c->node);
        }
        doc_node *val = NULL;
        rv k;
        long vi = vars ? doc_map_find(vars, name, strlen(name)) : -1;
        if (vi >= 0)
            k = resolve_node(r, doc_map_val(vars, (size_t)vi), depth + 1, false, &val);
        else if (strchr(name, '.') && strncmp(name, "AWS::", 5) != 0)
            k = RV_NOVALUE;                     /* ${Resource.Attribute}: GetAtt */
        else
            k = ref_value(r, name, c->node, name, &val);
        if (k == RV_FAIL) {
            strbuf_free(&t);
            return RV_FAIL;
        }
        const char *text = k == RV_OK ? scalar_text(val) : NULL;
        if (!text) {
            unknown = true;
            break;
        }
        tb_put(&t, text, strlen(text));
        if (np < MAXPARTS)
            parts[np++] = val;
    }
    if (unknown) {
        strbuf_free(&t);
        return unknown_call(r, c, out);
    }
    return tb_finish(r, &t, c, parts, np, out);
}

static rv fn_join(R *r, const call *c, unsigned depth, doc_node **out)
{
    const doc_node *a = c->arg;
    if (doc_kind_of(a) != DOC_SEQ || doc_len(a) != 2)
        return bad_call(r, c, out, "needs [delimiter, [values]]");
    doc_node *delim, *list;
    rv k = resolve_item(r, c, 0, depth, &delim);
    if (k == RV_FAIL)
        return k;
    const char *d = k == RV_OK ? scalar_text(delim) : NULL;
    if (k == RV_OK && doc_kind_of(delim) == DOC_UNKNOWN)
        return unknown_call(r, c, out);
    if (!d)
        return bad_call(r, c, out, "the delimiter must be a string");
    if ((k = resolve_item(r, c, 1, depth, &list)) == RV_FAIL)
        return k;
    if (k == RV_OK && doc_kind_of(list) == DOC_UNKNOWN)
        return unknown_call(r, c, out);
    if (k != RV_OK || doc_kind_of(list) != DOC_SEQ)
        return bad_call(r, c, out, "the values must be a list");
    enum { MAXPARTS = 64 };
    doc_node *parts[MAXPARTS];
    size_t np = 0;
    strbuf t = {0};
    for (size_t i = 0; i < doc_len(list); i++) {
        doc_node *item = doc_seq_at(list, i);
        const char *text = scalar_text(item);
        if (!text && doc_kind_of(item) == DOC_SCALAR)
            text = "";                          /* null */
        if (!text) {
            strbuf_free(&t);
            if (doc_kind_of(item) == DOC_UNKNOWN)
                return unknown_call(r, c, out);
            return bad_call(r, c, out, "value %zu is not a string", i);
        }
        if (i)
            tb_put(&t, d, strlen(d));
        tb_put(&t, text, strlen(text));
        if (np < MAXPARTS)
            parts[np++] = item;
    }
    return tb_finish(r, &t, c, parts, np, out);
}

/* A resolved index: an integer, or a string of digits. */
static bool as_index(const doc_node *v, size_t *out)
{
    int64_t i;
    if (doc_int(v, &i)) {
        if (i < 0)
            return false;
        *out = (size_t)i;
        return true;
    }
    const char *t = scalar_text(v);
    if (!t || !*t || strlen(t) > 9 || strspn(t, "0123456789") != strlen(t))
        return false;
    *out = (size_t)strtoul(t, NULL, 10);
    return true;
}

static rv fn_select(R *r, const call *c, unsigned depth, doc_node **out)
{
    const doc_node *a = c->arg;
    if (doc_kind_of(a) != DOC_SEQ || doc_len(a) != 2)
        return bad_call(r, c, out, "needs [index, [values]]");
    doc_node *index, *list;
    rv k = resolve_item(r, c, 0, depth, &index);
    if (k == RV_FAIL)
        return k;
    if (k == RV_OK && doc_kind_of(index) == DOC_UNKNOWN)
        return unknown_call(r, c, out);
    size_t i;
    if (k != RV_OK || !as_index(index, &i))
        return bad_call(r, c, out, "the index must be a number");
    if ((k = resolve_item(r, c, 1, depth, &list)) == RV_FAIL)
        return k;
    if (k == RV_OK && doc_kind_of(list) == DOC_UNKNOWN)
        return unknown_call(r, c, out);
    if (k != RV_OK || doc_kind_of(list) != DOC_SEQ)
        return bad_call(r, c, out, "the values must be a list");
    if (i >= doc_len(list))
        return bad_call(r, c, out, "index %zu is out of range (%zu values)", i, doc_len(list));
    *out = moved(r, doc_seq_at(list, i), doc_span(c->node));
    return *out ? RV_OK : oom(r, c->node);
}

static rv fn_split(R *r, const call *c, unsigned depth, doc_node **out)
{
    const doc_node *a = c->arg;
    if (doc_kind_of(a) != DOC_SEQ || doc_len(a) != 2)
        return bad_call(r, c, out, "needs [delimiter, string]");
    doc_node *delim, *src;
    rv k = resolve_item(r, c, 0, depth, &delim);
    if (k == RV_FAIL)
        return k;
    const char *d = k == RV_OK ? scalar_text(delim) : NULL;
    if (!d || !*d)
        return bad_call(r, c, out, "the delimiter must be a non-empty string");
    if ((k = resolve_item(r, c, 1, depth, &src)) == RV_FAIL)
        return k;
    if (k == RV_OK && doc_kind_of(src) == DOC_UNKNOWN)
        return unknown_call(r, c, out);
    const char *s = k == RV_OK ? scalar_text(src) : NULL;
    if (!s)
        return bad_call(r, c, out, "the value to split must be a string");
    bh_span none = {NULL, 0, 0};
    *out = split_list(r, s, d, doc_span(c->node), src, none, NULL);
    return *out ? RV_OK : oom(r, c->node);
}

static rv fn_find_in_map(R *r, const call *c, unsigned depth, doc_node **out)
{
    const doc_node *a = c->arg;
    if (doc_kind_of(a) != DOC_SEQ || doc_len(a) < 3 || doc_len(a) > 4)
        return bad_call(r, c, out, "needs [map, top-level key, second-level key]");
    const char *key[3];
    for (size_t i = 0; i < 3; i++) {
        doc_node *k;
        rv x = resolve_item(r, c, i, depth, &k);
        if (x == RV_FAIL)
            return x;
        if (x == RV_OK && doc_kind_of(k) == DOC_UNKNOWN)
            return unknown_call(r, c, out);
        if (x != RV_OK || !(key[i] = scalar_text(k)))
            return bad_call(r, c, out, "key %zu must be a string", i);
    }
    const doc_node *m = doc_get(r->mappings, key[0]);
    const doc_node *top = m ? doc_get(m, key[1]) : NULL;
    const doc_node *v = top ? doc_get(top, key[2]) : NULL;
    if (!v) {
        const doc_node *opt = doc_len(a) == 4 ? doc_seq_at(a, 3) : NULL;
        const doc_node *def = opt ? doc_get(opt, "DefaultValue") : NULL;
        if (def)
            return resolve_node(r, def, depth, false, out);
        if (!m)
            return bad_call(r, c, out, "there is no mapping \"%s\"", key[0]);
        return bad_call(r, c, out, "mapping \"%s\" has no key \"%s\" / \"%s\"", key[0], key[1],
                        key[2]);
    }
    const char *note = arena_printf(r->a, "from mapping \"%s\" \"%s\" \"%s\"", key[0], key[1],
                                    key[2]);
    *out = moved(r, v, doc_span(c->node));
    if (!note || !*out || !doc_add_trace(r->a, *out, doc_span(v), note))
        return oom(r, c->node);
    return RV_OK;
}

static rv fn_base64(R *r, const call *c, unsigned depth, doc_node **out)
{
    return resolve_arg(r, c, depth, out);
}

static rv fn_length(R *r, const call *c, unsigned depth, doc_node **out)
{
    doc_node *v;
    rv k = resolve_arg(r, c, depth, &v);
    if (k == RV_FAIL)
        return k;
    if (k == RV_OK && doc_kind_of(v) == DOC_UNKNOWN)
        return unknown_call(r, c, out);
    if (k != RV_OK || doc_kind_of(v) != DOC_SEQ)
        return bad_call(r, c, out, "needs a list");
    *out = doc_new_int(r->a, doc_span(c->node), (int64_t)doc_len(v));
    return *out ? RV_OK : oom(r, c->node);
}

/* Values only the deployed stack knows. */
static rv fn_opaque(R *r, const call *c, unsigned depth, doc_node **out)
{
    return unknown_call(r, c, out);
}

bool cfn_resolve(cfn_resolver *r, const doc_node *v, doc_node **out)
{
    *out = NULL;
    if (r->failed)
        return false;
    rv k = resolve_node(r, v, 0, false, out);
    if (k != RV_OK)
        *out = NULL;
    return k != RV_FAIL;
}

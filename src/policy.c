/*
 * policy.c - the policy catalog: loading and validating policy folders and
 * frameworks (see policy.h and docs/policy-format.md).  Evaluation is in
 * eval.c; the representation both share is in policy_int.h.
 *
 * Loading is validation.  Every file of a policy folder is parsed into a
 * document tree that stays alive in the catalog's arena (its source in the
 * catalog's list of sources), so every diagnostic, now or later (a
 * framework naming a missing policy), points at the offending node with
 * `file:line:col`.  The checks are tables of keys (descriptor_keys,
 * cond_keys, ...): a key not in the table is an error, as is a required
 * key that is missing.  A policy with any error is refused; the rest load.
 *
 * Two ways in, one path: catalog_load_dir() reads the folders below a
 * policies directory into a `folder` (the four files and tests/), and
 * catalog_load_files() gathers the same from an array of in-memory files
 * (the embedded built-in catalog); load_folder() validates either.
 */
#include "policy.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "arena.h"
#include "discover.h"
#include "doc.h"
#include "expr.h"
#include "json.h"
#include "policy_int.h"
#include "policytest.h"
#include "bhyaml.h"

/* Files bigger than this are refused (a policy file is a few KiB). */
#define MAX_POLICY_FILE (8u << 20)
/* Directory nesting followed below a policies or tests directory. */
#define MAX_WALK_DEPTH 16

/* ==== the catalog ======================================================== */

typedef struct fw_control {
    const char *id, *title;
    bool retired;
    const char **policies;
    bh_span *spans;             /* where each policy reference is */
    size_t npolicies;
} fw_control;

struct bh_framework {
    const char *id, *name, *url;
    fw_control *controls;
    size_t ncontrols;
};

/* The enabled-or-not policies of one input type, sorted by id. */
typedef struct group {
    const char *input;
    const bh_policy **v;
    size_t n;
} group;

struct bh_catalog {
    bh_arena *a;
    bh_policy **pol;            /* sorted by id after every load */
    size_t npol, cappol;
    bh_framework **fw;          /* sorted by id */
    size_t nfw, capfw;
    bh_source **src;            /* every source read: spans point into them */
    size_t nsrc, capsrc;
    bh_expr **ex;               /* every parsed expression, for expr_release */
    size_t nex, capex;
    group *groups;
    size_t ngroups;
};

/* Make room for one more element in a malloc()ed vector. */
static bool grow(void *vp, size_t *cap, size_t n, size_t elt)
{
    void **v = vp;
    if (n < *cap)
        return true;
    size_t nc = *cap ? *cap * 2 : 16;
    void *p = realloc(*v, nc * elt);
    if (!p)
        return false;
    *v = p;
    *cap = nc;
    return true;
}

bh_catalog *catalog_new(void)
{
    bh_catalog *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->a = arena_new();
    if (!c->a) {
        free(c);
        return NULL;
    }
    return c;
}

static void free_groups(bh_catalog *c)
{
    for (size_t i = 0; i < c->ngroups; i++)
        free(c->groups[i].v);
    free(c->groups);
    c->groups = NULL;
    c->ngroups = 0;
}

void catalog_free(bh_catalog *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nex; i++)
        expr_release(c->ex[i]);
    free(c->ex);
    for (size_t i = 0; i < c->nsrc; i++)
        source_free(c->src[i]);
    free(c->src);
    free(c->pol);
    free(c->fw);
    free_groups(c);
    arena_free(c->a);
    free(c);
}

static int cmp_policy(const void *a, const void *b)
{
    return strcmp((*(bh_policy *const *)a)->id, (*(bh_policy *const *)b)->id);
}

static int cmp_framework(const void *a, const void *b)
{
    return strcmp((*(bh_framework *const *)a)->id, (*(bh_framework *const *)b)->id);
}

/* Sort and regroup by input type after a load.  false on exhaustion (the
 * groups are then empty and evaluation finds nothing). */
static bool reindex(bh_catalog *c)
{
    if (c->npol > 1)
        qsort(c->pol, c->npol, sizeof *c->pol, cmp_policy);
    if (c->nfw > 1)
        qsort(c->fw, c->nfw, sizeof *c->fw, cmp_framework);
    free_groups(c);
    size_t capg = 0;
    for (size_t i = 0; i < c->npol; i++) {
        const bh_policy *p = c->pol[i];
        group *g = NULL;
        for (size_t k = 0; k < c->ngroups && !g; k++)
            if (strcmp(c->groups[k].input, p->input) == 0)
                g = &c->groups[k];
        if (!g) {
            if (!grow(&c->groups, &capg, c->ngroups, sizeof *c->groups))
                goto oom;
            g = &c->groups[c->ngroups++];
            g->input = p->input;
            g->n = 0;
            g->v = malloc(c->npol * sizeof *g->v);
            if (!g->v) {
                c->ngroups--;
                goto oom;
            }
        }
        g->v[g->n++] = p;
    }
    return true;
oom:
    free_groups(c);
    return false;
}

/* ==== diagnostics and small helpers ===================================== */

/* One load: where problems go and how many there were. */
typedef struct loader {
    bh_catalog *c;
    bh_diags *d;
    size_t nerr;
    bool lazy_tests;    /* validated already: read tests/expected.yaml on demand */
} loader;

static void err(loader *l, bh_span at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void err(loader *l, bh_span at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diags_vadd(l->d, DIAG_ERROR, at, fmt, ap);
    va_end(ap);
    l->nerr++;
}

static void err_file(loader *l, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void err_file(loader *l, const char *path, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    diags_add_file(l->d, DIAG_ERROR, path, (bh_pos){0, 0}, "%s", buf);
    l->nerr++;
}

static void oom(loader *l, const char *path) { err_file(l, path, "out of memory"); }

static bool keep_expr(loader *l, bh_expr *e)
{
    bh_catalog *c = l->c;
    if (!grow(&c->ex, &c->capex, c->nex, sizeof *c->ex)) {
        expr_release(e);
        return false;
    }
    c->ex[c->nex++] = e;
    return true;
}

static bool keep_source(bh_catalog *c, bh_source *s)
{
    if (!grow(&c->src, &c->capsrc, c->nsrc, sizeof *c->src))
        return false;
    c->src[c->nsrc++] = s;
    return true;
}


static bool is_kind(const doc_node *n, doc_kind k) { return n && doc_kind_of(n) == k; }

static bool is_text(const doc_node *n)
{
    return is_kind(n, DOC_SCALAR) && doc_type_of(n) != DOC_NULL && doc_text_len(n) > 0;
}

/* Edit distance of two short strings, capped (for "did you mean"). */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 40 || lb > 40)
        return 99;
    size_t row[41];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* ---- key tables ---------------------------------------------------------- */

typedef enum key_kind {
    K_ANY,          /* checked by the caller */
    K_STR,          /* a non-empty scalar, stored at off */
    K_STRLIST,      /* a list of non-empty scalars, stored at off / count at noff */
    K_NONEMPTY,     /* as K_STRLIST, at least one */
    K_TYPE,         /* security, compliance or best-practice */
    K_SEVERITY,
    K_SIMILAR
} key_kind;

typedef struct keyspec {
    const char *key;
    bool required;
    key_kind kind;
    size_t off, noff;
} keyspec;

#define NKEYS(t) (sizeof(t) / sizeof((t)[0]))

/* Unknown keys and missing required keys of a mapping, against a table.
 * `what` names the mapping in messages ("policy.yaml", "a condition"). */
static bool check_keys(loader *l, const doc_node *map, const keyspec *ks, size_t n,
                       const char *what)
{
    size_t before = l->nerr;
    for (size_t i = 0; i < doc_len(map); i++) {
        const doc_node *k = doc_map_key(map, i);
        if (!is_text(k)) {
            err(l, doc_span(k), "a key of %s must be a string, not %s", what, doc_describe(k));
            continue;
        }
        const char *name = doc_text(k);
        size_t j = 0;
        while (j < n && strcmp(ks[j].key, name) != 0)
            j++;
        if (j < n)
            continue;
        const char *near = NULL;
        for (size_t t = 0; t < n; t++)
            if (distance(name, ks[t].key) <= 2)
                near = ks[t].key;
        if (near)
            err(l, doc_span(k), "unknown key \"%s\" in %s (did you mean \"%s\"?)", name, what,
                near);
        else
            err(l, doc_span(k), "unknown key \"%s\" in %s", name, what);
    }
    for (size_t j = 0; j < n; j++)
        if (ks[j].required && !doc_get(map, ks[j].key))
            err(l, doc_span(map), "missing required key \"%s\" in %s", ks[j].key, what);
    return l->nerr == before;
}

static const char *want_str(loader *l, const doc_node *v, const char *key)
{
    if (!is_text(v)) {
        err(l, doc_span(v), "\"%s\" must be a non-empty string, not %s", key, doc_describe(v));
        return NULL;
    }
    return doc_text(v);
}

/* A list of non-empty strings into an arena array. */
static bool want_strlist(loader *l, const doc_node *v, const char *key, bool nonempty,
                         const char ***out, size_t *n)
{
    if (!is_kind(v, DOC_SEQ)) {
        err(l, doc_span(v), "\"%s\" must be a list of strings, not %s", key, doc_describe(v));
        return false;
    }
    if (nonempty && doc_len(v) == 0) {
        err(l, doc_span(v), "\"%s\" must not be empty", key);
        return false;
    }
    const char **arr = arena_alloc(l->c->a, (doc_len(v) + 1) * sizeof *arr);
    if (!arr) {
        oom(l, source_path(doc_span(v).src));
        return false;
    }
    bool ok = true;
    for (size_t i = 0; i < doc_len(v); i++) {
        const doc_node *it = doc_seq_at(v, i);
        if (!is_text(it)) {
            err(l, doc_span(it), "an item of \"%s\" must be a non-empty string, not %s", key,
                doc_describe(it));
            ok = false;
        }
        arr[i] = doc_text(it);
    }
    *out = arr;
    *n = doc_len(v);
    return ok;
}

static bool want_status(loader *l, const doc_node *v, bh_status *out)
{
    if (is_text(v) && status_parse(doc_text(v), out))
        return true;
    if (is_text(v))
        err(l, doc_span(v),
            "unknown status \"%s\" (expected COMPLIANT, INCOMPLIANT, INAPPLICABLE or "
            "UNDETERMINED)",
            doc_text(v));
    else
        err(l, doc_span(v), "\"status\" must be a status name, not %s", doc_describe(v));
    return false;
}

/* ---- YAML files ----------------------------------------------------------- */

/* Parse data as the YAML file `path` holding at most one document; the
 * source is kept by the catalog.  An empty file is a null node.  NULL after
 * an error diagnostic. */
static const doc_node *parse_yaml(loader *l, const char *path, const char *data, size_t len,
                                  const char *json, size_t json_len)
{
    bh_source *src = json ? source_new(path, json, json_len) : source_new(path, data, len);
    if (!src || !keep_source(l->c, src)) {
        source_free(src);
        oom(l, path);
        return NULL;
    }
    if (json) {
        /* the build's JSON rendition of the YAML (bh_file.json) */
        size_t before = diags_count_level(l->d, DIAG_ERROR);
        doc_node *root = json_parse(src, l->c->a, NULL, l->d);
        if (!root || diags_count_level(l->d, DIAG_ERROR) > before)
            l->nerr++;
        return root;
    }
    doc_node **docs = NULL;
    size_t before = diags_count_level(l->d, DIAG_ERROR);
    long n = bhyaml_parse(src, l->c->a, NULL, &docs, l->d);
    if (n < 0 || diags_count_level(l->d, DIAG_ERROR) > before) {
        l->nerr++;
        return NULL;
    }
    if (n > 1) {
        err(l, doc_span(docs[1]), "expected one YAML document, found %ld", n);
        return NULL;
    }
    if (n == 1)
        return docs[0];
    doc_node *null = doc_new_scalar(l->c->a, span_make(src, 0, 0), "", 0, DOC_NULL, DOC_PLAIN);
    if (!null)
        oom(l, path);
    return null;
}

/* ==== policy.yaml ======================================================== */

static const keyspec descriptor_keys[] = {
    {"id", true, K_ANY, 0, 0},
    {"name", true, K_STR, offsetof(bh_policy, name), 0},
    {"contextual_name", true, K_STR, offsetof(bh_policy, contextual_name), 0},
    {"description", true, K_STR, offsetof(bh_policy, summary), 0},
    {"type", true, K_TYPE, offsetof(bh_policy, type), 0},
    {"severity", true, K_SEVERITY, 0, 0},
    {"categories", true, K_NONEMPTY, offsetof(bh_policy, categories),
     offsetof(bh_policy, ncategories)},
    {"tags", false, K_STRLIST, offsetof(bh_policy, tags), offsetof(bh_policy, ntags)},
    {"remediation", true, K_STR, offsetof(bh_policy, remediation), 0},
    {"help_uri", false, K_STR, offsetof(bh_policy, help_uri), 0},
    {"similar", false, K_SIMILAR, 0, 0},
};

static const char *const policy_types[] = {"security", "compliance", "best-practice"};

static const keyspec similar_keys[] = {
    {"name", true, K_ANY, 0, 0},
    {"url", false, K_ANY, 0, 0},
};

static void load_similar(loader *l, bh_policy *p, const doc_node *v)
{
    if (!is_kind(v, DOC_SEQ)) {
        err(l, doc_span(v), "\"similar\" must be a list of {name, url}, not %s", doc_describe(v));
        return;
    }
    size_t n = doc_len(v);
    p->similar_name = arena_alloc(l->c->a, (n + 1) * sizeof *p->similar_name);
    p->similar_url = arena_alloc(l->c->a, (n + 1) * sizeof *p->similar_url);
    if (!p->similar_name || !p->similar_url) {
        oom(l, source_path(doc_span(v).src));
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const doc_node *it = doc_seq_at(v, i);
        if (!is_kind(it, DOC_MAP)) {
            err(l, doc_span(it), "an item of \"similar\" must be a mapping {name, url}, not %s",
                doc_describe(it));
            continue;
        }
        if (!check_keys(l, it, similar_keys, NKEYS(similar_keys), "an item of \"similar\""))
            continue;
        const char *name = want_str(l, doc_get(it, "name"), "name");
        const doc_node *u = doc_get(it, "url");
        const char *url = u ? want_str(l, u, "url") : "";
        p->similar_name[i] = name ? name : "";
        p->similar_url[i] = url ? url : "";
    }
    p->nsimilar = n;
}

static void load_descriptor(loader *l, bh_policy *p, const doc_node *root)
{
    if (!is_kind(root, DOC_MAP)) {
        err(l, doc_span(root), "policy.yaml must be a mapping, not %s", doc_describe(root));
        return;
    }
    check_keys(l, root, descriptor_keys, NKEYS(descriptor_keys), "policy.yaml");
    const doc_node *idn = doc_get(root, "id");
    if (idn) {
        const char *id = want_str(l, idn, "id");
        if (id && strcmp(id, p->id) != 0)
            err(l, doc_span(idn), "id \"%s\" does not match the folder \"%s\"", id, p->id);
    }
    for (size_t i = 0; i < NKEYS(descriptor_keys); i++) {
        const keyspec *k = &descriptor_keys[i];
        const doc_node *v = doc_get(root, k->key);
        if (!v)
            continue;
        char *base = (char *)p;
        switch (k->kind) {
        case K_ANY:
            break;
        case K_STR: {
            const char *s = want_str(l, v, k->key);
            if (s)
                *(const char **)(base + k->off) = s;
            break;
        }
        case K_STRLIST:
        case K_NONEMPTY:
            want_strlist(l, v, k->key, k->kind == K_NONEMPTY, (const char ***)(base + k->off),
                         (size_t *)(base + k->noff));
            break;
        case K_TYPE: {
            const char *s = want_str(l, v, k->key);
            size_t j = 0;
            while (s && j < NKEYS(policy_types) && strcmp(s, policy_types[j]) != 0)
                j++;
            if (s && j == NKEYS(policy_types))
                err(l, doc_span(v),
                    "unknown policy type \"%s\" (expected security, compliance or best-practice)",
                    s);
            else if (s)
                *(const char **)(base + k->off) = s;
            break;
        }
        case K_SEVERITY: {
            const char *s = want_str(l, v, k->key);
            if (s && !severity_parse(s, &p->severity))
                err(l, doc_span(v),
                    "unknown severity \"%s\" (expected low, medium, high or critical)", s);
            break;
        }
        case K_SIMILAR:
            load_similar(l, p, v);
            break;
        }
    }
}

/* ==== logic.yaml ========================================================= */

static const keyspec logic_keys[] = {
    {"input", true, K_ANY, 0, 0},
    {"conditions", true, K_ANY, 0, 0},
    {"otherwise", true, K_ANY, 0, 0},
};

static const keyspec cond_keys[] = {
    {"status", true, K_ANY, 0, 0},
    {"when", true, K_ANY, 0, 0},
    {"message", true, K_ANY, 0, 0},
    {"remediation", false, K_ANY, 0, 0},
};

static const keyspec each_keys[] = {
    {"each", true, K_ANY, 0, 0},
    {"name", false, K_ANY, 0, 0},
    {"conditions", true, K_ANY, 0, 0},
    {"otherwise", true, K_ANY, 0, 0},
    {"message", false, K_ANY, 0, 0},
    {"remediation", false, K_ANY, 0, 0},
};

static const keyspec otherwise_keys[] = {
    {"status", true, K_ANY, 0, 0},
    {"message", true, K_ANY, 0, 0},
    {"remediation", false, K_ANY, 0, 0},
};

/* An expression from a scalar node, kept for release. */
static const bh_expr *want_expr(loader *l, const doc_node *v, const char *key)
{
    if (!is_kind(v, DOC_SCALAR) || doc_type_of(v) == DOC_NULL) {
        err(l, doc_span(v), "\"%s\" must be an expression, not %s", key, doc_describe(v));
        return NULL;
    }
    bh_expr *e = expr_parse(l->c->a, doc_text(v), doc_text_len(v), doc_span(v), l->d);
    if (!e) {
        l->nerr++;
        return NULL;
    }
    if (!keep_expr(l, e)) {
        oom(l, source_path(doc_span(v).src));
        return NULL;
    }
    return e;
}

/* The span of text[off..off+len) of a scalar, exact where the scalar is
 * written as is (plain on one line, or quoted without escapes), else the
 * whole scalar. */
static bh_span sub_span(const doc_node *n, size_t off, size_t len)
{
    bh_span s = doc_span(n);
    if (!s.src)
        return s;
    size_t w = s.end - s.start, tl = doc_text_len(n);
    doc_style st = doc_style_of(n);
    size_t skip;
    if (st == DOC_PLAIN && w == tl)
        skip = 0;
    else if ((st == DOC_SINGLE_QUOTED || st == DOC_DOUBLE_QUOTED) && w == tl + 2)
        skip = 1;
    else
        return s;
    if (memcmp(source_data(s.src) + s.start + skip, doc_text(n), tl) != 0)
        return s;
    return span_make(s.src, (uint32_t)(s.start + skip + off),
                     (uint32_t)(s.start + skip + off + len));
}

/* Where a `{` hole of a template ends: the index of its `}` (quoted
 * strings inside the expression may hold braces), or len when none. */
static size_t hole_end(const char *t, size_t i, size_t len)
{
    for (; i < len; i++) {
        char c = t[i];
        if (c == '}')
            return i;
        if (c == '"' || c == '\'') {
            for (i++; i < len && t[i] != c; i++)
                if (t[i] == '\\' && i + 1 < len)
                    i++;
            if (i >= len)
                return len;
        }
    }
    return len;
}

/*
 * Parse a message template: literal text, `{EXPR}` holes (each parsed with
 * expr_parse, errors placed inside the scalar), `{{` and `}}` for literal
 * braces.  `{items}` is a hole of its own where allow_items (each steps).
 */
static bool want_tpl(loader *l, const doc_node *v, const char *key, bool allow_items, tpl *out)
{
    out->set = true;
    if (!is_kind(v, DOC_SCALAR) || doc_type_of(v) == DOC_NULL) {
        err(l, doc_span(v), "\"%s\" must be a string, not %s", key, doc_describe(v));
        return false;
    }
    const char *t = doc_text(v);
    size_t len = doc_text_len(v);
    size_t braces = 0;
    for (size_t i = 0; i < len; i++)
        braces += t[i] == '{' || t[i] == '}';
    tpl_seg *segs = arena_alloc(l->c->a, (2 * braces + 1) * sizeof *segs);
    if (!segs) {
        oom(l, source_path(doc_span(v).src));
        return false;
    }
    size_t n = 0, run = 0, before = l->nerr;
    for (size_t i = 0; i < len;) {
        char c = t[i];
        if (c != '{' && c != '}') {
            i++;
            continue;
        }
        if (i > run)
            segs[n++] = (tpl_seg){.lit = t + run, .len = i - run};
        if (i + 1 < len && t[i + 1] == c) {         /* {{ or }} */
            segs[n++] = (tpl_seg){.lit = t + i, .len = 1};
            i += 2;
            run = i;
            continue;
        }
        if (c == '}') {
            err(l, sub_span(v, i, 1),
                "unmatched \"}\" in %s template (write \"}}\" for a literal brace)", key);
            i++;
            run = i;
            continue;
        }
        size_t end = hole_end(t, i + 1, len);
        if (end == len) {
            err(l, sub_span(v, i, 1),
                "unterminated \"{\" in %s template (write \"{{\" for a literal brace)", key);
            return false;
        }
        const char *x = t + i + 1;
        size_t xl = end - i - 1;
        size_t a = 0, b = xl;
        while (a < b && (x[a] == ' ' || x[a] == '\t'))
            a++;
        while (b > a && (x[b - 1] == ' ' || x[b - 1] == '\t'))
            b--;
        if (allow_items && b - a == 5 && memcmp(x + a, "items", 5) == 0) {
            segs[n++] = (tpl_seg){.items = true};
        } else {
            bh_expr *e = expr_parse(l->c->a, x, xl, sub_span(v, i + 1, xl), l->d);
            if (!e)
                l->nerr++;
            else if (!keep_expr(l, e))
                oom(l, source_path(doc_span(v).src));
            else
                segs[n++] = (tpl_seg){.e = e};
        }
        i = end + 1;
        run = i;
    }
    if (run < len)
        segs[n++] = (tpl_seg){.lit = t + run, .len = len - run};
    out->v = segs;
    out->n = n;
    return l->nerr == before;
}

static void load_block(loader *l, const doc_node *conds, const doc_node *other, int depth,
                       pblock *b);

static void load_each(loader *l, const doc_node *m, pcond *c, int depth)
{
    c->is_each = true;
    check_keys(l, m, each_keys, NKEYS(each_keys), "an each step");
    const doc_node *v;
    if ((v = doc_get(m, "each")))
        c->list = want_expr(l, v, "each");
    if ((v = doc_get(m, "name")))
        c->name = want_expr(l, v, "name");
    if ((v = doc_get(m, "message")))
        want_tpl(l, v, "message", true, &c->message);
    if ((v = doc_get(m, "remediation")))
        want_tpl(l, v, "remediation", true, &c->remediation);
    const doc_node *conds = doc_get(m, "conditions"), *other = doc_get(m, "otherwise");
    if (conds && other)
        load_block(l, conds, other, depth + 1, &c->body);
}

static void load_cond(loader *l, const doc_node *m, pcond *c)
{
    check_keys(l, m, cond_keys, NKEYS(cond_keys), "a condition");
    const doc_node *v;
    if ((v = doc_get(m, "status")))
        want_status(l, v, &c->status);
    if ((v = doc_get(m, "when")))
        c->when = want_expr(l, v, "when");
    if ((v = doc_get(m, "message")))
        want_tpl(l, v, "message", false, &c->message);
    if ((v = doc_get(m, "remediation")))
        want_tpl(l, v, "remediation", false, &c->remediation);
}

/* Conditions and their otherwise; depth 0 is the top level, each steps
 * are allowed there only. */
static void load_block(loader *l, const doc_node *conds, const doc_node *other, int depth,
                       pblock *b)
{
    if (!is_kind(conds, DOC_SEQ)) {
        err(l, doc_span(conds), "\"conditions\" must be a list, not %s", doc_describe(conds));
    } else {
        size_t n = doc_len(conds);
        pcond *v = arena_alloc(l->c->a, (n + 1) * sizeof *v);
        if (!v) {
            oom(l, source_path(doc_span(conds).src));
            return;
        }
        for (size_t i = 0; i < n; i++) {
            const doc_node *m = doc_seq_at(conds, i);
            if (!is_kind(m, DOC_MAP)) {
                err(l, doc_span(m), "a condition must be a mapping, not %s", doc_describe(m));
                continue;
            }
            long k = doc_map_find(m, "each", 4);
            if (k >= 0 && depth > 0)
                err(l, doc_span(doc_map_key(m, (size_t)k)),
                    "\"each\" steps cannot be nested (an each step's conditions read one item)");
            else if (k >= 0)
                load_each(l, m, &v[i], depth);
            else
                load_cond(l, m, &v[i]);
        }
        b->v = v;
        b->n = n;
    }
    if (!is_kind(other, DOC_MAP)) {
        err(l, doc_span(other), "\"otherwise\" must be a mapping {status, message}, not %s",
            doc_describe(other));
        return;
    }
    check_keys(l, other, otherwise_keys, NKEYS(otherwise_keys), "\"otherwise\"");
    const doc_node *v;
    if ((v = doc_get(other, "status")))
        want_status(l, v, &b->other_status);
    if ((v = doc_get(other, "message")))
        want_tpl(l, v, "message", false, &b->other_message);
    if ((v = doc_get(other, "remediation")))
        want_tpl(l, v, "remediation", false, &b->other_remediation);
}

static void load_logic(loader *l, bh_policy *p, const doc_node *root)
{
    if (!is_kind(root, DOC_MAP)) {
        err(l, doc_span(root), "logic.yaml must be a mapping, not %s", doc_describe(root));
        return;
    }
    check_keys(l, root, logic_keys, NKEYS(logic_keys), "logic.yaml");
    const doc_node *in = doc_get(root, "input");
    if (in && (p->input = want_str(l, in, "input")) && strpbrk(p->input, " \t\r\n"))
        err(l, doc_span(in), "input type \"%s\" must not contain spaces", p->input);
    const doc_node *conds = doc_get(root, "conditions"), *other = doc_get(root, "otherwise");
    if (conds && other)
        load_block(l, conds, other, 0, &p->logic);
}

/* ==== tests/expected.yaml ================================================ */

static const keyspec expected_keys[] = {
    {"file", true, K_ANY, 0, 0},
    {"object", false, K_ANY, 0, 0},
    {"status", false, K_ANY, 0, 0},
    {"line", false, K_ANY, 0, 0},
    {"message", false, K_ANY, 0, 0},
    {"error", false, K_ANY, 0, 0},
};

/* Whether tests/ holds file, or a directory fixture of that name (a
 * Terraform module: "tf-vars"), or a file inside one ("tf-vars/main.tf"). */
static bool has_test_file(const bh_policy *p, const char *file)
{
    size_t n = strlen(file);
    for (size_t i = 0; i < p->ntests; i++) {
        const char *t = p->tests[i].path;
        if (strncmp(t, "tests/", 6) != 0)
            continue;
        t += 6;
        if (strcmp(t, file) == 0 || (strncmp(t, file, n) == 0 && t[n] == '/'))
            return true;
    }
    return false;
}

static void load_expected(loader *l, bh_policy *p, const doc_node *root)
{
    p->has_expected = true;
    if (is_kind(root, DOC_SCALAR) && doc_type_of(root) == DOC_NULL)
        return;                                 /* an empty file: no entries */
    if (!is_kind(root, DOC_SEQ)) {
        err(l, doc_span(root), "tests/expected.yaml must be a list of entries, not %s",
            doc_describe(root));
        return;
    }
    size_t n = doc_len(root);
    bh_expected *v = arena_alloc(l->c->a, (n + 1) * sizeof *v);
    if (!v) {
        oom(l, source_path(doc_span(root).src));
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const doc_node *m = doc_seq_at(root, i);
        bh_expected *x = &v[i];
        if (!is_kind(m, DOC_MAP)) {
            err(l, doc_span(m), "an expected entry must be a mapping, not %s", doc_describe(m));
            continue;
        }
        check_keys(l, m, expected_keys, NKEYS(expected_keys), "an expected entry");
        const doc_node *f;
        if ((f = doc_get(m, "file")) && (x->file = want_str(l, f, "file"))) {
            if (strcmp(x->file, "expected.yaml") == 0 || !has_test_file(p, x->file))
                err(l, doc_span(f), "no fixture \"%s\" in tests/", x->file);
        }
        const doc_node *e = doc_get(m, "error");
        if (e && !doc_bool(e, &x->error))
            err(l, doc_span(e), "\"error\" must be true or false, not %s", doc_describe(e));
        const doc_node *o = doc_get(m, "object"), *s = doc_get(m, "status");
        if (x->error) {
            if (o)
                err(l, doc_span(doc_map_key(m, (size_t)doc_map_find(m, "object", 6))),
                    "an entry with \"error: true\" names a file only (give the object's result "
                    "its own entry)");
            if (s)
                err(l, doc_span(doc_map_key(m, (size_t)doc_map_find(m, "status", 6))),
                    "an entry with \"error: true\" names a file only (give the object's result "
                    "its own entry)");
        } else {
            if (!o)
                err(l, doc_span(m), "missing required key \"object\" in an expected entry");
            else
                x->object = want_str(l, o, "object");
            if (!s)
                err(l, doc_span(m), "missing required key \"status\" in an expected entry");
            else
                want_status(l, s, &x->status);
        }
        const doc_node *ln = doc_get(m, "line");
        if (ln) {
            int64_t line;
            if (!doc_int(ln, &line) || line < 1 || line > UINT32_MAX)
                err(l, doc_span(ln), "\"line\" must be a positive line number, not %s",
                    doc_describe(ln));
            else
                x->line = (unsigned)line;
        }
        const doc_node *msg = doc_get(m, "message");
        if (msg)
            x->message = want_str(l, msg, "message");
    }
    p->expected = v;
    p->nexpected = n;
}

const bh_expected *policy_expected(const bh_policy *cp, size_t *n)
{
    bh_policy *p = (bh_policy *)cp;    /* the parsed entries are a cache */
    if (p->expected_file) {
        const bh_file *f = p->expected_file;
        p->expected_file = NULL;
        bh_diags *d = diags_new();
        if (d) {
            /* validated when the catalog was built: no diagnostic is expected */
            loader l = {p->owner, d, 0, false};
            const doc_node *ex = parse_yaml(&l, p->expected_path, f->data, f->len, NULL, 0);
            if (ex)
                load_expected(&l, p, ex);
            diags_free(d);
        }
    }
    *n = p->nexpected;
    return p->nexpected ? p->expected : NULL;
}

/* ==== policy folders ===================================================== */

enum { F_POLICY, F_LOGIC, F_DESCRIPTION, F_REMEDIATION, F_COUNT };
static const char *const folder_files[F_COUNT] = {"policy.yaml", "logic.yaml", "description.md",
                                                  "remediation.md"};

/* A policy folder, read from disk or gathered from in-memory files. */
typedef struct folder {
    const char *id;
    const char *dir;            /* policy_dir(): "" for in-memory files */
    const char *display;        /* path prefix for diagnostics: "<dir>/<id>", "policies/<id>" */
    const char *data[F_COUNT];  /* NULL: missing */
    size_t len[F_COUNT];
    const char *json[F_COUNT];  /* bh_file.json, or NULL */
    size_t json_len[F_COUNT];
    bh_file *tests;             /* paths "tests/...", sorted; in the arena */
    size_t ntests, captests;
} folder;

/* An id is a folder path: segments of letters, digits, `.`, `_`, `-`. */
static bool valid_id(const char *id)
{
    if (!*id)
        return false;
    const char *seg = id;
    for (const char *s = id;; s++) {
        if (*s == '/' || !*s) {
            size_t n = (size_t)(s - seg);
            if (n == 0 || (n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.'))
                return false;
            if (!*s)
                return true;
            seg = s + 1;
            continue;
        }
        char c = *s;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            return false;
    }
}

static const char *md_text(loader *l, const folder *f, int k)
{
    char *path = arena_printf(l->c->a, "%s/%s", f->display, folder_files[k]);
    if (!path) {
        oom(l, f->display);
        return NULL;
    }
    if (!f->data[k]) {
        err_file(l, path, "missing %s (every policy folder has policy.yaml, logic.yaml, "
                          "description.md and remediation.md)", folder_files[k]);
        return NULL;
    }
    size_t i = 0;
    while (i < f->len[k] && strchr(" \t\r\n", f->data[k][i]))
        i++;
    if (i == f->len[k]) {
        err_file(l, path, "%s is empty", folder_files[k]);
        return NULL;
    }
    char *s = arena_strndup(l->c->a, f->data[k], f->len[k]);
    if (!s)
        oom(l, path);
    return s;
}

static int cmp_file(const void *a, const void *b)
{
    return strcmp(((const bh_file *)a)->path, ((const bh_file *)b)->path);
}

/* Validate a folder and add its policy; true when it was added. */
static bool load_folder(loader *l, folder *f)
{
    size_t before = l->nerr;
    bh_catalog *c = l->c;
    char *ppath = arena_printf(c->a, "%s/policy.yaml", f->display);
    char *lpath = arena_printf(c->a, "%s/logic.yaml", f->display);
    bh_policy *p = arena_alloc(c->a, sizeof *p);
    if (!ppath || !lpath || !p) {
        oom(l, f->display);
        return false;
    }
    if (!valid_id(f->id)) {
        err_file(l, ppath,
                 "invalid policy id \"%s\" (folder names are letters, digits, '.', '_' and '-')",
                 f->id);
        return false;
    }
    p->id = f->id;
    p->dir = f->dir;
    p->enabled = true;
    p->severity = SEV_MEDIUM;
    p->help_uri = NULL;
    if (f->ntests > 1)
        qsort(f->tests, f->ntests, sizeof *f->tests, cmp_file);
    p->tests = arena_alloc(c->a, (f->ntests + 1) * sizeof *p->tests);
    if (!p->tests) {
        oom(l, f->display);
        return false;
    }
    if (f->ntests)
        memcpy(p->tests, f->tests, f->ntests * sizeof *p->tests);
    p->ntests = f->ntests;

    const doc_node *desc = parse_yaml(l, ppath, f->data[F_POLICY], f->len[F_POLICY],
                                      f->json[F_POLICY], f->json_len[F_POLICY]);
    if (desc)
        load_descriptor(l, p, desc);
    if (!f->data[F_LOGIC]) {
        err_file(l, lpath, "missing logic.yaml (every policy folder has policy.yaml, "
                           "logic.yaml, description.md and remediation.md)");
    } else {
        const doc_node *logic = parse_yaml(l, lpath, f->data[F_LOGIC], f->len[F_LOGIC],
                                           f->json[F_LOGIC], f->json_len[F_LOGIC]);
        if (logic)
            load_logic(l, p, logic);
    }
    p->description_md = md_text(l, f, F_DESCRIPTION);
    p->remediation_md = md_text(l, f, F_REMEDIATION);

    for (size_t i = 0; i < f->ntests; i++) {
        if (strcmp(f->tests[i].path, "tests/expected.yaml") != 0)
            continue;
        char *epath = arena_printf(c->a, "%s/tests/expected.yaml", f->display);
        if (!epath) {
            oom(l, f->display);
            break;
        }
        if (l->lazy_tests) {
            /* only `policies test` reads it: parse it then (policy_expected) */
            p->has_expected = true;
            p->expected_path = epath;
            p->expected_file = &p->tests[i];
            p->owner = c;
            continue;
        }
        const doc_node *ex = parse_yaml(l, epath, f->tests[i].data, f->tests[i].len, NULL, 0);
        if (ex)
            load_expected(l, p, ex);
    }

    if (l->nerr == before && catalog_find(c, p->id)) {
        const doc_node *idn = desc && is_kind(desc, DOC_MAP) ? doc_get(desc, "id") : NULL;
        if (idn)
            err(l, doc_span(idn), "policy \"%s\" is already in the catalog", p->id);
        else
            err_file(l, ppath, "policy \"%s\" is already in the catalog", p->id);
    }
    if (l->nerr != before)
        return false;
    if (!grow(&c->pol, &c->cappol, c->npol, sizeof *c->pol)) {
        oom(l, ppath);
        return false;
    }
    c->pol[c->npol++] = p;
    /* keep catalog_find (bsearch) right for the next folder of this load */
    for (size_t i = c->npol - 1; i > 0 && strcmp(c->pol[i - 1]->id, c->pol[i]->id) > 0; i--) {
        bh_policy *t = c->pol[i];
        c->pol[i] = c->pol[i - 1];
        c->pol[i - 1] = t;
    }
    return true;
}

static bool folder_add_test(loader *l, folder *f, const char *rel, const char *data, size_t len)
{
    if (!grow(&f->tests, &f->captests, f->ntests, sizeof *f->tests))
        return false;
    char *path = arena_strdup(l->c->a, rel);
    char *copy = arena_strndup(l->c->a, data, len);
    if (!path || !copy)
        return false;
    f->tests[f->ntests++] = (bh_file){path, copy, len, NULL, 0};
    return true;
}

/* ==== frameworks ========================================================= */

static const keyspec framework_keys[] = {
    {"id", true, K_ANY, 0, 0},
    {"name", true, K_ANY, 0, 0},
    {"url", false, K_ANY, 0, 0},
    {"description", false, K_ANY, 0, 0},
    {"controls", true, K_ANY, 0, 0},
};

static const keyspec control_keys[] = {
    {"id", true, K_ANY, 0, 0},
    {"title", true, K_ANY, 0, 0},
    {"retired", false, K_ANY, 0, 0},
    {"policies", true, K_ANY, 0, 0},
};

static void load_control(loader *l, const doc_node *m, fw_control *ctl)
{
    check_keys(l, m, control_keys, NKEYS(control_keys), "a framework control");
    const doc_node *v;
    if ((v = doc_get(m, "id")))
        ctl->id = want_str(l, v, "id");
    if ((v = doc_get(m, "title")))
        ctl->title = want_str(l, v, "title");
    if ((v = doc_get(m, "retired")) && !doc_bool(v, &ctl->retired))
        err(l, doc_span(v), "\"retired\" must be true or false, not %s", doc_describe(v));
    if ((v = doc_get(m, "policies")) &&
        want_strlist(l, v, "policies", false, &ctl->policies, &ctl->npolicies)) {
        ctl->spans = arena_alloc(l->c->a, (ctl->npolicies + 1) * sizeof *ctl->spans);
        if (!ctl->spans) {
            oom(l, source_path(doc_span(v).src));
            return;
        }
        for (size_t i = 0; i < ctl->npolicies; i++)
            ctl->spans[i] = doc_span(doc_seq_at(v, i));
    }
}

static bool load_framework(loader *l, const char *path, const char *data, size_t len,
                           const char *json, size_t json_len)
{
    size_t before = l->nerr;
    bh_catalog *c = l->c;
    const doc_node *root = parse_yaml(l, path, data, len, json, json_len);
    if (!root)
        return false;
    if (!is_kind(root, DOC_MAP)) {
        err(l, doc_span(root), "a framework must be a mapping, not %s", doc_describe(root));
        return false;
    }
    bh_framework *fw = arena_alloc(c->a, sizeof *fw);
    if (!fw) {
        oom(l, path);
        return false;
    }
    check_keys(l, root, framework_keys, NKEYS(framework_keys), "a framework");
    const doc_node *v;
    if ((v = doc_get(root, "id")))
        fw->id = want_str(l, v, "id");
    if ((v = doc_get(root, "name")))
        fw->name = want_str(l, v, "name");
    fw->url = "";
    if ((v = doc_get(root, "url")) && !(fw->url = want_str(l, v, "url")))
        fw->url = "";
    if ((v = doc_get(root, "description")))
        want_str(l, v, "description");
    const doc_node *ctls = doc_get(root, "controls");
    if (ctls && !is_kind(ctls, DOC_SEQ)) {
        err(l, doc_span(ctls), "\"controls\" must be a list, not %s", doc_describe(ctls));
    } else if (ctls) {
        size_t n = doc_len(ctls);
        fw->controls = arena_alloc(c->a, (n + 1) * sizeof *fw->controls);
        if (!fw->controls) {
            oom(l, path);
            return false;
        }
        fw->ncontrols = n;
        for (size_t i = 0; i < n; i++) {
            const doc_node *m = doc_seq_at(ctls, i);
            if (!is_kind(m, DOC_MAP)) {
                err(l, doc_span(m), "a framework control must be a mapping, not %s",
                    doc_describe(m));
                continue;
            }
            load_control(l, m, &fw->controls[i]);
            for (size_t k = 0; k < i && fw->controls[i].id; k++)
                if (fw->controls[k].id && strcmp(fw->controls[k].id, fw->controls[i].id) == 0)
                    err(l, doc_span(doc_get(m, "id")), "duplicate control id \"%s\"",
                        fw->controls[i].id);
        }
    }
    if (l->nerr == before && catalog_find_framework(c, fw->id))
        err(l, doc_span(doc_get(root, "id")), "framework \"%s\" is already in the catalog",
            fw->id);
    if (l->nerr != before)
        return false;
    if (!grow(&c->fw, &c->capfw, c->nfw, sizeof *c->fw)) {
        oom(l, path);
        return false;
    }
    c->fw[c->nfw++] = fw;
    if (c->nfw > 1)
        qsort(c->fw, c->nfw, sizeof *c->fw, cmp_framework);
    return true;
}

bool catalog_check_frameworks(const bh_catalog *c, bh_diags *diags)
{
    bool ok = true;
    for (size_t f = 0; f < c->nfw; f++) {
        const bh_framework *fw = c->fw[f];
        for (size_t i = 0; i < fw->ncontrols; i++) {
            const fw_control *ctl = &fw->controls[i];
            for (size_t k = 0; k < ctl->npolicies; k++)
                if (!catalog_find(c, ctl->policies[k])) {
                    diags_add(diags, DIAG_ERROR, ctl->spans[k],
                              "control \"%s\" of framework \"%s\" names unknown policy \"%s\"",
                              ctl->id, fw->id, ctl->policies[k]);
                    ok = false;
                }
        }
    }
    return ok;
}

/* ==== loading from disk ================================================== */

/* The bytes of a regular file (malloc()ed, NUL-terminated); NULL after an
 * error, or quietly when it does not exist and *missing is given. */
static char *read_file(loader *l, const char *path, size_t *len, bool *missing)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        if (missing && errno == ENOENT) {
            *missing = true;
            return NULL;
        }
        err_file(l, path, "cannot read: %s", strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode)) {
        err_file(l, path, "not a regular file");
        fclose(fp);
        return NULL;
    }
    if ((uintmax_t)st.st_size > MAX_POLICY_FILE) {
        err_file(l, path, "file too large (%jd bytes; the limit is %u)", (intmax_t)st.st_size,
                 MAX_POLICY_FILE);
        fclose(fp);
        return NULL;
    }
    size_t cap = (size_t)st.st_size, n = 0;
    char *buf = malloc(cap + 1);
    if (!buf) {
        fclose(fp);
        oom(l, path);
        return NULL;
    }
    for (;;) {
        size_t got = fread(buf + n, 1, cap - n, fp);
        n += got;
        if (n < cap)
            break;
        /* the file grew: read what fits the limit */
        int ch = fgetc(fp);
        if (ch == EOF)
            break;
        if (cap >= MAX_POLICY_FILE) {
            err_file(l, path, "file too large");
            free(buf);
            fclose(fp);
            return NULL;
        }
        size_t nc = cap ? cap * 2 : 4096;
        char *nb = realloc(buf, nc + 1);
        if (!nb) {
            free(buf);
            fclose(fp);
            oom(l, path);
            return NULL;
        }
        buf = nb;
        buf[n++] = (char)ch;
        cap = nc;
    }
    if (ferror(fp)) {
        err_file(l, path, "cannot read: %s", strerror(errno));
        free(buf);
        fclose(fp);
        return NULL;
    }
    fclose(fp);
    buf[n] = '\0';
    *len = n;
    return buf;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in a directory, sorted, without hidden ones; NULL and *n = 0
 * for an empty one.  free_names() releases them. */
static char **list_dir(loader *l, const char *path, size_t *n, bool quiet_missing)
{
    *n = 0;
    DIR *d = opendir(path);
    if (!d) {
        if (!(quiet_missing && errno == ENOENT))
            err_file(l, path, "cannot open directory: %s", strerror(errno));
        return NULL;
    }
    char **v = NULL;
    size_t cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char *s = strdup(e->d_name);
        if (!s || !grow(&v, &cap, *n, sizeof *v)) {
            free(s);
            oom(l, path);
            break;
        }
        v[(*n)++] = s;
    }
    closedir(d);
    if (*n > 1)
        qsort(v, *n, sizeof *v, cmp_name);
    return v;
}

static void free_names(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}


static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Every regular file below path (tests/ of a folder) as a test file named
 * rel/...  */
static void read_tests(loader *l, folder *f, const char *path, const char *rel, int depth)
{
    if (depth > MAX_WALK_DEPTH) {
        err_file(l, path, "directories nested too deep");
        return;
    }
    size_t n;
    char **names = list_dir(l, path, &n, false);
    for (size_t i = 0; i < n; i++) {
        char *full = discover_join(path, names[i]), *r = discover_join(rel, names[i]);
        if (!full || !r) {
            oom(l, path);
        } else if (is_dir(full)) {
            read_tests(l, f, full, r, depth + 1);
        } else {
            size_t len;
            char *data = read_file(l, full, &len, NULL);
            if (data && !folder_add_test(l, f, r, data, len))
                oom(l, full);
            free(data);
        }
        free(full);
        free(r);
    }
    free_names(names, n);
}

/* Read the folder root/id from disk and load it. */
static bool load_disk_folder(loader *l, const char *root, const char *id)
{
    bh_catalog *c = l->c;
    folder f = {0};
    f.id = arena_strdup(c->a, id);
    f.dir = arena_printf(c->a, "%s/%s", root, id);
    f.display = f.dir;
    if (!f.id || !f.dir) {
        oom(l, root);
        return false;
    }
    char *bufs[F_COUNT] = {0};
    for (int k = 0; k < F_COUNT; k++) {
        char *path = discover_join(f.dir, folder_files[k]);
        bool missing = false;
        if (!path) {
            oom(l, f.dir);
            continue;
        }
        bufs[k] = read_file(l, path, &f.len[k], &missing);
        f.data[k] = bufs[k];
        free(path);
    }
    char *tests = discover_join(f.dir, "tests");
    if (tests && is_dir(tests))
        read_tests(l, &f, tests, "tests", 0);
    free(tests);
    bool ok = f.data[F_POLICY] && load_folder(l, &f);
    for (int k = 0; k < F_COUNT; k++)
        free(bufs[k]);
    free(f.tests);
    return ok;
}

/* Find policy folders below root/rel: a folder holding policy.yaml is one
 * (and is not searched further); others are searched. */
static size_t walk_policies(loader *l, const char *root, const char *rel, int depth)
{
    char *path = *rel ? discover_join(root, rel) : strdup(root);
    if (!path) {
        oom(l, root);
        return 0;
    }
    if (depth > MAX_WALK_DEPTH) {
        err_file(l, path, "directories nested too deep");
        free(path);
        return 0;
    }
    size_t n, loaded = 0;
    char **names = list_dir(l, path, &n, false);
    bool is_policy = false;
    for (size_t i = 0; i < n && !is_policy; i++)
        is_policy = strcmp(names[i], "policy.yaml") == 0;
    if (is_policy && !*rel) {
        char *pp = discover_join(path, "policy.yaml");
        err_file(l, pp ? pp : path,
                 "policy.yaml directly in the policies directory: a policy is a folder below it "
                 "(its id is the folder path)");
        free(pp);
    } else if (is_policy) {
        loaded += load_disk_folder(l, root, rel);
    } else {
        for (size_t i = 0; i < n; i++) {
            char *full = discover_join(path, names[i]);
            char *r = *rel ? discover_join(rel, names[i]) : strdup(names[i]);
            if (full && r && is_dir(full))
                loaded += walk_policies(l, root, r, depth + 1);
            else if (!full || !r)
                oom(l, path);
            free(full);
            free(r);
        }
    }
    free_names(names, n);
    free(path);
    return loaded;
}

static bool has_suffix(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

static void walk_frameworks(loader *l, const char *path, int depth)
{
    if (depth > MAX_WALK_DEPTH) {
        err_file(l, path, "directories nested too deep");
        return;
    }
    size_t n;
    char **names = list_dir(l, path, &n, false);
    for (size_t i = 0; i < n; i++) {
        char *full = discover_join(path, names[i]);
        if (!full) {
            oom(l, path);
        } else if (is_dir(full)) {
            walk_frameworks(l, full, depth + 1);
        } else if (has_suffix(names[i], ".yaml") || has_suffix(names[i], ".yml")) {
            size_t len;
            char *data = read_file(l, full, &len, NULL);
            if (data)
                load_framework(l, full, data, len, NULL, 0);
            free(data);
        }
        free(full);
    }
    free_names(names, n);
}

/* A directory argument without its trailing slashes ("policies/" reads as
 * "policies", so ids and paths come out the same). */
static char *trim_dir(const char *dir)
{
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    char *s = malloc(n + 1);
    if (s) {
        memcpy(s, dir, n);
        s[n] = '\0';
    }
    return s;
}

size_t catalog_load_dir(bh_catalog *c, const char *dir, const char *frameworks_dir,
                        bh_diags *diags)
{
    loader l = {c, diags, 0, false};
    size_t loaded = 0;
    char *root = trim_dir(dir);
    if (!root) {
        oom(&l, dir);
    } else if (!is_dir(root)) {
        err_file(&l, root, "not a directory of policies");
    } else {
        loaded = walk_policies(&l, root, "", 0);
    }
    free(root);
    if (frameworks_dir) {
        char *fd = trim_dir(frameworks_dir);
        if (!fd)
            oom(&l, frameworks_dir);
        else if (!is_dir(fd))
            err_file(&l, fd, "not a directory of frameworks");
        else
            walk_frameworks(&l, fd, 0);
        free(fd);
    }
    if (!reindex(c))
        oom(&l, dir);
    return loaded;
}

/* ==== loading from memory ================================================ */

/* Whether the folder of "policies/<id>/policy.yaml" (id idlen bytes) lies
 * inside another policy folder of files: folders are not searched below a
 * policy, as on disk. */
/* The files sorted by path, so that a folder's files are found by binary
 * search: loading stays O(n log n) in the number of files. */
static int file_cmp(const void *a, const void *b)
{
    return strcmp((*(const bh_file *const *)a)->path, (*(const bh_file *const *)b)->path);
}

/* The index of the first of sorted[0..n) whose path is >= key[0..klen). */
static size_t lower_bound(const bh_file *const *sorted, size_t n, const char *key, size_t klen)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strncmp(sorted[mid]->path, key, klen) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static bool has_file(const bh_file *const *sorted, size_t n, const char *path, size_t plen,
                     const char *suffix)
{
    char buf[512];
    size_t sl = strlen(suffix);
    if (plen + sl >= sizeof buf)
        return false;
    memcpy(buf, path, plen);
    memcpy(buf + plen, suffix, sl + 1);
    size_t i = lower_bound(sorted, n, buf, plen + sl + 1);
    return i < n && strcmp(sorted[i]->path, buf) == 0;
}

/* Whether path ("policies/<id>/policy.yaml") lies inside another policy
 * folder (a fixture named policy.yaml): some "policies/<prefix>/policy.yaml"
 * for a proper prefix of the id. */
static bool inside_policy(const bh_file *const *sorted, size_t n, const char *path,
                          size_t idlen)
{
    const size_t lpre = sizeof "policies/" - 1;
    for (size_t k = lpre; k < lpre + idlen; k++)
        if (path[k] == '/' && has_file(sorted, n, path, k, "/policy.yaml"))
            return true;
    return false;
}

static size_t load_files(loader *lp, const bh_file *files, size_t n);

size_t catalog_load_files(bh_catalog *c, const bh_file *files, size_t n, bh_diags *diags)
{
    loader l = {c, diags, 0, false};
    return load_files(&l, files, n);
}

size_t catalog_load_validated(bh_catalog *c, const bh_file *files, size_t n, bh_diags *diags)
{
    loader l = {c, diags, 0, true};
    return load_files(&l, files, n);
}

static size_t load_files(loader *lp, const bh_file *files, size_t n)
{
    loader l = *lp;
    bh_catalog *c = l.c;
    static const char pre[] = "policies/", post[] = "/policy.yaml";
    const size_t lpre = sizeof pre - 1, lpost = sizeof post - 1;
    size_t loaded = 0;
    const bh_file **sorted = malloc((n ? n : 1) * sizeof *sorted);
    if (!sorted) {
        oom(&l, "policies");
        return 0;
    }
    bool in_order = true;
    for (size_t i = 0; i < n; i++) {
        sorted[i] = &files[i];
        in_order = in_order && (i == 0 || strcmp(files[i - 1].path, files[i].path) < 0);
    }
    if (!in_order)      /* the embedded catalog is sorted already */
        qsort(sorted, n, sizeof *sorted, file_cmp);
    for (size_t i = 0; i < n; i++) {
        const char *path = files[i].path;
        size_t len = strlen(path);
        if (strncmp(path, pre, lpre) != 0 || len <= lpre + lpost ||
            strcmp(path + len - lpost, post) != 0)
            continue;
        folder f = {0};
        size_t idlen = len - lpre - lpost;
        if (inside_policy(sorted, n, path, idlen))
            continue;           /* a fixture named policy.yaml, not a folder */
        f.id = arena_strndup(c->a, path + lpre, idlen);
        f.display = arena_strndup(c->a, path, lpre + idlen);
        f.dir = "";
        if (!f.id || !f.display) {
            oom(&l, path);
            continue;
        }
        /* this folder's files: "policies/<id>/<rel>", together when sorted */
        size_t plen = lpre + idlen;
        for (size_t j = lower_bound(sorted, n, f.display, plen);
             j < n && strncmp(sorted[j]->path, f.display, plen) == 0; j++) {
            const bh_file *fj = sorted[j];
            const char *q = fj->path;
            if (q[plen] != '/')
                continue;
            const char *rel = q + lpre + idlen + 1;
            int k = 0;
            while (k < F_COUNT && strcmp(rel, folder_files[k]) != 0)
                k++;
            if (k < F_COUNT) {
                f.data[k] = fj->data;
                f.len[k] = fj->len;
                f.json[k] = fj->json;
                f.json_len[k] = fj->json_len;
            } else if (strncmp(rel, "tests/", 6) == 0 && rel[6]) {
                if (!folder_add_test(&l, &f, rel, fj->data, fj->len))
                    oom(&l, q);
            }
        }
        loaded += load_folder(&l, &f);
        free(f.tests);
    }
    free(sorted);
    for (size_t i = 0; i < n; i++) {
        const char *path = files[i].path;
        if (strncmp(path, "frameworks/", 11) == 0 &&
            (has_suffix(path, ".yaml") || has_suffix(path, ".yml")))
            load_framework(&l, path, files[i].data, files[i].len, files[i].json,
                           files[i].json_len);
    }
    if (!reindex(c))
        oom(&l, "policies");
    return loaded;
}

/* ==== selection and lookup =============================================== */

size_t catalog_len(const bh_catalog *c) { return c->npol; }
const bh_policy *catalog_at(const bh_catalog *c, size_t i)
{
    return i < c->npol ? c->pol[i] : NULL;
}

static int cmp_key_policy(const void *key, const void *elt)
{
    return strcmp(key, (*(bh_policy *const *)elt)->id);
}

const bh_policy *catalog_find(const bh_catalog *c, const char *id)
{
    if (!id || !c->npol)
        return NULL;
    bh_policy *const *p = bsearch(id, c->pol, c->npol, sizeof *c->pol, cmp_key_policy);
    return p ? *p : NULL;
}

bool catalog_select(bh_catalog *c, const char *const *only, size_t nonly,
                    const char *const *skip, size_t nskip, bh_diags *diags)
{
    bool ok = true;
    for (size_t i = 0; i < c->npol; i++)
        c->pol[i]->enabled = nonly == 0;
    for (size_t i = 0; i < nonly; i++) {
        bh_policy *p = (bh_policy *)catalog_find(c, only[i]);
        if (p) {
            p->enabled = true;
        } else {
            diags_add_file(diags, DIAG_ERROR, "", (bh_pos){0, 0}, "unknown policy \"%s\"",
                           only[i]);
            ok = false;
        }
    }
    for (size_t i = 0; i < nskip; i++) {
        bh_policy *p = (bh_policy *)catalog_find(c, skip[i]);
        if (p) {
            p->enabled = false;
        } else {
            diags_add_file(diags, DIAG_ERROR, "", (bh_pos){0, 0}, "unknown policy \"%s\"",
                           skip[i]);
            ok = false;
        }
    }
    return ok;
}

bool policy_enabled(const bh_policy *p) { return p->enabled; }

/* ==== descriptor accessors =============================================== */

const char *policy_id(const bh_policy *p) { return p->id; }
const char *policy_name(const bh_policy *p) { return p->name; }
const char *policy_contextual_name(const bh_policy *p) { return p->contextual_name; }
const char *policy_summary(const bh_policy *p) { return p->summary; }
const char *policy_input(const bh_policy *p) { return p->input; }
bh_severity policy_severity(const bh_policy *p) { return p->severity; }
const char *policy_remediation(const bh_policy *p) { return p->remediation; }
const char *policy_description_md(const bh_policy *p) { return p->description_md; }
const char *policy_remediation_md(const bh_policy *p) { return p->remediation_md; }
const char *policy_help_uri(const bh_policy *p) { return p->help_uri; }
size_t policy_ncategories(const bh_policy *p) { return p->ncategories; }
const char *policy_category(const bh_policy *p, size_t i)
{
    return i < p->ncategories ? p->categories[i] : NULL;
}
size_t policy_ntags(const bh_policy *p) { return p->ntags; }
const char *policy_tag(const bh_policy *p, size_t i) { return i < p->ntags ? p->tags[i] : NULL; }
size_t policy_nsimilar(const bh_policy *p) { return p->nsimilar; }
void policy_similar(const bh_policy *p, size_t i, const char **name, const char **url)
{
    *name = i < p->nsimilar ? p->similar_name[i] : "";
    *url = i < p->nsimilar ? p->similar_url[i] : "";
}
const char *policy_dir(const bh_policy *p) { return p->dir; }
size_t policy_ntests(const bh_policy *p) { return p->ntests; }
const bh_file *policy_test_file(const bh_policy *p, size_t i)
{
    return i < p->ntests ? &p->tests[i] : NULL;
}

/* ==== frameworks ========================================================= */

size_t catalog_nframeworks(const bh_catalog *c) { return c->nfw; }
const bh_framework *catalog_framework(const bh_catalog *c, size_t i)
{
    return i < c->nfw ? c->fw[i] : NULL;
}

const bh_framework *catalog_find_framework(const bh_catalog *c, const char *id)
{
    for (size_t i = 0; id && i < c->nfw; i++)
        if (strcmp(c->fw[i]->id, id) == 0)
            return c->fw[i];
    return NULL;
}

const char *catalog_suggest_framework(const bh_catalog *c, const char *id)
{
    char low[64];               /* ids are lower case; what was typed may not be */
    size_t n = strlen(id);
    if (n >= sizeof low)
        return NULL;
    for (size_t i = 0; i <= n; i++)
        low[i] = (char)tolower((unsigned char)id[i]);
    const char *best = NULL;
    size_t best_d = (size_t)-1, near = n / 3 > 2 ? n / 3 : 2;
    for (size_t i = 0; i < c->nfw; i++) {
        size_t d = distance(low, c->fw[i]->id);
        if ((d <= near || (n >= 3 && strstr(c->fw[i]->id, low))) && d < best_d) {
            best = c->fw[i]->id;
            best_d = d;
        }
    }
    return best;
}

const char *framework_id(const bh_framework *f) { return f->id; }
const char *framework_name(const bh_framework *f) { return f->name; }
const char *framework_url(const bh_framework *f) { return f->url; }
size_t framework_ncontrols(const bh_framework *f) { return f->ncontrols; }
const char *framework_control_id(const bh_framework *f, size_t i) { return f->controls[i].id; }
const char *framework_control_title(const bh_framework *f, size_t i)
{
    return f->controls[i].title;
}
bool framework_control_retired(const bh_framework *f, size_t i) { return f->controls[i].retired; }
size_t framework_control_npolicies(const bh_framework *f, size_t i)
{
    return f->controls[i].npolicies;
}
const char *framework_control_policy(const bh_framework *f, size_t i, size_t k)
{
    return f->controls[i].policies[k];
}

/* ==== evaluation entry points ============================================ */

void catalog_eval(const bh_catalog *c, const bh_object *obj, bh_results *out)
{
    const group *g = NULL;
    for (size_t i = 0; i < c->ngroups && !g; i++)
        if (c->groups[i].input == obj->type || strcmp(c->groups[i].input, obj->type) == 0)
            g = &c->groups[i];
    if (!g)
        return;
    bh_arena *scratch = NULL;
    for (size_t i = 0; i < g->n; i++) {
        if (!g->v[i]->enabled)
            continue;
        if (!scratch && !(scratch = arena_new()))
            return;
        policy_eval_in(g->v[i], obj, out, scratch);
    }
    arena_free(scratch);
}

void policy_eval(const bh_policy *p, const bh_object *obj, bh_results *out)
{
    bh_arena *scratch = arena_new();
    if (!scratch)
        return;
    policy_eval_in(p, obj, out, scratch);
    arena_free(scratch);
}

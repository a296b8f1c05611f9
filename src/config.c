/* config.c - see config.h. */
#include "config.h"

#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "bhyaml.h"
#include "discover.h"
#include "doc.h"
#include "suppress.h"

typedef struct loader {
    bh_config *cfg;
    bh_arena *a;
    const bh_source *src;
    const bh_catalog *cat;
    const char *today;
    bh_diags *diags;
    bool failed;
} loader;

/* The config lives in its own arena; the struct is the arena's first block. */
struct config_block {
    bh_config cfg;
    bh_arena *a;
};

__attribute__((format(printf, 3, 4))) static void fail(loader *l, const doc_node *at,
                                                      const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diags_vadd(l->diags, DIAG_ERROR, doc_span(at), fmt, ap);
    va_end(ap);
    l->failed = true;
}

static const char *node_kind_name(const doc_node *n)
{
    switch (doc_kind_of(n)) {
    case DOC_MAP: return "a mapping";
    case DOC_SEQ: return "a list";
    default: return doc_type_of(n) == DOC_NULL ? "null" : "a scalar";
    }
}

/* A string value (any non-null scalar's text), or NULL after an error. */
static const char *str_of(loader *l, const doc_node *n, const char *what)
{
    if (doc_kind_of(n) != DOC_SCALAR || doc_type_of(n) == DOC_NULL) {
        fail(l, n, "%s must be a string, not %s", what, node_kind_name(n));
        return NULL;
    }
    return doc_text(n);
}

static const char *policy_of(loader *l, const doc_node *n, const char *what)
{
    const char *id = str_of(l, n, what);
    if (id && l->cat && !catalog_find(l->cat, id)) {
        fail(l, n, "unknown policy \"%s\" (see 'bulkhead policies list')", id);
        return NULL;
    }
    return id;
}

/* A list of strings into *out; policies: each must be a known policy. */
static void str_list(loader *l, const doc_node *n, const char *key, bool policies,
                     const char ***out, size_t *count)
{
    if (doc_kind_of(n) != DOC_SEQ) {
        fail(l, n, "\"%s\" must be a list of strings, not %s", key, node_kind_name(n));
        return;
    }
    size_t len = doc_len(n);
    const char **v = arena_alloc(l->a, (len ? len : 1) * sizeof *v);
    if (!v)
        return;
    size_t k = 0;
    for (size_t i = 0; i < len; i++) {
        const char *s = policies ? policy_of(l, doc_seq_at(n, i), "a policy id")
                                 : str_of(l, doc_seq_at(n, i), "an item of \"exclude\"");
        if (s)
            v[k++] = s;
    }
    *out = v;
    *count = k;
}

static bool severity_of(loader *l, const doc_node *n, bh_severity *out)
{
    const char *s = str_of(l, n, "a severity");
    if (s && !severity_parse(s, out)) {
        fail(l, n, "unknown severity \"%s\" (expected low, medium, high or critical)", s);
        return false;
    }
    return s != NULL;
}

static void overrides(loader *l, const doc_node *n)
{
    if (doc_kind_of(n) != DOC_MAP) {
        fail(l, n, "\"severity_overrides\" must be a mapping of policy ids to severities, not %s",
             node_kind_name(n));
        return;
    }
    size_t len = doc_len(n);
    config_override *v = arena_alloc(l->a, (len ? len : 1) * sizeof *v);
    if (!v)
        return;
    size_t k = 0;
    for (size_t i = 0; i < len; i++) {
        const char *id = policy_of(l, doc_map_key(n, i), "a policy id");
        bh_severity sev;
        if (severity_of(l, doc_map_val(n, i), &sev) && id)
            v[k++] = (config_override){id, sev};
    }
    l->cfg->overrides = v;
    l->cfg->noverrides = k;
}

static void suppression(loader *l, const doc_node *n, config_suppression *s)
{
    static const char *const keys[] = {"policy", "object", "file", "reason", "until"};
    if (doc_kind_of(n) != DOC_MAP) {
        fail(l, n, "a suppression must be a mapping (policy, object, file, reason, until), not %s",
             node_kind_name(n));
        return;
    }
    for (size_t i = 0; i < doc_len(n); i++) {
        const doc_node *k = doc_map_key(n, i);
        bool known = false;
        for (size_t j = 0; j < sizeof keys / sizeof *keys; j++)
            known = known || doc_text_eq(k, keys[j]);
        if (!known)
            fail(l, k, "unknown key \"%s\" in a suppression (expected policy, object, file, "
                       "reason or until)", doc_text(k));
    }
    const doc_node *policy = doc_get(n, "policy"), *object = doc_get(n, "object");
    const doc_node *file = doc_get(n, "file"), *reason = doc_get(n, "reason");
    const doc_node *until = doc_get(n, "until");
    if (!policy)
        fail(l, n, "a suppression needs a \"policy\"");
    if (!object)
        fail(l, n, "a suppression needs an \"object\" (a name or a glob)");
    if (!reason)
        fail(l, n, "a suppression needs a \"reason\"");
    s->policy = policy ? policy_of(l, policy, "\"policy\"") : NULL;
    s->object = object ? str_of(l, object, "\"object\"") : NULL;
    s->file = file ? str_of(l, file, "\"file\"") : NULL;
    s->s.kind = "config";
    s->s.reason = reason ? str_of(l, reason, "\"reason\"") : NULL;
    if (s->s.reason && !*s->s.reason)
        fail(l, reason, "a suppression's \"reason\" must not be empty");
    s->s.until = until ? str_of(l, until, "\"until\"") : NULL;
    if (s->s.until && !suppress_date_valid(s->s.until, strlen(s->s.until))) {
        fail(l, until, "malformed date \"%s\" (expected YYYY-MM-DD)", s->s.until);
        s->s.until = NULL;
    }
    bh_span sp = doc_span(n);
    s->s.source.file = l->cfg->path;
    s->s.source.pos = source_pos(l->src, sp.start);
    s->s.source.end = source_pos(l->src, sp.end);
    if (s->s.until && l->today && strcmp(s->s.until, l->today) < 0) {
        s->expired = true;
        diags_add(l->diags, DIAG_WARNING, sp, "suppression of \"%s\" expired on %s",
                  s->policy ? s->policy : "?", s->s.until);
    }
}

static void suppressions(loader *l, const doc_node *n)
{
    if (doc_kind_of(n) != DOC_SEQ) {
        fail(l, n, "\"suppressions\" must be a list, not %s", node_kind_name(n));
        return;
    }
    size_t len = doc_len(n);
    config_suppression *v = arena_alloc(l->a, (len ? len : 1) * sizeof *v);
    if (!v)
        return;
    for (size_t i = 0; i < len; i++)
        suppression(l, doc_seq_at(n, i), &v[i]);
    l->cfg->suppressions = v;
    l->cfg->nsuppressions = len;
}

static void top_level(loader *l, const doc_node *root)
{
    if (doc_kind_of(root) == DOC_SCALAR && doc_type_of(root) == DOC_NULL)
        return;     /* an empty file */
    if (doc_kind_of(root) != DOC_MAP) {
        fail(l, root, "the configuration must be a mapping, not %s", node_kind_name(root));
        return;
    }
    bh_config *c = l->cfg;
    for (size_t i = 0; i < doc_len(root); i++) {
        const doc_node *k = doc_map_key(root, i), *v = doc_map_val(root, i);
        if (doc_text_eq(k, "skip_policies"))
            str_list(l, v, "skip_policies", true, &c->skip_policies, &c->nskip_policies);
        else if (doc_text_eq(k, "exclude"))
            str_list(l, v, "exclude", false, &c->excludes, &c->nexcludes);
        else if (doc_text_eq(k, "severity_overrides"))
            overrides(l, v);
        else if (doc_text_eq(k, "suppressions"))
            suppressions(l, v);
        else if (doc_text_eq(k, "fail_threshold"))
            c->has_fail_threshold = severity_of(l, v, &c->fail_threshold);
        else if (doc_text_eq(k, "no_inline_suppressions")) {
            if (!doc_bool(v, &c->no_inline_suppressions))
                fail(l, v, "\"no_inline_suppressions\" must be true or false, not %s",
                     node_kind_name(v));
        } else
            fail(l, k, "unknown key \"%s\" (expected skip_policies, exclude, severity_overrides, "
                       "suppressions, fail_threshold or no_inline_suppressions)", doc_text(k));
    }
}

bh_config *config_parse(const bh_source *src, const bh_catalog *cat, const char *today,
                        bh_diags *diags)
{
    bh_arena *a = arena_new();
    struct config_block *b = a ? arena_alloc(a, sizeof *b) : NULL;
    if (!b) {
        arena_free(a);
        diags_add_file(diags, DIAG_ERROR, source_path(src), (bh_pos){0, 0}, "out of memory");
        return NULL;
    }
    b->a = a;
    b->cfg.path = arena_strdup(a, source_path(src));
    loader l = {&b->cfg, a, src, cat, today, diags, false};
    doc_node **docs = NULL;
    long n = bhyaml_parse(src, a, NULL, &docs, diags);
    if (n < 0)
        l.failed = true;
    else if (n > 1)
        fail(&l, docs[1], "the configuration must be one YAML document");
    else if (n == 1)
        top_level(&l, docs[0]);
    if (l.failed || !b->cfg.path) {
        arena_free(a);
        return NULL;
    }
    return &b->cfg;
}

bh_config *config_load(const char *path, const bh_catalog *cat, const char *today,
                       bh_diags *diags)
{
    bh_source *src = discover_read(path, NULL, diags);
    if (!src)
        return NULL;
    bh_config *c = config_parse(src, cat, today, diags);
    source_free(src);
    return c;
}

void config_free(bh_config *c)
{
    if (c)
        arena_free(((struct config_block *)c)->a);
}

/* ---- finding the file --------------------------------------------------- */

static bool exists(const char *dir, const char *name, char *buf, size_t cap, bool want_dir)
{
    struct stat st;
    if ((size_t)snprintf(buf, cap, "%s%s%s", dir, strcmp(dir, "/") ? "/" : "", name) >= cap)
        return false;
    return stat(buf, &st) == 0 && (want_dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode));
}

/* abs relative to the working directory when it is below it (reports
 * show the paths the user typed), else abs; malloc()ed. */
static char *display_path(const char *abs)
{
    char cwd[PATH_MAX];
    size_t n;
    if (getcwd(cwd, sizeof cwd) && (n = strlen(cwd)) > 1 && strncmp(abs, cwd, n) == 0 &&
        abs[n] == '/')
        return strdup(abs + n + 1);
    return strdup(abs);
}

char *config_find(const char *start)
{
    char *dir = realpath(start, NULL);
    if (!dir)
        return NULL;
    struct stat st;
    if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
        char *slash = strrchr(dir, '/');
        if (slash)
            slash == dir ? (void)(dir[1] = '\0') : (void)(*slash = '\0');
    }
    char buf[PATH_MAX];
    for (;;) {
        if (exists(dir, ".bulkhead.yaml", buf, sizeof buf, false)) {
            free(dir);
            return display_path(buf);
        }
        char *slash = strrchr(dir, '/');
        if (exists(dir, ".git", buf, sizeof buf, true) || exists(dir, ".git", buf, sizeof buf, false) ||
            !slash || strcmp(dir, "/") == 0)
            break;
        slash == dir ? (void)(dir[1] = '\0') : (void)(*slash = '\0');
    }
    free(dir);
    return NULL;
}

bool config_path_matches(const char *glob, const char *path)
{
    if (fnmatch(glob, path, 0) == 0)
        return true;
    for (const char *p = strchr(path, '/'); p; p = strchr(p + 1, '/'))
        if (fnmatch(glob, p + 1, 0) == 0)
            return true;
    return false;
}

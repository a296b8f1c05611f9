/*
 * scan.c - the pipeline behind `bulkhead scan`: see scan.h.
 *
 * Each file is one unit of work: read, detect, parse, adapt, evaluate, all
 * in a fresh arena that is freed before the next file.  Results and
 * diagnostics are self-contained copies, so nothing of a file outlives its
 * unit but what the report needs.
 */
#include "scan.h"

#include <stdlib.h>
#include <string.h>

#include "adapter.h"
#include "arena.h"
#include "detect.h"
#include "json.h"
#include "object.h"
#include "yaml.h"

struct bh_scan {
    const bh_catalog *catalog;
    const bh_policy *only;
    bh_scan_opts opts;
    bh_results *results;
    bh_diags *diags;
    size_t nfiles;
};

bh_scan *scan_new(const bh_catalog *catalog, const bh_scan_opts *opts)
{
    bh_scan *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->catalog = catalog;
    if (opts)
        s->opts = *opts;
    s->results = results_new();
    s->diags = diags_new();
    if (!s->results || !s->diags) {
        scan_free(s);
        return NULL;
    }
    return s;
}

void scan_free(bh_scan *s)
{
    if (!s)
        return;
    results_free(s->results);
    diags_free(s->diags);
    free(s);
}

void scan_only_policy(bh_scan *s, const bh_policy *p) { s->only = p; }
bh_results *scan_results(bh_scan *s) { return s->results; }
bh_diags *scan_diags(bh_scan *s) { return s->diags; }
size_t scan_nfiles(const bh_scan *s) { return s->nfiles; }

/* The adapter for a document kind; NULL for kinds not read yet. */
typedef bool (*adapter_fn)(const doc_node *, bh_arena *, bh_objlist *, bh_diags *);

static adapter_fn adapter_for(bh_kind kind)
{
    switch (kind) {
    case KIND_ECS:
        return adapt_ecs;
    default:
        return NULL;
    }
}

static void adapt_document(bh_scan *s, const char *path, const doc_node *root, bh_arena *a,
                           bh_objlist *objs)
{
    bh_kind kind = detect_document(path, root);
    adapter_fn fn = adapter_for(kind);
    if (fn)
        fn(root, a, objs, s->diags);
}

static void evaluate(bh_scan *s, const bh_objlist *objs)
{
    for (size_t i = 0; i < objlist_len(objs); i++) {
        const bh_object *o = objlist_at(objs, i);
        if (!s->only)
            catalog_eval(s->catalog, o, s->results);
        else if (strcmp(policy_input(s->only), o->type) == 0)
            policy_eval(s->only, o, s->results);
    }
}

/* Parse, adapt and evaluate one source; takes ownership of src. */
static void scan_source(bh_scan *s, bh_source *src)
{
    const char *path = source_path(src);
    const char *data = source_data(src);
    size_t len = source_len(src);
    bh_syntax syn = detect_syntax(path, data, len);
    if (syn == SYN_NONE || !detect_worth_parsing(syn, data, len)) {
        source_free(src);
        return;
    }
    s->nfiles++;
    bh_arena *a = arena_new();
    bh_objlist *objs = a ? objlist_new(a) : NULL;
    if (!objs) {
        diags_add_file(s->diags, DIAG_ERROR, path, (bh_pos){0, 0}, "out of memory");
        arena_free(a);
        source_free(src);
        return;
    }
    switch (syn) {
    case SYN_YAML: {
        doc_node **docs = NULL;
        long n = bhyaml_parse(src, a, NULL, &docs, s->diags);
        for (long i = 0; i < n; i++)
            adapt_document(s, path, docs[i], a, objs);
        break;
    }
    case SYN_JSON: {
        doc_node *root = json_parse(src, a, NULL, s->diags);
        if (root)
            adapt_document(s, path, root, a, objs);
        break;
    }
    default:
        /* Terraform (HCL and JSON syntax) is read by the Terraform module. */
        break;
    }
    evaluate(s, objs);
    arena_free(a);
    source_free(src);
}

void scan_buffer(bh_scan *s, const char *path, const char *data, size_t len)
{
    bh_source *src = source_new(path, data, len);
    if (!src) {
        diags_add_file(s->diags, DIAG_ERROR, path, (bh_pos){0, 0}, "out of memory");
        return;
    }
    scan_source(s, src);
}

void scan_paths(bh_scan *s, const char *const *paths, size_t npaths)
{
    bh_filelist *files = filelist_new();
    if (!files || !discover(paths, npaths, &s->opts.discover, files, s->diags)) {
        diags_add_file(s->diags, DIAG_ERROR, "", (bh_pos){0, 0}, "out of memory");
        filelist_free(files);
        return;
    }
    for (size_t i = 0; i < filelist_len(files); i++) {
        const char *path = filelist_path(files, i);
        if (detect_syntax(path, "", 0) == SYN_NONE)
            continue;   /* not a name we read: do not even open it */
        bh_source *src = discover_read(path, &s->opts.discover, s->diags);
        if (src)
            scan_source(s, src);
    }
    filelist_free(files);
}

void scan_finish(bh_scan *s) { results_sort(s->results); }

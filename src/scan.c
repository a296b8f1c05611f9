/*
 * scan.c - the pipeline behind `bulkhead scan`: see scan.h.
 *
 * Each file is one unit of work: read, detect, parse, adapt, evaluate, all
 * in a fresh arena that is freed before the next file.  Results and
 * diagnostics are self-contained copies, so nothing of a file outlives its
 * unit but what the report needs.
 */
#include "scan.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adapter.h"
#include "arena.h"
#include "detect.h"
#include "json.h"
#include "object.h"
#include "bhyaml.h"
#include "suppress.h"

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

/* Documents into objects, by kind: each entry adapts one kind, given the
 * scan for its settings (--cfn-param values). */
typedef bool (*adapter_fn)(const bh_scan *s, const doc_node *root, bh_arena *a,
                           bh_objlist *out, bh_diags *diags);

static bool run_ecs(const bh_scan *s, const doc_node *root, bh_arena *a, bh_objlist *out,
                    bh_diags *diags)
{
    return adapt_ecs(root, a, out, diags);
}

static bool run_k8s(const bh_scan *s, const doc_node *root, bh_arena *a, bh_objlist *out,
                    bh_diags *diags)
{
    return adapt_k8s(root, a, out, diags);
}

static bool run_cfn(const bh_scan *s, const doc_node *root, bh_arena *a, bh_objlist *out,
                    bh_diags *diags)
{
    return adapt_cfn_with(root, s->opts.cfn_params, a, out, diags);
}

static bool run_compose(const bh_scan *s, const doc_node *root, bh_arena *a, bh_objlist *out,
                        bh_diags *diags)
{
    return adapt_compose(root, a, out, diags);
}

static const struct {
    bh_kind kind;
    adapter_fn run;
} adapters[] = {
    {KIND_ECS, run_ecs},
    {KIND_KUBERNETES, run_k8s},
    {KIND_CLOUDFORMATION, run_cfn},
    {KIND_COMPOSE, run_compose},
};

/* Where one unit of work (a file) writes: results and diagnostics. */
typedef struct unit_out {
    bh_results *results;
    bh_diags *diags;
    size_t nfiles;
} unit_out;

static void adapt_document(const bh_scan *s, const char *path, const doc_node *root,
                           bh_arena *a, bh_objlist *objs, bh_diags *diags)
{
    bh_kind kind = detect_document(path, root);
    for (size_t i = 0; i < sizeof adapters / sizeof *adapters; i++)
        if (adapters[i].kind == kind)
            adapters[i].run(s, root, a, objs, diags);
}

static void evaluate(const bh_scan *s, const bh_objlist *objs, bh_results *out)
{
    for (size_t i = 0; i < objlist_len(objs); i++) {
        const bh_object *o = objlist_at(objs, i);
        if (!s->only)
            catalog_eval(s->catalog, o, out);
        else if (strcmp(policy_input(s->only), o->type) == 0)
            policy_eval(s->only, o, out);
    }
}

/* Whether a YAML document (text) may hold something we read: anything but
 * a Kubernetes document of a kind no adapter reads. */
static bool yaml_document_wanted(const char *doc, size_t len)
{
    const char *kind;
    size_t klen;
    return !detect_yaml_k8s_kind(doc, len, &kind, &klen) || adapt_k8s_reads_kind(kind, klen);
}

/*
 * Parse and adapt a YAML stream.  When some of its documents are
 * Kubernetes kinds no adapter reads (CustomResourceDefinitions are most of
 * the bytes of a cluster's YAML), only the others are parsed, one by one;
 * otherwise the stream is parsed whole.  A skipped document is not checked
 * for syntax errors: like a file of no kind we scan, it gives nothing.
 */
static void scan_yaml(const bh_scan *s, const bh_source *src, bh_arena *a, bh_objlist *objs,
                      bh_diags *diags)
{
    const char *path = source_path(src), *data = source_data(src);
    size_t len = source_len(src), pos = 0, start, end;
    bool split = false;
    if (detect_yaml_splittable(data, len))
        while (!split && detect_yaml_next_document(data, len, &pos, &start, &end))
            split = !yaml_document_wanted(data + start, end - start);
    doc_node **docs = NULL;
    if (!split) {
        long n = bhyaml_parse(src, a, NULL, &docs, diags);
        for (long i = 0; i < n; i++)
            adapt_document(s, path, docs[i], a, objs, diags);
        return;
    }
    for (pos = 0; detect_yaml_next_document(data, len, &pos, &start, &end);) {
        if (!yaml_document_wanted(data + start, end - start))
            continue;
        long n = bhyaml_parse_range(src, (uint32_t)start, (uint32_t)end, a, NULL, &docs, diags);
        for (long i = 0; i < n; i++)
            adapt_document(s, path, docs[i], a, objs, diags);
    }
}

/* Parse, adapt and evaluate one source; takes ownership of src.  Reads
 * only the scan's settings, so units run in parallel. */
static void scan_source(const bh_scan *s, bh_source *src, unit_out *out)
{
    const char *path = source_path(src);
    const char *data = source_data(src);
    size_t len = source_len(src);
    bh_syntax syn = detect_syntax(path, data, len);
    if (syn == SYN_NONE || !detect_worth_parsing(syn, data, len)) {
        source_free(src);
        return;
    }
    out->nfiles++;
    bh_arena *a = arena_new();
    bh_objlist *objs = a ? objlist_new(a) : NULL;
    if (!objs) {
        diags_add_file(out->diags, DIAG_ERROR, path, (bh_pos){0, 0}, "out of memory");
        arena_free(a);
        source_free(src);
        return;
    }
    switch (syn) {
    case SYN_YAML:
        scan_yaml(s, src, a, objs, out->diags);
        break;
    case SYN_JSON: {
        doc_node *root = json_parse(src, a, NULL, out->diags);
        if (root)
            adapt_document(s, path, root, a, objs, out->diags);
        break;
    }
    default:
        /* Terraform (HCL and JSON syntax) is read by the Terraform module. */
        break;
    }
    size_t first = results_len(out->results);
    evaluate(s, objs, out->results);
    /* inline suppressions, while the source text is alive */
    suppress_inline(s->opts.suppress, src, syn, out->results, first, out->diags);
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
    unit_out out = {s->results, s->diags, 0};
    scan_source(s, src, &out);
    s->nfiles += out.nfiles;
}

/* ---- the worker pool ---------------------------------------------------
 * Files are handed out by an atomic counter.  Each worker collects results
 * in a list of its own (the final sort makes their order irrelevant);
 * diagnostics are kept per file and merged in file order, so the report is
 * the same whatever the thread count. */

typedef struct pool {
    const bh_scan *scan;
    const bh_filelist *files;
    const size_t *pick;         /* the files to scan: indexes into files */
    size_t n;
    bh_diags **file_diags;      /* one per picked file */
    atomic_size_t next;
} pool;

typedef struct worker {
    pool *pool;
    bh_results *results;
    size_t nfiles;
    pthread_t thread;
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    pool *p = w->pool;
    for (size_t i; (i = atomic_fetch_add(&p->next, 1)) < p->n;) {
        const char *path = filelist_path(p->files, p->pick[i]);
        bh_diags *d = p->file_diags[i];
        bh_source *src = discover_read(path, &p->scan->opts.discover, d);
        if (!src)
            continue;
        unit_out out = {w->results, d, 0};
        scan_source(p->scan, src, &out);
        w->nfiles += out.nfiles;
    }
    return NULL;
}

static int job_count(const bh_scan *s, size_t nfiles)
{
    long jobs = s->opts.jobs > 0 ? s->opts.jobs : sysconf(_SC_NPROCESSORS_ONLN);
    if (jobs < 1)
        jobs = 1;
    if ((size_t)jobs > nfiles)
        jobs = nfiles ? (long)nfiles : 1;
    return jobs > 256 ? 256 : (int)jobs;
}

static bool run_pool(bh_scan *s, const bh_filelist *files, const size_t *pick, size_t n)
{
    int jobs = job_count(s, n);
    pool p = {s, files, pick, n, calloc(n ? n : 1, sizeof(bh_diags *)), 0};
    worker *w = calloc((size_t)jobs, sizeof *w);
    bool ok = p.file_diags && w;
    for (size_t i = 0; ok && i < n; i++)
        ok = (p.file_diags[i] = diags_new()) != NULL;
    for (int j = 0; ok && j < jobs; j++) {
        w[j].pool = &p;
        ok = (w[j].results = results_new()) != NULL;
    }
    if (ok) {
        /* the calling thread is worker 0 */
        int started = 1;
        for (int j = 1; j < jobs; j++, started++)
            if (pthread_create(&w[j].thread, NULL, work, &w[j]) != 0)
                break;
        work(&w[0]);
        for (int j = 1; j < started; j++)
            pthread_join(w[j].thread, NULL);
        for (size_t i = 0; i < n; i++)
            diags_move(s->diags, p.file_diags[i]);
        for (int j = 0; j < jobs; j++) {
            ok = results_move(s->results, w[j].results) && ok;
            s->nfiles += w[j].nfiles;
        }
    }
    for (size_t i = 0; p.file_diags && i < n; i++)
        diags_free(p.file_diags[i]);
    for (int j = 0; w && j < jobs; j++)
        results_free(w[j].results);
    free(p.file_diags);
    free(w);
    return ok;
}

void scan_paths(bh_scan *s, const char *const *paths, size_t npaths)
{
    bh_filelist *all = filelist_new();
    bool ok = all && discover(paths, npaths, &s->opts.discover, all, s->diags);
    size_t n = ok ? filelist_len(all) : 0, k = 0;
    size_t *pick = malloc((n ? n : 1) * sizeof *pick);
    ok = ok && pick;
    /* a name we do not read is never even opened */
    for (size_t i = 0; ok && i < n; i++)
        if (detect_syntax(filelist_path(all, i), "", 0) != SYN_NONE)
            pick[k++] = i;
    if (!ok || !run_pool(s, all, pick, k))
        diags_add_file(s->diags, DIAG_ERROR, "", (bh_pos){0, 0}, "out of memory");
    free(pick);
    filelist_free(all);
}

void scan_finish(bh_scan *s)
{
    suppress_config(s->opts.suppress, s->results);  /* severity overrides, config suppressions */
    results_sort(s->results);
}

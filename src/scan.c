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
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "adapter.h"
#include "arena.h"
#include "detect.h"
#include "json.h"
#include "object.h"
#include "bhyaml.h"
#include "suppress.h"
#include "tfeval.h"

struct bh_scan {
    const bh_catalog *catalog;
    const bh_policy *only;
    bh_scan_opts opts;
    char **roots;               /* where Terraform's file() may read: the scanned directories */
    size_t nroots;
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
    for (size_t i = 0; i < s->nroots; i++)
        free(s->roots[i]);
    free(s->roots);
    free(s);
}

void scan_only_policy(bh_scan *s, const bh_policy *p) { s->only = p; }

bool scan_limit_parse(scan_limits *l, const char *arg)
{
    static const struct {
        const char *name;
        size_t off, size;
    } names[] = {
        {"yaml-depth", offsetof(scan_limits, yaml_depth), sizeof(unsigned)},
        {"yaml-aliases", offsetof(scan_limits, yaml_aliases), sizeof(size_t)},
        {"yaml-documents", offsetof(scan_limits, yaml_documents), sizeof(size_t)},
        {"json-depth", offsetof(scan_limits, json_depth), sizeof(unsigned)},
        {"hcl-depth", offsetof(scan_limits, hcl_depth), sizeof(unsigned)},
        {"tf-steps", offsetof(scan_limits, tf_steps), sizeof(unsigned long)},
        {"tf-memory", offsetof(scan_limits, tf_memory), sizeof(size_t)},
    };
    const char *eq = strchr(arg, '=');
    char *end;
    if (!eq || eq[1] < '0' || eq[1] > '9')
        return false;
    unsigned long long v = strtoull(eq + 1, &end, 10);
    if (*end || v == 0)
        return false;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        if (strlen(names[i].name) != (size_t)(eq - arg) ||
            strncmp(names[i].name, arg, (size_t)(eq - arg)) != 0)
            continue;
        char *field = (char *)l + names[i].off;
        if (names[i].size == sizeof(unsigned)) {
            if (v > 1000000)
                return false;   /* a nesting depth beyond this is a stack, not a limit */
            *(unsigned *)field = (unsigned)v;
        } else if (names[i].size == sizeof(size_t)) {
            *(size_t *)field = (size_t)v;
        } else {
            *(unsigned long *)field = (unsigned long)v;
        }
        return true;
    }
    return false;
}
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

static bool run_tf_plan(const bh_scan *s, const doc_node *root, bh_arena *a, bh_objlist *out,
                        bh_diags *diags)
{
    return adapt_tf_plan(root, a, out, diags);
}

static const struct {
    bh_kind kind;
    adapter_fn run;
} adapters[] = {
    {KIND_ECS, run_ecs},
    {KIND_KUBERNETES, run_k8s},
    {KIND_CLOUDFORMATION, run_cfn},
    {KIND_COMPOSE, run_compose},
    {KIND_TF_PLAN, run_tf_plan},
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
    bhyaml_limits lim = {s->opts.limits.yaml_depth, s->opts.limits.yaml_aliases,
                         s->opts.limits.yaml_documents};
    if (detect_yaml_splittable(data, len))
        while (!split && detect_yaml_next_document(data, len, &pos, &start, &end))
            split = !yaml_document_wanted(data + start, end - start);
    doc_node **docs = NULL;
    if (!split) {
        long n = bhyaml_parse(src, a, &lim, &docs, diags);
        for (long i = 0; i < n; i++)
            adapt_document(s, path, docs[i], a, objs, diags);
        return;
    }
    for (pos = 0; detect_yaml_next_document(data, len, &pos, &start, &end);) {
        if (!yaml_document_wanted(data + start, end - start))
            continue;
        long n = bhyaml_parse_range(src, (uint32_t)start, (uint32_t)end, a, &lim, &docs, diags);
        for (long i = 0; i < n; i++)
            adapt_document(s, path, docs[i], a, objs, diags);
    }
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    return slash == path ? strdup("/") : strndup(path, (size_t)(slash - path));
}

/*
 * A Terraform module: the .tf, .tf.json and tfvars files of one directory
 * (dir NULL: that of the first), evaluated together (tfeval.h), its
 * resources adapted and evaluated.  Takes ownership of srcs[0..n).
 */
static void scan_module(const bh_scan *s, const char *dir, bh_source **srcs, size_t n,
                        unit_out *out)
{
    char *own = dir ? NULL : dir_of(source_path(srcs[0]));
    bh_arena *a = arena_new();
    bh_objlist *objs = a ? objlist_new(a) : NULL;
    tf_opts o = {s->opts.tf_vars, (const char *const *)s->roots, s->nroots,
                 &s->opts.discover, s->opts.limits.tf_steps, s->opts.limits.tf_memory,
                 s->opts.limits.hcl_depth};
    tf_module *m = objs && (dir || own) ? tf_eval_module(dir ? dir : own, srcs, n, &o,
                                                         adapt_tf_wants, a, out->diags)
                                        : NULL;
    if (!m)
        diags_add_file(out->diags, DIAG_ERROR, source_path(srcs[0]), (bh_pos){0, 0},
                       "out of memory");
    out->nfiles += n + (m ? tf_module_nsources(m) : 0);
    size_t first = results_len(out->results);
    if (m) {
        adapt_tf(m, a, objs, out->diags);
        evaluate(s, objs, out->results);
        for (size_t i = 0; i < n; i++)
            suppress_inline(s->opts.suppress, srcs[i],
                            detect_syntax(source_path(srcs[i]), "", 0), out->results, first,
                            out->diags);
        for (size_t i = 0; i < tf_module_nsources(m); i++) {
            const bh_source *src = tf_module_source(m, i);
            suppress_inline(s->opts.suppress, src,
                            detect_syntax(source_path(src), source_data(src), source_len(src)),
                            out->results, first, out->diags);
        }
    }
    arena_free(a);
    for (size_t i = 0; i < n; i++)
        source_free(srcs[i]);
    free(own);
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
        json_limits jl = {s->opts.limits.json_depth};
        doc_node *root = json_parse(src, a, &jl, out->diags);
        if (root)
            adapt_document(s, path, root, a, objs, out->diags);
        break;
    }
    default:
        /* Terraform: a file alone is a module of one file */
        arena_free(a);
        out->nfiles--;
        scan_module(s, NULL, &src, 1, out);
        return;
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

/* A unit of work: one file, or the files of one Terraform module
 * (pick[first .. first + n)). */
typedef struct unit {
    size_t first, n;
    char *dir;                  /* a module's directory; NULL for a file */
    bool siblings;              /* a file of it was named on the command line: the
                                 * module is its whole directory, as for Terraform */
} unit;

typedef struct pool {
    const bh_scan *scan;
    const bh_filelist *files;
    const size_t *pick;         /* indexes into files, each unit's together */
    const unit *units;
    size_t n;
    bh_diags **unit_diags;      /* one per unit */
    atomic_size_t next;
} pool;

typedef struct worker {
    pool *pool;
    bh_results *results;
    size_t nfiles;
    pthread_t thread;
} worker;

static bool is_tf(const char *path)
{
    bh_syntax syn = detect_syntax(path, "", 0);
    return syn == SYN_HCL || syn == SYN_TF_JSON;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The Terraform files of dir (a file named on the command line brings its
 * module along: variables.tf, terraform.tfvars), sorted; NULL on failure. */
static char **module_files(const char *dir, size_t *n)
{
    DIR *d = opendir(dir);
    char **v = NULL;
    size_t cap = 0;
    *n = 0;
    for (struct dirent *e; d && (e = readdir(d));) {
        if (e->d_name[0] == '.' || !is_tf(e->d_name))
            continue;
        if (*n == cap) {
            char **g = realloc(v, (cap = cap ? 2 * cap : 16) * sizeof *v);
            if (!g)
                break;
            v = g;
        }
        if (!(v[*n] = discover_join(dir, e->d_name)))
            break;
        (*n)++;
    }
    if (d)
        closedir(d);
    if (v)
        qsort(v, *n, sizeof *v, name_cmp);
    return v;
}

static void work_module(pool *p, const unit *u, unit_out *out)
{
    size_t nsib = 0;
    char **sib = u->siblings ? module_files(u->dir, &nsib) : NULL;
    bh_source **srcs = calloc(u->n + nsib, sizeof *srcs);
    size_t k = 0;
    if (!srcs) {
        diags_add_file(out->diags, DIAG_ERROR, u->dir, (bh_pos){0, 0}, "out of memory");
        for (size_t i = 0; i < nsib; i++)
            free(sib[i]);
        free(sib);
        return;
    }
    for (size_t i = 0; i < u->n; i++) {
        const char *path = filelist_path(p->files, p->pick[u->first + i]);
        bh_source *src = discover_read(path, &p->scan->opts.discover, out->diags);
        if (src)
            srcs[k++] = src;
    }
    for (size_t i = 0; i < nsib; i++) {
        bool have = false;
        for (size_t j = 0; j < u->n && !have; j++)
            have = strcmp(filelist_path(p->files, p->pick[u->first + j]), sib[i]) == 0;
        bh_source *src = have ? NULL : discover_read(sib[i], &p->scan->opts.discover,
                                                      out->diags);
        if (src)
            srcs[k++] = src;
        free(sib[i]);
    }
    free(sib);
    if (k)
        scan_module(p->scan, u->dir, srcs, k, out);
    free(srcs);
}

static void *work(void *arg)
{
    worker *w = arg;
    pool *p = w->pool;
    for (size_t i; (i = atomic_fetch_add(&p->next, 1)) < p->n;) {
        const unit *u = &p->units[i];
        unit_out out = {w->results, p->unit_diags[i], 0};
        if (u->dir) {
            work_module(p, u, &out);
        } else {
            const char *path = filelist_path(p->files, p->pick[u->first]);
            bh_source *src = discover_read(path, &p->scan->opts.discover, out.diags);
            if (src)
                scan_source(p->scan, src, &out);
        }
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

static bool run_pool(bh_scan *s, const bh_filelist *files, const size_t *pick,
                     const unit *units, size_t n)
{
    int jobs = job_count(s, n);
    pool p = {s, files, pick, units, n, calloc(n ? n : 1, sizeof(bh_diags *)), 0};
    worker *w = calloc((size_t)jobs, sizeof *w);
    bool ok = p.unit_diags && w;
    for (size_t i = 0; ok && i < n; i++)
        ok = (p.unit_diags[i] = diags_new()) != NULL;
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
            diags_move(s->diags, p.unit_diags[i]);
        for (int j = 0; j < jobs; j++) {
            ok = results_move(s->results, w[j].results) && ok;
            s->nfiles += w[j].nfiles;
        }
    }
    for (size_t i = 0; p.unit_diags && i < n; i++)
        diags_free(p.unit_diags[i]);
    for (int j = 0; w && j < jobs; j++)
        results_free(w[j].results);
    free(p.unit_diags);
    free(w);
    return ok;
}

/* ---- Terraform modules as units ----------------------------------------- */

typedef struct tf_file {
    size_t index;
    char *dir;                  /* canonical */
} tf_file;

static int tf_file_cmp(const void *x, const void *y)
{
    const tf_file *a = x, *b = y;
    int c = strcmp(a->dir, b->dir);
    return c ? c : (a->index > b->index) - (a->index < b->index);
}

/* Whether dir is called as a local module by another module of the scan:
 * then it is evaluated through its callers, with their arguments. */
static bool called(char *const *calls, size_t ncalls, const char *dir)
{
    for (size_t i = 0; i < ncalls; i++)
        if (strcmp(calls[i], dir) == 0)
            return true;
    return false;
}

/* The local module calls of each directory's .tf files, by a quick look. */
static bool find_calls(const bh_scan *s, const bh_filelist *all, const tf_file *tf, size_t n,
                       char ***calls, size_t *ncalls)
{
    bool ok = true;
    for (size_t i = 0; ok && i < n; i++) {
        const char *path = filelist_path(all, tf[i].index);
        if (detect_syntax(path, "", 0) != SYN_HCL)
            continue;
        bh_diags *d = diags_new();
        bh_source *src = d ? discover_read(path, &s->opts.discover, d) : NULL;
        size_t before = *ncalls;
        ok = d && (!src || tf_called_modules(tf[i].dir, &src, 1, calls, ncalls));
        /* a directory calling itself ("./") is still a root */
        for (size_t k = before; ok && k < *ncalls; k++)
            if (strcmp((*calls)[k], tf[i].dir) == 0)
                (*calls)[k][0] = '\0';
        source_free(src);
        diags_free(d);
    }
    return ok;
}

/* Units: every non-Terraform file alone; the Terraform files grouped by
 * directory, leaving out directories other modules call. */
static bool named(const char *const *paths, size_t npaths, const char *path)
{
    for (size_t i = 0; i < npaths; i++)
        if (strcmp(paths[i], path) == 0)
            return true;
    return false;
}

static bool plan_units(const bh_scan *s, const bh_filelist *all, const char *const *paths,
                       size_t npaths, size_t *pick, unit *units, size_t *nunits)
{
    size_t n = filelist_len(all), k = 0, nu = 0, ntf = 0, ncalls = 0;
    tf_file *tf = malloc((n ? n : 1) * sizeof *tf);
    char **calls = NULL;
    bool ok = tf != NULL;
    for (size_t i = 0; ok && i < n; i++) {
        const char *path = filelist_path(all, i);
        if (detect_syntax(path, "", 0) == SYN_NONE)
            continue;   /* a name we do not read is never even opened */
        if (is_tf(path)) {
            char *d = dir_of(path);
            tf[ntf].dir = d ? tf_clean_path(d) : NULL;
            tf[ntf].index = i;
            free(d);
            ok = tf[ntf++].dir != NULL;
            continue;
        }
        units[nu++] = (unit){k, 1, NULL, false};
        pick[k++] = i;
    }
    if (ok)
        qsort(tf, ntf, sizeof *tf, tf_file_cmp);
    ok = ok && find_calls(s, all, tf, ntf, &calls, &ncalls);
    for (size_t i = 0; ok && i < ntf;) {
        size_t j = i;
        while (j < ntf && strcmp(tf[j].dir, tf[i].dir) == 0)
            j++;
        if (!called(calls, ncalls, tf[i].dir)) {
            char *d = dir_of(filelist_path(all, tf[i].index));
            bool sib = false;
            for (size_t m = i; m < j; m++)
                sib |= named(paths, npaths, filelist_path(all, tf[m].index));
            ok = d != NULL;
            units[nu++] = (unit){k, j - i, d, sib};
            for (size_t m = i; m < j; m++)
                pick[k++] = tf[m].index;
        }
        i = j;
    }
    for (size_t i = 0; i < ntf; i++)
        free(tf[i].dir);
    for (size_t i = 0; i < ncalls; i++)
        free(calls[i]);
    free(calls);
    free(tf);
    *nunits = nu;
    return ok;
}

/* The scanned directories (a file's own directory), where Terraform's
 * file() and local modules may be read. */
static bool set_roots(bh_scan *s, const char *const *paths, size_t npaths)
{
    s->roots = calloc(npaths ? npaths : 1, sizeof *s->roots);
    if (!s->roots)
        return false;
    for (size_t i = 0; i < npaths; i++) {
        struct stat st;
        bool dir = stat(paths[i], &st) == 0 && S_ISDIR(st.st_mode);
        s->roots[i] = dir ? strdup(paths[i]) : dir_of(paths[i]);
        if (!s->roots[i])
            return false;
        s->nroots++;
    }
    return true;
}

void scan_paths(bh_scan *s, const char *const *paths, size_t npaths)
{
    bh_filelist *all = filelist_new();
    bool ok = all && set_roots(s, paths, npaths) &&
              discover(paths, npaths, &s->opts.discover, all, s->diags);
    size_t n = ok ? filelist_len(all) : 0, nunits = 0;
    size_t *pick = malloc((n ? n : 1) * sizeof *pick);
    unit *units = malloc((n ? n : 1) * sizeof *units);
    ok = ok && pick && units && plan_units(s, all, paths, npaths, pick, units, &nunits);
    if (!ok || !run_pool(s, all, pick, units, nunits))
        diags_add_file(s->diags, DIAG_ERROR, "", (bh_pos){0, 0}, "out of memory");
    for (size_t i = 0; units && i < nunits; i++)
        free(units[i].dir);
    free(pick);
    free(units);
    filelist_free(all);
}

void scan_finish(bh_scan *s)
{
    suppress_config(s->opts.suppress, s->results);  /* severity overrides, config suppressions */
    results_sort(s->results);
}

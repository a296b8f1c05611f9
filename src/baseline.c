/* baseline.c - see baseline.h. */
#include "baseline.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "discover.h"
#include "doc.h"
#include "json.h"
#include "report.h"

#define BASELINE_VERSION 1

typedef struct bl_entry {
    const char *policy, *object, *object_type, *file;
    char fp[17];
    bool used;
} bl_entry;

struct bh_baseline {
    bh_arena *a;
    bl_entry *v;
    size_t n;
};

static bool recorded(const bh_result *r)
{
    return !r->suppression && (r->status == ST_INCOMPLIANT || r->status == ST_UNDETERMINED);
}

static int cmp_entry(const void *pa, const void *pb)
{
    const bl_entry *a = pa, *b = pb;
    int c = strcmp(a->file, b->file);
    if (!c)
        c = strcmp(a->policy, b->policy);
    if (!c)
        c = strcmp(a->object, b->object);
    return c ? c : strcmp(a->fp, b->fp);
}

/* Entries sorted by file, policy, object and fingerprint, so a baseline
 * changes only where findings do. */
bool baseline_write(FILE *out, const bh_results *r)
{
    size_t n = 0, len = results_len(r);
    bl_entry *v = malloc((len ? len : 1) * sizeof *v);
    if (!v)
        return false;
    for (size_t i = 0; i < len; i++) {
        const bh_result *res = results_at(r, i);
        if (!recorded(res))
            continue;
        bl_entry *e = &v[n++];
        e->policy = res->policy;
        e->object = res->object;
        e->object_type = res->object_type;
        e->file = res->loc.file;
        result_fingerprint(res, e->fp);
    }
    qsort(v, n, sizeof *v, cmp_entry);
    fprintf(out, "{\n  \"version\": %d,\n  \"tool\": {\"name\": \"bulkhead\", \"version\": \"%s\"},\n"
                 "  \"results\": [",
            BASELINE_VERSION, BH_VERSION);
    for (size_t i = 0; i < n; i++) {
        fputs(i ? ",\n    {\"policy\": " : "\n    {\"policy\": ", out);
        json_write_string(out, v[i].policy);
        fputs(", \"object\": ", out);
        json_write_string(out, v[i].object);
        fputs(", \"object_type\": ", out);
        json_write_string(out, v[i].object_type);
        fputs(",\n     \"file\": ", out);
        json_write_string(out, v[i].file);
        fprintf(out, ", \"fingerprint\": \"%s\"}", v[i].fp);
    }
    fputs(n ? "\n  ]\n}\n" : "]\n}\n", out);
    free(v);
    return !ferror(out);
}

/* ---- reading ------------------------------------------------------------- */

static bool hex16(const char *s)
{
    if (strlen(s) != 16)
        return false;
    for (; *s; s++)
        if (!strchr("0123456789abcdef", *s))
            return false;
    return true;
}

/* The string at key of an entry, or NULL after an error (required) or
 * without one (optional). */
static const char *field(const doc_node *e, const char *key, bool required, bh_diags *d,
                         bool *ok)
{
    const doc_node *n = doc_get(e, key);
    if (!n) {
        if (required) {
            diags_add(d, DIAG_ERROR, doc_span(e), "baseline entry has no \"%s\"", key);
            *ok = false;
        }
        return NULL;
    }
    if (doc_kind_of(n) != DOC_SCALAR || doc_type_of(n) != DOC_STR) {
        diags_add(d, DIAG_ERROR, doc_span(n), "\"%s\" of a baseline entry must be a string", key);
        *ok = false;
        return NULL;
    }
    return doc_text(n);
}

static int cmp_fp(const void *pa, const void *pb)
{
    return strcmp(((const bl_entry *)pa)->fp, ((const bl_entry *)pb)->fp);
}

bh_baseline *baseline_parse(const bh_source *src, bh_diags *diags)
{
    bh_baseline *b = calloc(1, sizeof *b);
    if (!b || !(b->a = arena_new())) {
        free(b);
        diags_add_file(diags, DIAG_ERROR, source_path(src), (bh_pos){0, 0}, "out of memory");
        return NULL;
    }
    bool ok = true;
    const doc_node *root = json_parse(src, b->a, NULL, diags);
    const doc_node *ver = root ? doc_get(root, "version") : NULL;
    const doc_node *res = root ? doc_get(root, "results") : NULL;
    int64_t v = 0;
    if (!root)
        ok = false;
    else if (doc_kind_of(root) != DOC_MAP) {
        diags_add(diags, DIAG_ERROR, doc_span(root), "a baseline must be a JSON object");
        ok = false;
    } else if (!ver || !doc_int(ver, &v) || v != BASELINE_VERSION) {
        diags_add(diags, DIAG_ERROR, doc_span(ver ? ver : root),
                  "unsupported baseline version (expected \"version\": %d)", BASELINE_VERSION);
        ok = false;
    } else if (!res || doc_kind_of(res) != DOC_SEQ) {
        diags_add(diags, DIAG_ERROR, doc_span(res ? res : root),
                  "a baseline needs a \"results\" list");
        ok = false;
    }
    size_t n = ok ? doc_len(res) : 0;
    if (ok && !(b->v = arena_alloc(b->a, (n ? n : 1) * sizeof *b->v)))
        ok = false;
    for (size_t i = 0; ok && i < n; i++) {
        const doc_node *e = doc_seq_at(res, i);
        if (doc_kind_of(e) != DOC_MAP) {
            diags_add(diags, DIAG_ERROR, doc_span(e), "a baseline entry must be a JSON object");
            ok = false;
            break;
        }
        bl_entry *x = &b->v[b->n];
        bool eok = true;
        x->policy = field(e, "policy", true, diags, &eok);
        x->object = field(e, "object", true, diags, &eok);
        x->object_type = field(e, "object_type", false, diags, &eok);
        x->file = field(e, "file", false, diags, &eok);
        const char *fp = field(e, "fingerprint", true, diags, &eok);
        if (fp && !hex16(fp)) {
            diags_add(diags, DIAG_ERROR, doc_span(doc_get(e, "fingerprint")),
                      "malformed fingerprint \"%s\" (expected 16 hex digits)", fp);
            eok = false;
        }
        if (!eok) {
            ok = false;
            break;
        }
        memcpy(x->fp, fp, 17);
        b->n++;
    }
    if (!ok) {
        baseline_free(b);
        return NULL;
    }
    qsort(b->v, b->n, sizeof *b->v, cmp_fp);
    return b;
}

bh_baseline *baseline_load(const char *path, bh_diags *diags)
{
    bh_source *src = discover_read(path, NULL, diags);
    if (!src)
        return NULL;
    bh_baseline *b = baseline_parse(src, diags);
    source_free(src);
    return b;
}

void baseline_free(bh_baseline *b)
{
    if (!b)
        return;
    arena_free(b->a);
    free(b);
}

static bool not_in_baseline(const bh_result *r, void *ctx)
{
    bh_baseline *b = ctx;
    if (r->status != ST_INCOMPLIANT && r->status != ST_UNDETERMINED)
        return true;
    char fp[17];
    result_fingerprint(r, fp);
    /* entries are sorted by fingerprint: the first one not below fp */
    size_t lo = 0, hi = b->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(b->v[mid].fp, fp) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < b->n && strcmp(b->v[i].fp, fp) == 0; i++) {
        bl_entry *e = &b->v[i];
        if (!e->used && strcmp(e->policy, r->policy) == 0 && strcmp(e->object, r->object) == 0) {
            e->used = true;
            return false;
        }
    }
    return true;
}

size_t baseline_filter(bh_baseline *b, bh_results *r)
{
    return b ? results_retain(r, not_in_baseline, b) : 0;
}

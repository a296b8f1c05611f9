/* result.c - see result.h. */
#include "result.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct bh_results {
    bh_arena **arenas;       /* [0] is ours; moved-in lists add theirs */
    size_t narenas;
    bh_result *v;
    size_t n, cap;
    const char *last_file;   /* the last path copied: results of a file share it */
    const char **interned;   /* open addressing: strings copied into arenas[0] */
    size_t ninterned, capinterned;
};

static const char *const status_names[ST_COUNT] = {"COMPLIANT", "INCOMPLIANT",
                                                   "INAPPLICABLE", "UNDETERMINED"};
static const char *const severity_names[SEV_COUNT] = {"low", "medium", "high", "critical"};

const char *status_name(bh_status s) { return (unsigned)s < ST_COUNT ? status_names[s] : "?"; }
const char *severity_name(bh_severity s)
{
    return (unsigned)s < SEV_COUNT ? severity_names[s] : "?";
}

bool status_parse(const char *s, bh_status *out)
{
    for (int i = 0; i < ST_COUNT; i++)
        if (strcmp(s, status_names[i]) == 0) {
            *out = (bh_status)i;
            return true;
        }
    return false;
}

bool severity_parse(const char *s, bh_severity *out)
{
    for (int i = 0; i < SEV_COUNT; i++)
        if (strcmp(s, severity_names[i]) == 0) {
            *out = (bh_severity)i;
            return true;
        }
    return false;
}

bh_results *results_new(void)
{
    bh_results *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->arenas = malloc(sizeof *r->arenas);
    bh_arena *a = arena_new();
    if (!r->arenas || !a) {
        free(r->arenas);
        arena_free(a);
        free(r);
        return NULL;
    }
    r->arenas[0] = a;
    r->narenas = 1;
    return r;
}

void results_free(bh_results *r)
{
    if (!r)
        return;
    free(r->interned);
    for (size_t i = 0; i < r->narenas; i++)
        arena_free(r->arenas[i]);
    free(r->arenas);
    free(r->v);
    free(r);
}

bh_arena *results_arena(bh_results *r) { return r->arenas[0]; }

bh_result *results_push(bh_results *r)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        bh_result *v = realloc(r->v, cap * sizeof *v);
        if (!v)
            return NULL;
        r->v = v;
        r->cap = cap;
    }
    bh_result *res = &r->v[r->n++];
    memset(res, 0, sizeof *res);
    res->remediation = "";
    return res;
}

size_t results_len(const bh_results *r) { return r->n; }
const bh_result *results_at(const bh_results *r, size_t i) { return i < r->n ? &r->v[i] : NULL; }
bh_result *results_at_mut(bh_results *r, size_t i) { return i < r->n ? &r->v[i] : NULL; }

size_t results_retain(bh_results *r, bool (*keep)(const bh_result *res, void *ctx), void *ctx)
{
    size_t k = 0;
    for (size_t i = 0; i < r->n; i++)
        if (keep(&r->v[i], ctx))
            r->v[k++] = r->v[i];
    size_t dropped = r->n - k;
    r->n = k;
    return dropped;
}

/* FNV-1a */
static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static bool intern_grow(bh_results *r)
{
    size_t cap = r->capinterned ? r->capinterned * 2 : 1024;
    const char **v = calloc(cap, sizeof *v);
    if (!v)
        return false;
    for (size_t i = 0; i < r->capinterned; i++) {
        const char *s = r->interned[i];
        if (!s)
            continue;
        size_t k = hash_str(s) & (cap - 1);
        while (v[k])
            k = (k + 1) & (cap - 1);
        v[k] = s;
    }
    free(r->interned);
    r->interned = v;
    r->capinterned = cap;
    return true;
}

const char *results_intern(bh_results *r, const char *s)
{
    if (!s)
        return "";
    if (r->ninterned * 2 >= r->capinterned && !intern_grow(r))
        return arena_strdup(r->arenas[0], s);     /* uninterned: still a copy */
    size_t mask = r->capinterned - 1, k = hash_str(s) & mask;
    for (; r->interned[k]; k = (k + 1) & mask)
        if (strcmp(r->interned[k], s) == 0)
            return r->interned[k];
    const char *c = arena_strdup(r->arenas[0], s);
    if (c) {
        r->interned[k] = c;
        r->ninterned++;
    }
    return c;
}

bh_loc results_loc(bh_results *r, bh_span at)
{
    bh_loc l = {"", {0, 0}, {0, 0}};
    if (!at.src)
        return l;
    const char *path = source_path(at.src);
    if (!r->last_file || strcmp(r->last_file, path) != 0) {
        const char *f = arena_strdup(r->arenas[0], path);
        r->last_file = f;
    }
    l.file = r->last_file ? r->last_file : "";
    l.pos = source_pos(at.src, at.start);
    l.end = source_pos(at.src, at.end);
    return l;
}

bool results_move(bh_results *dst, bh_results *src)
{
    /* Everything that can fail first: the results point into src's arenas,
     * so they move only together with them (a half move would leave dst
     * pointing into arenas src frees). */
    bool steal = dst->n == 0 && src->n;     /* take the array itself, no copy */
    if (!steal && src->n && dst->cap - dst->n < src->n) {
        size_t cap = dst->n + src->n;
        bh_result *v = realloc(dst->v, cap * sizeof *v);
        if (!v)
            return false;
        dst->v = v;
        dst->cap = cap;
    }
    bh_arena *fresh = arena_new();
    bh_arena **v = fresh ? realloc(dst->arenas, (dst->narenas + src->narenas) * sizeof *v)
                         : NULL;
    if (!v) {
        arena_free(fresh);
        return false;
    }
    dst->arenas = v;
    if (steal) {
        free(dst->v);
        dst->v = src->v;
        dst->cap = src->cap;
    } else if (src->n) {
        memcpy(dst->v + dst->n, src->v, src->n * sizeof *src->v);
        free(src->v);
    }
    if (src->n || steal) {   /* src's array is gone either way: memory follows the results */
        src->v = NULL;
        src->cap = 0;
    }
    dst->n += src->n;
    src->n = 0;
    /* the strings stay where they are: adopt src's arenas, give it a new one */
    memcpy(dst->arenas + dst->narenas, src->arenas, src->narenas * sizeof *v);
    dst->narenas += src->narenas;
    src->arenas[0] = fresh;
    src->last_file = NULL;   /* it points into an arena dst now owns */
    src->narenas = 1;
    if (src->interned)       /* so do the interned strings */
        memset(src->interned, 0, src->capinterned * sizeof *src->interned);
    src->ninterned = 0;
    return true;
}

static int cmp_str(const char *a, const char *b) { return strcmp(a ? a : "", b ? b : ""); }

static int cmp_result(const void *pa, const void *pb)
{
    const bh_result *a = pa, *b = pb;
    int c = cmp_str(a->loc.file, b->loc.file);
    if (c) return c;
    if (a->loc.pos.line != b->loc.pos.line) return a->loc.pos.line < b->loc.pos.line ? -1 : 1;
    if (a->loc.pos.col != b->loc.pos.col) return a->loc.pos.col < b->loc.pos.col ? -1 : 1;
    if ((c = cmp_str(a->policy, b->policy))) return c;
    if ((c = cmp_str(a->object, b->object))) return c;
    /* the same object reached twice (a module two roots call): order by
     * what differs, so the report never depends on which worker ran first */
    if (a->status != b->status) return a->status < b->status ? -1 : 1;
    if ((c = cmp_str(a->message, b->message))) return c;
    for (size_t i = 0; i < a->ntrace && i < b->ntrace; i++) {
        if ((c = cmp_str(a->trace[i].loc.file, b->trace[i].loc.file))) return c;
        if (a->trace[i].loc.pos.line != b->trace[i].loc.pos.line)
            return a->trace[i].loc.pos.line < b->trace[i].loc.pos.line ? -1 : 1;
        if ((c = cmp_str(a->trace[i].note, b->trace[i].note))) return c;
    }
    if (a->ntrace != b->ntrace) return a->ntrace < b->ntrace ? -1 : 1;
    return cmp_str(a->object_loc.file, b->object_loc.file);
}

static const bh_result *sort_base;

static int cmp_index(const void *pa, const void *pb)
{
    return cmp_result(&sort_base[*(const size_t *)pa], &sort_base[*(const size_t *)pb]);
}

/* Sorted through an index, then permuted in place cycle by cycle: sorting
 * the structs themselves made qsort take a copy of the whole array. */
void results_sort(bh_results *r)
{
    if (r->n < 2)
        return;
    size_t *idx = malloc(r->n * sizeof *idx);
    if (!idx) {
        qsort(r->v, r->n, sizeof *r->v, cmp_result);
        return;
    }
    for (size_t i = 0; i < r->n; i++)
        idx[i] = i;
    sort_base = r->v;
    qsort(idx, r->n, sizeof *idx, cmp_index);
    /* position i takes v[idx[i]] */
    for (size_t i = 0; i < r->n; i++) {
        if (idx[i] == i)
            continue;
        bh_result tmp = r->v[i];
        size_t j = i;
        while (idx[j] != i) {
            size_t k = idx[j];
            r->v[j] = r->v[k];
            idx[j] = j;
            j = k;
        }
        r->v[j] = tmp;
        idx[j] = j;
    }
    free(idx);
}

void results_count(const bh_results *r, size_t counts[ST_COUNT])
{
    memset(counts, 0, ST_COUNT * sizeof *counts);
    for (size_t i = 0; i < r->n; i++)
        counts[r->v[i].status]++;
}

/* FNV-1a, 64 bits: stable across platforms and releases (a contract:
 * baselines store it). */
static uint64_t fnv(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

static uint64_t fnv_field(uint64_t h, const char *s)
{
    s = s ? s : "";
    h = fnv(h, s, strlen(s));
    return fnv(h, "\x1f", 1);   /* a separator no field contains */
}

void result_fingerprint(const bh_result *r, char out[17])
{
    uint64_t h = 0xcbf29ce484222325ULL;
    h = fnv_field(h, r->policy);
    h = fnv_field(h, r->object_type);
    h = fnv_field(h, r->object);
    h = fnv_field(h, r->loc.file);
    const char *t = r->line_text ? r->line_text : "";
    size_t n = strlen(t);
    while (n && (t[n - 1] == ' ' || t[n - 1] == '\t'))
        n--;
    while (n && (*t == ' ' || *t == '\t')) {
        t++;
        n--;
    }
    h = fnv(h, t, n);
    static const char hex[] = "0123456789abcdef";
    for (int i = 15; i >= 0; i--, h >>= 4)
        out[i] = hex[h & 15];
    out[16] = '\0';
}

/* diag.c - see diag.h. */
#include "diag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct bh_diags {
    bh_diag *v;
    size_t n, cap;
    int lost;
};

bh_diags *diags_new(void) { return calloc(1, sizeof(bh_diags)); }

static void diag_release(bh_diag *g)
{
    free(g->file);
    free(g->message);
    free(g->ctx_file);
    free(g->ctx_note);
}

void diags_free(bh_diags *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++)
        diag_release(&d->v[i]);
    free(d->v);
    free(d);
}

static bh_diag *push(bh_diags *d)
{
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 8;
        bh_diag *v = realloc(d->v, cap * sizeof *v);
        if (!v) {
            d->lost = 1;
            return NULL;
        }
        d->v = v;
        d->cap = cap;
    }
    bh_diag *g = &d->v[d->n];
    memset(g, 0, sizeof *g);
    return g;
}

__attribute__((format(printf, 1, 0))) static char *vformat(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return NULL;
    char *p = malloc((size_t)n + 1);
    if (p)
        vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

static void commit(bh_diags *d, bh_diag *g)
{
    if (!g->file || !g->message) {
        diag_release(g);
        d->lost = 1;
        return;
    }
    d->n++;
}

static void place(bh_diag *g, bh_span at)
{
    if (at.src) {
        g->file = strdup(source_path(at.src));
        g->pos = source_pos(at.src, at.start);
        g->end = source_pos(at.src, at.end);
    } else {
        g->file = strdup("");
    }
}

void diags_vadd(bh_diags *d, diag_level level, bh_span at, const char *fmt, va_list ap)
{
    bh_diag *g = push(d);
    if (!g)
        return;
    g->level = level;
    place(g, at);
    g->message = vformat(fmt, ap);
    commit(d, g);
}

void diags_add(bh_diags *d, diag_level level, bh_span at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diags_vadd(d, level, at, fmt, ap);
    va_end(ap);
}

void diags_add_ctx(bh_diags *d, diag_level level, bh_span at, bh_span ctx,
                   const char *ctx_note, const char *fmt, ...)
{
    bh_diag *g = push(d);
    if (!g)
        return;
    g->level = level;
    place(g, at);
    va_list ap;
    va_start(ap, fmt);
    g->message = vformat(fmt, ap);
    va_end(ap);
    if (ctx.src) {
        g->ctx_file = strdup(source_path(ctx.src));
        g->ctx_pos = source_pos(ctx.src, ctx.start);
        g->ctx_note = strdup(ctx_note ? ctx_note : "");
    }
    commit(d, g);
}

void diags_add_file(bh_diags *d, diag_level level, const char *path, bh_pos pos,
                    const char *fmt, ...)
{
    bh_diag *g = push(d);
    if (!g)
        return;
    g->level = level;
    g->file = strdup(path ? path : "");
    g->pos = pos;
    g->end = pos;
    va_list ap;
    va_start(ap, fmt);
    g->message = vformat(fmt, ap);
    va_end(ap);
    commit(d, g);
}

size_t diags_count(const bh_diags *d) { return d->n; }
const bh_diag *diags_get(const bh_diags *d, size_t i) { return i < d->n ? &d->v[i] : NULL; }
int diags_lost(const bh_diags *d) { return d->lost; }

size_t diags_count_level(const bh_diags *d, diag_level level)
{
    size_t k = 0;
    for (size_t i = 0; i < d->n; i++)
        k += d->v[i].level == level;
    return k;
}

void diags_move(bh_diags *dst, bh_diags *src)
{
    for (size_t i = 0; i < src->n; i++) {
        bh_diag *g = push(dst);
        if (!g) {
            diag_release(&src->v[i]);
            continue;
        }
        *g = src->v[i];
        dst->n++;
    }
    dst->lost |= src->lost;
    src->n = 0;
}

/* source.c - see source.h. */
#include "source.h"

#include <stdlib.h>
#include <string.h>

struct bh_source {
    char *path;
    char *data;
    size_t len;
    uint32_t *lines;      /* byte offset of the start of each line */
    uint32_t nlines;
    bool lines_failed;
};

bh_source *source_adopt(const char *path, char *data, size_t len)
{
    if (len > UINT32_MAX - 1)
        return NULL;
    bh_source *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->path = strdup(path ? path : "");
    if (!s->path) {
        free(s);
        return NULL;
    }
    s->data = data;
    s->data[len] = '\0';
    s->len = len;
    return s;
}

bh_source *source_new(const char *path, const char *data, size_t len)
{
    if (len > UINT32_MAX - 1)
        return NULL;
    char *copy = malloc(len + 1);
    if (!copy)
        return NULL;
    if (len)
        memcpy(copy, data, len);
    bh_source *s = source_adopt(path, copy, len);
    if (!s)
        free(copy);
    return s;
}

void source_free(bh_source *s)
{
    if (!s)
        return;
    free(s->path);
    free(s->data);
    free(s->lines);
    free(s);
}

const char *source_path(const bh_source *s) { return s->path; }
const char *source_data(const bh_source *s) { return s->data; }
size_t source_len(const bh_source *s) { return s->len; }

/* "\n", "\r\n" and a lone "\r" each end a line. */
static bool build_lines(bh_source *s)
{
    if (s->lines)
        return true;
    if (s->lines_failed)
        return false;
    size_t cap = 64, n = 0;
    uint32_t *v = malloc(cap * sizeof *v);
    if (!v) {
        s->lines_failed = true;
        return false;
    }
    v[n++] = 0;
    const char *d = s->data;
    for (size_t i = 0; i < s->len; i++) {
        char c = d[i];
        if (c != '\n' && c != '\r')
            continue;
        if (c == '\r' && i + 1 < s->len && d[i + 1] == '\n')
            i++;
        if (n == cap) {
            cap *= 2;
            uint32_t *nv = realloc(v, cap * sizeof *v);
            if (!nv) {
                free(v);
                s->lines_failed = true;
                return false;
            }
            v = nv;
        }
        v[n++] = (uint32_t)(i + 1);
    }
    s->lines = v;
    s->nlines = (uint32_t)n;
    return true;
}

static uint32_t line_index(const bh_source *s, uint32_t offset)
{
    uint32_t lo = 0, hi = s->nlines;   /* invariant: lines[lo] <= offset */
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (s->lines[mid] <= offset)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

bh_pos source_pos(const bh_source *cs, uint32_t offset)
{
    bh_pos p = {0, 0};
    bh_source *s = (bh_source *)cs;    /* the line table is a cache */
    if (!s || !build_lines(s))
        return p;
    if (offset > s->len)
        offset = (uint32_t)s->len;
    uint32_t li = line_index(s, offset);
    uint32_t col = 1;
    for (uint32_t i = s->lines[li]; i < offset; i++)
        if (((unsigned char)s->data[i] & 0xC0) != 0x80)
            col++;
    p.line = li + 1;
    p.col = col;
    return p;
}

const char *source_line_text(const bh_source *cs, uint32_t offset, size_t *len)
{
    bh_source *s = (bh_source *)cs;
    *len = 0;
    if (!s || !build_lines(s))
        return "";
    if (offset > s->len)
        offset = (uint32_t)s->len;
    uint32_t li = line_index(s, offset);
    uint32_t start = s->lines[li], end = start;
    while (end < s->len && s->data[end] != '\n' && s->data[end] != '\r')
        end++;
    *len = end - start;
    return s->data + start;
}

bh_span span_join(bh_span a, bh_span b)
{
    if (!a.src)
        return b;
    if (!b.src || a.src != b.src)
        return a;
    bh_span r = a;
    if (b.start < r.start)
        r.start = b.start;
    if (b.end > r.end)
        r.end = b.end;
    return r;
}

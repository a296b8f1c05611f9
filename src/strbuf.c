/* strbuf.c - see strbuf.h. */
#include "strbuf.h"

#include <stdlib.h>
#include <string.h>

bool strbuf_put(strbuf *b, const char *s, size_t n)
{
    if (b->failed || b->toolong)
        return false;
    if (b->max && n > b->max - b->n) {
        b->toolong = true;
        return false;
    }
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->failed = true;
            return false;
        }
        b->p = p;
        b->cap = cap;
    }
    if (n)
        memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
    return true;
}

bool strbuf_puts(strbuf *b, const char *s) { return strbuf_put(b, s, strlen(s)); }

void strbuf_free(strbuf *b)
{
    free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
}

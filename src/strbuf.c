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

bool strbuf_put_json(strbuf *b, const char *s, size_t n, bool html)
{
    static const char hex[] = "0123456789abcdef";
    strbuf_put(b, "\"", 1);
    for (size_t i = 0, run = 0; i <= n; i++) {
        unsigned char c = i < n ? (unsigned char)s[i] : 0;
        bool esc = i < n && (c < 0x20 || c == '"' || c == '\\' ||
                             (html && (c == '<' || c == '>' || c == '&')));
        if (i < n && !esc)
            continue;
        strbuf_put(b, s + run, i - run);        /* the run that needs no escape */
        run = i + 1;
        if (i == n)
            break;
        char e[7] = {'\\', (char)c, 0};
        size_t len = 2;
        if (c == '\n')
            e[1] = 'n';
        else if (c == '\t')
            e[1] = 't';
        else if (c == '\r')
            e[1] = 'r';
        else if (c != '"' && c != '\\') {
            e[1] = 'u', e[2] = '0', e[3] = '0', e[4] = hex[c >> 4], e[5] = hex[c & 15];
            len = 6;
        }
        strbuf_put(b, e, len);
    }
    return strbuf_put(b, "\"", 1);
}

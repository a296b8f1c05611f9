/*
 * strbuf.h - a growable byte buffer, always NUL-terminated, for text built
 * piece by piece (rendered templates, JSON encodings, joined strings).
 *
 * Zero-initialise it (`strbuf b = {0}`), optionally set `max` (a size it
 * may not pass), put bytes, read p[0..n), then strbuf_free.  A put that
 * would pass max sets `toolong`, one that runs out of memory `failed`;
 * after either, puts do nothing and return false, so a caller may check
 * once at the end.
 */
#ifndef BH_STRBUF_H
#define BH_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct strbuf {
    char *p;            /* malloc()ed; NULL until the first put */
    size_t n, cap;
    size_t max;         /* 0: no limit */
    bool failed;        /* memory ran out */
    bool toolong;       /* max would have been passed */
} strbuf;

bool strbuf_put(strbuf *b, const char *s, size_t n);
bool strbuf_puts(strbuf *b, const char *s);
void strbuf_free(strbuf *b);

/* s[0..n) as a JSON string literal, quotes included; html: also '<', '>'
 * and '&' as \u escapes (Go's encoding/json, Terraform's jsonencode). */
bool strbuf_put_json(strbuf *b, const char *s, size_t n, bool html);

#endif

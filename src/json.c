/*
 * json.c - see json.h.
 *
 * One pass over the bytes, no recursion: open objects and arrays live on a
 * frame stack (capped at max_depth, so 100,000 nested '[' fail at once with
 * one diagnostic), and the children of every open container collect on one
 * shared child stack.  When a container closes, its children are copied
 * into the arena in one go and popped.  Scratch stacks are malloc()ed once
 * per parse and grow by doubling; nodes and texts live in the arena.
 *
 * Strings are scanned eight bytes at a time for the four things that end a
 * plain run: '"', '\\', a control character (< 0x20, never allowed raw) and
 * a byte >= 0x80 (validated as UTF-8, then skipped).  A string without
 * escapes is one memcpy into the arena; the first backslash switches to a
 * decoding copy into a scratch buffer.
 *
 * Choices where RFC 8259 leaves room (each tested):
 *  - A lone surrogate escape (\uD800 without a low half, or a stray
 *    \uDC00) decodes to U+FFFD, as Go's encoding/json does (Terraform and
 *    Kubernetes read these files with Go).  Raw bytes that are not UTF-8
 *    are an error.
 *  - \u0000 is kept: the text holds a NUL byte and doc_text_len counts it.
 *  - An integer that does not fit in int64 is a DOC_FLOAT (strtod: may be
 *    +-inf for huge exponents); "-0" is the DOC_INT 0 with its text "-0".
 *  - Duplicate keys keep both pairs and warn once per later duplicate,
 *    pointing back at the first.  Objects up to DUP_LINEAR_MAX pairs are
 *    checked pairwise, larger ones through a hash set, so the check stays
 *    linear.
 *  - limits->max_depth 0 means the default (512).
 *  - Duplicate-key warnings are added when their object closes (inner
 *    objects first), and stay in the list when a later error fails the
 *    parse.
 */
#include "json.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON_DEFAULT_DEPTH 512u
#define DUP_LINEAR_MAX 8u

json_limits json_default_limits(void)
{
    json_limits l = {JSON_DEFAULT_DEPTH};
    return l;
}

/* ---- parser state ----------------------------------------------------- */

typedef struct frame {
    uint32_t start;      /* offset of the '{' or '[' */
    uint32_t base;       /* its first child on the child stack */
    uint32_t key_base;   /* its first key on the key stack (objects) */
    bool is_map;
} frame;

typedef struct key_info {
    const char *text;
    uint32_t len;
} key_info;

typedef struct parser {
    const bh_source *src;
    const unsigned char *data;      /* offset 0 of the source */
    const unsigned char *end;       /* end of the range being parsed */
    bh_arena *a;
    bh_diags *diags;
    unsigned max_depth;

    frame *frames;
    size_t nframes, frames_cap;
    doc_node **kids;
    size_t nkids, kids_cap;
    key_info *keys;
    size_t nkeys, keys_cap;
    char *buf;                      /* decoded text of escaped strings */
    size_t buf_cap;
    uint32_t *set;                  /* duplicate-key hash set */
    size_t set_cap;
} parser;

static uint32_t off(const parser *P, const unsigned char *q) { return (uint32_t)(q - P->data); }

static bh_span span_at(const parser *P, const unsigned char *q, const unsigned char *q_end)
{
    return span_make(P->src, off(P, q), off(P, q_end));
}

/* Grow the scratch array whose pointer is at slot (any T **) so it holds
 * at least need elements of elem bytes.  The pointer is read and written
 * with memcpy, so one function serves every element type. */
static bool grow(void *slot, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return true;
    size_t n = *cap ? *cap : 64;
    while (n < need)
        n *= 2;
    if (n > SIZE_MAX / elem)
        return false;
    void *old;
    memcpy(&old, slot, sizeof old);
    void *p = realloc(old, n * elem);
    if (!p)
        return false;
    memcpy(slot, &p, sizeof p);
    *cap = n;
    return true;
}

/* ---- diagnostics ------------------------------------------------------- */

static int utf8_len(const unsigned char *q, const unsigned char *end);

/* What is at q, for "found ..." in a message: a word ("True", "NaN"), a
 * quoted character, "end of input" or a byte value. */
static const char *describe(const parser *P, const unsigned char *q, char *buf, size_t n)
{
    if (q >= P->end)
        return "end of input";
    unsigned c = *q;
    bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (word) {
        size_t len = 0;
        while (q + len < P->end && len < 24) {
            unsigned d = q[len];
            if (!((d >= 'a' && d <= 'z') || (d >= 'A' && d <= 'Z') || (d >= '0' && d <= '9') ||
                  d == '_'))
                break;
            len++;
        }
        snprintf(buf, n, "\"%.*s\"", (int)len, (const char *)q);
    } else if (c == '\'') {
        return "\"'\"";
    } else if (c > 0x20 && c < 0x7f) {
        snprintf(buf, n, "'%c'", (int)c);
    } else if (c == ' ') {
        return "a space";
    } else if (c == '\t') {
        return "a tab";
    } else if (c == '\n' || c == '\r') {
        return "a line break";
    } else if (c >= 0x80 && utf8_len(q, P->end)) {
        uint32_t cp;
        int len = utf8_len(q, P->end);
        cp = c & (0xFFu >> (len + 1));
        for (int i = 1; i < len; i++)
            cp = cp << 6 | (q[i] & 0x3Fu);
        snprintf(buf, n, "U+%04X", (unsigned)cp);
    } else {
        snprintf(buf, n, "byte 0x%02x", c);
    }
    return buf;
}

/* An error at [q, q+1) (clipped to the end of the range), with a context:
 * ctx when set, else where the innermost open container began. */
static void fail_ctx(parser *P, const unsigned char *q, const unsigned char *ctx,
                     const char *ctx_note, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void fail_ctx(parser *P, const unsigned char *q, const unsigned char *ctx,
                     const char *ctx_note, const char *fmt, ...)
{
    char msg[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    bh_span at = span_at(P, q, q < P->end ? q + 1 : q);
    if (!ctx && P->nframes) {
        const frame *f = &P->frames[P->nframes - 1];
        ctx = P->data + f->start;
        ctx_note = f->is_map ? "object started here" : "array started here";
    }
    if (ctx)
        diags_add_ctx(P->diags, DIAG_ERROR, at, span_at(P, ctx, ctx + 1), ctx_note, "%s", msg);
    else
        diags_add(P->diags, DIAG_ERROR, at, "%s", msg);
}

#define fail(P, q, ...) fail_ctx(P, q, NULL, NULL, __VA_ARGS__)

static void fail_oom(parser *P, const unsigned char *q) { fail(P, q, "out of memory"); }

/* ---- byte classes ---------------------------------------------------- */

static inline bool is_digit(unsigned c) { return c - '0' < 10u; }

static inline bool is_ws(unsigned c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

static inline uint64_t load64(const unsigned char *q)
{
    uint64_t v;
    memcpy(&v, q, sizeof v);
    return v;
}

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

static inline const unsigned char *skip_ws(const unsigned char *q, const unsigned char *end)
{
    while (q < end) {
        unsigned c = *q;
        if (c > ' ')
            return q;
        if (c == ' ' && end - q >= 8 && load64(q) == ONES * ' ') {
            /* indentation: runs of spaces eight at a time */
            q += 8;
        } else if (is_ws(c)) {
            q++;
        } else {
            return q;
        }
    }
    return q;
}

/* Nonzero when one of the eight bytes is '"', '\\', < 0x20 or >= 0x80.
 * The lowest set 0x80 bit marks the first such byte exactly (borrows only
 * produce false marks above a true one). */
static inline uint64_t special8(uint64_t v)
{
    uint64_t q = v ^ (ONES * '"');
    uint64_t b = v ^ (ONES * '\\');
    return (((q - ONES) & ~q) | ((b - ONES) & ~b) | ((v - ONES * 0x20) & ~v) | v) & HIGHS;
}

static inline bool special(unsigned c) { return c == '"' || c == '\\' || c < 0x20 || c >= 0x80; }

/* The first byte in [q, end) that ends a plain run, or end. */
static inline const unsigned char *scan_plain(const unsigned char *q, const unsigned char *end)
{
    while (end - q >= 8) {
        uint64_t m = special8(load64(q));
        if (m) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            return q + (__builtin_ctzll(m) >> 3);
#else
            break;
#endif
        }
        q += 8;
    }
    while (q < end && !special(*q))
        q++;
    return q;
}

/* Length of the well-formed UTF-8 sequence at q (its lead byte >= 0x80), or
 * 0 when it is not one: overlongs, surrogates, > U+10FFFF and truncated
 * sequences are all refused (RFC 3629 table). */
static int utf8_len(const unsigned char *q, const unsigned char *end)
{
    unsigned c = q[0];
    ptrdiff_t avail = end - q;
    if (c < 0xC2 || c > 0xF4)
        return 0;
    if (c < 0xE0)
        return avail >= 2 && (q[1] & 0xC0) == 0x80 ? 2 : 0;
    unsigned lo = 0x80, hi = 0xBF;
    if (c < 0xF0) {
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
        if (avail < 3 || q[1] < lo || q[1] > hi || (q[2] & 0xC0) != 0x80)
            return 0;
        return 3;
    }
    if (c == 0xF0)
        lo = 0x90;
    else if (c == 0xF4)
        hi = 0x8F;
    if (avail < 4 || q[1] < lo || q[1] > hi || (q[2] & 0xC0) != 0x80 || (q[3] & 0xC0) != 0x80)
        return 0;
    return 4;
}

/* ---- strings -------------------------------------------------------- */

static int hex4(const unsigned char *q, const unsigned char *end)
{
    if (end - q < 4)
        return -1;
    int v = 0;
    for (int i = 0; i < 4; i++) {
        unsigned c = q[i];
        int d;
        if (c - '0' < 10u)
            d = (int)(c - '0');
        else if ((c | 0x20) - 'a' < 6u)
            d = (int)((c | 0x20) - 'a' + 10);
        else
            return -1;
        v = v * 16 + d;
    }
    return v;
}

static size_t put_utf8(char *o, uint32_t cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Errors inside a string point back at its opening quote. */
#define fail_str(P, q, open, ...) fail_ctx(P, q, open, "string started here", __VA_ARGS__)

/* Report the byte at q that stopped a string scan (never '"' or '\\'). */
static void fail_in_string(parser *P, const unsigned char *q, const unsigned char *open)
{
    if (q >= P->end)
        fail_str(P, q, open, "unterminated string");
    else if (*q < 0x20)
        fail_str(P, q, open, "unescaped control character 0x%02x in string", *q);
    else
        fail_str(P, q, open, "invalid UTF-8 byte 0x%02x in string", *q);
}

/* The rest of a string from its first backslash at q, decoded into P->buf
 * after the plain prefix [s, q).  Returns the arena copy or NULL. */
static char *decode_escaped(parser *P, const unsigned char *open, const unsigned char *s,
                            const unsigned char *q, const unsigned char **after, uint32_t *len_out)
{
    const unsigned char *end = P->end;
    if (!grow(&P->buf, &P->buf_cap, (size_t)(q - s) + 64, 1)) {
        fail_oom(P, q);
        return NULL;
    }
    memcpy(P->buf, s, (size_t)(q - s));
    size_t o = (size_t)(q - s);     /* bytes decoded into P->buf */
    for (;;) {
        const unsigned char *r = scan_plain(q, end);
        /* room for the run and one escape or sequence (at most 4 bytes) */
        if (!grow(&P->buf, &P->buf_cap, o + (size_t)(r - q) + 8, 1)) {
            fail_oom(P, q);
            return NULL;
        }
        memcpy(P->buf + o, q, (size_t)(r - q));
        o += (size_t)(r - q);
        q = r;
        if (q >= end) {
            fail_in_string(P, q, open);
            return NULL;
        }
        unsigned c = *q;
        if (c == '"')
            break;
        if (c == '\\') {
            if (end - q < 2) {
                fail_str(P, q + 1, open, "unterminated string");
                return NULL;
            }
            unsigned e = q[1];
            switch (e) {
            case '"': P->buf[o++] = '"'; break;
            case '\\': P->buf[o++] = '\\'; break;
            case '/': P->buf[o++] = '/'; break;
            case 'b': P->buf[o++] = '\b'; break;
            case 'f': P->buf[o++] = '\f'; break;
            case 'n': P->buf[o++] = '\n'; break;
            case 'r': P->buf[o++] = '\r'; break;
            case 't': P->buf[o++] = '\t'; break;
            case 'u': {
                int cp = hex4(q + 2, end);
                if (cp < 0) {
                    fail_str(P, q, open, "invalid escape: '\\u' takes four hex digits");
                    return NULL;
                }
                q += 6;
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    int lo = end - q >= 6 && q[0] == '\\' && q[1] == 'u' ? hex4(q + 2, end) : -1;
                    if (lo >= 0xDC00 && lo <= 0xDFFF) {
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                        q += 6;
                    } else {
                        cp = 0xFFFD;      /* lone high surrogate */
                    }
                } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    cp = 0xFFFD;          /* lone low surrogate */
                }
                o += put_utf8(P->buf + o, (uint32_t)cp);
                continue;
            }
            default:
                if (e < 0x20 || e >= 0x7f)
                    fail_str(P, q, open, "invalid escape in string: '\\' before byte 0x%02x", e);
                else
                    fail_str(P, q, open, "invalid escape '\\%c' in string", (int)e);
                return NULL;
            }
            q += 2;
        } else if (c < 0x80) {
            fail_in_string(P, q, open);
            return NULL;
        } else {
            int n = utf8_len(q, end);
            if (!n) {
                fail_in_string(P, q, open);
                return NULL;
            }
            memcpy(P->buf + o, q, (size_t)n);
            o += (size_t)n;
            q += n;
        }
    }
    char *text = arena_strndup(P->a, P->buf, o);
    if (!text) {
        fail_oom(P, q);
        return NULL;
    }
    *after = q + 1;
    *len_out = (uint32_t)o;
    return text;
}

/* The string whose opening quote is at *qp: a DOC_STR node spanning both
 * quotes; *qp moves past the closing quote.  The decoded text and its
 * length go to *text_out and *len_out. */
static doc_node *parse_string(parser *P, const unsigned char **qp, const char **text_out,
                              uint32_t *len_out)
{
    const unsigned char *open = *qp, *s = open + 1, *q = s, *end = P->end;
    const char *text;
    uint32_t len;
    for (;;) {
        q = scan_plain(q, end);
        if (q >= end) {
            fail_in_string(P, q, open);
            return NULL;
        }
        unsigned c = *q;
        if (c == '"') {
            len = (uint32_t)(q - s);
            text = arena_strndup(P->a, (const char *)s, len);
            if (!text) {
                fail_oom(P, q);
                return NULL;
            }
            q++;
            break;
        }
        if (c == '\\') {
            text = decode_escaped(P, open, s, q, &q, &len);
            if (!text)
                return NULL;
            break;
        }
        if (c < 0x80) {
            fail_in_string(P, q, open);
            return NULL;
        }
        int n = utf8_len(q, end);
        if (!n) {
            fail_in_string(P, q, open);
            return NULL;
        }
        q += n;
    }
    doc_node *node = doc_wrap_scalar(P->a, span_at(P, open, q), text, len, DOC_STR,
                                     DOC_DOUBLE_QUOTED);
    if (!node) {
        fail_oom(P, open);
        return NULL;
    }
    *qp = q;
    *text_out = text;
    *len_out = len;
    return node;
}

/* ---- numbers, literals ------------------------------------------------- */

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? at *qp. */
static doc_node *parse_number(parser *P, const unsigned char **qp)
{
    const unsigned char *s = *qp, *q = s, *end = P->end;
    bool neg = false, integral = true;
    if (*q == '-') {
        neg = true;
        q++;
    }
    const unsigned char *d0 = q;
    uint64_t v = 0;
    if (q < end && *q == '0') {
        q++;
        if (q < end && is_digit(*q)) {
            fail(P, d0, "invalid number: leading zeros are not allowed");
            return NULL;
        }
    } else if (q < end && is_digit(*q)) {
        do
            v = v * 10 + (uint64_t)(*q++ - '0');   /* wraps past 19 digits: checked below */
        while (q < end && is_digit(*q));
    } else {
        char b[40];
        fail(P, q, "invalid number: expected a digit after '-', found %s", describe(P, q, b, sizeof b));
        return NULL;
    }
    size_t ndigits = (size_t)(q - d0);
    if (q < end && *q == '.') {
        integral = false;
        q++;
        if (q >= end || !is_digit(*q)) {
            char b[40];
            fail(P, q, "invalid number: expected a digit after '.', found %s",
                 describe(P, q, b, sizeof b));
            return NULL;
        }
        while (q < end && is_digit(*q))
            q++;
    }
    if (q < end && (*q | 0x20) == 'e') {
        integral = false;
        q++;
        if (q < end && (*q == '+' || *q == '-'))
            q++;
        if (q >= end || !is_digit(*q)) {
            char b[40];
            fail(P, q, "invalid number: expected a digit in the exponent, found %s",
                 describe(P, q, b, sizeof b));
            return NULL;
        }
        while (q < end && is_digit(*q))
            q++;
    }
    size_t len = (size_t)(q - s);
    char *text = arena_strndup(P->a, (const char *)s, len);
    bool fits = integral && ndigits <= 19 &&
                (v <= (uint64_t)INT64_MAX || (neg && v == (uint64_t)INT64_MAX + 1));
    doc_node *n = text ? doc_wrap_scalar(P->a, span_at(P, s, q), text, len,
                                         fits ? DOC_INT : DOC_FLOAT, DOC_PLAIN)
                       : NULL;
    if (!n) {
        fail_oom(P, s);
        return NULL;
    }
    if (fits)
        doc_set_int(n, neg ? (int64_t)(0 - v) : (int64_t)v);
    else
        doc_set_float(n, strtod(text, NULL));
    *qp = q;
    return n;
}

/* true, false or null at *qp; NULL (no diagnostic) when it is none. */
static doc_node *parse_literal(parser *P, const unsigned char **qp, bool *oom)
{
    const unsigned char *q = *qp;
    ptrdiff_t avail = P->end - q;
    doc_node *n = NULL;
    size_t len;
    if (avail >= 4 && memcmp(q, "true", 4) == 0) {
        len = 4;
        n = doc_new_bool(P->a, span_at(P, q, q + 4), true);
    } else if (avail >= 5 && memcmp(q, "false", 5) == 0) {
        len = 5;
        n = doc_new_bool(P->a, span_at(P, q, q + 5), false);
    } else if (avail >= 4 && memcmp(q, "null", 4) == 0) {
        len = 4;
        n = doc_wrap_scalar(P->a, span_at(P, q, q + 4), "null", 4, DOC_NULL, DOC_PLAIN);
    } else {
        return NULL;
    }
    *oom = n == NULL;
    *qp = q + len;
    return n;
}

/* ---- containers ---------------------------------------------------------- */

static uint64_t hash_key(const char *s, uint32_t len)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (uint32_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
    return h ^ (h >> 29);
}

static void warn_dup(parser *P, size_t later, size_t first, const key_info *k)
{
    doc_node *const *kv = P->kids + P->frames[P->nframes - 1].base;
    diags_add_ctx(P->diags, DIAG_WARNING, doc_span(kv[2 * later]), doc_span(kv[2 * first]),
                  "first defined here", "duplicate key \"%s\"", k[later].text);
}

static bool same_key(const key_info *a, const key_info *b)
{
    return a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
}

/* Warn about each key of the innermost object equal to an earlier one. */
static bool check_dups(parser *P, const key_info *k, size_t n)
{
    if (n < 2)
        return true;
    if (n <= DUP_LINEAR_MAX) {
        for (size_t i = 1; i < n; i++)
            for (size_t j = 0; j < i; j++)
                if (same_key(&k[i], &k[j])) {
                    warn_dup(P, i, j, k);
                    break;
                }
        return true;
    }
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    if (!grow(&P->set, &P->set_cap, cap, sizeof *P->set))
        return false;
    uint32_t *set = P->set;
    memset(set, 0, cap * sizeof *set);
    for (size_t i = 0; i < n; i++) {
        size_t h = (size_t)hash_key(k[i].text, k[i].len) & (cap - 1);
        for (;;) {
            uint32_t e = set[h];
            if (!e) {
                set[h] = (uint32_t)i + 1;
                break;
            }
            if (same_key(&k[i], &k[e - 1])) {
                warn_dup(P, i, e - 1, k);
                break;
            }
            h = (h + 1) & (cap - 1);
        }
    }
    return true;
}

/* Close the innermost container, whose closing bracket ends before q. */
static doc_node *close_container(parser *P, const unsigned char *q)
{
    const frame *f = &P->frames[P->nframes - 1];
    bh_span sp = span_make(P->src, f->start, off(P, q));
    size_t n = P->nkids - f->base;
    doc_node **kv = n ? P->kids + f->base : NULL;   /* the stacks may not exist yet */
    doc_node *c;
    if (f->is_map) {
        if (n && !check_dups(P, P->keys + f->key_base, n / 2)) {
            fail_oom(P, q - 1);
            return NULL;
        }
        c = doc_new_map_from(P->a, sp, kv, n / 2);
        P->nkeys = f->key_base;
    } else {
        c = doc_new_seq_from(P->a, sp, kv, n);
    }
    if (!c) {
        fail_oom(P, q - 1);
        return NULL;
    }
    P->nkids = f->base;
    P->nframes--;
    return c;
}

/* ---- the value loop ----------------------------------------------------- */

/* One JSON value starting at or after *qp (whitespace first); *qp moves
 * past it.  NULL after a diagnostic. */
static doc_node *parse_value(parser *P, const unsigned char **qp)
{
    const unsigned char *q = *qp, *end = P->end;
    const char *want = "expected a value";
    doc_node *v;
    char b[40];

    q = skip_ws(q, end);
value:
    if (q >= end) {
        fail(P, q, "%s, found end of input", want);
        return NULL;
    }
    switch (*q) {
    case '"': {
        const char *t;
        uint32_t len;
        v = parse_string(P, &q, &t, &len);
        if (!v)
            return NULL;
        break;
    }
    case '{':
    case '[': {
        if (P->nframes >= P->max_depth) {
            fail(P, q, "nesting deeper than %u levels", P->max_depth);
            return NULL;
        }
        if (!grow(&P->frames, &P->frames_cap, P->nframes + 1, sizeof *P->frames)) {
            fail_oom(P, q);
            return NULL;
        }
        bool is_map = *q == '{';
        P->frames[P->nframes++] = (frame){off(P, q), (uint32_t)P->nkids, (uint32_t)P->nkeys, is_map};
        q = skip_ws(q + 1, end);
        if (is_map) {
            if (q < end && *q == '}')
                goto close;
            want = "expected a string key or '}'";
            goto key;
        }
        if (q < end && *q == ']')
            goto close;
        want = "expected a value or ']'";
        goto value;
    }
    case '-': case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
        v = parse_number(P, &q);
        if (!v)
            return NULL;
        break;
    default: {
        bool oom = false;
        v = parse_literal(P, &q, &oom);
        if (!v) {
            if (oom)
                fail_oom(P, q);
            else
                fail(P, q, "%s, found %s", want, describe(P, q, b, sizeof b));
            return NULL;
        }
        break;
    }
    }

done:
    if (!P->nframes) {
        *qp = q;
        return v;
    }
    if (P->nkids == P->kids_cap &&
        !grow(&P->kids, &P->kids_cap, P->nkids + 1, sizeof *P->kids)) {
        fail_oom(P, q);
        return NULL;
    }
    P->kids[P->nkids++] = v;
    q = skip_ws(q, end);
    if (P->frames[P->nframes - 1].is_map) {
        if (q < end && *q == ',') {
            q = skip_ws(q + 1, end);
            want = "expected a string key after ','";
            goto key;
        }
        if (q < end && *q == '}')
            goto close;
        fail(P, q, "expected ',' or '}' after object member, found %s", describe(P, q, b, sizeof b));
        return NULL;
    }
    if (q < end && *q == ',') {
        q = skip_ws(q + 1, end);
        want = "expected a value after ','";
        goto value;
    }
    if (q < end && *q == ']')
        goto close;
    fail(P, q, "expected ',' or ']' after array element, found %s", describe(P, q, b, sizeof b));
    return NULL;

close:
    v = close_container(P, ++q);
    if (!v)
        return NULL;
    goto done;

key:
    if (q >= end || *q != '"') {
        fail(P, q, "%s, found %s", want, describe(P, q, b, sizeof b));
        return NULL;
    }
    {
        const char *t;
        uint32_t len;
        doc_node *k = parse_string(P, &q, &t, &len);
        if (!k)
            return NULL;
        if ((P->nkids == P->kids_cap &&
             !grow(&P->kids, &P->kids_cap, P->nkids + 1, sizeof *P->kids)) ||
            (P->nkeys == P->keys_cap &&
             !grow(&P->keys, &P->keys_cap, P->nkeys + 1, sizeof *P->keys))) {
            fail_oom(P, q);
            return NULL;
        }
        P->kids[P->nkids++] = k;
        P->keys[P->nkeys++] = (key_info){t, len};
    }
    q = skip_ws(q, end);
    if (q >= end || *q != ':') {
        fail(P, q, "expected ':' after object key, found %s", describe(P, q, b, sizeof b));
        return NULL;
    }
    q = skip_ws(q + 1, end);
    want = "expected a value after ':'";
    goto value;
}

/* ---- entry points ------------------------------------------------------ */

doc_node *json_parse_range(const bh_source *src, uint32_t start, uint32_t end, bh_arena *a,
                           const json_limits *limits, bh_diags *diags)
{
    parser P = {0};
    P.src = src;
    P.data = (const unsigned char *)source_data(src);
    P.a = a;
    P.diags = diags;
    P.max_depth = limits && limits->max_depth ? limits->max_depth : JSON_DEFAULT_DEPTH;
    size_t slen = source_len(src);
    if (start > end || end > slen) {
        diags_add(diags, DIAG_ERROR, span_make(src, 0, 0),
                  "invalid JSON range %u..%u in a source of %zu bytes", start, end, slen);
        return NULL;
    }
    P.end = P.data + end;
    const unsigned char *q = P.data + start;
    if (P.end - q >= 3 && q[0] == 0xEF && q[1] == 0xBB && q[2] == 0xBF)
        q += 3;
    const unsigned char *text = q;
    q = skip_ws(q, P.end);
    doc_node *root = NULL;
    if (q >= P.end) {
        diags_add(diags, DIAG_ERROR, span_at(&P, text, q), "empty input, expected a JSON value");
    } else {
        const unsigned char *first = q;
        root = parse_value(&P, &q);
        if (root) {
            q = skip_ws(q, P.end);
            if (q < P.end) {
                char b[40];
                fail_ctx(&P, q, first, "the value started here",
                         "expected end of input after the JSON value, found %s",
                         describe(&P, q, b, sizeof b));
                root = NULL;
            }
        }
    }
    free(P.frames);
    free(P.kids);
    free(P.keys);
    free(P.buf);
    free(P.set);
    return root;
}

doc_node *json_parse(const bh_source *src, bh_arena *a, const json_limits *limits,
                     bh_diags *diags)
{
    return json_parse_range(src, 0, (uint32_t)source_len(src), a, limits, diags);
}

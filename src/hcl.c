/*
 * hcl.c - see hcl.h.
 *
 * How the parser reads HCL
 * ------------------------
 * HCL's tokens depend on where you are.  Between quotes and in a heredoc
 * the text is a template: literal characters until "${" or "%{", where an
 * ordinary expression starts and runs to the matching "}".  Outside
 * templates the text is expression and body tokens.  So there is no
 * separate tokenizer pass: the lexer (lex) produces one ordinary token at
 * a time on demand, with one token of lookahead, and when the parser meets
 * an opening quote or a heredoc opener it hands the raw bytes to the
 * template scanner (parse_template), which in turn calls back into the
 * expression parser for each interpolation and resumes after its "}".
 * The position only ever moves forward, so every comment is seen exactly
 * once and is recorded as it is skipped.
 *
 * Newlines matter in bodies (an attribute ends at one) and in object
 * constructors (they separate elements), and are insignificant inside
 * parentheses, brackets, function arguments, interpolations and for
 * expressions.  The lexer always produces newline tokens; peek() drops them
 * while p->nl_skip is set.  Every construct that changes the mode saves the
 * old one and restores it right after consuming its closing token, when the
 * lookahead is empty, so no newline is lost or invented at a boundary.
 *
 * A template is scanned into a flat list of pieces (literal text,
 * interpolations, the if/else/endif/for/endfor directives), as the HCL spec
 * describes it, with heredoc literals split after every newline (one
 * piece per line).  Three passes then follow, in the order HashiCorp's
 * parser applies them, since Terraform users depend on its exact results:
 * strip markers (~) trim the whitespace of the neighbouring literal piece
 * (in a heredoc, so only up to a line boundary); a <<- heredoc loses the
 * indentation common to its lines (counted on pieces that start a line,
 * whitespace-only lines ignored, an interpolation at the start of a line
 * counting as no indentation); adjacent literals are joined.  Finally the
 * directives are matched into a tree.  These rules were checked against
 * HashiCorp's parser (through @cdktf/hcl2json) on the cases in the tests.
 *
 * Errors unwind with longjmp to the entry point: the first error ends the
 * parse, and everything allocated lives in the caller's arena, so nothing
 * needs freeing on the way out except the scratch buffer in the parser
 * state.  Depth is counted on every recursive step (expressions, unary
 * operators, blocks, directive nesting) and on every link of a left-deep
 * chain (a + b + c, a.b.c[0]), so the tree itself is never deeper than
 * hcl_limits allows and consumers may walk it recursively.
 */
#include "hcl.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- tokens ----------------------------------------------------------- */

enum {
    T_EOF, T_NEWLINE, T_IDENT, T_NUMBER, T_OQUOTE, T_HEREDOC,
    T_LBRACE, T_RBRACE, T_LBRACK, T_RBRACK, T_LPAREN, T_RPAREN,
    T_COMMA, T_DOT, T_ELLIPSIS, T_STAR, T_SLASH, T_PERCENT, T_PLUS, T_MINUS,
    T_ASSIGN, T_EQ, T_NE, T_LT, T_GT, T_LE, T_GE, T_AND, T_OR, T_BANG,
    T_QUESTION, T_COLON, T_DCOLON, T_ARROW, T_TILDE, T_BAD
};

typedef struct tok {
    int type;
    uint32_t start, end;
} tok;

typedef struct parser {
    const bh_source *src;
    const char *s;
    uint32_t n, pos;
    bh_arena *a;
    bh_diags *diags;
    unsigned max_depth, depth;
    tok la;
    bool has_la;
    bool nl_skip;               /* newlines are insignificant here */
    hcl_comment *com;
    size_t ncom, capcom;
    char *buf;                  /* scratch for decoding template literals (malloc) */
    size_t blen, bcap;
    jmp_buf fail;
} parser;

/* ---- errors ----------------------------------------------------------- */

__attribute__((format(printf, 6, 0))) static _Noreturn void
fail_v(parser *p, uint32_t s, uint32_t e, const uint32_t *ctx,
       const char *note, const char *fmt, va_list ap)
{
    char *msg = arena_vprintf(p->a, fmt, ap);
    bh_span at = span_make(p->src, s, e);
    if (ctx)
        diags_add_ctx(p->diags, DIAG_ERROR, at, span_make(p->src, ctx[0], ctx[1]), note, "%s",
                      msg ? msg : "syntax error");
    else
        diags_add(p->diags, DIAG_ERROR, at, "%s", msg ? msg : "syntax error");
    longjmp(p->fail, 1);
}

__attribute__((format(printf, 4, 5)))
static _Noreturn void fail(parser *p, uint32_t s, uint32_t e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fail_v(p, s, e, NULL, NULL, fmt, ap);
}

/* An error at [s, e) whose construct began at [cs, ce). */
__attribute__((format(printf, 7, 8)))
static _Noreturn void fail_ctx(parser *p, uint32_t s, uint32_t e, uint32_t cs, uint32_t ce,
                               const char *note, const char *fmt, ...)
{
    uint32_t ctx[2] = {cs, ce};
    va_list ap;
    va_start(ap, fmt);
    fail_v(p, s, e, ctx, note, fmt, ap);
}

static void *alloc(parser *p, size_t size)
{
    void *m = arena_alloc(p->a, size);
    if (!m)
        fail(p, p->pos, p->pos, "out of memory");
    return m;
}

static char *dup(parser *p, const char *s, size_t n)
{
    char *m = arena_strndup(p->a, s, n);
    if (!m)
        fail(p, p->pos, p->pos, "out of memory");
    return m;
}

/* Append to an arena array, doubling. */
static void *grow(parser *p, void *v, size_t *cap, size_t elem)
{
    size_t nc = *cap ? *cap * 2 : 4;
    void *m = arena_realloc(p->a, v, *cap * elem, nc * elem);
    if (!m)
        fail(p, p->pos, p->pos, "out of memory");
    *cap = nc;
    return m;
}
#define PUSH(p, v, n, cap, item)                                  \
    do {                                                          \
        if ((n) == (cap))                                         \
            (v) = grow((p), (v), &(cap), sizeof *(v));            \
        (v)[(n)++] = (item);                                      \
    } while (0)

static void buf_add(parser *p, const char *s, size_t n)
{
    if (p->blen + n > p->bcap) {
        size_t nc = p->bcap ? p->bcap : 256;
        while (nc < p->blen + n)
            nc *= 2;
        char *b = realloc(p->buf, nc);
        if (!b)
            fail(p, p->pos, p->pos, "out of memory");
        p->buf = b;
        p->bcap = nc;
    }
    memcpy(p->buf + p->blen, s, n);
    p->blen += n;
}

static void deeper(parser *p, uint32_t at)
{
    if (++p->depth > p->max_depth)
        fail(p, at, at, "nesting too deep (the limit is %u levels)", p->max_depth);
}

/* ---- lexer ------------------------------------------------------------ */

/* Length of the valid UTF-8 sequence at s (avail bytes), 0 when invalid. */
static int utf8_len(const unsigned char *s, uint32_t avail)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    int n;
    unsigned lo = 0x80, hi = 0xBF;
    if (c < 0xC2)
        return 0;
    else if (c < 0xE0)
        n = 2;
    else if (c < 0xF0) {
        n = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c < 0xF5) {
        n = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else
        return 0;
    if (avail < (uint32_t)n)
        return 0;
    if (s[1] < lo || s[1] > hi)
        return 0;
    for (int i = 2; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return n;
}

static bool is_id_start(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

static void add_comment(parser *p, uint32_t s, uint32_t e, uint32_t ts, uint32_t te, bool block)
{
    hcl_comment c = {span_make(p->src, s, e), p->s + ts, te - ts, block};
    PUSH(p, p->com, p->ncom, p->capcom, c);
}

static tok lex(parser *p)
{
    const unsigned char *s = (const unsigned char *)p->s;
    uint32_t i = p->pos, n = p->n;
    tok t;
    for (;;) {
        if (i >= n) {
            t.type = T_EOF;
            t.start = t.end = n;
            p->pos = n;
            return t;
        }
        unsigned char c = s[i];
        if (c == ' ' || c == '\t' || (c == '\r' && !(i + 1 < n && s[i + 1] == '\n'))) {
            i++;
            continue;
        }
        if (c == '#' || (c == '/' && i + 1 < n && s[i + 1] == '/')) {
            uint32_t st = i, ts = i + (c == '#' ? 1 : 2);
            const unsigned char *nl = memchr(s + ts, '\n', n - ts);
            uint32_t e = nl ? (uint32_t)(nl - s) : n;
            if (e > ts && s[e - 1] == '\r')
                e--;
            add_comment(p, st, e, ts, e, false);
            i = e;
            continue;
        }
        if (c == '/' && i + 1 < n && s[i + 1] == '*') {
            uint32_t st = i, j = i + 2;
            for (;;) {
                const unsigned char *star = j < n ? memchr(s + j, '*', n - j) : NULL;
                if (!star)
                    fail(p, st, st + 2, "unterminated comment (no \"*/\" before the end of the file)");
                j = (uint32_t)(star - s);
                if (j + 1 < n && s[j + 1] == '/')
                    break;
                j++;
            }
            add_comment(p, st, j + 2, st + 2, j, true);
            i = j + 2;
            continue;
        }
        break;
    }
    unsigned char c = s[i];
    unsigned char c1 = i + 1 < n ? s[i + 1] : 0;
    t.start = i;
    int len = 1;
    switch (c) {
    case '\n': t.type = T_NEWLINE; break;
    case '\r': t.type = T_NEWLINE; len = 2; break;     /* "\r\n" */
    case '"': t.type = T_OQUOTE; break;
    case '{': t.type = T_LBRACE; break;
    case '}': t.type = T_RBRACE; break;
    case '[': t.type = T_LBRACK; break;
    case ']': t.type = T_RBRACK; break;
    case '(': t.type = T_LPAREN; break;
    case ')': t.type = T_RPAREN; break;
    case ',': t.type = T_COMMA; break;
    case '*': t.type = T_STAR; break;
    case '/': t.type = T_SLASH; break;
    case '%': t.type = T_PERCENT; break;
    case '+': t.type = T_PLUS; break;
    case '-': t.type = T_MINUS; break;
    case '?': t.type = T_QUESTION; break;
    case '~': t.type = T_TILDE; break;
    case '.':
        if (c1 == '.' && i + 2 < n && s[i + 2] == '.') {
            t.type = T_ELLIPSIS;
            len = 3;
        } else
            t.type = T_DOT;
        break;
    case ':':
        if (c1 == ':') {
            t.type = T_DCOLON;
            len = 2;
        } else
            t.type = T_COLON;
        break;
    case '=':
        if (c1 == '=') {
            t.type = T_EQ;
            len = 2;
        } else if (c1 == '>') {
            t.type = T_ARROW;
            len = 2;
        } else
            t.type = T_ASSIGN;
        break;
    case '!':
        if (c1 == '=') {
            t.type = T_NE;
            len = 2;
        } else
            t.type = T_BANG;
        break;
    case '>':
        if (c1 == '=') {
            t.type = T_GE;
            len = 2;
        } else
            t.type = T_GT;
        break;
    case '&':
        if (c1 == '&') {
            t.type = T_AND;
            len = 2;
        } else
            t.type = T_BAD;
        break;
    case '|':
        if (c1 == '|') {
            t.type = T_OR;
            len = 2;
        } else
            t.type = T_BAD;
        break;
    case '<':
        if (c1 == '=') {
            t.type = T_LE;
            len = 2;
        } else if (c1 == '<') {
            /* heredoc opener: <<ID or <<-ID, then the end of the line */
            uint32_t j = i + 2;
            if (j < n && s[j] == '-')
                j++;
            if (j >= n || !is_id_start(s[j]) || s[j] >= 0x80)
                fail(p, i, j < n ? j + 1 : n,
                     "expected a heredoc delimiter (an identifier) after \"<<\"");
            while (j < n && (is_id_start(s[j]) || is_digit(s[j]) || s[j] == '-') && s[j] < 0x80)
                j++;
            if (j < n && s[j] == '\n')
                j++;
            else if (j + 1 < n && s[j] == '\r' && s[j + 1] == '\n')
                j += 2;
            else
                fail(p, i, j, "expected a newline after the heredoc opener \"%.*s\"",
                     (int)(j - i), p->s + i);
            t.type = T_HEREDOC;
            len = (int)(j - i);
        } else
            t.type = T_LT;
        break;
    default:
        if (is_digit(c)) {
            uint32_t j = i + 1;
            while (j < n && is_digit(s[j]))
                j++;
            if (j + 1 < n && s[j] == '.' && is_digit(s[j + 1])) {
                j += 2;
                while (j < n && is_digit(s[j]))
                    j++;
            }
            if (j < n && (s[j] == 'e' || s[j] == 'E')) {
                uint32_t k = j + 1;
                if (k < n && (s[k] == '+' || s[k] == '-'))
                    k++;
                if (k < n && is_digit(s[k])) {
                    while (k < n && is_digit(s[k]))
                        k++;
                    j = k;
                }
            }
            t.type = T_NUMBER;
            len = (int)(j - i);
        } else if (is_id_start(c)) {
            uint32_t j = i;
            while (j < n) {
                unsigned char d = s[j];
                if (d < 0x80) {
                    if (!(is_id_start(d) || is_digit(d) || d == '-'))
                        break;
                    j++;
                } else {
                    int k = utf8_len(s + j, n - j);
                    if (!k)
                        break;
                    j += (uint32_t)k;
                }
            }
            if (j == i) {
                t.type = T_BAD;     /* invalid UTF-8 */
            } else {
                t.type = T_IDENT;
                len = (int)(j - i);
            }
        } else
            t.type = T_BAD;
    }
    t.end = t.start + (uint32_t)len;
    p->pos = t.end;
    return t;
}

static tok peek(parser *p)
{
    if (!p->has_la) {
        p->la = lex(p);
        p->has_la = true;
    }
    while (p->nl_skip && p->la.type == T_NEWLINE)
        p->la = lex(p);
    return p->la;
}

static tok next(parser *p)
{
    tok t = peek(p);
    p->has_la = false;
    return t;
}

static bool is_kw(parser *p, tok t, const char *kw)
{
    size_t l = strlen(kw);
    return t.type == T_IDENT && t.end - t.start == l && memcmp(p->s + t.start, kw, l) == 0;
}

/* How a token is named in messages. */
static const char *tok_desc(parser *p, tok t)
{
    const char *r;
    switch (t.type) {
    case T_EOF: return "end of file";
    case T_NEWLINE: return "newline";
    case T_OQUOTE: return "a string";
    case T_HEREDOC: return "a heredoc";
    case T_BAD: {
        unsigned char c = (unsigned char)p->s[t.start];
        if (c >= 0x21 && c < 0x7f)
            r = arena_printf(p->a, "\"%c\"", c);
        else if (c >= 0x80)
            r = arena_printf(p->a, "invalid UTF-8 byte 0x%02x", c);
        else
            r = arena_printf(p->a, "control character 0x%02x", c);
        break;
    }
    case T_NUMBER:
        r = arena_printf(p->a, "number %.*s", (int)(t.end - t.start > 40 ? 40 : t.end - t.start),
                         p->s + t.start);
        break;
    default:
        r = arena_printf(p->a, "\"%.*s%s\"", (int)(t.end - t.start > 40 ? 40 : t.end - t.start),
                         p->s + t.start, t.end - t.start > 40 ? "..." : "");
    }
    return r ? r : "a token";
}

static tok expect(parser *p, int type, const char *what, uint32_t cs, uint32_t ce, const char *note)
{
    tok t = peek(p);
    if (t.type != type) {
        if (note)
            fail_ctx(p, t.start, t.end, cs, ce, note, "expected %s, found %s", what, tok_desc(p, t));
        fail(p, t.start, t.end, "expected %s, found %s", what, tok_desc(p, t));
    }
    return next(p);
}

/* ---- nodes ------------------------------------------------------------ */

static hcl_expr *node(parser *p, hcl_expr_kind k, uint32_t s, uint32_t e)
{
    hcl_expr *x = alloc(p, sizeof *x);
    x->kind = k;
    x->span = span_make(p->src, s, e);
    return x;
}

static hcl_expr *parse_expr(parser *p);

/* ---- templates -------------------------------------------------------- */

enum { TM_QUOTE, TM_HEREDOC, TM_WHOLE };
enum { PK_LIT, PK_INTERP, PK_IF, PK_ELSE, PK_ENDIF, PK_FOR, PK_ENDFOR };

typedef struct piece {
    int kind;
    bool strip_l, strip_r;
    uint32_t start, end;
    char *text;                 /* PK_LIT */
    size_t len;
    hcl_expr *expr;             /* interpolation, if condition, for collection */
    const char *k, *v;
    bh_span kspan, vspan;
} piece;

typedef struct pieces {
    piece *v;
    size_t n, cap;
} pieces;

static const char *const directive_name[] = {"", "", "if", "else", "endif", "for", "endfor"};

static void flush_lit(parser *p, pieces *pv, uint32_t start, uint32_t end)
{
    if (p->blen == 0)
        return;
    piece pc = {0};
    pc.kind = PK_LIT;
    pc.start = start;
    pc.end = end;
    pc.text = dup(p, p->buf, p->blen);
    pc.len = p->blen;
    PUSH(p, pv->v, pv->n, pv->cap, pc);
    p->blen = 0;
}

static void put_utf8(parser *p, uint32_t cp)
{
    char b[4];
    size_t n;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;                    /* as HCL's own decoder does */
    if (cp < 0x80) {
        b[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        b[0] = (char)(0xF0 | (cp >> 18));
        b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    buf_add(p, b, n);
}

/* A backslash escape of a quoted string at i; returns the position after it. */
static uint32_t escape(parser *p, uint32_t i)
{
    const char *s = p->s;
    if (i + 1 >= p->n)
        fail(p, i, i + 1, "unterminated escape sequence at the end of the file");
    char c = s[i + 1];
    const char *lit = NULL;
    switch (c) {
    case 'n': lit = "\n"; break;
    case 'r': lit = "\r"; break;
    case 't': lit = "\t"; break;
    case '"': lit = "\""; break;
    case '\\': lit = "\\"; break;
    case 'u':
    case 'U': {
        int nd = c == 'u' ? 4 : 8;
        uint32_t cp = 0;
        for (int k = 0; k < nd; k++) {
            uint32_t j = i + 2 + (uint32_t)k;
            char d = j < p->n ? s[j] : 0;
            int v = d >= '0' && d <= '9'   ? d - '0'
                    : d >= 'a' && d <= 'f' ? d - 'a' + 10
                    : d >= 'A' && d <= 'F' ? d - 'A' + 10
                                           : -1;
            if (v < 0)
                fail(p, i, j < p->n ? j + 1 : p->n,
                     "invalid unicode escape: \"\\%c\" needs %d hexadecimal digits", c, nd);
            cp = cp * 16 + (uint32_t)v;
        }
        put_utf8(p, cp);
        return i + 2 + (uint32_t)nd;
    }
    default:
        if ((unsigned char)c >= 0x20 && (unsigned char)c < 0x7f)
            fail(p, i, i + 2, "invalid escape sequence \"\\%c\" (valid: \\n \\r \\t \\\" \\\\ \\uNNNN \\UNNNNNNNN)", c);
        fail(p, i, i + 2, "invalid escape sequence (a backslash followed by byte 0x%02x)",
             (unsigned char)c);
    }
    buf_add(p, lit, 1);
    return i + 2;
}

/* Parse "${ expr }" at i (p->s[i] == '$'); the piece is appended. */
static uint32_t interpolation(parser *p, pieces *pv, uint32_t i)
{
    piece pc = {0};
    pc.kind = PK_INTERP;
    pc.start = i;
    i += 2;
    if (i < p->n && p->s[i] == '~') {
        pc.strip_l = true;
        i++;
    }
    p->pos = i;
    p->has_la = false;
    bool saved = p->nl_skip;
    p->nl_skip = true;
    pc.expr = parse_expr(p);
    tok t = peek(p);
    if (t.type == T_TILDE) {
        next(p);
        pc.strip_r = true;
        t = peek(p);
    }
    if (t.type != T_RBRACE)
        fail_ctx(p, t.start, t.end, pc.start, pc.start + 2, "interpolation started here",
                 "expected \"}\" to end the interpolation, found %s", tok_desc(p, t));
    next(p);
    p->nl_skip = saved;
    pc.end = p->pos;
    PUSH(p, pv->v, pv->n, pv->cap, pc);
    return p->pos;
}

static tok expect_ident(parser *p, const char *what)
{
    tok t = peek(p);
    if (t.type != T_IDENT)
        fail(p, t.start, t.end, "expected %s, found %s", what, tok_desc(p, t));
    return next(p);
}

/* Parse "%{ directive }" at i (p->s[i] == '%'). */
static uint32_t directive(parser *p, pieces *pv, uint32_t i)
{
    piece pc = {0};
    pc.start = i;
    i += 2;
    if (i < p->n && p->s[i] == '~') {
        pc.strip_l = true;
        i++;
    }
    p->pos = i;
    p->has_la = false;
    bool saved = p->nl_skip;
    p->nl_skip = true;
    tok kw = peek(p);
    if (is_kw(p, kw, "if")) {
        next(p);
        pc.kind = PK_IF;
        pc.expr = parse_expr(p);
    } else if (is_kw(p, kw, "else")) {
        next(p);
        pc.kind = PK_ELSE;
    } else if (is_kw(p, kw, "endif")) {
        next(p);
        pc.kind = PK_ENDIF;
    } else if (is_kw(p, kw, "endfor")) {
        next(p);
        pc.kind = PK_ENDFOR;
    } else if (is_kw(p, kw, "for")) {
        next(p);
        pc.kind = PK_FOR;
        tok a = expect_ident(p, "a variable name after \"for\"");
        tok b = a;
        bool two = false;
        if (peek(p).type == T_COMMA) {
            next(p);
            b = expect_ident(p, "a second variable name after \",\"");
            two = true;
        }
        tok in = peek(p);
        if (!is_kw(p, in, "in"))
            fail(p, in.start, in.end, "expected \"in\" after the variables of the for directive, found %s",
                 tok_desc(p, in));
        next(p);
        if (two) {
            pc.k = dup(p, p->s + a.start, a.end - a.start);
            pc.kspan = span_make(p->src, a.start, a.end);
        }
        pc.v = dup(p, p->s + b.start, b.end - b.start);
        pc.vspan = span_make(p->src, b.start, b.end);
        pc.expr = parse_expr(p);
    } else
        fail_ctx(p, kw.start, kw.end, pc.start, pc.start + 2, "directive started here",
                 "expected a template directive (if, else, endif, for, endfor), found %s",
                 tok_desc(p, kw));
    tok t = peek(p);
    if (t.type == T_TILDE) {
        next(p);
        pc.strip_r = true;
        t = peek(p);
    }
    if (t.type != T_RBRACE)
        fail_ctx(p, t.start, t.end, pc.start, pc.start + 2, "directive started here",
                 "expected \"}\" to end the %%{%s} directive, found %s", directive_name[pc.kind],
                 tok_desc(p, t));
    next(p);
    p->nl_skip = saved;
    pc.end = p->pos;
    PUSH(p, pv->v, pv->n, pv->cap, pc);
    return p->pos;
}

static bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* Strip markers: "${~" and "%{~" trim the whitespace at the end of the
 * literal piece just before them, "~}" at the start of the one just after.
 * As in HCL's own parser only that one piece is trimmed, and heredoc
 * pieces are single lines, so in a heredoc a marker reaches back or forward
 * at most to a line boundary. */
static void apply_strip(pieces *pv)
{
    for (size_t i = 0; i < pv->n; i++) {
        piece *pc = &pv->v[i];
        if (pc->kind == PK_LIT)
            continue;
        if (pc->strip_l && i > 0 && pv->v[i - 1].kind == PK_LIT) {
            piece *l = &pv->v[i - 1];
            while (l->len && is_ws(l->text[l->len - 1]))
                l->len--;
            l->text[l->len] = '\0';
        }
        if (pc->strip_r && i + 1 < pv->n && pv->v[i + 1].kind == PK_LIT) {
            piece *l = &pv->v[i + 1];
            size_t k = 0;
            while (k < l->len && is_ws(l->text[k]))
                k++;
            l->text += k;
            l->len -= k;
        }
    }
}

/* <<- heredocs: remove the indentation common to every line, as HCL's own
 * parser counts it: on the pieces that start a line (the first piece, and
 * any piece after a literal ending in a newline); a whitespace-only line
 * does not count and keeps its spaces; a non-literal piece starting a line
 * counts as no indentation. */
static void apply_flush(pieces *pv)
{
    size_t min = SIZE_MAX;
    bool newline = true;
    for (size_t i = 0; i < pv->n; i++) {
        piece *pc = &pv->v[i];
        bool is_lit = pc->kind == PK_LIT;
        if (newline) {
            newline = false;
            size_t sp = 0;
            if (is_lit) {
                while (sp < pc->len && is_ws(pc->text[sp]))
                    sp++;
                if (pc->len && sp == pc->len && pc->text[pc->len - 1] == '\n')
                    sp = SIZE_MAX;          /* a blank line does not count */
                else
                    pc->strip_l = true;     /* reused: "starts a line, adjust" */
            }
            if (sp < min)
                min = sp;
        }
        if (is_lit && pc->len && pc->text[pc->len - 1] == '\n')
            newline = true;
    }
    if (min == SIZE_MAX)
        min = 0;
    for (size_t i = 0; i < pv->n; i++) {
        piece *pc = &pv->v[i];
        if (pc->kind != PK_LIT || !pc->strip_l)
            continue;
        size_t k = min < pc->len ? min : pc->len;
        pc->text += k;
        pc->len -= k;
        pc->start += (uint32_t)k;
    }
}

/* Join adjacent literal pieces. */
static void meld(parser *p, pieces *pv)
{
    size_t w = 0;
    for (size_t i = 0; i < pv->n;) {
        piece pc = pv->v[i];
        if (pc.kind != PK_LIT) {
            pv->v[w++] = pc;
            i++;
            continue;
        }
        size_t j = i + 1, total = pc.len;
        while (j < pv->n && pv->v[j].kind == PK_LIT)
            total += pv->v[j++].len;
        if (j > i + 1) {
            char *t = alloc(p, total + 1);
            size_t o = 0;
            for (size_t k = i; k < j; k++) {
                memcpy(t + o, pv->v[k].text, pv->v[k].len);
                o += pv->v[k].len;
            }
            pc.text = t;
            pc.len = total;
            pc.end = pv->v[j - 1].end;
        }
        if (pc.len)
            pv->v[w++] = pc;
        i = j;
    }
    pv->n = w;
}

static hcl_expr *lit_node(parser *p, const piece *pc)
{
    hcl_expr *e = node(p, HCL_E_STRING, pc->start, pc->end);
    e->u.str.text = pc->text;
    e->u.str.len = pc->len;
    e->u.str.info.style = HCL_STR_PART;
    e->u.str.info.content = e->span;
    return e;
}

/* Pieces from *i up to the end or an else/endif/endfor (not consumed), as
 * a template node spanning [s, ...). */
static hcl_expr *build_seq(parser *p, const pieces *pv, size_t *i, uint32_t s)
{
    deeper(p, s);
    hcl_expr **parts = NULL;
    size_t n = 0, cap = 0;
    uint32_t end = s;
    while (*i < pv->n) {
        const piece *pc = &pv->v[*i];
        hcl_expr *e;
        if (pc->kind == PK_ELSE || pc->kind == PK_ENDIF || pc->kind == PK_ENDFOR)
            break;
        (*i)++;
        if (pc->kind == PK_LIT)
            e = lit_node(p, pc);
        else if (pc->kind == PK_INTERP)
            e = pc->expr;
        else {
            int close = pc->kind == PK_IF ? PK_ENDIF : PK_ENDFOR;
            const char *cname = directive_name[close];
            hcl_expr *body = build_seq(p, pv, i, pc->end), *els = NULL;
            if (pc->kind == PK_IF && *i < pv->n && pv->v[*i].kind == PK_ELSE) {
                uint32_t es = pv->v[*i].end;
                (*i)++;
                els = build_seq(p, pv, i, es);
            }
            if (*i >= pv->n || pv->v[*i].kind != close) {
                uint32_t at = *i < pv->n ? pv->v[*i].start : pv->n ? pv->v[pv->n - 1].end : pc->end;
                uint32_t ate = *i < pv->n ? pv->v[*i].end : at;
                if (*i < pv->n)
                    fail_ctx(p, at, ate, pc->start, pc->end, "directive started here",
                             "expected %%{%s}, found %%{%s}", cname, directive_name[pv->v[*i].kind]);
                fail_ctx(p, at, ate, pc->start, pc->end, "directive started here",
                         "missing %%{%s} for this %%{%s}", cname, directive_name[pc->kind]);
            }
            uint32_t ce = pv->v[*i].end;
            (*i)++;
            e = node(p, pc->kind == PK_IF ? HCL_E_TMPL_IF : HCL_E_TMPL_FOR, pc->start, ce);
            if (pc->kind == PK_IF) {
                e->u.tif.cond = pc->expr;
                e->u.tif.then_ = body;
                e->u.tif.else_ = els;
            } else {
                e->u.tfor.key = pc->k;
                e->u.tfor.val = pc->v;
                e->u.tfor.key_span = pc->kspan;
                e->u.tfor.val_span = pc->vspan;
                e->u.tfor.coll = pc->expr;
                e->u.tfor.body = body;
            }
        }
        PUSH(p, parts, n, cap, e);
        end = e->span.end > end ? e->span.end : end;
    }
    if (*i < pv->n)
        end = pv->v[*i].start;
    hcl_expr *t = node(p, HCL_E_TEMPLATE, s, end);
    t->u.tmpl.parts = parts;
    t->u.tmpl.n = n;
    t->u.tmpl.info.style = HCL_STR_PART;
    t->u.tmpl.info.content = t->span;
    p->depth--;
    return t;
}

/*
 * Scan a template whose content starts at p->pos (the lookahead is empty):
 * up to the closing quote (TM_QUOTE), the closing heredoc marker delim
 * (TM_HEREDOC) or the end of the input (TM_WHOLE).  [os, oe) is the
 * opener, for spans and messages.
 */
static hcl_expr *parse_template(parser *p, int mode, uint32_t os, uint32_t oe, const char *delim,
                                size_t dlen, bool flush)
{
    const char *s = p->s;
    uint32_t n = p->n, i = p->pos, cstart = i, cend, end;

    if (mode == TM_QUOTE) {             /* fast path: a plain string */
        uint32_t j = i;
        while (j < n) {
            unsigned char c = (unsigned char)s[j];
            if (c == '"' || c == '\\' || c == '$' || c == '%' || c == '\n' || c == '\r' || c >= 0x80)
                break;
            j++;
        }
        if (j < n && s[j] == '"') {
            hcl_expr *e = node(p, HCL_E_STRING, os, j + 1);
            e->u.str.text = dup(p, s + i, j - i);
            e->u.str.len = j - i;
            e->u.str.info.style = HCL_STR_QUOTED;
            e->u.str.info.content = span_make(p->src, i, j);
            e->u.str.info.verbatim = true;
            p->pos = j + 1;
            return e;
        }
    }

    pieces pv = {0};
    p->blen = 0;
    uint32_t lit_start = i;
    bool line_start = mode == TM_HEREDOC;
    for (;;) {
        if (line_start) {
            line_start = false;
            uint32_t j = i;
            while (j < n && (s[j] == ' ' || s[j] == '\t'))
                j++;
            if (n - j >= dlen && memcmp(s + j, delim, dlen) == 0) {
                uint32_t k = j + (uint32_t)dlen;
                if (k == n || s[k] == '\n' || (s[k] == '\r' && k + 1 < n && s[k + 1] == '\n')) {
                    cend = i;
                    end = k;
                    break;
                }
            }
        }
        if (i >= n) {
            if (mode == TM_WHOLE) {
                flush_lit(p, &pv, lit_start, n);
                cend = end = n;
                break;
            }
            if (mode == TM_QUOTE)
                fail_ctx(p, n, n, os, oe, "string started here",
                         "unterminated string: missing closing quote before the end of the file");
            fail_ctx(p, n, n, os, oe, "heredoc started here",
                     "unterminated heredoc \"%s\": no line holding only \"%s\" before the end of the file",
                     delim, delim);
        }
        /* copy a run of ordinary characters */
        uint32_t j = i;
        while (j < n) {
            unsigned char c = (unsigned char)s[j];
            if (c == '"' || c == '\\' || c == '$' || c == '%' || c == '\n' || c == '\r' || c >= 0x80)
                break;
            j++;
        }
        if (j > i) {
            buf_add(p, s + i, j - i);
            i = j;
            continue;
        }
        unsigned char c = (unsigned char)s[i];
        unsigned char c1 = i + 1 < n ? (unsigned char)s[i + 1] : 0;
        unsigned char c2 = i + 2 < n ? (unsigned char)s[i + 2] : 0;
        if (mode == TM_QUOTE) {
            if (c == '"') {
                flush_lit(p, &pv, lit_start, i);
                cend = i;
                end = i + 1;
                break;
            }
            if (c == '\n' || (c == '\r' && c1 == '\n'))
                fail_ctx(p, i, i, os, oe, "string started here",
                         "unterminated string: missing closing quote before the end of the line "
                         "(use a heredoc for text of several lines)");
            if (c == '\\') {
                i = escape(p, i);
                continue;
            }
        }
        if ((c == '$' || c == '%') && c1 == c && c2 == '{') {   /* $${ and %%{ */
            buf_add(p, (const char *)s + i + 1, 2);
            i += 3;
            continue;
        }
        if ((c == '$' || c == '%') && c1 == '{') {
            flush_lit(p, &pv, lit_start, i);
            i = c == '$' ? interpolation(p, &pv, i) : directive(p, &pv, i);
            lit_start = i;
            continue;
        }
        if (c >= 0x80) {
            int k = utf8_len((const unsigned char *)s + i, n - i);
            if (!k)
                fail(p, i, i + 1, "invalid UTF-8 byte 0x%02x in a string", c);
            buf_add(p, s + i, (size_t)k);
            i += (uint32_t)k;
            continue;
        }
        if (c == '\n' || (c == '\r' && c1 == '\n')) {
            uint32_t k = c == '\n' ? 1 : 2;
            buf_add(p, s + i, k);
            i += k;
            flush_lit(p, &pv, lit_start, i);   /* one piece per line */
            lit_start = i;
            line_start = mode == TM_HEREDOC;
            continue;
        }
        buf_add(p, s + i, 1);           /* a lone $, %, \r (or " outside quotes) */
        i++;
    }
    p->pos = end;

    apply_strip(&pv);
    if (flush)
        apply_flush(&pv);
    meld(p, &pv);

    hcl_strinfo info = {0};
    info.style = mode == TM_HEREDOC ? HCL_STR_HEREDOC : mode == TM_QUOTE ? HCL_STR_QUOTED : HCL_STR_PART;
    info.flush = flush;
    info.delim = delim;
    info.content = span_make(p->src, cstart, cend);

    size_t k = 0;
    hcl_expr *t = build_seq(p, &pv, &k, cstart);
    if (k < pv.n)
        fail(p, pv.v[k].start, pv.v[k].end, "unexpected %%{%s} (no %%{%s} is open)",
             directive_name[pv.v[k].kind], pv.v[k].kind == PK_ENDFOR ? "for" : "if");
    if (t->u.tmpl.n == 0 || (t->u.tmpl.n == 1 && pv.v[0].kind == PK_LIT)) {
        hcl_expr *e = node(p, HCL_E_STRING, os, end);
        e->u.str.text = t->u.tmpl.n ? pv.v[0].text : "";
        e->u.str.len = t->u.tmpl.n ? pv.v[0].len : 0;
        info.verbatim = e->u.str.len == cend - cstart &&
                        memcmp(e->u.str.text, s + cstart, e->u.str.len) == 0;
        e->u.str.info = info;
        return e;
    }
    t->span = span_make(p->src, os, end);
    t->u.tmpl.info = info;
    return t;
}

/* ---- expressions ------------------------------------------------------ */

static hcl_expr *parse_for(parser *p, tok open, bool object)
{
    hcl_expr *e = node(p, HCL_E_FOR, open.start, open.end);
    e->u.forx.object = object;
    next(p);                            /* "for" */
    tok a = expect_ident(p, "a variable name after \"for\"");
    tok b = a;
    bool two = false;
    if (peek(p).type == T_COMMA) {
        next(p);
        b = expect_ident(p, "a second variable name after \",\"");
        two = true;
    }
    if (two) {
        e->u.forx.key = dup(p, p->s + a.start, a.end - a.start);
        e->u.forx.key_span = span_make(p->src, a.start, a.end);
    }
    e->u.forx.val = dup(p, p->s + b.start, b.end - b.start);
    e->u.forx.val_span = span_make(p->src, b.start, b.end);
    tok in = peek(p);
    if (!is_kw(p, in, "in"))
        fail_ctx(p, in.start, in.end, open.start, open.end, "for expression started here",
                 "expected \"in\" after the variables of the for expression, found %s", tok_desc(p, in));
    next(p);
    e->u.forx.coll = parse_expr(p);
    expect(p, T_COLON, "\":\" after the collection of the for expression", open.start, open.end,
           "for expression started here");
    if (object) {
        e->u.forx.key_expr = parse_expr(p);
        expect(p, T_ARROW, "\"=>\" after the key of the for expression", open.start, open.end,
               "for expression started here");
    }
    e->u.forx.val_expr = parse_expr(p);
    if (object && peek(p).type == T_ELLIPSIS) {
        next(p);
        e->u.forx.group = true;
    }
    if (is_kw(p, peek(p), "if")) {
        next(p);
        e->u.forx.cond = parse_expr(p);
    }
    tok c = expect(p, object ? T_RBRACE : T_RBRACK,
                   object ? "\"}\" to end the for expression" : "\"]\" to end the for expression",
                   open.start, open.end, "for expression started here");
    e->span.end = c.end;
    return e;
}

static hcl_expr *parse_tuple(parser *p)
{
    tok open = next(p);
    bool saved = p->nl_skip;
    p->nl_skip = true;
    hcl_expr *e;
    if (is_kw(p, peek(p), "for")) {
        e = parse_for(p, open, false);
    } else {
        e = node(p, HCL_E_TUPLE, open.start, open.end);
        size_t cap = 0;
        for (;;) {
            tok t = peek(p);
            if (t.type == T_RBRACK)
                break;
            if (t.type == T_EOF)
                fail_ctx(p, t.start, t.end, open.start, open.end, "tuple started here",
                         "missing \"]\" to close the tuple before the end of the file");
            hcl_expr *item = parse_expr(p);
            PUSH(p, e->u.tuple.items, e->u.tuple.n, cap, item);
            t = peek(p);
            if (t.type == T_COMMA)
                next(p);
            else if (t.type != T_RBRACK)
                fail_ctx(p, t.start, t.end, open.start, open.end, "tuple started here",
                         "expected \",\" or \"]\" after a tuple element, found %s", tok_desc(p, t));
        }
        e->span.end = next(p).end;
    }
    p->nl_skip = saved;
    return e;
}

static hcl_expr *parse_object(parser *p)
{
    tok open = next(p);
    bool saved = p->nl_skip;
    p->nl_skip = false;
    while (peek(p).type == T_NEWLINE)
        next(p);
    hcl_expr *e;
    if (is_kw(p, peek(p), "for")) {
        p->nl_skip = true;
        e = parse_for(p, open, true);
    } else {
        e = node(p, HCL_E_OBJECT, open.start, open.end);
        size_t cap = 0;
        for (;;) {
            tok t = peek(p);
            while (t.type == T_NEWLINE) {
                next(p);
                t = peek(p);
            }
            if (t.type == T_RBRACE)
                break;
            if (t.type == T_EOF)
                fail_ctx(p, t.start, t.end, open.start, open.end, "object started here",
                         "missing \"}\" to close the object before the end of the file");
            hcl_obj_item it = {0};
            it.key = parse_expr(p);
            if (it.key->kind == HCL_E_VAR) {
                hcl_expr *k = it.key;
                k->kind = HCL_E_STRING;
                const char *name = k->u.var.name;
                k->u.str.text = name;
                k->u.str.len = strlen(name);
                k->u.str.info = (hcl_strinfo){0};
                k->u.str.info.style = HCL_STR_BARE;
                k->u.str.info.content = k->span;
                k->u.str.info.verbatim = true;
            }
            t = peek(p);
            if (t.type != T_ASSIGN && t.type != T_COLON)
                fail_ctx(p, t.start, t.end, open.start, open.end, "object started here",
                         "expected \"=\" or \":\" after an object key, found %s", tok_desc(p, t));
            next(p);
            it.colon = t.type == T_COLON;
            it.value = parse_expr(p);
            PUSH(p, e->u.object.items, e->u.object.n, cap, it);
            t = peek(p);
            if (t.type == T_COMMA || t.type == T_NEWLINE)
                next(p);
            else if (t.type != T_RBRACE)
                fail_ctx(p, t.start, t.end, open.start, open.end, "object started here",
                         "expected \",\", a newline or \"}\" after an object element, found %s",
                         tok_desc(p, t));
        }
        e->span.end = next(p).end;
    }
    p->nl_skip = saved;
    return e;
}

static hcl_expr *parse_call(parser *p, tok first)
{
    hcl_expr *e = node(p, HCL_E_CALL, first.start, first.end);
    uint32_t name_end = first.end;
    while (peek(p).type == T_DCOLON) {      /* provider::aws::arn_parse */
        next(p);
        name_end = expect_ident(p, "a name after \"::\"").end;
    }
    e->u.call.name = dup(p, p->s + first.start, name_end - first.start);
    e->u.call.name_span = span_make(p->src, first.start, name_end);
    tok open = expect(p, T_LPAREN, "\"(\" after the function name", first.start, name_end,
                      "function name here");
    bool saved = p->nl_skip;
    p->nl_skip = true;
    size_t cap = 0;
    for (;;) {
        tok t = peek(p);
        if (t.type == T_RPAREN)
            break;
        if (t.type == T_EOF)
            fail_ctx(p, t.start, t.end, open.start, open.end, "arguments started here",
                     "missing \")\" to close the arguments of \"%s\" before the end of the file",
                     e->u.call.name);
        hcl_expr *arg = parse_expr(p);
        PUSH(p, e->u.call.args, e->u.call.n, cap, arg);
        t = peek(p);
        if (t.type == T_ELLIPSIS) {
            next(p);
            e->u.call.expand = true;
            if (peek(p).type == T_COMMA)
                next(p);
            t = peek(p);
            if (t.type != T_RPAREN)
                fail_ctx(p, t.start, t.end, open.start, open.end, "arguments started here",
                         "expected \")\" after the expanded last argument of \"%s\", found %s",
                         e->u.call.name, tok_desc(p, t));
            break;
        }
        if (t.type == T_COMMA)
            next(p);
        else if (t.type != T_RPAREN)
            fail_ctx(p, t.start, t.end, open.start, open.end, "arguments started here",
                     "expected \",\" or \")\" in the arguments of \"%s\", found %s", e->u.call.name,
                     tok_desc(p, t));
    }
    e->span.end = next(p).end;
    p->nl_skip = saved;
    return e;
}

static hcl_expr *parse_term(parser *p)
{
    tok t = peek(p);
    hcl_expr *e;
    switch (t.type) {
    case T_NUMBER:
        next(p);
        e = node(p, HCL_E_NUMBER, t.start, t.end);
        e->u.number.text = dup(p, p->s + t.start, t.end - t.start);
        e->u.number.len = t.end - t.start;
        return e;
    case T_IDENT:
        if (is_kw(p, t, "true") || is_kw(p, t, "false")) {
            next(p);
            e = node(p, HCL_E_BOOL, t.start, t.end);
            e->u.boolean = p->s[t.start] == 't';
            return e;
        }
        if (is_kw(p, t, "null")) {
            next(p);
            return node(p, HCL_E_NULL, t.start, t.end);
        }
        next(p);
        {
            int nt = peek(p).type;
            if (nt == T_LPAREN || nt == T_DCOLON)
                return parse_call(p, t);
        }
        e = node(p, HCL_E_VAR, t.start, t.end);
        e->u.var.name = dup(p, p->s + t.start, t.end - t.start);
        return e;
    case T_OQUOTE:
        next(p);
        return parse_template(p, TM_QUOTE, t.start, t.end, NULL, 0, false);
    case T_HEREDOC: {
        next(p);
        uint32_t d = t.start + 2;
        bool flush = p->s[d] == '-';
        if (flush)
            d++;
        uint32_t de = d;
        while (de < t.end && p->s[de] != '\n' && p->s[de] != '\r')
            de++;
        const char *delim = dup(p, p->s + d, de - d);
        return parse_template(p, TM_HEREDOC, t.start, de, delim, de - d, flush);
    }
    case T_LPAREN: {
        next(p);
        bool saved = p->nl_skip;
        p->nl_skip = true;
        hcl_expr *inner = parse_expr(p);
        tok c = expect(p, T_RPAREN, "\")\"", t.start, t.end, "parenthesis opened here");
        p->nl_skip = saved;
        e = node(p, HCL_E_PAREN, t.start, c.end);
        e->u.paren.inner = inner;
        return e;
    }
    case T_LBRACK:
        return parse_tuple(p);
    case T_LBRACE:
        return parse_object(p);
    default:
        fail(p, t.start, t.end, "expected an expression, found %s", tok_desc(p, t));
    }
}

/* ".name" or ".N" after a consumed "."; applied to base. */
static hcl_expr *get_step(parser *p, hcl_expr *base)
{
    uint32_t i = p->pos;
    if (i < p->n && is_digit((unsigned char)p->s[i])) {    /* legacy index: a.0 */
        uint32_t j = i;
        while (j < p->n && is_digit((unsigned char)p->s[j]))
            j++;
        hcl_expr *k = node(p, HCL_E_NUMBER, i, j);
        k->u.number.text = dup(p, p->s + i, j - i);
        k->u.number.len = j - i;
        p->pos = j;
        hcl_expr *e = node(p, HCL_E_INDEX, base->span.start, j);
        e->u.index.coll = base;
        e->u.index.key = k;
        e->u.index.legacy = true;
        return e;
    }
    tok t = peek(p);
    if (t.type != T_IDENT)
        fail(p, t.start, t.end, "expected an attribute name, a number or \"*\" after \".\", found %s",
             tok_desc(p, t));
    next(p);
    hcl_expr *e = node(p, HCL_E_ATTR, base->span.start, t.end);
    e->u.attr.obj = base;
    e->u.attr.name = dup(p, p->s + t.start, t.end - t.start);
    e->u.attr.name_span = span_make(p->src, t.start, t.end);
    return e;
}

static hcl_expr *new_splat(parser *p, hcl_expr *src, uint32_t end, bool attr_only)
{
    hcl_expr *sp = node(p, HCL_E_SPLAT, src->span.start, end);
    sp->u.splat.source = src;
    sp->u.splat.attr_only = attr_only;
    sp->u.splat.item = node(p, HCL_E_SPLAT_ITEM, end, end);
    return sp;
}

/* Traversal steps after a term: .name .N .* [key] [*]. */
static hcl_expr *parse_postfix(parser *p, hcl_expr *e)
{
    hcl_expr *sp = NULL;                /* the splat whose each steps extend */
    unsigned chain = 0;
    for (;;) {
        tok t = peek(p);
        if (t.type == T_DOT || t.type == T_LBRACK) {
            deeper(p, t.start);     /* every step nests the tree one level */
            chain++;
        }
        if (t.type == T_DOT) {
            next(p);
            if (p->pos < p->n && p->s[p->pos] == '*') {
                p->pos++;
                e = sp = new_splat(p, e, p->pos, true);
                continue;
            }
            if (sp) {
                hcl_expr *base = sp->u.splat.each ? sp->u.splat.each : sp->u.splat.item;
                sp->u.splat.each = get_step(p, base);
                sp->span.end = sp->u.splat.each->span.end;
            } else
                e = get_step(p, e);
        } else if (t.type == T_LBRACK) {
            if (sp && sp->u.splat.attr_only)
                sp = NULL;              /* a.*.b[0] indexes the whole result */
            next(p);
            bool saved = p->nl_skip;
            p->nl_skip = true;
            if (peek(p).type == T_STAR) {
                next(p);
                tok c = expect(p, T_RBRACK, "\"]\" after \"[*\"", t.start, t.end, "splat started here");
                p->nl_skip = saved;
                e = sp = new_splat(p, e, c.end, false);
                continue;
            }
            hcl_expr *key = parse_expr(p);
            tok c = expect(p, T_RBRACK, "\"]\" to end the index", t.start, t.end, "index started here");
            p->nl_skip = saved;
            hcl_expr *base = sp ? (sp->u.splat.each ? sp->u.splat.each : sp->u.splat.item) : e;
            hcl_expr *ix = node(p, HCL_E_INDEX, sp ? base->span.start : e->span.start, c.end);
            ix->u.index.coll = base;
            ix->u.index.key = key;
            if (sp) {
                sp->u.splat.each = ix;
                sp->span.end = c.end;
            } else
                e = ix;
        } else {
            p->depth -= chain;
            return e;
        }
    }
}

static hcl_expr *parse_unary(parser *p)
{
    tok t = peek(p);
    if (t.type == T_MINUS || t.type == T_BANG) {
        next(p);
        deeper(p, t.start);
        hcl_expr *operand = parse_unary(p);
        p->depth--;
        if (t.type == T_MINUS && operand->kind == HCL_E_NUMBER && operand->u.number.text[0] != '-') {
            char *txt = arena_printf(p->a, "-%s", operand->u.number.text);
            if (!txt)
                fail(p, t.start, t.end, "out of memory");
            operand->u.number.text = txt;
            operand->u.number.len++;
            operand->span.start = t.start;
            return operand;
        }
        hcl_expr *e = node(p, HCL_E_UNARY, t.start, operand->span.end);
        e->u.unary.op = t.type == T_MINUS ? HCL_OP_NEG : HCL_OP_NOT;
        e->u.unary.operand = operand;
        return e;
    }
    return parse_postfix(p, parse_term(p));
}

static int binop(int type, hcl_op *op)
{
    switch (type) {
    case T_OR: *op = HCL_OP_OR; return 1;
    case T_AND: *op = HCL_OP_AND; return 2;
    case T_EQ: *op = HCL_OP_EQ; return 3;
    case T_NE: *op = HCL_OP_NE; return 3;
    case T_LT: *op = HCL_OP_LT; return 4;
    case T_GT: *op = HCL_OP_GT; return 4;
    case T_LE: *op = HCL_OP_LE; return 4;
    case T_GE: *op = HCL_OP_GE; return 4;
    case T_PLUS: *op = HCL_OP_ADD; return 5;
    case T_MINUS: *op = HCL_OP_SUB; return 5;
    case T_STAR: *op = HCL_OP_MUL; return 6;
    case T_SLASH: *op = HCL_OP_DIV; return 6;
    case T_PERCENT: *op = HCL_OP_MOD; return 6;
    default: return 0;
    }
}

/* Precedence climbing; all binary operators are left-associative. */
static hcl_expr *parse_binary(parser *p, int min)
{
    hcl_expr *lhs = parse_unary(p);
    unsigned chain = 0;
    for (;;) {
        hcl_op op;
        tok t = peek(p);
        int prec = binop(t.type, &op);
        if (!prec || prec < min) {
            p->depth -= chain;
            return lhs;
        }
        next(p);
        deeper(p, t.start);         /* a left-deep chain is as deep as it is long */
        chain++;
        hcl_expr *rhs = parse_binary(p, prec + 1);
        hcl_expr *e = node(p, HCL_E_BINARY, lhs->span.start, rhs->span.end);
        e->u.binary.op = op;
        e->u.binary.lhs = lhs;
        e->u.binary.rhs = rhs;
        lhs = e;
    }
}

static hcl_expr *parse_expr(parser *p)
{
    deeper(p, peek(p).start);
    hcl_expr *c = parse_binary(p, 1);
    tok q = peek(p);
    if (q.type == T_QUESTION) {
        next(p);
        hcl_expr *a = parse_expr(p);
        expect(p, T_COLON, "\":\" in the conditional expression", q.start, q.end,
               "\"?\" of the conditional here");
        hcl_expr *b = parse_expr(p);
        hcl_expr *e = node(p, HCL_E_COND, c->span.start, b->span.end);
        e->u.cond.cond = c;
        e->u.cond.then_ = a;
        e->u.cond.else_ = b;
        c = e;
    }
    p->depth--;
    return c;
}

/* ---- bodies ----------------------------------------------------------- */

static hcl_body *parse_body(parser *p, bool braced, tok open, const char *btype);

static void end_of_item(parser *p, const char *what, const char *name)
{
    tok t = peek(p);
    if (t.type != T_NEWLINE && t.type != T_EOF)
        fail(p, t.start, t.end, "expected a newline after %s \"%s\", found %s", what, name,
             tok_desc(p, t));
}

static void parse_attr_value(parser *p, hcl_item *it)
{
    it->kind = HCL_ATTRIBUTE;
    it->expr = parse_expr(p);
    it->span = span_make(p->src, it->name_span.start, it->expr->span.end);
}

static void parse_item(parser *p, hcl_item *it)
{
    tok name = next(p);
    it->name = dup(p, p->s + name.start, name.end - name.start);
    it->name_span = span_make(p->src, name.start, name.end);
    tok t = peek(p);
    if (t.type == T_ASSIGN) {
        next(p);
        parse_attr_value(p, it);
        end_of_item(p, "the value of attribute", it->name);
        return;
    }
    it->kind = HCL_BLOCK;
    size_t cap = 0;
    while (t.type == T_OQUOTE || t.type == T_IDENT) {
        hcl_label l = {0};
        next(p);
        if (t.type == T_OQUOTE) {
            hcl_expr *e = parse_template(p, TM_QUOTE, t.start, t.end, NULL, 0, false);
            if (e->kind != HCL_E_STRING)
                fail(p, e->span.start, e->span.end,
                     "a block label must be a literal string, without interpolation or directives");
            l.text = e->u.str.text;
            l.len = e->u.str.len;
            l.quoted = true;
            l.span = e->span;
        } else {
            l.text = dup(p, p->s + t.start, t.end - t.start);
            l.len = t.end - t.start;
            l.span = span_make(p->src, t.start, t.end);
        }
        PUSH(p, it->labels, it->nlabels, cap, l);
        t = peek(p);
    }
    if (t.type != T_LBRACE) {
        if (it->nlabels == 0)
            fail(p, t.start, t.end, "expected \"=\", a label or \"{\" after \"%s\", found %s", it->name,
                 tok_desc(p, t));
        fail(p, t.start, t.end, "expected \"{\" or another label after block type \"%s\", found %s",
             it->name, tok_desc(p, t));
    }
    tok open = next(p);
    it->open = span_make(p->src, open.start, open.end);
    deeper(p, open.start);
    t = peek(p);
    if (t.type == T_NEWLINE) {
        it->body = parse_body(p, true, open, it->name);
    } else {
        /* a one-line block: {} or { name = value } */
        it->body = alloc(p, sizeof *it->body);
        if (t.type == T_IDENT) {
            hcl_item one = {0};
            tok an = next(p);
            one.name = dup(p, p->s + an.start, an.end - an.start);
            one.name_span = span_make(p->src, an.start, an.end);
            expect(p, T_ASSIGN, "\"=\" (a one-line block holds a single attribute)", open.start,
                   open.end, "block started here");
            parse_attr_value(p, &one);
            size_t c1 = 0;
            PUSH(p, it->body->items, it->body->n, c1, one);
        } else if (t.type != T_RBRACE)
            fail_ctx(p, t.start, t.end, open.start, open.end, "block started here",
                     "expected a newline, an attribute or \"}\" after \"{\" of block \"%s\", found %s",
                     it->name, tok_desc(p, t));
    }
    tok close = expect(p, T_RBRACE, "\"}\" to end the one-line block", open.start, open.end,
                       "block started here");
    p->depth--;
    it->close = span_make(p->src, close.start, close.end);
    it->body->span = span_make(p->src, open.start, close.end);
    it->span = span_make(p->src, name.start, close.end);
    end_of_item(p, "the \"}\" closing block", it->name);
}

static void duplicate(parser *p, const hcl_item *x, const hcl_item *y)
{
    fail_ctx(p, x->name_span.start, x->name_span.end, y->name_span.start, y->name_span.end,
             "first defined here", "attribute \"%s\" is defined twice", x->name);
}

/* Attribute names are unique within a body: pairwise for small bodies, a
 * hash table (in the arena) for large ones (tfvars files can hold
 * thousands of attributes). */
static void check_duplicates(parser *p, const hcl_body *b)
{
    if (b->n <= 16) {
        for (size_t i = 1; i < b->n; i++) {
            const hcl_item *x = &b->items[i];
            if (x->kind != HCL_ATTRIBUTE)
                continue;
            for (size_t j = 0; j < i; j++) {
                const hcl_item *y = &b->items[j];
                if (y->kind == HCL_ATTRIBUTE && strcmp(y->name, x->name) == 0)
                    duplicate(p, x, y);
            }
        }
        return;
    }
    size_t cap = 32;
    while (cap < b->n * 2)
        cap *= 2;
    const hcl_item **tab = alloc(p, cap * sizeof *tab);
    for (size_t i = 0; i < b->n; i++) {
        const hcl_item *x = &b->items[i];
        if (x->kind != HCL_ATTRIBUTE)
            continue;
        uint32_t h = 2166136261u;
        for (const unsigned char *c = (const unsigned char *)x->name; *c; c++)
            h = (h ^ *c) * 16777619u;
        for (size_t k = h & (cap - 1);; k = (k + 1) & (cap - 1)) {
            if (!tab[k]) {
                tab[k] = x;
                break;
            }
            if (strcmp(tab[k]->name, x->name) == 0)
                duplicate(p, x, tab[k]);
        }
    }
}

static hcl_body *parse_body(parser *p, bool braced, tok open, const char *btype)
{
    hcl_body *b = alloc(p, sizeof *b);
    size_t cap = 0;
    for (;;) {
        tok t = peek(p);
        if (t.type == T_NEWLINE) {
            next(p);
            continue;
        }
        if (t.type == T_EOF) {
            if (braced)
                fail_ctx(p, t.start, t.end, open.start, open.end, "block started here",
                         "missing \"}\" to close block \"%s\" before the end of the file", btype);
            break;
        }
        if (t.type == T_RBRACE) {
            if (braced)
                break;
            fail(p, t.start, t.end, "unexpected \"}\" (no block is open)");
        }
        if (t.type != T_IDENT)
            fail(p, t.start, t.end, "expected an attribute or a block, found %s", tok_desc(p, t));
        hcl_item it = {0};
        parse_item(p, &it);
        PUSH(p, b->items, b->n, cap, it);
    }
    check_duplicates(p, b);
    return b;
}

/* ---- entry points ----------------------------------------------------- */

hcl_limits hcl_default_limits(void)
{
    hcl_limits l = {256};
    return l;
}

static parser *parser_new(const bh_source *src, bh_arena *a, const hcl_limits *lim, bh_diags *diags)
{
    parser *p = calloc(1, sizeof *p);
    if (!p) {
        diags_add(diags, DIAG_ERROR, span_make(src, 0, 0), "out of memory");
        return NULL;
    }
    p->src = src;
    p->s = source_data(src);
    p->n = (uint32_t)source_len(src);
    p->a = a;
    p->diags = diags;
    p->max_depth = lim && lim->max_depth ? lim->max_depth : 256;
    if (p->n >= 3 && memcmp(p->s, "\xEF\xBB\xBF", 3) == 0)
        p->pos = 3;
    return p;
}

static void parser_free(parser *p)
{
    free(p->buf);
    free(p);
}

hcl_file *hcl_parse(const bh_source *src, bh_arena *a, const hcl_limits *lim, bh_diags *diags)
{
    parser *p = parser_new(src, a, lim, diags);
    if (!p)
        return NULL;
    if (setjmp(p->fail)) {
        parser_free(p);
        return NULL;
    }
    tok none = {T_EOF, 0, 0};
    hcl_body *b = parse_body(p, false, none, "");
    b->span = span_make(src, 0, p->n);
    hcl_file *f = alloc(p, sizeof *f);
    f->src = src;
    f->body = b;
    f->comments = p->com;
    f->ncomments = p->ncom;
    parser_free(p);
    return f;
}

/* A parser over src's bytes [start, end) (a BOM skipped at start). */
static parser *parser_range(const bh_source *src, uint32_t start, uint32_t end, bh_arena *a,
                            const hcl_limits *lim, bh_diags *diags)
{
    parser *p = parser_new(src, a, lim, diags);
    if (!p)
        return NULL;
    if (end < p->n)
        p->n = end;
    if (start > p->pos)
        p->pos = start <= p->n ? start : p->n;
    return p;
}

hcl_expr *hcl_parse_expr(const bh_source *src, bh_arena *a, const hcl_limits *lim, bh_diags *diags)
{
    return hcl_parse_expr_range(src, 0, (uint32_t)source_len(src), a, lim, diags);
}

hcl_expr *hcl_parse_expr_range(const bh_source *src, uint32_t start, uint32_t end, bh_arena *a,
                               const hcl_limits *lim, bh_diags *diags)
{
    parser *p = parser_range(src, start, end, a, lim, diags);
    if (!p)
        return NULL;
    if (setjmp(p->fail)) {
        parser_free(p);
        return NULL;
    }
    p->nl_skip = true;
    hcl_expr *e = parse_expr(p);
    tok t = peek(p);
    if (t.type != T_EOF)
        fail(p, t.start, t.end, "expected the end of the expression, found %s", tok_desc(p, t));
    parser_free(p);
    return e;
}

hcl_expr *hcl_parse_template(const bh_source *src, bh_arena *a, const hcl_limits *lim,
                             bh_diags *diags)
{
    return hcl_parse_template_range(src, 0, (uint32_t)source_len(src), a, lim, diags);
}

hcl_expr *hcl_parse_template_range(const bh_source *src, uint32_t start, uint32_t end,
                                   bh_arena *a, const hcl_limits *lim, bh_diags *diags)
{
    parser *p = parser_range(src, start, end, a, lim, diags);
    if (!p)
        return NULL;
    if (setjmp(p->fail)) {
        parser_free(p);
        return NULL;
    }
    hcl_expr *e = parse_template(p, TM_WHOLE, p->pos, p->pos, NULL, 0, false);
    parser_free(p);
    return e;
}

/* ---- reading ---------------------------------------------------------- */

const hcl_item *hcl_body_attr(const hcl_body *body, const char *name)
{
    if (!body)
        return NULL;
    for (size_t i = body->n; i-- > 0;)
        if (body->items[i].kind == HCL_ATTRIBUTE && strcmp(body->items[i].name, name) == 0)
            return &body->items[i];
    return NULL;
}

const hcl_item *hcl_body_block(const hcl_body *body, const char *type, size_t n)
{
    if (!body)
        return NULL;
    for (size_t i = 0; i < body->n; i++)
        if (body->items[i].kind == HCL_BLOCK && strcmp(body->items[i].name, type) == 0 && n-- == 0)
            return &body->items[i];
    return NULL;
}

static uint32_t line_start_of(const char *s, uint32_t off)
{
    while (off > 0 && s[off - 1] != '\n')
        off--;
    return off;
}

/* Index of the first comment starting at or after off. */
static size_t comment_lower_bound(const hcl_file *f, uint32_t off)
{
    size_t lo = 0, hi = f->ncomments;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (f->comments[mid].span.start < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

const hcl_comment *hcl_comments_before(const hcl_file *f, uint32_t offset, size_t *n)
{
    *n = 0;
    if (!f || !f->ncomments)
        return NULL;
    const char *s = source_data(f->src);
    uint32_t len = (uint32_t)source_len(f->src);
    if (offset > len)
        offset = len;
    uint32_t cur = line_start_of(s, offset);
    size_t idx = comment_lower_bound(f, cur), count = 0;
    while (idx > 0) {
        const hcl_comment *c = &f->comments[idx - 1];
        if (c->span.end > cur)
            break;
        int nl = 0;
        bool ok = true;
        for (uint32_t i = c->span.end; i < cur && ok; i++) {
            if (s[i] == '\n')
                nl++;
            else if (!is_ws(s[i]))
                ok = false;
        }
        if (!ok || nl != 1)
            break;
        uint32_t ls = line_start_of(s, c->span.start);
        for (uint32_t i = ls; i < c->span.start && ok; i++)
            if (!is_ws(s[i]))
                ok = false;
        if (!ok)
            break;
        count++;
        cur = ls;
        idx--;
    }
    *n = count;
    return count ? &f->comments[idx] : NULL;
}

const hcl_comment *hcl_comment_after(const hcl_file *f, uint32_t offset)
{
    if (!f)
        return NULL;
    size_t idx = comment_lower_bound(f, offset);
    if (idx >= f->ncomments)
        return NULL;
    const hcl_comment *c = &f->comments[idx];
    const char *s = source_data(f->src);
    for (uint32_t i = offset; i < c->span.start; i++)
        if (s[i] == '\n')
            return NULL;
    return c;
}

const hcl_comment *hcl_item_comments(const hcl_file *f, const hcl_item *item, size_t *n,
                                     const hcl_comment **trailing)
{
    if (trailing)
        *trailing = hcl_comment_after(f, item->kind == HCL_BLOCK ? item->open.end : item->span.end);
    return hcl_comments_before(f, item->span.start, n);
}

const char *hcl_op_symbol(hcl_op op)
{
    static const char *const sym[] = {"||", "&&", "==", "!=", "<", ">", "<=", ">=",
                                      "+",  "-",  "*",  "/",  "%", "!", "-"};
    return (unsigned)op < sizeof sym / sizeof *sym ? sym[op] : "?";
}

const char *hcl_expr_kind_name(hcl_expr_kind k)
{
    static const char *const names[] = {
        "number", "bool", "null", "string", "template", "template if", "template for",
        "tuple", "object", "variable", "attribute access", "index", "splat", "splat item",
        "function call", "conditional", "unary operation", "binary operation", "parentheses",
        "for expression"};
    return (unsigned)k < sizeof names / sizeof *names ? names[k] : "?";
}

const char *hcl_traversal_root(const hcl_expr *e)
{
    while (e) {
        switch (e->kind) {
        case HCL_E_VAR: return e->u.var.name;
        case HCL_E_ATTR: e = e->u.attr.obj; break;
        case HCL_E_INDEX: e = e->u.index.coll; break;
        case HCL_E_SPLAT: e = e->u.splat.source; break;
        default: return NULL;
        }
    }
    return NULL;
}

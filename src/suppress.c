/*
 * suppress.c - see suppress.h.
 *
 * Finding the comments.  Most files hold no suppression at all, so the
 * source is first searched for the marker (memchr for its colon); only the lines
 * that hold it are tokenised.  On such a line the comment start is found
 * by walking from the line start with a small quote tracker:
 *
 * - YAML: `#` opens a comment at the line start or after a space or tab;
 *   a quote opens a quoted scalar only where a scalar may begin (line
 *   start, after whitespace or one of `[{,:`), so the apostrophe in
 *   `msg: it's # ...` is text.
 * - HCL: `#` and `//` open a comment anywhere outside a "string".
 *
 * The marker must be the first word of the comment, so prose that merely
 * mentions it is no suppression.  Text inside YAML block scalars and HCL
 * heredocs is not told apart from code: a line there that looks exactly
 * like a suppression comment is taken as one.
 */
#include "suppress.h"

#include <fnmatch.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"

#define MARKER "bulkhead:ignore"
#define MARKER_LEN (sizeof MARKER - 1)

/* The first marker in d[0..len), or NULL (memmem is not in C17 or POSIX
 * 2008). */
static const char *find_marker(const char *d, size_t len)
{
    if (len < MARKER_LEN)
        return NULL;
    const char *end = d + len;
    for (const char *p = d + 8; p < end; p++) {
        p = memchr(p, ':', (size_t)(end - p));
        if (!p || (size_t)(end - p) < MARKER_LEN - 8)
            return NULL;
        if (memcmp(p - 8, MARKER, MARKER_LEN) == 0)
            return p - 8;
    }
    return NULL;
}

/* ---- dates ---------------------------------------------------------------- */

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

bool suppress_date_valid(const char *s, size_t n)
{
    if (n != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4) || !digits(s + 5, 2) ||
        !digits(s + 8, 2))
        return false;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1)
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[m - 1] + (m == 2 && leap);
}

bool suppress_today(char out[11])
{
    const char *env = getenv("BH_TODAY");
    if (env && *env) {
        if (!suppress_date_valid(env, strlen(env)))
            return false;
        memcpy(out, env, 11);
        return true;
    }
    time_t now = time(NULL);
    struct tm tm;
    if (!localtime_r(&now, &tm) || strftime(out, 11, "%Y-%m-%d", &tm) != 10)
        memcpy(out, "1970-01-01", 11);
    return true;
}

/* ---- one comment ------------------------------------------------------- */

/* A parsed inline suppression: one per policy id of a comment. */
typedef struct entry {
    const char *policy;
    uint32_t line, key_line;    /* the target line; the object line after a key (0: none) */
    const char *reason, *until;
    bh_span at;                 /* the comment */
    bh_suppression *made;       /* built on first use, in the results' arena */
} entry;

typedef struct collector {
    const suppress_opts *o;
    const bh_source *src;
    bh_syntax syn;
    bh_arena *a;
    bh_diags *diags;
    entry *v;
    size_t n, cap;
} collector;

static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

/* The offset of the comment opener on the line [ls, le), or le: none.
 * *open_len is 1 for `#`, 2 for `//`. */
static size_t comment_start(const char *d, size_t ls, size_t le, bh_syntax syn, size_t *open_len)
{
    char quote = 0;
    for (size_t i = ls; i < le; i++) {
        char c = d[i];
        if (quote) {
            if (c == '\\' && quote == '"' && i + 1 < le)
                i++;
            else if (c == quote)
                quote = 0;
            continue;
        }
        char prev = i > ls ? d[i - 1] : ' ';
        if (syn == SYN_YAML) {
            if (c == '#' && is_blank(prev))
                return *open_len = 1, i;
            if ((c == '"' || c == '\'') && (is_blank(prev) || strchr("[{,:", prev)))
                quote = c;
        } else {
            if (c == '#')
                return *open_len = 1, i;
            if (c == '/' && i + 1 < le && d[i + 1] == '/')
                return *open_len = 2, i;
            if (c == '"')
                quote = c;
        }
    }
    return le;
}

static size_t line_end(const char *d, size_t len, size_t at)
{
    const char *nl = memchr(d + at, '\n', len - at);
    return nl ? (size_t)(nl - d) : len;
}

/* Whether [ls, le) is only whitespace, or only a comment. */
static bool line_blank(const char *d, size_t ls, size_t le)
{
    for (size_t i = ls; i < le; i++)
        if (!is_blank(d[i]))
            return false;
    return true;
}

static bool line_comment_only(const char *d, size_t ls, size_t le, bh_syntax syn)
{
    size_t open;
    size_t c = comment_start(d, ls, le, syn, &open);
    return c < le && line_blank(d, ls, c);
}

/* Whether the code part of [ls, le) is a YAML key with no value on the
 * line (`web:`), whose block then starts on a later line. */
static bool line_bare_key(const char *d, size_t ls, size_t le, bh_syntax syn)
{
    size_t open;
    size_t e = comment_start(d, ls, le, syn, &open);
    while (e > ls && is_blank(d[e - 1]))
        e--;
    return syn == SYN_YAML && e > ls && d[e - 1] == ':';
}

/* The first line after `from` that is neither blank nor only a comment;
 * *blank is set when a blank line came first.  0 at the end of input. */
static size_t next_code_line(const char *d, size_t len, size_t from, bh_syntax syn, bool *blank)
{
    *blank = false;
    for (size_t ls = from; ls < len;) {
        size_t le = line_end(d, len, ls);
        if (line_blank(d, ls, le)) {
            *blank = true;
            return len;
        }
        if (!line_comment_only(d, ls, le, syn))
            return ls;
        ls = le + 1;
    }
    return len;
}

__attribute__((format(printf, 3, 4))) static void warn(collector *c, bh_span at,
                                                      const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diags_vadd(c->diags, DIAG_WARNING, at, fmt, ap);
    va_end(ap);
}

static bool push_entry(collector *c, const entry *e)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 8;
        entry *v = realloc(c->v, cap * sizeof *v);
        if (!v)
            return false;
        c->v = v;
        c->cap = cap;
    }
    c->v[c->n++] = *e;
    return true;
}

/* A word of the comment body: [*p, end) up to whitespace; a value may be
 * "quoted" (\" and \\ escapes).  Returns the decoded text, NULL when the
 * quote is not closed. */
static const char *take_value(collector *c, const char *d, size_t *p, size_t end)
{
    size_t i = *p;
    if (i < end && d[i] == '"') {
        char *out = arena_alloc(c->a, end - i + 1);
        if (!out)
            return NULL;
        size_t k = 0;
        for (i++; i < end && d[i] != '"'; i++) {
            if (d[i] == '\\' && i + 1 < end && (d[i + 1] == '"' || d[i + 1] == '\\'))
                i++;
            out[k++] = d[i];
        }
        if (i >= end)
            return NULL;
        *p = i + 1;
        return out;
    }
    size_t s = i;
    while (i < end && !is_blank(d[i]))
        i++;
    *p = i;
    return arena_strndup(c->a, d + s, i - s);
}

/* Parse the comment body [b, end) that follows the marker, at span at,
 * targeting line (key_line: see entry), and record its entries. */
static void parse_comment(collector *c, size_t b, size_t end, bh_span at, uint32_t line,
                          uint32_t key_line)
{
    const char *d = source_data(c->src);
    while (end > b && is_blank(d[end - 1]))
        end--;
    size_t p = b;
    while (p < end && is_blank(d[p]))
        p++;
    size_t ids = p;
    while (p < end && !is_blank(d[p]))
        p++;
    const char *idlist = arena_strndup(c->a, d + ids, p - ids);
    if (!idlist)
        return;
    if (!*idlist || strchr(idlist, '=')) {
        warn(c, at, "suppression names no policy (expected '" MARKER " POLICY reason=\"...\"')");
        return;
    }
    const char *reason = NULL, *until = NULL;
    for (;;) {
        while (p < end && is_blank(d[p]))
            p++;
        if (p >= end)
            break;
        size_t ks = p;
        while (p < end && d[p] != '=' && !is_blank(d[p]))
            p++;
        size_t klen = p - ks;
        if (p >= end || d[p] != '=') {
            warn(c, at, "suppression of \"%s\" has a word \"%.*s\" that is no key=value", idlist,
                 (int)klen, d + ks);
            return;
        }
        p++;
        const char *val = take_value(c, d, &p, end);
        if (!val) {
            warn(c, at, "suppression of \"%s\" has an unterminated quoted value", idlist);
            return;
        }
        if (klen == 6 && memcmp(d + ks, "reason", 6) == 0)
            reason = val;
        else if (klen == 5 && memcmp(d + ks, "until", 5) == 0)
            until = val;
        else {
            warn(c, at, "suppression of \"%s\" has an unknown key \"%.*s\" (expected reason or until)",
                 idlist, (int)klen, d + ks);
            return;
        }
    }
    if (!reason || !*reason) {
        warn(c, at, "suppression of \"%s\" has no reason (add reason=\"...\"); not applied",
             idlist);
        return;
    }
    if (until && !suppress_date_valid(until, strlen(until))) {
        warn(c, at, "suppression of \"%s\" has a malformed until date \"%s\" (expected YYYY-MM-DD)",
             idlist, until);
        return;
    }
    if (until && strcmp(until, c->o->today) < 0) {
        warn(c, at, "suppression of \"%s\" expired on %s", idlist, until);
        return;
    }
    char *list = (char *)idlist;
    for (char *save = NULL, *id = strtok_r(list, ",", &save); id; id = strtok_r(NULL, ",", &save)) {
        if (c->o->catalog && !catalog_find(c->o->catalog, id)) {
            warn(c, at, "suppression names unknown policy \"%s\"; not applied", id);
            continue;
        }
        if (!line) {
            warn(c, at, "suppression of \"%s\" applies to no line (a blank line or the end of the "
                        "file follows it)", id);
            continue;
        }
        entry e = {id, line, key_line, reason, until, at, NULL};
        if (!push_entry(c, &e))
            return;
    }
}

/* Look at the marker found at offset m: record a suppression when it opens
 * a comment.  Returns the offset to search on from. */
static size_t at_marker(collector *c, size_t m)
{
    const char *d = source_data(c->src);
    size_t len = source_len(c->src);
    size_t ls = m;
    while (ls > 0 && d[ls - 1] != '\n')
        ls--;
    size_t le = line_end(d, len, m);
    size_t open = 0;
    size_t cs = comment_start(d, ls, le, c->syn, &open);
    if (cs >= m)
        return le;                   /* not in a comment */
    size_t t = cs + open;
    while (t < m && is_blank(d[t]))
        t++;
    size_t after = m + MARKER_LEN;
    if (t != m || (after < le && !is_blank(d[after])))
        return le;                   /* the marker does not open the comment */
    size_t cend = le > cs && d[le - 1] == '\r' ? le - 1 : le;
    bh_span at = span_make(c->src, (uint32_t)cs, (uint32_t)cend);
    if (c->o->no_inline) {
        diags_add(c->diags, DIAG_NOTE, at,
                  "inline suppression not applied (inline suppressions are disabled)");
        return le;
    }
    size_t target = ls;              /* a trailing comment: its own line */
    if (line_blank(d, ls, cs)) {     /* a comment line: the next code line */
        bool blank;
        target = next_code_line(d, len, le + 1 <= len ? le + 1 : len, c->syn, &blank);
    }
    uint32_t line = 0, key_line = 0;
    if (target < len) {
        line = source_pos(c->src, (uint32_t)target).line;
        size_t te = line_end(d, len, target);
        if (line_bare_key(d, target, te, c->syn)) {
            bool blank;
            size_t next = next_code_line(d, len, te + 1 <= len ? te + 1 : len, c->syn, &blank);
            if (next < len && !blank)
                key_line = source_pos(c->src, (uint32_t)next).line;
        }
    }
    parse_comment(c, after, cend, at, line, key_line);
    return le;
}

/* ---- applying ---------------------------------------------------------- */

static bool suppressible(const bh_result *r)
{
    return !r->suppression && (r->status == ST_INCOMPLIANT || r->status == ST_UNDETERMINED);
}

static bool entry_matches(const entry *e, const bh_result *r, const char *path)
{
    if (strcmp(e->policy, r->policy) != 0)
        return false;
    if (r->loc.pos.line == e->line && strcmp(r->loc.file, path) == 0)
        return true;
    uint32_t ol = r->object_loc.pos.line;
    return (ol == e->line || (e->key_line && ol == e->key_line)) &&
           strcmp(r->object_loc.file, path) == 0;
}

static const bh_suppression *made(entry *e, bh_results *r)
{
    if (e->made)
        return e->made;
    bh_arena *ra = results_arena(r);
    bh_suppression *s = arena_alloc(ra, sizeof *s);
    if (!s)
        return NULL;
    s->kind = "inline";
    s->reason = arena_strdup(ra, e->reason);
    s->until = e->until ? arena_strdup(ra, e->until) : NULL;
    s->source = results_loc(r, e->at);
    if (!s->reason)
        return NULL;
    return e->made = s;
}

void suppress_inline(const suppress_opts *o, const bh_source *src, bh_syntax syn,
                     bh_results *r, size_t from, bh_diags *diags)
{
    if (!o || (syn != SYN_YAML && syn != SYN_HCL))
        return;
    const char *d = source_data(src);
    size_t len = source_len(src);
    const char *m = find_marker(d, len);
    if (!m)
        return;
    collector c = {o, src, syn, arena_new(), diags, NULL, 0, 0};
    if (!c.a) {
        diags_add_file(diags, DIAG_ERROR, source_path(src), (bh_pos){0, 0}, "out of memory");
        return;
    }
    for (size_t at = (size_t)(m - d); m;) {
        at = at_marker(&c, at);
        m = at < len ? find_marker(d + at, len - at) : NULL;
        if (m)
            at = (size_t)(m - d);
    }
    const char *path = source_path(src);
    for (size_t i = from; c.n && i < results_len(r); i++) {
        bh_result *res = results_at_mut(r, i);
        if (!suppressible(res))
            continue;
        for (size_t k = 0; k < c.n; k++)
            if (entry_matches(&c.v[k], res, path)) {
                res->suppression = made(&c.v[k], r);
                break;
            }
    }
    free(c.v);
    arena_free(c.a);
}

/* ---- the config file --------------------------------------------------- */

void suppress_config(const suppress_opts *o, bh_results *r)
{
    const bh_config *cfg = o ? o->config : NULL;
    if (!cfg)
        return;
    for (size_t i = 0; i < results_len(r); i++) {
        bh_result *res = results_at_mut(r, i);
        for (size_t k = 0; k < cfg->noverrides; k++)
            if (strcmp(cfg->overrides[k].policy, res->policy) == 0)
                res->severity = cfg->overrides[k].severity;
        if (!suppressible(res))
            continue;
        for (size_t k = 0; k < cfg->nsuppressions; k++) {
            const config_suppression *s = &cfg->suppressions[k];
            if (s->expired || strcmp(s->policy, res->policy) != 0)
                continue;
            if (strcmp(s->object, res->object) != 0 && fnmatch(s->object, res->object, 0) != 0)
                continue;
            if (s->file && !config_path_matches(s->file, res->loc.file) &&
                !config_path_matches(s->file, res->object_loc.file))
                continue;
            res->suppression = &s->s;
            break;
        }
    }
}

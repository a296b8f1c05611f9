/*
 * adapt_compose.c - Docker Compose files into "compose/service" objects.
 *
 * One object per `services.<name>`, built in four passes over the parsed
 * file (YAML anchors and `<<` merges are already applied by the reader):
 *
 *   1. Interpolation.  `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
 *      `${VAR:?err}`, `${VAR?err}`, `${VAR:+alt}`, `${VAR+alt}`, `$VAR`
 *      and the `$$` escape, in string values of `services` and of the
 *      top-level `volumes`, as compose-go does it.  Values come from the
 *      `.env` file beside the compose file, and from nowhere else: the
 *      process environment is never read, so a scan is reproducible.  A
 *      value that needs a variable `.env` does not set (and has no default
 *      for) becomes an unknown node as a whole, so the policies that read
 *      it are UNDETERMINED; a resolved value is a new string scalar with
 *      the same span and a trace entry at the `.env` line or the default.
 *   2. `extends` within the file (`extends: base`, `extends: {service:
 *      base}`), recursively and cycle-safe.  `extends.file` is never read:
 *      the service is checked as written, with a note.
 *   3. Casts: `privileged`, `read_only` and compose-go's other boolean
 *      fields accept the strings compose-go's toBoolean accepts (`true`,
 *      `false`, `y`, `yes`, `on`, `n`, `no`, `off`, any case).  Anything
 *      else there (`"1"`, `0`) is an error diagnostic and the field is left
 *      out, as compose itself refuses the file.
 *   4. Derived fields: effective namespace modes following `service:x`
 *      chains, runsAsRoot, normalised capability lists, mounts from both
 *      volume syntaxes with their host paths classified, and the parsed
 *      `security_opt`.
 *
 * Nothing of the parsed document is modified (the tree may be a DAG):
 * every changed mapping is a copy.  docs/objects.md ("compose/service")
 * is the reference for the object's fields and every decision here.
 */
#include "adapter.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "platform.h"
#include "strbuf.h"

#define ENV_MAX_BYTES (1u << 20)        /* a larger .env is not read */
#define INTERP_MAX_BYTES (1u << 20)     /* one interpolated value */
#define INTERP_MAX_DEPTH 32             /* ${A:-${B:-...}} nesting */
#define TREE_MAX_DEPTH 512

/* ---- context ------------------------------------------------------------ */

typedef struct env_var {
    const char *name;
    size_t nlen;
    const char *value;      /* NULL: unknown (it needs a variable nothing sets) */
    size_t vlen;
    bh_span at;             /* the entry in .env */
} env_var;

typedef struct cz_ctx {
    bh_arena *a;
    bh_objlist *out;
    bh_diags *diags;
    bool oom;
    env_var *vars;
    size_t nvars, capvars;
    doc_node *services;      /* interpolated `services` */
    doc_node *volumes;       /* interpolated top-level `volumes` */
    size_t nsvc;
    doc_node **resolved;     /* each service after extends (NULL: not a mapping) */
    unsigned char *state;    /* extends resolution: 0 to do, 1 busy, 2 done */
    size_t nforeign;         /* services extending a service of another file */
    const doc_node *foreign_svc, *foreign_file;     /* the first of them */
} cz_ctx;

/* ---- small helpers ------------------------------------------------------ */

static bool is_kind(const doc_node *n, doc_kind k) { return n && doc_kind_of(n) == k; }
static bool is_unknown(const doc_node *n) { return is_kind(n, DOC_UNKNOWN); }
static bool is_null(const doc_node *n)
{
    return !n || (doc_kind_of(n) == DOC_SCALAR && doc_type_of(n) == DOC_NULL);
}
static bool is_str(const doc_node *n)
{
    return is_kind(n, DOC_SCALAR) && doc_type_of(n) == DOC_STR;
}
static bool is_ident_start(char c) { return isalpha((unsigned char)c) || c == '_'; }
static bool is_ident_char(char c) { return isalnum((unsigned char)c) || c == '_'; }


static void *oom_check(cz_ctx *c, void *p)
{
    if (!p)
        c->oom = true;
    return p;
}

static doc_node *new_str(cz_ctx *c, bh_span at, const char *s, size_t len)
{
    return oom_check(c, doc_new_scalar(c->a, at, s, len, DOC_STR, DOC_PLAIN));
}

static doc_node *new_bool(cz_ctx *c, bh_span at, bool v)
{
    return oom_check(c, doc_new_bool(c->a, at, v));
}

static doc_node *new_unknown(cz_ctx *c, bh_span at, const char *text)
{
    return oom_check(c, doc_new_unknown(c->a, at, text));
}

static void put(cz_ctx *c, doc_node *map, const char *key, doc_node *val)
{
    if (map && val && !doc_map_put(c->a, map, key, val))
        c->oom = true;
}

static void append(cz_ctx *c, doc_node *seq, doc_node *item)
{
    if (seq && item && !doc_seq_append(c->a, seq, item))
        c->oom = true;
}

static doc_node *get(const doc_node *map, const char *key)
{
    return is_kind(map, DOC_MAP) ? doc_get(map, key) : NULL;
}

/* n with the trace of the value it was derived from (n is the adapter's
 * own new node). */
static doc_node *traced(doc_node *n, const doc_node *from)
{
    if (n && from && !doc_trace_of(n))
        doc_set_trace(n, doc_trace_of(from));
    return n;
}

/* A tri-state as a node: a boolean at `at`, or an unknown naming text. */
static doc_node *tri_node(cz_ctx *c, plat_tri t, bh_span at, const char *text)
{
    if (t == PLAT_UNKNOWN)
        return new_unknown(c, at, text);
    return new_bool(c, at, t == PLAT_YES);
}

/* ---- a growable byte buffer (malloc: freed by the caller) ---------------- */

typedef strbuf sbuf;     /* with max = INTERP_MAX_BYTES for interpolated values */

static void sb_put(sbuf *b, const char *s, size_t n)
{
    if (!b->max)
        b->max = INTERP_MAX_BYTES;
    strbuf_put(b, s, n);
}

/* ---- interpolation ------------------------------------------------------- */

typedef struct cz_trace {
    bh_span at;
    const char *note;
    struct cz_trace *next;
} cz_trace;

typedef struct interp {
    cz_ctx *c;
    bh_span at;             /* the value being interpolated */
    size_t nvisible;        /* variables that may be used (earlier .env lines) */
    cz_trace *traces;       /* newest first */
    const char *missing;    /* the first variable that is not set (arena) */
    bool unknown, invalid;
    unsigned depth;
} interp;

static const env_var *lookup(const interp *ip, const char *name, size_t n)
{
    for (size_t i = ip->nvisible; i-- > 0;)
        if (ip->c->vars[i].nlen == n && memcmp(ip->c->vars[i].name, name, n) == 0)
            return &ip->c->vars[i];
    return NULL;
}

static void add_note(interp *ip, bh_span at, const char *note)
{
    cz_trace *t = arena_alloc(ip->c->a, sizeof *t);
    if (!t || !note) {
        ip->c->oom = true;
        return;
    }
    t->at = at;
    t->note = note;
    t->next = ip->traces;
    ip->traces = t;
}

static void mark_unknown(interp *ip, const char *name, size_t n)
{
    ip->unknown = true;
    if (!ip->missing)
        ip->missing = oom_check(ip->c, arena_strndup(ip->c->a, name, n));
}

static void expand(interp *ip, const char *s, size_t len, sbuf *b);

/* The value of a variable (as set in .env) into b. */
static void put_var(interp *ip, const env_var *v, sbuf *b)
{
    sb_put(b, v->value, v->vlen);
    add_note(ip, v->at,
             arena_printf(ip->c->a, "from .env \"%.*s\"", (int)v->nlen, v->name));
}

/* ${NAME}, ${NAME:-arg} and the other forms; op is 0, '-', '?' or '+'. */
static void substitute(interp *ip, const char *name, size_t n, char op, bool colon,
                       const char *arg, size_t alen, sbuf *b)
{
    const env_var *v = lookup(ip, name, n);
    if (v && !v->value) {               /* set, to something we cannot know */
        mark_unknown(ip, name, n);
        return;
    }
    bool set = v && !(colon && v->vlen == 0);
    switch (op) {
    case 0:
        if (v)
            put_var(ip, v, b);
        else
            mark_unknown(ip, name, n);
        return;
    case '-':
        if (set) {
            put_var(ip, v, b);
        } else {
            expand(ip, arg, alen, b);
            add_note(ip, ip->at,
                     arena_printf(ip->c->a, "default of \"%.*s\" (%s in .env)", (int)n, name,
                                  v ? "empty" : "not set"));
        }
        return;
    case '?':
        if (set)
            put_var(ip, v, b);
        else
            mark_unknown(ip, name, n);  /* required: compose refuses to run without it */
        return;
    default:    /* '+' */
        if (set) {
            expand(ip, arg, alen, b);
            add_note(ip, v->at,
                     arena_printf(ip->c->a, "alternative value: .env sets \"%.*s\"", (int)n,
                                  name));
        }
        return;
    }
}

/* The inside of ${...}. */
static void braced(interp *ip, const char *s, size_t len, sbuf *b)
{
    size_t k = 0;
    if (len == 0 || !is_ident_start(s[0])) {
        ip->invalid = true;
        return;
    }
    while (k < len && is_ident_char(s[k]))
        k++;
    if (k == len) {
        substitute(ip, s, k, 0, false, NULL, 0, b);
        return;
    }
    bool colon = s[k] == ':';
    size_t o = k + colon;
    if (o >= len || !s[o] || !strchr("-?+", s[o])) {
        ip->invalid = true;
        return;
    }
    substitute(ip, s, k, s[o], colon, s + o + 1, len - o - 1, b);
}

/* Interpolate s[0..len) into b (compose-go's template rules). */
static void expand(interp *ip, const char *s, size_t len, sbuf *b)
{
    if (++ip->depth > INTERP_MAX_DEPTH) {
        ip->invalid = true;
        ip->depth--;
        return;
    }
    for (size_t i = 0; i < len && !ip->invalid;) {
        if (s[i] != '$' || i + 1 == len) {
            sb_put(b, s + i, 1);
            i++;
        } else if (s[i + 1] == '$') {
            sb_put(b, "$", 1);
            i += 2;
        } else if (s[i + 1] == '{') {
            size_t j = i + 2;
            int depth = 1;
            while (j < len) {
                if (s[j] == '$' && j + 1 < len && s[j + 1] == '{') {
                    depth++;
                    j += 2;
                    continue;
                }
                if (s[j] == '}' && --depth == 0)
                    break;
                j++;
            }
            if (j >= len) {
                ip->invalid = true;
                break;
            }
            braced(ip, s + i + 2, j - i - 2, b);
            i = j + 1;
        } else if (is_ident_start(s[i + 1])) {
            size_t j = i + 1;
            while (j < len && is_ident_char(s[j]))
                j++;
            substitute(ip, s + i + 1, j - i - 1, 0, false, NULL, 0, b);
            i = j;
        } else {
            sb_put(b, "$", 1);          /* a lone '$' stays, as in compose-go */
            i++;
        }
    }
    ip->depth--;
}

/*
 * A scalar interpolated: n itself when it holds no '$'; an unknown (the
 * value as written) when a variable is not set; else a new string scalar
 * with n's span, style and a trace entry per variable used.
 */
static doc_node *interp_scalar(cz_ctx *c, doc_node *n)
{
    if (!is_str(n) || !memchr(doc_text(n), '$', doc_text_len(n)))
        return n;
    interp ip = {c, doc_span(n), c->nvars, NULL, NULL, false, false, 0};
    sbuf b = {0};
    expand(&ip, doc_text(n), doc_text_len(n), &b);
    doc_node *r = n;
    if (b.failed) {
        c->oom = true;
    } else if (ip.invalid) {
        diags_add(c->diags, DIAG_WARNING, doc_span(n),
                  "invalid interpolation in \"%s\": compose refuses it; the value is checked "
                  "as written",
                  doc_text(n));
    } else if (b.toolong) {
        diags_add(c->diags, DIAG_WARNING, doc_span(n),
                  "interpolation of \"%s\" is longer than %u bytes: the value is not known",
                  doc_text(n), INTERP_MAX_BYTES);
        r = new_unknown(c, doc_span(n), doc_text(n));
    } else if (ip.unknown) {
        r = new_unknown(c, doc_span(n), doc_text(n));
        if (r && ip.missing &&
            !doc_add_trace(c->a, r, doc_span(n),
                           arena_printf(c->a, "\"%s\" is not set in .env", ip.missing)))
            c->oom = true;
    } else {
        r = oom_check(c, doc_new_scalar(c->a, doc_span(n), b.p ? b.p : "", b.n, DOC_STR,
                                        doc_style_of(n)));
        for (const cz_trace *t = ip.traces; r && t; t = t->next)
            if (!doc_add_trace(c->a, r, t->at, t->note))
                c->oom = true;
    }
    free(b.p);
    return r ? r : n;
}

/* A copy of the tree with every string interpolated; nodes that do not
 * change are shared. */
static doc_node *interp_tree(cz_ctx *c, doc_node *n, unsigned depth)
{
    if (!n || depth > TREE_MAX_DEPTH || c->oom)
        return n;
    switch (doc_kind_of(n)) {
    case DOC_SCALAR:
        return interp_scalar(c, n);
    case DOC_MAP: {
        doc_node *copy = NULL;
        for (size_t i = 0; i < doc_len(n); i++) {
            doc_node *v = doc_map_val(n, i), *nv = interp_tree(c, v, depth + 1);
            if (nv != v && !copy) {
                copy = oom_check(c, doc_new_map(c->a, doc_span(n)));
                for (size_t j = 0; copy && j < i; j++)
                    if (!doc_map_append(c->a, copy, doc_map_key(n, j), doc_map_val(n, j)))
                        c->oom = true;
                if (copy)
                    doc_set_trace(copy, doc_trace_of(n));
            }
            if (copy && !doc_map_append(c->a, copy, doc_map_key(n, i), nv))
                c->oom = true;
        }
        return copy ? copy : n;
    }
    case DOC_SEQ: {
        doc_node *copy = NULL;
        for (size_t i = 0; i < doc_len(n); i++) {
            doc_node *v = doc_seq_at(n, i), *nv = interp_tree(c, v, depth + 1);
            if (nv != v && !copy) {
                copy = oom_check(c, doc_new_seq(c->a, doc_span(n)));
                for (size_t j = 0; copy && j < i; j++)
                    append(c, copy, doc_seq_at(n, j));
            }
            append(c, copy, nv);
        }
        return copy ? copy : n;
    }
    default:
        return n;
    }
}

/* ---- .env ------------------------------------------------------------------ */

static void free_source(void *s) { source_free(s); }

/*
 * Read dir/.env into a source that lives as long as the arena (trace
 * spans point into it).  Missing: NULL, silently.  A symbolic link (it
 * could lead out of the compose file's directory), a directory, a FIFO or
 * any other non-regular file, one larger than ENV_MAX_BYTES, or one that
 * cannot be read: NULL with a warning.  O_NONBLOCK: opening a FIFO never
 * waits for a writer.
 */
static const bh_source *read_env_file(cz_ctx *c, const char *compose_path)
{
    const char *slash = strrchr(compose_path, '/');
    char *path = slash ? arena_printf(c->a, "%.*s/.env", (int)(slash - compose_path),
                                      compose_path)
                       : arena_strdup(c->a, ".env");
    if (!oom_check(c, path))
        return NULL;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        if (errno == ELOOP)
            diags_add_file(c->diags, DIAG_WARNING, path, (bh_pos){0, 0},
                           "\".env\" is a symbolic link: not read (it could lead outside the "
                           "compose file's directory); variables it would set are unknown");
        else if (errno != ENOENT && errno != ENOTDIR) {
            int e = errno;
            char msg[128];
            if (strerror_r(e, msg, sizeof msg) != 0)    /* XSI: thread-safe */
                snprintf(msg, sizeof msg, "error %d", e);
            diags_add_file(c->diags, DIAG_WARNING, path, (bh_pos){0, 0},
                           "cannot read \".env\": %s; variables it would set are unknown", msg);
        }
        return NULL;
    }
    struct stat st;
    const char *why = NULL;
    if (fstat(fd, &st) != 0)
        why = "cannot stat it";
    else if (!S_ISREG(st.st_mode))
        why = S_ISDIR(st.st_mode) ? "it is a directory" : "it is not a regular file";
    else if (st.st_size > (off_t)ENV_MAX_BYTES)
        why = "it is larger than 1 MiB";
    char *buf = why ? NULL : malloc((size_t)st.st_size + 1);
    size_t n = 0;
    if (!why && !buf)
        why = "out of memory";
    while (!why) {
        if (n == (size_t)st.st_size)
            break;
        ssize_t r = read(fd, buf + n, (size_t)st.st_size - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            why = "read error";
        else if (r == 0)
            break;                      /* shrank meanwhile */
        else
            n += (size_t)r;
    }
    close(fd);
    if (why) {
        free(buf);
        diags_add_file(c->diags, DIAG_WARNING, path, (bh_pos){0, 0},
                       "\".env\" not read: %s; variables it would set are unknown", why);
        return NULL;
    }
    bh_source *src = source_adopt(path, buf, n);
    if (!src) {
        free(buf);
        c->oom = true;
        return NULL;
    }
    if (!arena_defer(c->a, free_source, src)) {
        source_free(src);
        c->oom = true;
        return NULL;
    }
    return src;
}

static void env_push(cz_ctx *c, const char *name, size_t nlen, const char *value, size_t vlen,
                     bh_span at)
{
    if (c->nvars == c->capvars) {
        size_t cap = c->capvars ? c->capvars * 2 : 16;
        env_var *v = arena_realloc(c->a, c->vars, c->capvars * sizeof *v, cap * sizeof *v);
        if (!oom_check(c, v))
            return;
        c->vars = v;
        c->capvars = cap;
    }
    c->vars[c->nvars++] = (env_var){name, nlen, value, vlen, at};
}

static bool hspace(char ch) { return ch == ' ' || ch == '\t'; }

/*
 * Parse a .env file as compose-go's dotenv does: `KEY=VALUE` (or
 * `KEY: VALUE`) lines, an optional `export `, `#` comments (whole lines,
 * and after whitespace in unquoted values), single-quoted values taken
 * literally, double-quoted values with \n \t \r \\ \" \$ escapes; unquoted
 * and double-quoted values are interpolated with the variables of earlier
 * lines.  Quoted values may span lines.  A line that is none of these
 * gets a warning and is skipped.  Later lines win.
 */
static void parse_env(cz_ctx *c, const bh_source *src)
{
    const char *d = source_data(src);
    size_t len = source_len(src), i = 0;
    if (len >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0)
        i = 3;                              /* UTF-8 byte order mark */
    while (i < len && !c->oom) {
        while (i < len && (hspace(d[i]) || d[i] == '\r' || d[i] == '\n'))
            i++;
        if (i >= len)
            break;
        size_t line = i, eol = i;
        while (eol < len && d[eol] != '\n')
            eol++;
        if (d[i] == '#') {
            i = eol;
            continue;
        }
        if (eol - i > 7 && memcmp(d + i, "export", 6) == 0 && hspace(d[i + 6])) {
            i += 7;
            while (i < eol && hspace(d[i]))
                i++;
        }
        size_t k = i;
        while (k < eol && (isalnum((unsigned char)d[k]) || (d[k] && strchr("_.-", d[k]))))
            k++;
        size_t ke = k;
        while (k < eol && hspace(d[k]))
            k++;
        if (ke == i || k >= eol || (d[k] != '=' && d[k] != ':')) {
            diags_add(c->diags, DIAG_WARNING, span_make(src, (uint32_t)line, (uint32_t)eol),
                      "line of \".env\" is not KEY=VALUE: skipped");
            i = eol;
            continue;
        }
        k++;
        while (k < len && hspace(d[k]))
            k++;
        sbuf raw = {0};
        bool expandable = true;
        size_t end;
        if (k < len && (d[k] == '"' || d[k] == '\'')) {
            char q = d[k];
            size_t j = k + 1;
            for (; j < len && d[j] != q; j++) {
                if (q == '"' && d[j] == '\\' && j + 1 < len) {
                    static const char from[] = "nrt\\\"$", to[] = "\n\r\t\\\"$";
                    const char *e = strchr(from, d[j + 1]);
                    if (e && d[j + 1]) {
                        /* \$ stays escaped for the interpolation below */
                        sb_put(&raw, d[j + 1] == '$' ? "$$" : &to[e - from],
                               d[j + 1] == '$' ? 2 : 1);
                        j++;
                        continue;
                    }
                }
                sb_put(&raw, d + j, 1);
            }
            if (j >= len) {
                diags_add(c->diags, DIAG_WARNING, span_make(src, (uint32_t)line, (uint32_t)eol),
                          "unterminated quoted value in \".env\": skipped");
                free(raw.p);
                break;
            }
            expandable = q == '"';
            end = j + 1;
            eol = end;
            while (eol < len && d[eol] != '\n')
                eol++;
        } else {
            size_t j = k;
            while (j < eol && !(d[j] == '#' && j > k && hspace(d[j - 1])))
                j++;
            while (j > k && (hspace(d[j - 1]) || d[j - 1] == '\r'))
                j--;
            sb_put(&raw, d + k, j - k);
            end = j > k ? j : k;
        }
        if (raw.failed) {
            free(raw.p);
            c->oom = true;
            break;
        }
        bh_span at = span_make(src, (uint32_t)line, (uint32_t)end);
        const char *value = raw.p ? raw.p : "";
        size_t vlen = raw.n;
        const char *stored = NULL;      /* NULL: unknown */
        if (expandable && memchr(value, '$', vlen)) {
            interp ip = {c, at, c->nvars, NULL, NULL, false, false, 0};
            sbuf b = {0};
            expand(&ip, value, vlen, &b);
            vlen = 0;
            if (b.failed) {
                c->oom = true;
            } else if (!ip.unknown && !ip.invalid && !b.toolong) {
                stored = oom_check(c, arena_strndup(c->a, b.p ? b.p : "", b.n));
                vlen = b.n;
            }
            free(b.p);
        } else {
            stored = oom_check(c, arena_strndup(c->a, value, vlen));
        }
        free(raw.p);
        char *name = oom_check(c, arena_strndup(c->a, d + i, ke - i));
        if (name)
            env_push(c, name, ke - i, stored, vlen, at);
        i = eol;
    }
}

/* ---- extends ----------------------------------------------------------------- */

static long find_service(const cz_ctx *c, const char *name, size_t len)
{
    return doc_map_find(c->services, name, len);
}

static bool one_of(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0)
            return true;
    return false;
}

static size_t volume_target(const doc_node *item, const char **t);

/* Whether seq (a service's volumes) has an item mounting at target. */
static bool has_target(const doc_node *seq, const char *t, size_t n)
{
    for (size_t i = 0; i < doc_len(seq); i++) {
        const char *u;
        size_t m = volume_target(doc_seq_at(seq, i), &u);
        if (m == n && memcmp(u, t, n) == 0)
            return true;
    }
    return false;
}

static doc_node *merge_maps(cz_ctx *c, const doc_node *base, const doc_node *local,
                            unsigned depth, bool service);

/*
 * One key's value when a service extends another (compose's merge rules,
 * simplified; decided): mappings merge key by key (local wins),
 * `command`, `entrypoint` and `healthcheck.test` are replaced, other
 * sequences are the base's items then the local ones (for `volumes`, a
 * base mount whose target the local list mounts again is dropped),
 * scalars are replaced.
 */
static doc_node *merge_value(cz_ctx *c, const char *key, doc_node *bv, doc_node *lv,
                             unsigned depth)
{
    static const char *const replaced[] = {"command", "entrypoint", "test", NULL};
    if (is_kind(bv, DOC_MAP) && is_kind(lv, DOC_MAP))
        return merge_maps(c, bv, lv, depth + 1, false);
    if (!is_kind(bv, DOC_SEQ) || !is_kind(lv, DOC_SEQ) || one_of(key, replaced))
        return lv;
    doc_node *s = oom_check(c, doc_new_seq(c->a, doc_span(lv)));
    bool volumes = depth == 0 && strcmp(key, "volumes") == 0;
    for (size_t i = 0; s && i < doc_len(bv); i++) {
        const char *t;
        size_t n = volume_target(doc_seq_at(bv, i), &t);
        if (!volumes || !n || !has_target(lv, t, n))
            append(c, s, doc_seq_at(bv, i));
    }
    for (size_t i = 0; s && i < doc_len(lv); i++)
        append(c, s, doc_seq_at(lv, i));
    return s;
}

static doc_node *merge_maps(cz_ctx *c, const doc_node *base, const doc_node *local,
                            unsigned depth, bool service)
{
    doc_node *m = oom_check(c, doc_new_map(c->a, doc_span(local)));
    for (size_t i = 0; m && depth < TREE_MAX_DEPTH && i < doc_len(base); i++) {
        doc_node *k = doc_map_key(base, i), *bv = doc_map_val(base, i);
        if (service && doc_text_eq(k, "extends"))
            continue;
        long j = doc_map_find(local, doc_text(k), doc_text_len(k));
        if (j >= 0) {
            doc_node *lk = doc_map_key(local, (size_t)j), *lv = doc_map_val(local, (size_t)j);
            if (!doc_map_append(c->a, m, lk, merge_value(c, doc_text(k), bv, lv, depth)))
                c->oom = true;
        } else if (!doc_map_append(c->a, m, k, bv)) {
            c->oom = true;
        }
    }
    for (size_t i = 0; m && i < doc_len(local); i++) {
        doc_node *k = doc_map_key(local, i);
        if (doc_map_find(base, doc_text(k), doc_text_len(k)) < 0 &&
            !doc_map_append(c->a, m, k, doc_map_val(local, i)))
            c->oom = true;
    }
    return m;
}

/* Service i after `extends` (NULL when it is not a mapping). */
static doc_node *resolve_service(cz_ctx *c, size_t i)
{
    if (c->state[i] == 2)
        return c->resolved[i];
    doc_node *key = doc_map_key(c->services, i), *svc = doc_map_val(c->services, i);
    if (c->state[i] == 1)               /* a cycle: reported by the caller */
        return is_kind(svc, DOC_MAP) ? svc : NULL;
    c->state[i] = 1;
    doc_node *res = is_kind(svc, DOC_MAP) ? svc : NULL;
    doc_node *ext = get(svc, "extends");
    if (ext && !is_null(ext)) {
        doc_node *base = NULL, *file = NULL;
        if (is_kind(ext, DOC_SCALAR))
            base = ext;
        else if (is_kind(ext, DOC_MAP)) {
            base = doc_get(ext, "service");
            file = doc_get(ext, "file");
        }
        if (file && !is_null(file)) {
            if (c->nforeign++ == 0) {   /* one note per compose file */
                c->foreign_svc = key;
                c->foreign_file = file;
            }
        } else if (!base || !is_kind(base, DOC_SCALAR)) {
            diags_add(c->diags, DIAG_NOTE, doc_span(ext),
                      "\"extends\" of service \"%s\" is %s, not a service name: not followed",
                      doc_text(key), base ? doc_describe(base) : doc_describe(ext));
        } else {
            long j = find_service(c, doc_text(base), doc_text_len(base));
            if (j < 0) {
                diags_add(c->diags, DIAG_WARNING, doc_span(base),
                          "service \"%s\" extends \"%s\", which this file does not define",
                          doc_text(key), doc_text(base));
            } else if (c->state[j] == 1) {
                diags_add(c->diags, DIAG_WARNING, doc_span(base),
                          "\"extends\" of service \"%s\" forms a cycle through \"%s\": not "
                          "followed",
                          doc_text(key), doc_text(base));
            } else {
                doc_node *b = resolve_service(c, (size_t)j);
                if (b && res)
                    res = merge_maps(c, b, res, 0, true);
            }
        }
    }
    c->resolved[i] = res;
    c->state[i] = 2;
    return res;
}

/* ---- booleans ---------------------------------------------------------------- */

/* compose-go's toBoolean (interpolate.go): these words in any case. */
static int cast_bool_text(const char *t)
{
    static const char *const yes[] = {"true", "y", "yes", "on", NULL};
    static const char *const no[] = {"false", "n", "no", "off", NULL};
    for (size_t i = 0; yes[i]; i++)
        if (strcasecmp(t, yes[i]) == 0)
            return 1;
    for (size_t i = 0; no[i]; i++)
        if (strcasecmp(t, no[i]) == 0)
            return 0;
    return -1;
}

/*
 * A boolean field's value: booleans, null and unknowns as they are;
 * strings compose-go casts as booleans with the same span and trace; NULL
 * after an error diagnostic for anything else.
 */
static doc_node *cast_bool(cz_ctx *c, const doc_node *key, doc_node *v)
{
    if (is_null(v) || is_unknown(v) || doc_bool(v, NULL))
        return v;
    if (is_str(v)) {
        int b = cast_bool_text(doc_text(v));
        if (b >= 0) {
            doc_node *n = new_bool(c, doc_span(v), b == 1);
            if (n)
                doc_set_trace(n, doc_trace_of(v));
            return n;
        }
    }
    if (is_kind(v, DOC_SCALAR))
        diags_add(c->diags, DIAG_ERROR, doc_span(v),
                  "invalid value \"%s\" for boolean field \"%s\": %s; compose accepts true, "
                  "false, yes, no, on, off",
                  doc_text(v), doc_text(key), doc_describe(v));
    else
        diags_add(c->diags, DIAG_ERROR, doc_span(v),
                  "invalid value for boolean field \"%s\": %s, not a boolean", doc_text(key),
                  doc_describe(v));
    return NULL;
}

/* ---- namespace modes ------------------------------------------------------------ */

/*
 * The effective value of a namespace mode field (network_mode, pid, ipc)
 * of service i: its own value, or, for `service:x`, x's value, following
 * the chain within the file.  An unknown service, a service that does not
 * set the field, or a cycle ends the chain with the last `service:` value.
 * A followed value is a new node at service i's own value, with a trace
 * entry for every hop; an unknown on the way makes it unknown.
 */
static doc_node *effective_mode(cz_ctx *c, size_t i, const char *field)
{
    doc_node *v = get(c->resolved[i], field);
    if (!v || is_null(v) || !is_kind(v, DOC_SCALAR) ||
        strncmp(doc_text(v), "service:", 8) != 0)
        return v;
    bool *seen = oom_check(c, arena_alloc(c->a, c->nsvc * sizeof *seen));
    if (!seen)
        return v;
    seen[i] = true;
    cz_trace *hops = NULL;
    doc_node *cur = v;
    size_t lowest = i;
    while (is_kind(cur, DOC_SCALAR) && strncmp(doc_text(cur), "service:", 8) == 0) {
        const char *name = doc_text(cur) + 8;
        long j = find_service(c, name, strlen(name));
        if (j < 0)
            break;
        if (seen[j]) {
            /* reported once, by the cycle's first service */
            if ((size_t)j == i && i == lowest)
                diags_add(c->diags, DIAG_WARNING, doc_span(v),
                          "\"%s\" of service \"%s\" is part of a cycle of \"service:\" "
                          "references: compose refuses it",
                          field, doc_text(doc_map_key(c->services, i)));
            return v;                   /* a loop has no end: as written */
        }
        if ((size_t)j < lowest)
            lowest = (size_t)j;
        seen[j] = true;
        doc_node *nv = get(c->resolved[j], field);
        if (!nv || is_null(nv))
            break;
        cz_trace *t = arena_alloc(c->a, sizeof *t);
        if (!oom_check(c, t))
            return v;
        t->at = doc_span(nv);
        t->note = arena_printf(c->a, "%s of service \"%s\" is \"%s\"", field, name,
                               doc_text(nv));
        t->next = hops;
        hops = t;
        cur = nv;
    }
    if (cur == v)
        return v;
    doc_node *r = is_unknown(cur) ? new_unknown(c, doc_span(v), doc_text(cur))
                                  : new_str(c, doc_span(v), doc_text(cur), doc_text_len(cur));
    /* hops is newest first; prepending from it keeps the chain's order */
    for (const cz_trace *t = hops; r && t; t = t->next)
        if (!t->note || !doc_add_trace(c->a, r, t->at, t->note))
            c->oom = true;
    return r;
}

/* ---- capabilities ------------------------------------------------------------ */

/* cap_add / cap_drop with each name upper-cased and `CAP_` removed;
 * unknown items kept.  NULL when unset; the list itself when unknown. */
static doc_node *normalize_caps(cz_ctx *c, const doc_node *key, doc_node *list)
{
    if (is_null(list) || is_unknown(list))
        return is_null(list) ? NULL : list;
    if (!is_kind(list, DOC_SEQ)) {
        diags_add(c->diags, DIAG_ERROR, doc_span(list),
                  "invalid value for field \"%s\": %s, not a list of capabilities",
                  doc_text(key), doc_describe(list));
        return NULL;
    }
    doc_node *s = oom_check(c, doc_new_seq(c->a, doc_span(list)));
    for (size_t i = 0; s && i < doc_len(list); i++) {
        doc_node *it = doc_seq_at(list, i);
        if (is_unknown(it)) {
            append(c, s, it);
            continue;
        }
        if (!is_kind(it, DOC_SCALAR) || is_null(it)) {
            diags_add(c->diags, DIAG_ERROR, doc_span(it),
                      "invalid item %zu of \"%s\": %s, not a capability name", i, doc_text(key),
                      doc_describe(it));
            continue;
        }
        const char *t = doc_text(it);
        if (strncasecmp(t, "CAP_", 4) == 0)
            t += 4;
        char *u = oom_check(c, arena_strdup(c->a, t));
        for (char *p = u; p && *p; p++)
            *p = (char)toupper((unsigned char)*p);
        if (u) {
            doc_node *n = oom_check(c, doc_wrap_scalar(c->a, doc_span(it), u, strlen(u), DOC_STR,
                                                        DOC_PLAIN));
            if (n)
                doc_set_trace(n, doc_trace_of(it));
            append(c, s, n);
        }
    }
    return s;
}

/* ---- volumes ------------------------------------------------------------------ */

/* compose-go's isFilePath: the source of a bind, not a volume name. */
static bool is_file_path(const char *s)
{
    if (!*s)
        return false;
    if (*s == '.' || *s == '/' || *s == '~')
        return true;
    if (s[0] == '\\' && s[1] == '\\')
        return true;
    return isalpha((unsigned char)s[0]) && s[1] == ':' && (s[2] == '\\' || s[2] == '/');
}

typedef struct short_vol {
    const char *part[3];    /* source, target, mode (NULL when absent) */
    size_t len[3];
    int n;                  /* parts; > 3: invalid */
} short_vol;

/* Split `[SOURCE:]TARGET[:MODE]`, a Windows drive letter kept with its path. */
static void split_short(const char *s, short_vol *v)
{
    v->n = 0;
    const char *p = s;
    while (*p) {
        const char *start = p;
        if (isalpha((unsigned char)p[0]) && p[1] == ':' && (p[2] == '\\' || p[2] == '/'))
            p += 2;                     /* C:\... */
        while (*p && *p != ':')
            p++;
        if (v->n < 3) {
            v->part[v->n] = start;
            v->len[v->n] = (size_t)(p - start);
        }
        v->n++;
        if (*p == ':')
            p++;
        else
            break;
    }
    if (v->n == 1) {                    /* TARGET alone: an anonymous volume */
        v->part[1] = v->part[0];
        v->len[1] = v->len[0];
        v->part[0] = NULL;
        v->len[0] = 0;
    }
}

/* The target text of a volumes item (short or long syntax); 0 when none. */
static size_t volume_target(const doc_node *item, const char **t)
{
    if (is_kind(item, DOC_SCALAR) && !is_null(item)) {
        short_vol v;
        split_short(doc_text(item), &v);
        if (v.n < 1 || v.n > 3)
            return 0;
        *t = v.part[1];
        return v.len[1];
    }
    const doc_node *target = get(item, "target");
    if (is_str(target)) {
        *t = doc_text(target);
        return doc_text_len(target);
    }
    return 0;
}

/* Whether the options of a short-syntax mode ("ro,z") include "ro". */
static bool mode_read_only(const char *m, size_t n)
{
    bool ro = false;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && m[j] != ',')
            j++;
        if (j - i == 2 && memcmp(m + i, "ro", 2) == 0)
            ro = true;
        else if (j - i == 2 && memcmp(m + i, "rw", 2) == 0)
            ro = false;
        i = j + 1;
    }
    return ro;
}

/* Host directories whose bind (or a bind under or above them) is
 * sensitive; "/" only as itself (it is above everything). */
static const char *const sensitive_dirs[] = {"/etc", "/proc", "/sys", "/dev", "/root",
                                             "/boot", "/var/lib/docker", NULL};

/* Read-only binds of these files are exempt (decided): they carry the
 * time zone only. */
static const char *const harmless_files[] = {"/etc/localtime", "/etc/timezone", NULL};

/* Whether a normalised absolute path is a / prefix of another. */
static bool path_under(const char *p, const char *dir)
{
    size_t n = strlen(dir);
    return strncmp(p, dir, n) == 0 && (p[n] == '\0' || p[n] == '/');
}

static bool sensitive_host_path(const char *norm, bool read_only)
{
    if (strcmp(norm, "/") == 0)
        return true;
    if (read_only && one_of(norm, harmless_files))
        return false;
    for (size_t i = 0; sensitive_dirs[i]; i++)
        if (path_under(norm, sensitive_dirs[i]) || path_under(sensitive_dirs[i], norm))
            return true;
    return false;
}

/* Whether an `o` driver option ("bind,ro") names a bind mount. */
static bool opts_bind(const char *o)
{
    for (const char *p = o; *p;) {
        size_t n = strcspn(p, ",");
        if ((n == 4 && strncmp(p, "bind", 4) == 0) || (n == 5 && strncmp(p, "rbind", 5) == 0))
            return true;
        p += n + (p[n] == ',');
    }
    return false;
}

/*
 * The host path behind a named volume: a top-level volume of the local
 * driver (or none) whose driver_opts `o` says bind and whose `device` is
 * a path.  NULL when there is none (external volumes are not followed:
 * decided); an unknown when a deciding value is.
 */
static doc_node *named_volume_host(cz_ctx *c, const char *name)
{
    doc_node *def = get(c->volumes, name);
    if (!is_kind(def, DOC_MAP))
        return NULL;
    doc_node *driver = doc_get(def, "driver");
    doc_node *opts = doc_get(def, "driver_opts");
    doc_node *o = get(opts, "o"), *device = get(opts, "device");
    if (!device || is_null(device))
        return NULL;
    if (is_unknown(driver))
        return driver;
    if (driver && !is_null(driver) && !doc_text_eq(driver, "local"))
        return NULL;
    if (is_unknown(o))
        return o;
    if (!is_kind(o, DOC_SCALAR) || !opts_bind(doc_text(o)))
        return NULL;
    return is_unknown(device) || is_str(device) ? device : NULL;
}

/*
 * A mount's hostPath (the host side of a bind, normalised when absolute;
 * as written when relative or under ~) and its classification:
 * runtimeSocket and sensitiveHostPath, all three unknown when the source
 * is.
 */
static void classify_host(cz_ctx *c, doc_node *m, doc_node *host, bool read_only)
{
    if (!host)
        return;
    if (is_unknown(host)) {
        put(c, m, "hostPath", host);
        put(c, m, "runtimeSocket", traced(new_unknown(c, doc_span(host), doc_text(host)), host));
        put(c, m, "sensitiveHostPath",
            traced(new_unknown(c, doc_span(host), doc_text(host)), host));
        return;
    }
    const char *t = doc_text(host);
    char buf[4096];
    doc_node *hp = host;
    bool abs = platform_normalize_host_path(t, buf, sizeof buf);
    if (abs && strcmp(buf, t) != 0) {
        hp = new_str(c, doc_span(host), buf, strlen(buf));
        if (hp)
            doc_set_trace(hp, doc_trace_of(host));
    }
    put(c, m, "hostPath", hp);
    put(c, m, "runtimeSocket",
        traced(new_bool(c, doc_span(host), platform_is_runtime_socket_path(t)), host));
    put(c, m, "sensitiveHostPath",
        traced(new_bool(c, doc_span(host), abs && sensitive_host_path(buf, read_only)), host));
}

/* A short-syntax item ("/host:/ctr:ro", "data:/data", "/anonymous"). */
static doc_node *mount_short(cz_ctx *c, doc_node *item)
{
    bh_span at = doc_span(item);
    doc_node *m = oom_check(c, doc_new_map(c->a, at));
    if (!m)
        return NULL;
    put(c, m, "name", item);
    if (is_unknown(item)) {
        /* the whole spec is unknown: so is everything about it */
        static const char *const fields[] = {"type", "source", "target", "readOnly",
                                             "hostPath", "runtimeSocket",
                                             "sensitiveHostPath", NULL};
        for (size_t i = 0; fields[i]; i++)
            put(c, m, fields[i], traced(new_unknown(c, at, doc_text(item)), item));
        return m;
    }
    short_vol v;
    split_short(doc_text(item), &v);
    if (v.n > 3 || v.len[1] == 0) {
        diags_add(c->diags, DIAG_ERROR, at, "invalid volume \"%s\": %s", doc_text(item),
                  v.n > 3 ? "too many \":\"" : "no target");
        return NULL;
    }
    doc_node *src = NULL;
    const char *type = "volume";
    if (v.part[0]) {
        src = new_str(c, at, v.part[0], v.len[0]);
        if (src)
            doc_set_trace(src, doc_trace_of(item));
        if (src && strncmp(doc_text(src), "\\\\.\\pipe\\", 9) == 0)
            type = "npipe";
        else if (src && is_file_path(doc_text(src)))
            type = "bind";
    }
    bool ro = v.n == 3 && mode_read_only(v.part[2], v.len[2]);
    put(c, m, "type", new_str(c, at, type, strlen(type)));
    if (src)
        put(c, m, "source", src);
    put(c, m, "target", traced(new_str(c, at, v.part[1], v.len[1]), item));
    put(c, m, "readOnly", traced(new_bool(c, at, ro), item));
    if (src && strcmp(type, "volume") != 0)
        classify_host(c, m, src, ro);
    else if (src)
        classify_host(c, m, named_volume_host(c, doc_text(src)), ro);
    return m;
}

/* A long-syntax item ({type, source, target, read_only, ...}). */
static doc_node *mount_long(cz_ctx *c, doc_node *item)
{
    doc_node *m = oom_check(c, doc_new_map(c->a, doc_span(item)));
    if (!m)
        return NULL;
    for (size_t i = 0; i < doc_len(item); i++) {
        doc_node *k = doc_map_key(item, i), *v = doc_map_val(item, i);
        if (doc_text_eq(k, "read_only"))
            v = cast_bool(c, k, v);
        if (v && !doc_map_append(c->a, m, k, v))
            c->oom = true;
    }
    doc_node *type = doc_get(item, "type"), *src = doc_get(item, "source");
    doc_node *target = doc_get(item, "target");
    doc_node *ro = doc_get(m, "read_only");
    bool read_only = false;
    doc_bool(ro, &read_only);
    if (is_null(src))
        src = NULL;
    if (!type || is_null(type)) {         /* not in the spec's schema: inferred */
        const char *t = src && is_str(src) && is_file_path(doc_text(src)) ? "bind" : "volume";
        type = new_str(c, doc_span(item), t, strlen(t));
    }
    const char *name = src && target ? arena_printf(c->a, "%s:%s", doc_text(src), doc_text(target))
                       : target      ? doc_text(target)
                       : src         ? doc_text(src)
                                     : "(no target)";
    if (oom_check(c, (void *)name))
        put(c, m, "name", new_str(c, doc_span(item), name, strlen(name)));
    put(c, m, "type", type);
    put(c, m, "readOnly", ro && !is_null(ro) ? ro : new_bool(c, doc_span(item), false));
    if (is_unknown(type)) {
        classify_host(c, m, new_unknown(c, doc_span(type), doc_text(type)), read_only);
        return m;
    }
    if (!src)
        return m;
    if (doc_text_eq(type, "bind") || doc_text_eq(type, "npipe"))
        classify_host(c, m, src, read_only);
    else if (doc_text_eq(type, "volume"))
        classify_host(c, m, is_unknown(src) ? src : named_volume_host(c, doc_text(src)),
                      read_only);
    return m;
}

/* The mounts list, and the lists of the runtime-socket and sensitive
 * ones (undecided ones as unknowns after the known ones). */
static void derive_mounts(cz_ctx *c, doc_node *root, const doc_node *svc)
{
    long vi = doc_map_find(svc, "volumes", 7);
    doc_node *vols = vi >= 0 ? doc_map_val(svc, (size_t)vi) : NULL;
    if (is_null(vols))
        return;
    if (is_unknown(vols)) {
        put(c, root, "mounts", vols);
        put(c, root, "runtimeSocketMounts", vols);
        put(c, root, "sensitiveHostMounts", vols);
        return;
    }
    if (!is_kind(vols, DOC_SEQ)) {
        diags_add(c->diags, DIAG_ERROR, doc_span(vols),
                  "invalid value for field \"volumes\": %s, not a list of volumes",
                  doc_describe(vols));
        return;
    }
    bh_span at = doc_span(vols);
    doc_node *mounts = oom_check(c, doc_new_seq(c->a, at));
    doc_node *sock = oom_check(c, doc_new_seq(c->a, at));
    doc_node *sens = oom_check(c, doc_new_seq(c->a, at));
    doc_node *sock_u = oom_check(c, doc_new_seq(c->a, at));
    doc_node *sens_u = oom_check(c, doc_new_seq(c->a, at));
    for (size_t i = 0; mounts && sock && sens && sock_u && sens_u && i < doc_len(vols); i++) {
        doc_node *it = doc_seq_at(vols, i), *m = NULL;
        if ((is_kind(it, DOC_SCALAR) && !is_null(it)) || is_unknown(it))
            m = mount_short(c, it);     /* any scalar: `1:1` is a YAML 1.1 integer */
        else if (is_kind(it, DOC_MAP))
            m = mount_long(c, it);
        else
            diags_add(c->diags, DIAG_ERROR, doc_span(it),
                      "invalid item %zu of \"volumes\": %s, not a volume", i, doc_describe(it));
        if (!m)
            continue;
        append(c, mounts, m);
        const doc_node *rs = doc_get(m, "runtimeSocket"), *sh = doc_get(m, "sensitiveHostPath");
        bool b = false;
        if (is_unknown(rs))
            append(c, sock_u, new_unknown(c, doc_span(rs), doc_text(doc_get(m, "name"))));
        else if (doc_bool(rs, &b) && b)
            append(c, sock, m);
        if (is_unknown(sh))
            append(c, sens_u, new_unknown(c, doc_span(sh), doc_text(doc_get(m, "name"))));
        else if (doc_bool(sh, &b) && b)
            append(c, sens, m);
    }
    for (size_t i = 0; sock && sock_u && i < doc_len(sock_u); i++)
        append(c, sock, doc_seq_at(sock_u, i));
    for (size_t i = 0; sens && sens_u && i < doc_len(sens_u); i++)
        append(c, sens, doc_seq_at(sens_u, i));
    put(c, root, "mounts", mounts);
    put(c, root, "runtimeSocketMounts", sock);
    put(c, root, "sensitiveHostMounts", sens);
}

/* ---- security_opt -------------------------------------------------------------- */

/* Go's strconv.ParseBool, as the engine reads no-new-privileges. */
static int parse_go_bool(const char *s)
{
    static const char *const yes[] = {"1", "t", "T", "TRUE", "true", "True", NULL};
    static const char *const no[] = {"0", "f", "F", "FALSE", "false", "False", NULL};
    return one_of(s, yes) ? 1 : one_of(s, no) ? 0 : -1;
}

/*
 * seccompUnconfined, apparmorUnconfined, labelDisabled: true at the first
 * item that says so (`seccomp:unconfined` or `seccomp=unconfined`, ...);
 * else unknown when some item is; else false at the list (or the
 * service).  noNewPrivileges: the last item that sets it decides
 * (`no-new-privileges` alone is true), unless an unknown item follows it.
 */
static void derive_security_opt(cz_ctx *c, doc_node *root, const doc_node *svc, bh_span svc_at)
{
    doc_node *list = doc_get(svc, "security_opt");
    bh_span at = list && !is_null(list) ? doc_span(list) : svc_at;
    static const char *const names[] = {"seccompUnconfined", "apparmorUnconfined",
                                        "labelDisabled"};
    doc_node *hit[3] = {NULL, NULL, NULL}, *nnp = NULL, *unknown = NULL, *nnp_unknown = NULL;
    bool nnp_value = false;
    if (is_unknown(list)) {
        unknown = nnp_unknown = list;
    } else if (list && !is_null(list) && !is_kind(list, DOC_SEQ)) {
        diags_add(c->diags, DIAG_ERROR, doc_span(list),
                  "invalid value for field \"security_opt\": %s, not a list", doc_describe(list));
    } else {
        for (size_t i = 0; i < doc_len(list); i++) {
            doc_node *it = doc_seq_at(list, i);
            if (is_unknown(it)) {
                if (!unknown)
                    unknown = it;
                nnp_unknown = it;
                continue;
            }
            if (!is_kind(it, DOC_SCALAR))
                continue;
            const char *t = doc_text(it);
            size_t k = strcspn(t, ":=");
            const char *val = t[k] ? t + k + 1 : NULL;
            if (k == 7 && strncmp(t, "seccomp", 7) == 0 && val && strcmp(val, "unconfined") == 0)
                hit[0] = hit[0] ? hit[0] : it;
            else if (k == 8 && strncmp(t, "apparmor", 8) == 0 && val &&
                     strcmp(val, "unconfined") == 0)
                hit[1] = hit[1] ? hit[1] : it;
            else if (k == 5 && strncmp(t, "label", 5) == 0 && val && strcmp(val, "disable") == 0)
                hit[2] = hit[2] ? hit[2] : it;
            else if (k == 17 && strncmp(t, "no-new-privileges", 17) == 0) {
                int b = val ? parse_go_bool(val) : 1;
                if (b < 0) {
                    diags_add(c->diags, DIAG_WARNING, doc_span(it),
                              "invalid security option \"%s\": the engine refuses it", t);
                    continue;
                }
                nnp = it;
                nnp_value = b == 1;
                nnp_unknown = NULL;
            }
        }
    }
    for (size_t i = 0; i < 3; i++) {
        if (hit[i])
            put(c, root, names[i], traced(new_bool(c, doc_span(hit[i]), true), hit[i]));
        else if (unknown)
            put(c, root, names[i],
                traced(new_unknown(c, doc_span(unknown), doc_text(unknown)), unknown));
        else
            put(c, root, names[i], new_bool(c, at, false));
    }
    if (nnp_unknown)
        put(c, root, "noNewPrivileges",
            traced(new_unknown(c, doc_span(nnp_unknown), doc_text(nnp_unknown)), nnp_unknown));
    else
        put(c, root, "noNewPrivileges",
            traced(new_bool(c, nnp ? doc_span(nnp) : at, nnp && nnp_value), nnp));
}

/* ---- services ------------------------------------------------------------------ */

/* compose-go's boolean fields of a service (interpolate.go). */
static const char *const bool_fields[] = {"privileged", "read_only", "init", "tty",
                                          "stdin_open", "oom_kill_disable", NULL};

/* Length of the user part of a `user` value as written (before the first
 * ':' outside `${...}`). */
static size_t user_part_len(const char *t)
{
    size_t i = 0;
    int depth = 0;
    for (; t[i] && (depth > 0 || t[i] != ':'); i++) {
        if (t[i] == '$' && t[i + 1] == '{') {
            depth++;
            i++;
        } else if (t[i] == '}' && depth > 0) {
            depth--;
        }
    }
    return i;
}

static doc_node *runs_as_root(cz_ctx *c, const doc_node *svc, bh_span svc_at)
{
    doc_node *user = doc_get(svc, "user");
    if (is_null(user))
        return new_bool(c, user ? doc_span(user) : svc_at, true);
    if (is_unknown(user)) {
        /* "1000:${GID}": a group nothing sets does not hide who the user is */
        const char *t = doc_text(user);
        size_t n = user_part_len(t);
        if (!memchr(t, '$', n))
            return traced(tri_node(c, platform_ecs_user_is_root(t, n), doc_span(user), t), user);
        return new_unknown(c, doc_span(user), t);
    }
    if (!is_kind(user, DOC_SCALAR)) {
        diags_add(c->diags, DIAG_ERROR, doc_span(user),
                  "invalid value for field \"user\": %s, not a user name or UID",
                  doc_describe(user));
        return new_bool(c, svc_at, true);
    }
    return traced(tri_node(c, platform_ecs_user_is_root(doc_text(user), doc_text_len(user)),
                           doc_span(user), doc_text(user)),
                  user);
}

static void build_service(cz_ctx *c, size_t i)
{
    doc_node *key = doc_map_key(c->services, i);
    doc_node *raw = doc_map_val(c->services, i);
    if (is_null(raw))
        return;                         /* `web:` with nothing: nothing to check */
    if (!is_kind(raw, DOC_MAP)) {
        diags_add(c->diags, DIAG_ERROR, doc_span(raw),
                  "service \"%s\" is %s, not a mapping", doc_text(key), doc_describe(raw));
        return;
    }
    doc_node *svc = resolve_service(c, i);
    if (!svc)
        return;
    bh_span at = span_join(doc_span(key), doc_span(raw));
    bh_span key_at = doc_span(key);
    doc_node *root = oom_check(c, doc_new_map(c->a, at));
    if (!root)
        return;
    for (size_t j = 0; j < doc_len(svc); j++) {
        doc_node *k = doc_map_key(svc, j), *v = doc_map_val(svc, j);
        if (is_kind(k, DOC_SCALAR) && one_of(doc_text(k), bool_fields))
            v = cast_bool(c, k, v);
        if (v && !doc_map_append(c->a, root, k, v))
            c->oom = true;
    }
    put(c, root, "name", new_str(c, key_at, doc_text(key), doc_text_len(key)));
    static const struct {
        const char *field, *derived;
    } modes[] = {{"network_mode", "effectiveNetworkMode"},
                 {"pid", "effectivePidMode"},
                 {"ipc", "effectiveIpcMode"}};
    for (size_t m = 0; m < sizeof modes / sizeof *modes; m++) {
        doc_node *v = effective_mode(c, i, modes[m].field);
        if (v && !is_null(v))
            put(c, root, modes[m].derived, v);
    }
    put(c, root, "runsAsRoot", runs_as_root(c, svc, key_at));
    long ci = doc_map_find(svc, "cap_add", 7);
    if (ci >= 0)
        put(c, root, "capAdd",
            normalize_caps(c, doc_map_key(svc, (size_t)ci), doc_map_val(svc, (size_t)ci)));
    ci = doc_map_find(svc, "cap_drop", 8);
    if (ci >= 0)
        put(c, root, "capDrop",
            normalize_caps(c, doc_map_key(svc, (size_t)ci), doc_map_val(svc, (size_t)ci)));
    derive_mounts(c, root, svc);
    derive_security_opt(c, root, svc, key_at);
    if (c->oom)
        return;
    char *name = oom_check(c, arena_printf(c->a, "services.%s", doc_text(key)));
    if (name && !objlist_add(c->out, "compose/service", name, at, root))
        c->oom = true;
}

bool adapt_compose(const doc_node *root, bh_arena *a, bh_objlist *out, bh_diags *diags)
{
    cz_ctx c = {0};
    c.a = a;
    c.out = out;
    c.diags = diags;
    doc_node *services = get(root, "services");
    if (!is_kind(services, DOC_MAP))
        return true;
    const bh_source *src = doc_span(root).src;
    const bh_source *env = src ? read_env_file(&c, source_path(src)) : NULL;
    if (env)
        parse_env(&c, env);
    c.services = interp_tree(&c, services, 0);
    c.volumes = interp_tree(&c, get(root, "volumes"), 0);
    c.nsvc = doc_len(c.services);
    c.resolved = oom_check(&c, arena_alloc(a, (c.nsvc ? c.nsvc : 1) * sizeof *c.resolved));
    c.state = oom_check(&c, arena_alloc(a, c.nsvc ? c.nsvc : 1));
    for (size_t i = 0; !c.oom && i < c.nsvc; i++)
        resolve_service(&c, i);
    for (size_t i = 0; !c.oom && i < c.nsvc; i++)
        build_service(&c, i);
    if (c.nforeign == 1)
        diags_add(diags, DIAG_NOTE, doc_span(c.foreign_file),
                  "service \"%s\" extends a service of file \"%s\", which is not read: only "
                  "the keys written here are checked",
                  doc_text(c.foreign_svc), doc_text(c.foreign_file));
    else if (c.nforeign > 1)
        diags_add(diags, DIAG_NOTE, doc_span(c.foreign_file),
                  "service \"%s\" and %zu more extend services of other files (\"%s\", ...), "
                  "which are not read: only the keys written here are checked",
                  doc_text(c.foreign_svc), c.nforeign - 1, doc_text(c.foreign_file));
    if (c.oom)
        diags_add(diags, DIAG_ERROR, doc_span(root),
                  "out of memory while reading the Compose file");
    return !c.oom;
}

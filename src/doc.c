/* doc.c - see doc.h. */
#include "doc.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct doc_node {
    uint8_t kind, type, style;
    bh_span span;
    const char *tag;
    const doc_trace *trace;
    union {
        struct {
            const char *text;
            uint32_t len;
            union {         /* by type: DOC_BOOL b, DOC_INT i, DOC_FLOAT f */
                bool b;
                int64_t i;
                double f;
            };
        } s;
        struct {
            doc_node **v;       /* maps: key, value, key, value, ... */
            uint32_t n, cap;    /* in children (maps: twice the pairs) */
        } c;
    } u;
};

/* ---- reading ---------------------------------------------------------- */

doc_kind doc_kind_of(const doc_node *n) { return (doc_kind)n->kind; }
bh_span doc_span(const doc_node *n) { return n->span; }
const char *doc_tag(const doc_node *n) { return n ? n->tag : NULL; }
const doc_trace *doc_trace_of(const doc_node *n) { return n ? n->trace : NULL; }

static bool is_textual(const doc_node *n)
{
    return n && (n->kind == DOC_SCALAR || n->kind == DOC_UNKNOWN);
}

const char *doc_text(const doc_node *n) { return is_textual(n) ? n->u.s.text : ""; }
size_t doc_text_len(const doc_node *n) { return is_textual(n) ? n->u.s.len : 0; }

doc_type doc_type_of(const doc_node *n)
{
    return n && n->kind == DOC_SCALAR ? (doc_type)n->type : DOC_NULL;
}

doc_style doc_style_of(const doc_node *n) { return n ? (doc_style)n->style : DOC_PLAIN; }

bool doc_is_quoted(const doc_node *n)
{
    return n && n->kind == DOC_SCALAR &&
           (n->style == DOC_SINGLE_QUOTED || n->style == DOC_DOUBLE_QUOTED);
}

bool doc_bool(const doc_node *n, bool *out)
{
    if (!n || n->kind != DOC_SCALAR || n->type != DOC_BOOL)
        return false;
    if (out)
        *out = n->u.s.b;
    return true;
}

bool doc_int(const doc_node *n, int64_t *out)
{
    if (!n || n->kind != DOC_SCALAR || n->type != DOC_INT)
        return false;
    if (out)
        *out = n->u.s.i;
    return true;
}

bool doc_float(const doc_node *n, double *out)
{
    if (!n || n->kind != DOC_SCALAR)
        return false;
    if (n->type == DOC_FLOAT) {
        if (out)
            *out = n->u.s.f;
        return true;
    }
    if (n->type == DOC_INT) {
        if (out)
            *out = (double)n->u.s.i;
        return true;
    }
    return false;
}

bool doc_text_eq(const doc_node *n, const char *s)
{
    return n && n->kind == DOC_SCALAR && strcmp(n->u.s.text, s) == 0;
}

size_t doc_len(const doc_node *n)
{
    if (!n)
        return 0;
    if (n->kind == DOC_MAP)
        return n->u.c.n / 2;
    if (n->kind == DOC_SEQ)
        return n->u.c.n;
    return 0;
}

doc_node *doc_map_key(const doc_node *m, size_t i)
{
    return m && m->kind == DOC_MAP && i < m->u.c.n / 2 ? m->u.c.v[2 * i] : NULL;
}

doc_node *doc_map_val(const doc_node *m, size_t i)
{
    return m && m->kind == DOC_MAP && i < m->u.c.n / 2 ? m->u.c.v[2 * i + 1] : NULL;
}

doc_node *doc_seq_at(const doc_node *s, size_t i)
{
    return s && s->kind == DOC_SEQ && i < s->u.c.n ? s->u.c.v[i] : NULL;
}

long doc_map_find(const doc_node *m, const char *key, size_t key_len)
{
    if (!m || m->kind != DOC_MAP)
        return -1;
    for (long i = (long)(m->u.c.n / 2) - 1; i >= 0; i--) {
        const doc_node *k = m->u.c.v[2 * i];
        if (k->kind == DOC_SCALAR && k->u.s.len == key_len &&
            memcmp(k->u.s.text, key, key_len) == 0)
            return i;
    }
    return -1;
}

doc_node *doc_get(const doc_node *m, const char *key)
{
    long i = doc_map_find(m, key, strlen(key));
    return i < 0 ? NULL : m->u.c.v[2 * i + 1];
}

doc_node *doc_get_ci(const doc_node *m, const char *key)
{
    if (!m || m->kind != DOC_MAP)
        return NULL;
    size_t len = strlen(key);
    for (long i = (long)(m->u.c.n / 2) - 1; i >= 0; i--) {
        const doc_node *k = m->u.c.v[2 * i];
        if (k->kind == DOC_SCALAR && k->u.s.len == len && strcasecmp(k->u.s.text, key) == 0)
            return m->u.c.v[2 * i + 1];
    }
    return NULL;
}

doc_node *doc_path(const doc_node *n, const char *dotted)
{
    const char *p = dotted;
    doc_node *cur = (doc_node *)n;
    while (cur && *p) {
        const char *dot = strchr(p, '.');
        size_t len = dot ? (size_t)(dot - p) : strlen(p);
        long i = doc_map_find(cur, p, len);
        cur = i < 0 ? NULL : cur->u.c.v[2 * i + 1];
        p += len + (dot != NULL);
    }
    return cur;
}

const char *doc_describe(const doc_node *n)
{
    if (!n)
        return "nothing";
    switch ((doc_kind)n->kind) {
    case DOC_MAP: return "a mapping";
    case DOC_SEQ: return "a list";
    case DOC_UNKNOWN: return "an unknown value";
    case DOC_SCALAR: break;
    }
    switch ((doc_type)n->type) {
    case DOC_STR: return doc_is_quoted(n) ? "a quoted string" : "a string";
    case DOC_INT: return "an integer";
    case DOC_FLOAT: return "a number";
    case DOC_BOOL: return "a boolean";
    case DOC_NULL: break;
    }
    return "null";
}

/* ---- building ------------------------------------------------------- */

static doc_node *new_node(bh_arena *a, doc_kind kind, bh_span at)
{
    doc_node *n = arena_alloc(a, sizeof *n);
    if (n) {
        n->kind = (uint8_t)kind;
        n->span = at;
        n->type = DOC_NULL;
    }
    return n;
}

doc_node *doc_wrap_scalar(bh_arena *a, bh_span at, const char *text, size_t len,
                          doc_type type, doc_style style)
{
    if (len > UINT32_MAX)
        return NULL;
    doc_node *n = new_node(a, DOC_SCALAR, at);
    if (!n)
        return NULL;
    n->type = (uint8_t)type;
    n->style = (uint8_t)style;
    n->u.s.text = text;
    n->u.s.len = (uint32_t)len;
    return n;
}

doc_node *doc_new_scalar(bh_arena *a, bh_span at, const char *text, size_t len,
                         doc_type type, doc_style style)
{
    char *copy = arena_strndup(a, text, len);
    return copy ? doc_wrap_scalar(a, at, copy, len, type, style) : NULL;
}

doc_node *doc_new_bool(bh_arena *a, bh_span at, bool v)
{
    doc_node *n = doc_wrap_scalar(a, at, v ? "true" : "false", v ? 4 : 5, DOC_BOOL, DOC_PLAIN);
    if (n)
        n->u.s.b = v;
    return n;
}

doc_node *doc_new_int(bh_arena *a, bh_span at, int64_t v)
{
    char *t = arena_printf(a, "%lld", (long long)v);
    doc_node *n = t ? doc_wrap_scalar(a, at, t, strlen(t), DOC_INT, DOC_PLAIN) : NULL;
    if (n)
        n->u.s.i = v;
    return n;
}

doc_node *doc_new_str(bh_arena *a, bh_span at, const char *s)
{
    return doc_new_scalar(a, at, s, strlen(s), DOC_STR, DOC_DOUBLE_QUOTED);
}

doc_node *doc_new_map(bh_arena *a, bh_span at) { return new_node(a, DOC_MAP, at); }
doc_node *doc_new_seq(bh_arena *a, bh_span at) { return new_node(a, DOC_SEQ, at); }

static doc_node *new_container(bh_arena *a, doc_kind kind, bh_span at, doc_node *const *v,
                               size_t n)
{
    if (n > UINT32_MAX)
        return NULL;
    doc_node *c = new_node(a, kind, at);
    if (!c || n == 0)
        return c;
    doc_node **copy = arena_alloc(a, n * sizeof *copy);
    if (!copy)
        return NULL;
    memcpy(copy, v, n * sizeof *copy);
    c->u.c.v = copy;
    c->u.c.n = c->u.c.cap = (uint32_t)n;
    return c;
}

doc_node *doc_new_map_from(bh_arena *a, bh_span at, doc_node *const *kv, size_t npairs)
{
    return npairs > UINT32_MAX / 2 ? NULL : new_container(a, DOC_MAP, at, kv, 2 * npairs);
}

doc_node *doc_new_seq_from(bh_arena *a, bh_span at, doc_node *const *items, size_t n)
{
    return new_container(a, DOC_SEQ, at, items, n);
}

doc_node *doc_new_unknown(bh_arena *a, bh_span at, const char *expr_text)
{
    doc_node *n = new_node(a, DOC_UNKNOWN, at);
    if (!n)
        return NULL;
    size_t len = strlen(expr_text);
    n->u.s.text = arena_strndup(a, expr_text, len);
    n->u.s.len = (uint32_t)len;
    return n->u.s.text ? n : NULL;
}

void doc_set_int(doc_node *n, int64_t v) { n->u.s.i = v; }
void doc_set_float(doc_node *n, double v) { n->u.s.f = v; }
void doc_set_bool(doc_node *n, bool v) { n->u.s.b = v; }

static bool push_child(bh_arena *a, doc_node *n, doc_node *child)
{
    if (n->u.c.n == n->u.c.cap) {
        uint32_t cap = n->u.c.cap ? n->u.c.cap * 2 : 4;
        if (cap < n->u.c.cap)
            return false;
        doc_node **v = arena_realloc(a, n->u.c.v, n->u.c.cap * sizeof *v, cap * sizeof *v);
        if (!v)
            return false;
        n->u.c.v = v;
        n->u.c.cap = cap;
    }
    n->u.c.v[n->u.c.n++] = child;
    return true;
}

bool doc_map_append(bh_arena *a, doc_node *map, doc_node *key, doc_node *val)
{
    if (!map || map->kind != DOC_MAP || !key || !val)
        return false;
    return push_child(a, map, key) && push_child(a, map, val);
}

bool doc_map_put(bh_arena *a, doc_node *map, const char *key, doc_node *val)
{
    long i = doc_map_find(map, key, strlen(key));
    if (i >= 0) {
        map->u.c.v[2 * i + 1] = val;
        return true;
    }
    doc_node *k = doc_new_scalar(a, val ? val->span : (bh_span){0}, key, strlen(key),
                                 DOC_STR, DOC_PLAIN);
    return k && doc_map_append(a, map, k, val);
}

void doc_map_set_val(doc_node *map, size_t i, doc_node *val)
{
    if (map && map->kind == DOC_MAP && i < map->u.c.n / 2)
        map->u.c.v[2 * i + 1] = val;
}

void doc_seq_set(doc_node *seq, size_t i, doc_node *item)
{
    if (seq && seq->kind == DOC_SEQ && i < seq->u.c.n)
        seq->u.c.v[i] = item;
}

bool doc_seq_append(bh_arena *a, doc_node *seq, doc_node *item)
{
    if (!seq || seq->kind != DOC_SEQ || !item)
        return false;
    return push_child(a, seq, item);
}

void doc_set_tag(doc_node *n, const char *tag) { n->tag = tag; }
void doc_set_span(doc_node *n, bh_span at) { n->span = at; }
void doc_set_trace(doc_node *n, const doc_trace *t) { n->trace = t; }

doc_node *doc_copy(bh_arena *a, const doc_node *n)
{
    doc_node *c = arena_alloc(a, sizeof *c);
    if (c)
        *c = *n;
    return c;
}

bool doc_add_trace(bh_arena *a, doc_node *n, bh_span at, const char *note)
{
    doc_trace *t = arena_alloc(a, sizeof *t);
    if (!t)
        return false;
    t->at = at;
    t->note = note ? arena_strdup(a, note) : NULL;
    t->next = n->trace;
    n->trace = t;
    return true;
}

/* ---- YAML 1.1 resolution ---------------------------------------------- */

static bool in_list(const char *s, size_t len, const char *const *list)
{
    for (; *list; list++)
        if (strlen(*list) == len && memcmp(*list, s, len) == 0)
            return true;
    return false;
}

static const char *const yaml_true[] = {"y", "Y", "yes", "Yes", "YES", "true", "True",
                                        "TRUE", "on", "On", "ON", NULL};
static const char *const yaml_false[] = {"n", "N", "no", "No", "NO", "false", "False",
                                         "FALSE", "off", "Off", "OFF", NULL};
static const char *const yaml_null[] = {"~", "null", "Null", "NULL", NULL};

/* Go's strconv base-0 integer syntax: optional sign, 0x/0o/0b prefixes, a
 * leading 0 for octal, underscores allowed between digits. */
static bool parse_go_int(const char *s, size_t len, int64_t *out)
{
    char buf[80];
    size_t k = 0;
    if (len == 0 || len >= sizeof buf)
        return false;
    size_t i = 0;
    bool neg = false;
    if (s[i] == '+' || s[i] == '-') {
        neg = s[i] == '-';
        i++;
    }
    if (i == len)
        return false;
    int base = 10;
    if (len - i > 1 && s[i] == '0') {
        char p = (char)tolower((unsigned char)s[i + 1]);
        if (p == 'x') base = 16, i += 2;
        else if (p == 'b') base = 2, i += 2;
        else if (p == 'o') base = 8, i += 2;
        else base = 8, i += 1;
    }
    if (i == len)
        return false;
    for (; i < len; i++) {
        char c = s[i];
        if (c == '_')
            continue;
        int d;
        if (c >= '0' && c <= '9') d = c - '0';
        else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
        else return false;
        if (d >= base)
            return false;
        buf[k++] = c;
    }
    if (k == 0)
        return false;
    buf[k] = '\0';
    errno = 0;
    char *end;
    unsigned long long v = strtoull(buf, &end, base);
    if (errno || *end)
        return false;
    if (neg ? v > (unsigned long long)INT64_MAX + 1 : v > INT64_MAX)
        return false;
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return true;
}

static bool parse_yaml_float(const char *s, size_t len, double *out)
{
    char buf[80];
    if (len == 0 || len >= sizeof buf)
        return false;
    size_t sign = (s[0] == '+' || s[0] == '-');
    static const char *const inf[] = {".inf", ".Inf", ".INF", NULL};
    if (in_list(s + sign, len - sign, inf)) {
        *out = s[0] == '-' ? -INFINITY : INFINITY;
        return true;
    }
    size_t k = 0;
    bool digit = false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '_')
            continue;
        if (isdigit((unsigned char)c))
            digit = true;
        else if (!strchr("+-.eE", c))
            return false;
        buf[k++] = c;
    }
    buf[k] = '\0';
    if (!digit)
        return false;
    char *end;
    *out = strtod(buf, &end);
    return *end == '\0';
}

doc_type doc_resolve_yaml11(const char *text, size_t len, bool *b, int64_t *i, double *f)
{
    char c = text[0];
    bool numeric_start = isdigit((unsigned char)c) || c == '-' || c == '+' || c == '.';
    if (len > 5 && !numeric_start)
        return DOC_STR;     /* longer than every word of the tables */
    if (len == 0 || in_list(text, len, yaml_null))
        return DOC_NULL;
    if (in_list(text, len, yaml_true)) {
        *b = true;
        return DOC_BOOL;
    }
    if (in_list(text, len, yaml_false)) {
        *b = false;
        return DOC_BOOL;
    }
    if (!numeric_start)
        return DOC_STR;
    if (parse_go_int(text, len, i))
        return DOC_INT;
    if ((len == 4 && (memcmp(text, ".nan", 4) == 0 || memcmp(text, ".NaN", 4) == 0 ||
                      memcmp(text, ".NAN", 4) == 0))) {
        *f = NAN;
        return DOC_FLOAT;
    }
    if (parse_yaml_float(text, len, f))
        return DOC_FLOAT;
    return DOC_STR;
}

/*
 * tfvalue.c - Terraform values on document nodes: types, conversions,
 * equality and JSON encoding (tf_int.h).
 *
 * Terraform's types map onto doc nodes: string, number (DOC_INT when
 * integral and in range, else DOC_FLOAT), bool, null, list/tuple/set
 * (DOC_SEQ), map/object (DOC_MAP), unknown (DOC_UNKNOWN).  A string made
 * by jsonencode() is the encoded tree tagged "!json": it is a string for
 * every operation and is only turned into text when text is needed.
 */
#include "tf_int.h"

#include "strbuf.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_json_tree(const doc_node *v)
{
    const char *t = doc_tag(v);
    return t && strcmp(t, "!json") == 0 && doc_kind_of(v) != DOC_SCALAR;
}

tf_type tf_type_of(const doc_node *v)
{
    if (!v)
        return TF_NULL;
    if (is_json_tree(v))
        return TF_STR;
    switch (doc_kind_of(v)) {
    case DOC_UNKNOWN: return TF_UNKNOWN;
    case DOC_MAP: return TF_MAP;
    case DOC_SEQ: return TF_LIST;
    case DOC_SCALAR: break;
    }
    switch (doc_type_of(v)) {
    case DOC_STR: return TF_STR;
    case DOC_INT:
    case DOC_FLOAT: return TF_NUM;
    case DOC_BOOL: return TF_BOOL;
    case DOC_NULL: break;
    }
    return TF_NULL;
}

const char *tf_type_name(tf_type t)
{
    static const char *const names[] = {"unknown", "null", "bool", "number",
                                        "string", "list", "object"};
    return names[t];
}

bool tf_is_unknown(const doc_node *v) { return v && doc_kind_of(v) == DOC_UNKNOWN; }

const doc_node *tf_find_unknown(const doc_node *v)
{
    if (!v)
        return NULL;
    switch (doc_kind_of(v)) {
    case DOC_UNKNOWN: return v;
    case DOC_SEQ:
        for (size_t i = 0; i < doc_len(v); i++) {
            const doc_node *u = tf_find_unknown(doc_seq_at(v, i));
            if (u)
                return u;
        }
        return NULL;
    case DOC_MAP:
        for (size_t i = 0; i < doc_len(v); i++) {
            const doc_node *u = tf_find_unknown(doc_map_val(v, i));
            if (u)
                return u;
        }
        return NULL;
    case DOC_SCALAR: break;
    }
    return NULL;
}

doc_node *tf_str(bh_arena *a, bh_span at, const char *s, size_t len)
{
    return doc_new_scalar(a, at, s, len, DOC_STR, DOC_DOUBLE_QUOTED);
}

doc_node *tf_num_i(bh_arena *a, bh_span at, int64_t v) { return doc_new_int(a, at, v); }

doc_node *tf_num_f(bh_arena *a, bh_span at, double v)
{
    if (isfinite(v) && v == floor(v) && fabs(v) < 9.0e15)
        return doc_new_int(a, at, (int64_t)v);
    char buf[40];
    int n = snprintf(buf, sizeof buf, "%.15g", v);
    if (strtod(buf, NULL) != v)
        n = snprintf(buf, sizeof buf, "%.17g", v);
    doc_node *d = doc_new_scalar(a, at, buf, (size_t)n, DOC_FLOAT, DOC_PLAIN);
    if (d)
        doc_set_float(d, v);
    return d;
}

doc_node *tf_bool(bh_arena *a, bh_span at, bool v) { return doc_new_bool(a, at, v); }

doc_node *tf_null(bh_arena *a, bh_span at)
{
    return doc_new_scalar(a, at, "null", 4, DOC_NULL, DOC_PLAIN);
}

doc_node *tf_num_text(bh_arena *a, bh_span at, const char *text, size_t len)
{
    char buf[64];
    if (len == 0 || len >= sizeof buf)
        return NULL;
    memcpy(buf, text, len);
    buf[len] = '\0';
    char *end;
    bool integral = strpbrk(buf, ".eE") == NULL;
    if (integral) {
        errno = 0;
        long long v = strtoll(buf, &end, 10);
        if (*end == '\0' && errno == 0)
            return tf_num_i(a, at, v);
    }
    double d = strtod(buf, &end);
    if (*end != '\0' || end == buf)
        return NULL;
    return tf_num_f(a, at, d);
}

/* ---- conversions -------------------------------------------------------- */

const char *tf_text(bh_arena *a, const doc_node *v, size_t *len)
{
    if (tf_type_of(v) != TF_STR)
        return NULL;
    if (is_json_tree(v))
        return tf_json_encode(a, v, len);
    *len = doc_text_len(v);
    return doc_text(v);
}

const char *tf_to_text(bh_arena *a, const doc_node *v, size_t *len)
{
    switch (tf_type_of(v)) {
    case TF_STR: return tf_text(a, v, len);
    case TF_NUM:
    case TF_BOOL:
        *len = doc_text_len(v);
        return doc_text(v);
    default: return NULL;
    }
}

bool tf_to_number(const doc_node *v, double *out, bool *is_int, int64_t *iv)
{
    int64_t i;
    if (doc_int(v, &i)) {
        *out = (double)i;
        *is_int = true;
        *iv = i;
        return true;
    }
    if (doc_float(v, out)) {
        *is_int = false;
        return true;
    }
    if (tf_type_of(v) != TF_STR || is_json_tree(v))
        return false;
    const char *s = doc_text(v);
    char *end;
    errno = 0;
    long long ll = strtoll(s, &end, 10);
    if (*s && *end == '\0' && errno == 0) {
        *out = (double)ll;
        *is_int = true;
        *iv = ll;
        return true;
    }
    double d = strtod(s, &end);
    if (!*s || *end != '\0' || !isfinite(d))
        return false;
    *out = d;
    *is_int = false;
    return true;
}

bool tf_to_bool(const doc_node *v, bool *out)
{
    if (doc_bool(v, out))
        return true;
    if (tf_type_of(v) == TF_STR && !is_json_tree(v)) {
        if (doc_text_eq(v, "true"))
            return *out = true, true;
        if (doc_text_eq(v, "false"))
            return *out = false, true;
    }
    return false;
}

static bool equal(const doc_node *a, const doc_node *b, bool as_trees);

bool tf_equal(const doc_node *a, const doc_node *b) { return equal(a, b, false); }

/* as_trees: compare "!json" strings as the trees they encode */
static bool equal(const doc_node *a, const doc_node *b, bool as_trees)
{
    tf_type ta = tf_type_of(a), tb = tf_type_of(b);
    if (as_trees) {
        ta = doc_kind_of(a) == DOC_SEQ ? TF_LIST : doc_kind_of(a) == DOC_MAP ? TF_MAP : ta;
        tb = doc_kind_of(b) == DOC_SEQ ? TF_LIST : doc_kind_of(b) == DOC_MAP ? TF_MAP : tb;
    }
    if (ta != tb)
        return false;
    switch (ta) {
    case TF_NULL: return true;
    case TF_UNKNOWN: return false;
    case TF_BOOL: {
        bool x, y;
        return doc_bool(a, &x) && doc_bool(b, &y) && x == y;
    }
    case TF_NUM: {
        double x, y;
        return doc_float(a, &x) && doc_float(b, &y) && x == y;
    }
    case TF_STR:
        if (is_json_tree(a) || is_json_tree(b))
            return is_json_tree(a) && is_json_tree(b) && equal(a, b, true);
        return doc_text_len(a) == doc_text_len(b) &&
               memcmp(doc_text(a), doc_text(b), doc_text_len(a)) == 0;
    case TF_LIST:
        if (doc_len(a) != doc_len(b))
            return false;
        for (size_t i = 0; i < doc_len(a); i++)
            if (!equal(doc_seq_at(a, i), doc_seq_at(b, i), false))
                return false;
        return true;
    case TF_MAP:
        if (doc_len(a) != doc_len(b))
            return false;
        for (size_t i = 0; i < doc_len(a); i++) {
            const doc_node *k = doc_map_key(a, i);
            const doc_node *w = doc_get(b, doc_text(k));
            if (!w || !equal(doc_map_val(a, i), w, false))
                return false;
        }
        return true;
    }
    return false;
}

doc_node *tf_moved(bh_arena *a, const doc_node *v, bh_span at)
{
    doc_node *c = doc_copy(a, v);
    if (c)
        doc_set_span(c, at);
    return c;
}

/* ---- JSON encoding --------------------------------------------------------
 * As Terraform's jsonencode: object keys sorted, no spaces, <, > and &
 * escaped as \u003c, \u003e, \u0026 (Go's encoding/json). */

static void put_string(strbuf *b, const char *s, size_t n) { strbuf_put_json(b, s, n, true); }

static int key_cmp(const void *x, const void *y)
{
    const doc_node *a = *(doc_node *const *)x, *b = *(doc_node *const *)y;
    return strcmp(doc_text(a), doc_text(b));
}

static bool encode(strbuf *b, bh_arena *a, const doc_node *v, unsigned depth)
{
    if (depth > 512)
        return false;
    if (is_json_tree(v) && depth > 0) {
        /* a jsonencode() result inside another value is a string */
        size_t n;
        const char *s = tf_json_encode(a, v, &n);
        if (!s)
            return false;
        put_string(b, s, n);
        return true;
    }
    switch (doc_kind_of(v)) {
    case DOC_UNKNOWN: return false;
    case DOC_SEQ:
        strbuf_put(b, "[", 1);
        for (size_t i = 0; i < doc_len(v); i++) {
            if (i)
                strbuf_put(b, ",", 1);
            if (!encode(b, a, doc_seq_at(v, i), depth + 1))
                return false;
        }
        strbuf_put(b, "]", 1);
        return true;
    case DOC_MAP: {
        size_t n = doc_len(v);
        doc_node **keys = malloc((n ? n : 1) * 2 * sizeof *keys);
        if (!keys)
            return false;
        for (size_t i = 0; i < n; i++) {
            keys[2 * i] = doc_map_key(v, i);
            keys[2 * i + 1] = doc_map_val(v, i);
        }
        qsort(keys, n, 2 * sizeof *keys, key_cmp);
        strbuf_put(b, "{", 1);
        bool ok = true;
        for (size_t i = 0; ok && i < n; i++) {
            if (i)
                strbuf_put(b, ",", 1);
            put_string(b, doc_text(keys[2 * i]), doc_text_len(keys[2 * i]));
            strbuf_put(b, ":", 1);
            ok = encode(b, a, keys[2 * i + 1], depth + 1);
        }
        free(keys);
        strbuf_put(b, "}", 1);
        return ok;
    }
    case DOC_SCALAR: break;
    }
    switch (doc_type_of(v)) {
    case DOC_STR: put_string(b, doc_text(v), doc_text_len(v)); break;
    case DOC_NULL: strbuf_put(b, "null", 4); break;
    default: strbuf_put(b, doc_text(v), doc_text_len(v)); break;
    }
    return true;
}

const char *tf_json_encode(bh_arena *a, const doc_node *v, size_t *len)
{
    strbuf b = {0};
    bool ok = encode(&b, a, v, 0) && !b.failed;
    char *s = ok ? arena_strndup(a, b.p ? b.p : "", b.n) : NULL;
    if (s)
        *len = b.n;
    strbuf_free(&b);
    return s;
}

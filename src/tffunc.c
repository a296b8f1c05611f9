/*
 * tffunc.c - the Terraform functions bulkhead evaluates (tf_int.h).
 *
 * Those that appear around container definitions and workload specs:
 * jsonencode jsondecode file templatefile merge concat lookup try can
 * coalesce format join split replace lower upper tostring tonumber tobool
 * tolist toset tomap flatten length element contains keys values
 * trimspace trimprefix trimsuffix startswith endswith distinct compact
 * zipmap one sort range max min abs ceil floor sensitive nonsensitive.
 * Any other function gives an unknown naming the call (never a guess).
 *
 * An argument that is wholly unknown makes the result unknown; functions
 * over collections keep unknown elements (merge, concat, jsonencode...);
 * functions that build text need every piece known.
 */
#include "tf_int.h"

#include "strbuf.h"

#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef doc_node *(*tf_fn)(const tf_ctx *c, const hcl_expr *call, doc_node **args, size_t n);

#define A (tf_arena(c))
#define AT (call->span)

static doc_node *oom(const tf_ctx *c, bh_span at) { return tf_fail(c, at, "out of memory"); }

static doc_node *need(const tf_ctx *c, const hcl_expr *call, size_t i, const char *what)
{
    bh_span at = i < call->u.call.n ? call->u.call.args[i]->span : call->span;
    return tf_fail(c, at, "%s: argument %zu must be %s", call->u.call.name, i + 1, what);
}

/* A text argument, or NULL after an error. */
static const char *text_arg(const tf_ctx *c, const hcl_expr *call, doc_node **args, size_t i,
                            size_t *len)
{
    const char *s = tf_to_text(A, args[i], len);
    if (!s)
        need(c, call, i, "a string");
    return s;
}

static doc_node *str(const tf_ctx *c, bh_span at, const char *s, size_t n)
{
    doc_node *v = tf_str(tf_arena(c), at, s, n);
    return v ? v : oom(c, at);
}

/* ---- JSON, files, templates --------------------------------------------- */

static doc_node *f_jsonencode(const tf_ctx *c, const hcl_expr *call, doc_node **args, size_t n)
{
    (void)n;
    doc_node *v = args[0];
    tf_type t = tf_type_of(v);
    if (t == TF_LIST || t == TF_MAP) {
        doc_node *j = tf_moved(A, v, AT);
        if (!j)
            return oom(c, AT);
        doc_set_tag(j, "!json");
        return j;
    }
    size_t len;
    const char *s = tf_json_encode(A, v, &len);
    return s ? str(c, AT, s, len) : oom(c, AT);
}

static doc_node *f_jsondecode(const tf_ctx *c, const hcl_expr *call, doc_node **args, size_t n)
{
    (void)n;
    if (tf_type_of(args[0]) != TF_STR)
        return need(c, call, 0, "a string");
    return tf_jsondecode(c, args[0], AT);
}

static doc_node *f_file(const tf_ctx *c, const hcl_expr *call, doc_node **args, size_t n)
{
    (void)n;
    size_t len;
    const char *path = text_arg(c, call, args, 0, &len);
    if (!path)
        return NULL;
    const bh_source *s = tf_read_file(c, AT, path);
    if (!s)
        return NULL;
    doc_node *v = tf_str(A, span_make(s, 0, (uint32_t)source_len(s)), source_data(s),
                         source_len(s));
    if (!v)
        return oom(c, AT);
    doc_set_tag(v, "!verbatim");
    return doc_add_trace(A, v, AT, "read by file()") ? v : oom(c, AT);
}

static doc_node *f_templatefile(const tf_ctx *c, const hcl_expr *call, doc_node **args,
                                size_t n)
{
    (void)n;
    size_t len;
    const char *path = text_arg(c, call, args, 0, &len);
    if (!path)
        return NULL;
    if (tf_type_of(args[1]) != TF_MAP && tf_type_of(args[1]) != TF_NULL)
        return need(c, call, 1, "an object of template variables");
    const bh_source *s = tf_read_file(c, AT, path);
    if (!s)
        return NULL;
    bh_diags *d = diags_new();
    hcl_expr *t = d ? hcl_parse_template(s, A, NULL, d) : NULL;
    if (!t) {
        const char *msg = d && diags_count(d) ? diags_get(d, 0)->message : "out of memory";
        bh_pos p = d && diags_count(d) ? diags_get(d, 0)->pos : (bh_pos){0, 0};
        tf_fail(c, AT, "templatefile: %s:%u:%u: %s", source_path(s), p.line, p.col, msg);
        diags_free(d);   /* msg lived in d */
        return NULL;
    }
    diags_free(d);
    /* the template sees only its variables */
    size_t nv = doc_len(args[1]);
    tf_scope *sc = arena_alloc(A, (nv ? nv : 1) * sizeof *sc);
    if (!sc)
        return oom(c, AT);
    const tf_scope *head = NULL;
    for (size_t i = 0; i < nv; i++) {
        sc[i] = (tf_scope){doc_text(doc_map_key(args[1], i)), NULL, doc_map_val(args[1], i), head};
        head = &sc[i];
    }
    tf_ctx tc = {c->e, NULL, head};
    if (t->kind == HCL_E_STRING) {
        doc_node *v = tf_str(A, span_make(s, 0, (uint32_t)source_len(s)), t->u.str.text,
                             t->u.str.len);
        if (v && t->u.str.len == source_len(s))
            doc_set_tag(v, "!verbatim");
        return v ? v : oom(c, AT);
    }
    return tf_render_file(&tc, t);
}

/* ---- collections --------------------------------------------------------- */

static doc_node *f_merge(const tf_ctx *c, const hcl_expr *call, doc_node **args, size_t n)
{
    doc_node *m = doc_new_map(A, AT);
    if (!m)
        return oom(c, AT);
    for (size_t i = 0; i < n; i++) {
        if (tf_type_of(args[i]) == TF_NULL)
            continue;
        if (tf_type_of(args[i]) != TF_MAP)
            return need(c, call, i, "a map or object");
        for (size_t k = 0; k < doc_len(args[i]); k++)
            if (!doc_map_put(A, m, doc_text(doc_map_key(args[i], k)), doc_map_val(args[i], k)))
                return oom(c, AT);
    }
    return m;
}

static doc_node *f_concat(const tf_ctx *c, const hcl_expr *call, doc_node **args, size_t n)
{
    doc_node *s = doc_new_seq(A, AT);
    if (!s)
        return oom(c, AT);
    for (size_t i = 0; i < n; i++) {
        if (tf_type_of(args[i]) != TF_LIST)
            return need(c, call, i, "a list");
        for (size_t k = 0; k < doc_len(args[i]); k++)
            if (!doc_seq_append(A, s, doc_seq_at(args[i], k)))
                return oom(c, AT);
    }
    return s;
}

static doc_node *f_lookup(const tf_ctx *c, const hcl_expr *call, doc_node **args, size_t n)
{
    if (tf_type_of(args[0]) != TF_MAP)
        return need(c, call, 0, "a map or object");
    size_t len;
    const char *k = text_arg(c, call, args, 1, &len);
    if (!k)
        return NULL;
    doc_node *v = doc_get(args[0], k);
    if (v)
        return v;
    if (n > 2)
        return args[2];
    return tf_fail(c, AT, "lookup: the map has no key \"%s\" and no default is given", k);
}

static doc_node *f_coalesce(const tf_ctx *c, const hcl_expr *call, doc_node **args, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        tf_type t = tf_type_of(args[i]);
        if (t == TF_NULL || (t == TF_STR && doc_kind_of(args[i]) == DOC_SCALAR &&
                             doc_text_len(args[i]) == 0))
            continue;
        return args[i];
    }
    return tf_fail(c, AT, "coalesce: no non-null, non-empty argument");
}

static bool flatten_into(const tf_ctx *c, doc_node *out, const doc_node *v, unsigned depth)
{
    if (depth > 64)
        return tf_fail(c, doc_span(v), "flatten: nested too deeply"), false;
    for (size_t i = 0; i < doc_len(v); i++) {
        doc_node *item = doc_seq_at(v, i);
        if (tf_type_of(item) == TF_LIST) {
            if (!flatten_into(c, out, item, depth + 1))
                return false;
        } else if (!doc_seq_append(tf_arena(c), out, item)) {
            return oom(c, doc_span(v)), false;
        }
    }
    return true;
}

static doc_node *f_flatten(const tf_ctx *c, const hcl_expr *call, doc_node **args, size_t n)
{
    (void)n;
    if (tf_type_of(args[0]) != TF_LIST)
        return need(c, call, 0, "a list");
    doc_node *s = doc_new_seq(A, AT);
    if (!s)
        return oom(c, AT);
    return flatten_into(c, s, args[0], 0) ? s : NULL;
}

static size_t utf8_count(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

static doc_node *f_length(const tf_ctx *c, const hcl_expr *call, doc_node **args, size_t n)
{
    (void)n;
    tf_type t = tf_type_of(args[0]);
    if (t == TF_LIST || t == TF_MAP)
        return tf_num_i(A, AT, (int64_t)doc_len(args[0]));
    size_t len;
    const char *s = t == TF_STR ? tf_text(A, args[0], &len) : NULL;
    if (!s)
        return need(c, call, 0, "a collection or a string");
    return tf_num_i(A, AT, (int64_t)utf8_count(s, len));
}

static bool index_arg(const tf_ctx *c, const hcl_expr *call, doc_node **args, size_t i,
                      int64_t *out)
{
    double d;
    bool isint;
    if (!tf_to_number(args[i], &d, &isint, out) || !isint)
        return need(c, call, i, "a whole number"), false;
    return true;
}

static doc_node *f_element(const tf_ctx *c, const hcl_expr *call, doc_node **args, size_t n)
{
    (void)n;
    int64_t i;
    if (tf_type_of(args[0]) != TF_LIST)
        return need(c, call, 0, "a list");
    if (!index_arg(c, call, args, 1, &i))
        return NULL;
    size_t len = doc_len(args[0]);
    if (len == 0 || i < 0)
        return tf_fail(c, AT, "element: %s", len ? "a negative index" : "the list is empty");
    return doc_seq_at(args[0], (size_t)(i % (int64_t)len));
}

static doc_node *f_contains(const tf_ctx *c, const hcl_expr *call, doc_node **args, size_t n)
{
    (void)n;
    if (tf_type_of(args[0]) != TF_LIST)
        return need(c, call, 0, "a list");
    for (size_t i = 0; i < doc_len(args[0]); i++) {
        doc_node *item = doc_seq_at(args[0], i);
        if (tf_find_unknown(item))
            return (doc_node *)tf_find_unknown(item);
        if (tf_equal(item, args[1]))
            return tf_bool(A, AT, true);
    }
    return tf_bool(A, AT, false);
}

static int key_cmp(const void *x, const void *y)
{
    return strcmp(doc_text(*(doc_node *const *)x), doc_text(*(doc_node *const *)y));
}

/* keys (which = 0) or values (1) of a map, in key order. */
static doc_node *keys_or_values(const tf_ctx *c, const hcl_expr *call, doc_node *m, int which)
{
    if (tf_type_of(m) != TF_MAP)
        return need(c, call, 0, "a map or object");
    size_t n = doc_len(m);
    doc_node **kv = malloc((n ? n : 1) * 2 * sizeof *kv);
    doc_node *s = doc_new_seq(A, AT);
    if (!kv || !s) {
        free(kv);
        return oom(c, AT);
    }
    for (size_t i = 0; i < n; i++) {
        kv[2 * i] = doc_map_key(m, i);
        kv[2 * i + 1] = doc_map_val(m, i);
    }
    qsort(kv, n, 2 * sizeof *kv, key_cmp);
    for (size_t i = 0; s && i < n; i++) {
        doc_node *v = kv[2 * i + which];
        if (which == 0)
            v = tf_str(A, doc_span(v), doc_text(v), doc_text_len(v));
        if (!v || !doc_seq_append(A, s, v))
            s = NULL;
    }
    free(kv);
    return s ? s : oom(c, AT);
}

static doc_node *f_keys(const tf_ctx *c, const hcl_expr *call, doc_node **args, size_t n)
{
    (void)n;
    return keys_or_values(c, call, args[0], 0);
}

static doc_node *f_values(const tf_ctx *c, const hcl_expr *call, doc_node **args, size_t n)
{
    (void)n;
    return keys_or_values(c, call, args[0], 1);
}

/* Sort a list of strings in place (lexical order); false when memory ran
 * out (the list is then unchanged). */
static bool sort_strings(doc_node *s)
{
    size_t n = doc_len(s);
    doc_node **v = malloc((n ? n : 1) * sizeof *v);
    if (!v)
        return false;
    for (size_t i = 0; i < n; i++)
        v[i] = doc_seq_at(s, i);
    qsort(v, n, sizeof *v, key_cmp);
    for (size_t i = 0; i < n; i++)
        doc_seq_set(s, i, v[i]);
    free(v);
    return true;
}

/* distinct elements; sorted too for toset of strings (Terraform's sets of
 * strings iterate in lexical order). */
static doc_node *unique(const tf_ctx *c, const hcl_expr *call, doc_node *l, bool sort)
{
    if (tf_type_of(l) == TF_NULL)
        return l;
    if (tf_type_of(l) != TF_LIST)
        return need(c, call, 0, "a list");
    doc_node *s = doc_new_seq(A, AT);
    bool strings = true;
    for (size_t i = 0; s && i < doc_len(l); i++) {
        doc_node *item = doc_seq_at(l, i);
        bool dup = false;
        for (size_t k = 0; k < doc_len(s) && !dup; k++)
            dup = tf_equal(doc_seq_at(s, k), item);
        strings = strings && tf_type_of(item) == TF_STR && doc_kind_of(item) == DOC_SCALAR;
        if (!dup && !doc_seq_append(A, s, item))
            s = NULL;
    }
    if (!s)
        return oom(c, AT);
    if (sort && strings && !sort_strings(s))
        return oom(c, AT);
    return s;
}

static doc_node *f_tolist(const tf_ctx *c, const hcl_expr *call, doc_node **args, size_t n)
{
    (void)n;
    if (tf_type_of(args[0]) != TF_LIST && tf_type_of(args[0]) != TF_NULL)
        return need(c, call, 0, "a list, set or tuple");
    return args[0];
}

static doc_node *f_toset(const tf_ctx *c, const hcl_expr *call, doc_node **args, size_t n)
{
    (void)n;
    return unique(c, call, args[0], true);
}

static doc_node *f_distinct(const tf_ctx *c, const hcl_expr *call, doc_node **args, size_t n)
{
    (void)n;
    return unique(c, call, args[0], false);
}

static doc_node *f_sort(const tf_ctx *c, const hcl_expr *call, doc_node **args, size_t n)
{
    (void)n;
    if (tf_type_of(args[0]) != TF_LIST)
        return need(c, call, 0, "a list of strings");
    for (size_t i = 0; i < doc_len(args[0]); i++)
        if (tf_type_of(doc_seq_at(args[0], i)) != TF_STR)
            return need(c, call, 0, "a list of strings");
    doc_node *s = doc_new_seq(A, AT);
    for (size_t i = 0; s && i < doc_len(args[0]); i++)
        if (!doc_seq_append(A, s, doc_seq_at(args[0], i)))
            s = NULL;
    if (!s || !sort_strings(s))
        return oom(c, AT);
    return s;
}

static doc_node *f_tomap(const tf_ctx *c, const hcl_expr *call, doc_node **args, size_t n)
{
    (void)n;
    if (tf_type_of(args[0]) != TF_MAP && tf_type_of(args[0]) != TF_NULL)
        return need(c, call, 0, "a map or object");
    return args[0];
}

static doc_node *f_compact(const tf_ctx *c, const hcl_expr *call, doc_node **args, size_t n)
{
    (void)n;
    if (tf_type_of(args[0]) != TF_LIST)
        return need(c, call, 0, "a list of strings");
    doc_node *s = doc_new_seq(A, AT);
    for (size_t i = 0; s && i < doc_len(args[0]); i++) {
        doc_node *item = doc_seq_at(args[0], i);
        tf_type t = tf_type_of(item);
        if (t == TF_NULL || (t == TF_STR && doc_kind_of(item) == DOC_SCALAR &&
                             doc_text_len(item) == 0))
            continue;
        if (!doc_seq_append(A, s, item))
            s = NULL;
    }
    return s ? s : oom(c, AT);
}

static doc_node *f_zipmap(const tf_ctx *c, const hcl_expr *call, doc_node **args, size_t n)
{
    (void)n;
    if (tf_type_of(args[0]) != TF_LIST)
        return need(c, call, 0, "a list of strings");
    if (tf_type_of(args[1]) != TF_LIST || doc_len(args[1]) != doc_len(args[0]))
        return need(c, call, 1, "a list as long as the keys");
    doc_node *m = doc_new_map(A, AT);
    for (size_t i = 0; m && i < doc_len(args[0]); i++) {
        doc_node *k = doc_seq_at(args[0], i);
        if (tf_is_unknown(k))
            return k;
        size_t len;
        const char *ks = tf_to_text(A, k, &len);
        if (!ks)
            return need(c, call, 0, "a list of strings");
        if (!doc_map_put(A, m, ks, doc_seq_at(args[1], i)))
            m = NULL;
    }
    return m ? m : oom(c, AT);
}

static doc_node *f_one(const tf_ctx *c, const hcl_expr *call, doc_node **args, size_t n)
{
    (void)n;
    if (tf_type_of(args[0]) != TF_LIST)
        return need(c, call, 0, "a list");
    if (doc_len(args[0]) > 1)
        return tf_fail(c, AT, "one: the list has %zu elements", doc_len(args[0]));
    return doc_len(args[0]) ? doc_seq_at(args[0], 0) : tf_null(A, AT);
}

static doc_node *f_range(const tf_ctx *c, const hcl_expr *call, doc_node **args, size_t n)
{
    int64_t v[3] = {0, 0, 1};
    for (size_t i = 0; i < n; i++)
        if (!index_arg(c, call, args, i, &v[n == 1 ? 1 : i]))
            return NULL;
    if (v[2] == 0)
        return tf_fail(c, AT, "range: the step must not be 0");
    doc_node *s = doc_new_seq(A, AT);
    if (!s)
        return oom(c, AT);
    for (int64_t x = v[0]; v[2] > 0 ? x < v[1] : x > v[1]; x += v[2]) {
        doc_node *item = tf_charge(c, AT, 1) ? tf_num_i(A, AT, x) : NULL;
        if (!item || !doc_seq_append(A, s, item))
            return item ? oom(c, AT) : NULL;
    }
    return s;
}

/* ---- numbers ------------------------------------------------------------- */

static doc_node *minmax(const tf_ctx *c, const hcl_expr *call, doc_node **args, size_t n,
                        bool max)
{
    if (n == 0)
        return tf_fail(c, AT, "%s needs at least one number", call->u.call.name);
    doc_node *best = NULL;
    double bv = 0;
    for (size_t i = 0; i < n; i++) {
        double d;
        bool isint;
        int64_t iv;
        if (!tf_to_number(args[i], &d, &isint, &iv))
            return need(c, call, i, "a number");
        if (!best || (max ? d > bv : d < bv)) {
            best = args[i];
            bv = d;
        }
    }
    return tf_num_f(A, AT, bv);
}

static doc_node *f_max(const tf_ctx *c, const hcl_expr *call, doc_node **args, size_t n)
{
    return minmax(c, call, args, n, true);
}

static doc_node *f_min(const tf_ctx *c, const hcl_expr *call, doc_node **args, size_t n)
{
    return minmax(c, call, args, n, false);
}

static doc_node *math1(const tf_ctx *c, const hcl_expr *call, doc_node *v, double (*f)(double))
{
    double d;
    bool isint;
    int64_t iv;
    if (!tf_to_number(v, &d, &isint, &iv))
        return need(c, call, 0, "a number");
    return tf_num_f(A, AT, f(d));
}

static doc_node *f_abs(const tf_ctx *c, const hcl_expr *call, doc_node **args, size_t n)
{
    (void)n;
    return math1(c, call, args[0], fabs);
}

static doc_node *f_ceil(const tf_ctx *c, const hcl_expr *call, doc_node **args, size_t n)
{
    (void)n;
    return math1(c, call, args[0], ceil);
}

static doc_node *f_floor(const tf_ctx *c, const hcl_expr *call, doc_node **args, size_t n)
{
    (void)n;
    return math1(c, call, args[0], floor);
}

/* ---- conversions ---------------------------------------------------------- */

static doc_node *f_tostring(const tf_ctx *c, const hcl_expr *call, doc_node **args, size_t n)
{
    (void)n;
    if (tf_type_of(args[0]) == TF_NULL || tf_type_of(args[0]) == TF_STR)
        return args[0];
    size_t len;
    const char *s = tf_to_text(A, args[0], &len);
    return s ? str(c, AT, s, len) : need(c, call, 0, "a primitive value");
}

static doc_node *f_tonumber(const tf_ctx *c, const hcl_expr *call, doc_node **args, size_t n)
{
    (void)n;
    double d;
    bool isint;
    int64_t i;
    if (tf_type_of(args[0]) == TF_NULL)
        return args[0];
    if (!tf_to_number(args[0], &d, &isint, &i))
        return need(c, call, 0, "a number or a string holding one");
    return isint ? tf_num_i(A, AT, i) : tf_num_f(A, AT, d);
}

static doc_node *f_tobool(const tf_ctx *c, const hcl_expr *call, doc_node **args, size_t n)
{
    (void)n;
    bool b;
    if (tf_type_of(args[0]) == TF_NULL)
        return args[0];
    if (!tf_to_bool(args[0], &b))
        return need(c, call, 0, "a bool or \"true\"/\"false\"");
    return tf_bool(A, AT, b);
}

static doc_node *f_identity(const tf_ctx *c, const hcl_expr *call, doc_node **args, size_t n)
{
    (void)c;
    (void)call;
    (void)n;
    return args[0];
}

/* ---- strings --------------------------------------------------------------- */

static doc_node *sb_done(const tf_ctx *c, strbuf *b, bh_span at)
{
    if (b->failed) {
        strbuf_free(b);
        return oom(c, at);
    }
    bool ok = tf_charge(c, at, b->n / 64);
    doc_node *v = ok ? tf_str(A, at, b->p ? b->p : "", b->n) : NULL;
    strbuf_free(b);
    if (!ok)
        return NULL;
    return v ? v : oom(c, at);
}

static const char *find_sub(const char *h, size_t hn, const char *n, size_t nn)
{
    for (size_t i = 0; nn && i + nn <= hn; i++)
        if (h[i] == n[0] && memcmp(h + i, n, nn) == 0)
            return h + i;
    return NULL;
}

static doc_node *f_join(const tf_ctx *c, const hcl_expr *call, doc_node **args, size_t n)
{
    size_t sl;
    const char *sep = text_arg(c, call, args, 0, &sl);
    if (!sep)
        return NULL;
    strbuf b = {0};
    size_t k = 0;
    for (size_t i = 1; i < n; i++) {
        if (tf_type_of(args[i]) != TF_LIST) {
            strbuf_free(&b);
            return need(c, call, i, "a list of strings");
        }
        for (size_t j = 0; j < doc_len(args[i]); j++) {
            doc_node *item = doc_seq_at(args[i], j);
            size_t len;
            const char *s = tf_is_unknown(item) ? NULL : tf_to_text(A, item, &len);
            if (!s) {
                strbuf_free(&b);
                return tf_is_unknown(item) ? item : need(c, call, i, "a list of strings");
            }
            if (k++)
                strbuf_put(&b, sep, sl);
            strbuf_put(&b, s, len);
        }
    }
    return sb_done(c, &b, AT);
}

static doc_node *f_split(const tf_ctx *c, const hcl_expr *call, doc_node **args, size_t n)
{
    (void)n;
    size_t sl, len;
    const char *sep = text_arg(c, call, args, 0, &sl);
    const char *s = sep ? text_arg(c, call, args, 1, &len) : NULL;
    if (!s)
        return NULL;
    doc_node *out = doc_new_seq(A, AT);
    if (!out)
        return oom(c, AT);
    if (len == 0)
        return out;
    for (const char *p = s, *end = s + len;;) {
        const char *q = sl ? find_sub(p, (size_t)(end - p), sep, sl) : NULL;
        if (!sl && p < end)
            q = p + 1 < end ? p + 1 : NULL;
        doc_node *item = tf_str(A, AT, p, (size_t)((q ? q : end) - p));
        if (!item || !doc_seq_append(A, out, item))
            return oom(c, AT);
        if (!q)
            break;
        p = q + sl;
        if (!tf_charge(c, AT, 1))
            return NULL;
    }
    return out;
}

static doc_node *f_replace(const tf_ctx *c, const hcl_expr *call, doc_node **args, size_t n)
{
    (void)n;
    size_t len, fl, rl;
    const char *s = text_arg(c, call, args, 0, &len);
    const char *from = s ? text_arg(c, call, args, 1, &fl) : NULL;
    const char *to = from ? text_arg(c, call, args, 2, &rl) : NULL;
    if (!to)
        return NULL;
    strbuf b = {0};
    if (fl >= 2 && from[0] == '/' && from[fl - 1] == '/') {
        /* a regular expression (RE2 in Terraform; POSIX extended here) */
        char *re = strndup(from + 1, fl - 2);
        regex_t rx;
        if (!re || regcomp(&rx, re, REG_EXTENDED) != 0) {
            free(re);
            return tf_fail(c, call->u.call.args[1]->span, "replace: not a regular expression "
                           "bulkhead can read");
        }
        free(re);
        regmatch_t m;
        const char *p = s;
        while (*p && regexec(&rx, p, 1, &m, p == s ? 0 : REG_NOTBOL) == 0) {
            strbuf_put(&b, p, (size_t)m.rm_so);
            strbuf_put(&b, to, rl);
            p += m.rm_eo > m.rm_so ? m.rm_eo : m.rm_eo + 1;
            if (m.rm_eo == m.rm_so)
                strbuf_put(&b, p - 1, 1);
            if (p > s + len)
                break;
        }
        if (p < s + len)
            strbuf_put(&b, p, strlen(p));
        regfree(&rx);
        return sb_done(c, &b, AT);
    }
    for (const char *p = s, *end = s + len; p < end || (p == end && !fl);) {
        const char *q = fl ? find_sub(p, (size_t)(end - p), from, fl) : NULL;
        strbuf_put(&b, p, (size_t)((q ? q : end) - p));
        if (!q)
            break;
        strbuf_put(&b, to, rl);
        p = q + fl;
    }
    return sb_done(c, &b, AT);
}

static doc_node *change_case(const tf_ctx *c, const hcl_expr *call, doc_node **args, bool up)
{
    size_t len;
    const char *s = text_arg(c, call, args, 0, &len);
    if (!s)
        return NULL;
    char *t = arena_strndup(A, s, len);
    if (!t)
        return oom(c, AT);
    for (size_t i = 0; i < len; i++)
        if (up ? (t[i] >= 'a' && t[i] <= 'z') : (t[i] >= 'A' && t[i] <= 'Z'))
            t[i] = (char)(t[i] ^ 0x20);
    return str(c, AT, t, len);
}

static doc_node *f_lower(const tf_ctx *c, const hcl_expr *call, doc_node **args, size_t n)
{
    (void)n;
    return change_case(c, call, args, false);
}

static doc_node *f_upper(const tf_ctx *c, const hcl_expr *call, doc_node **args, size_t n)
{
    (void)n;
    return change_case(c, call, args, true);
}

static doc_node *f_trimspace(const tf_ctx *c, const hcl_expr *call, doc_node **args, size_t n)
{
    (void)n;
    size_t len;
    const char *s = text_arg(c, call, args, 0, &len);
    if (!s)
        return NULL;
    while (len && strchr(" \t\r\n\v\f", *s))
        s++, len--;
    while (len && strchr(" \t\r\n\v\f", s[len - 1]))
        len--;
    return str(c, AT, s, len);
}

/* trimprefix (0), trimsuffix (1), startswith (2), endswith (3) */
static doc_node *affix(const tf_ctx *c, const hcl_expr *call, doc_node **args, int op)
{
    size_t len, al;
    const char *s = text_arg(c, call, args, 0, &len);
    const char *x = s ? text_arg(c, call, args, 1, &al) : NULL;
    if (!x)
        return NULL;
    bool pre = al <= len && memcmp(s, x, al) == 0;
    bool suf = al <= len && memcmp(s + len - al, x, al) == 0;
    switch (op) {
    case 0: return str(c, AT, pre ? s + al : s, pre ? len - al : len);
    case 1: return str(c, AT, s, suf ? len - al : len);
    case 2: return tf_bool(A, AT, pre);
    default: return tf_bool(A, AT, suf);
    }
}

static doc_node *f_trimprefix(const tf_ctx *c, const hcl_expr *call, doc_node **args, size_t n)
{
    (void)n;
    return affix(c, call, args, 0);
}

static doc_node *f_trimsuffix(const tf_ctx *c, const hcl_expr *call, doc_node **args, size_t n)
{
    (void)n;
    return affix(c, call, args, 1);
}

static doc_node *f_startswith(const tf_ctx *c, const hcl_expr *call, doc_node **args, size_t n)
{
    (void)n;
    return affix(c, call, args, 2);
}

static doc_node *f_endswith(const tf_ctx *c, const hcl_expr *call, doc_node **args, size_t n)
{
    (void)n;
    return affix(c, call, args, 3);
}

/* format: %s %d %v %q %t %f %%, with an optional width/precision for %f */
static doc_node *f_format(const tf_ctx *c, const hcl_expr *call, doc_node **args, size_t n)
{
    size_t fl;
    const char *f = text_arg(c, call, args, 0, &fl);
    if (!f)
        return NULL;
    strbuf b = {0};
    size_t next = 1;
    for (size_t i = 0; i < fl; i++) {
        if (f[i] != '%') {
            strbuf_put(&b, &f[i], 1);
            continue;
        }
        size_t start = i + 1, spec = start;
        while (spec < fl && strchr("0123456789.-+# ", f[spec]))
            spec++;
        if (spec >= fl) {
            strbuf_free(&b);
            return tf_fail(c, AT, "format: an unfinished verb at the end");
        }
        char verb = f[spec];
        i = spec;
        if (verb == '%') {
            strbuf_put(&b, "%", 1);
            continue;
        }
        if (next >= n) {
            strbuf_free(&b);
            return tf_fail(c, AT, "format: too few arguments for the verbs");
        }
        doc_node *v = args[next++];
        if (tf_find_unknown(v)) {
            strbuf_free(&b);
            return (doc_node *)tf_find_unknown(v);
        }
        size_t len;
        const char *s = verb == 'v' && (tf_type_of(v) == TF_LIST || tf_type_of(v) == TF_MAP)
                            ? tf_json_encode(A, v, &len)
                            : tf_to_text(A, v, &len);
        if (!s) {
            strbuf_free(&b);
            return need(c, call, next - 1, "a primitive value");
        }
        if (verb == 'q') {
            const char *q = tf_json_encode(A, tf_str(A, AT, s, len), &len);
            s = q ? q : s;
        } else if (verb == 'f') {
            double d;
            bool isint;
            int64_t iv;
            char buf[64];
            if (!tf_to_number(v, &d, &isint, &iv)) {
                strbuf_free(&b);
                return need(c, call, next - 1, "a number");
            }
            const char *dot = memchr(f + start, '.', spec - start);
            int prec = dot ? atoi(dot + 1) : 6;
            int k = snprintf(buf, sizeof buf, "%.*f", prec > 30 ? 30 : prec, d);
            if (k < 0 || (size_t)k >= sizeof buf)
                k = snprintf(buf, sizeof buf, "%g", d);
            s = arena_strndup(A, buf, (size_t)k);
            len = (size_t)k;
        } else if (verb == 'd') {
            double d;
            bool isint;
            int64_t iv;
            if (!tf_to_number(v, &d, &isint, &iv) || !isint) {
                strbuf_free(&b);
                return need(c, call, next - 1, "a whole number");
            }
        }
        strbuf_put(&b, s ? s : "", s ? len : 0);
    }
    return sb_done(c, &b, AT);
}

/* ---- try and can: their arguments are evaluated here, errors caught ------ */

static doc_node *f_try(const tf_ctx *c, const hcl_expr *call)
{
    for (size_t i = 0; i < call->u.call.n; i++) {
        unsigned mark = tf_error_mark(c);
        doc_node *v = tf_ev(c, call->u.call.args[i]);
        if (v)
            return v;
        if (!tf_charge(c, AT, 0))
            return NULL;
        tf_error_reset(c, mark);
    }
    return tf_fail(c, AT, "try: no argument could be evaluated");
}

static doc_node *f_can(const tf_ctx *c, const hcl_expr *call)
{
    if (call->u.call.n != 1)
        return tf_fail(c, AT, "can takes one argument");
    unsigned mark = tf_error_mark(c);
    doc_node *v = tf_ev(c, call->u.call.args[0]);
    if (!v && !tf_charge(c, AT, 0))
        return NULL;
    tf_error_reset(c, mark);
    if (v && tf_is_unknown(v))
        return v;
    return tf_bool(A, AT, v != NULL);
}

/* ---- the table ---------------------------------------------------------------- */

static const struct fn {
    const char *name;
    unsigned min, max;   /* arguments; max 0: any number */
    tf_fn fn;
} fns[] = {
    {"abs", 1, 1, f_abs},
    {"ceil", 1, 1, f_ceil},
    {"coalesce", 1, 0, f_coalesce},
    {"compact", 1, 1, f_compact},
    {"concat", 1, 0, f_concat},
    {"contains", 2, 2, f_contains},
    {"distinct", 1, 1, f_distinct},
    {"element", 2, 2, f_element},
    {"endswith", 2, 2, f_endswith},
    {"file", 1, 1, f_file},
    {"flatten", 1, 1, f_flatten},
    {"floor", 1, 1, f_floor},
    {"format", 1, 0, f_format},
    {"join", 2, 0, f_join},
    {"jsondecode", 1, 1, f_jsondecode},
    {"jsonencode", 1, 1, f_jsonencode},
    {"keys", 1, 1, f_keys},
    {"length", 1, 1, f_length},
    {"lookup", 2, 3, f_lookup},
    {"lower", 1, 1, f_lower},
    {"max", 1, 0, f_max},
    {"merge", 0, 0, f_merge},
    {"min", 1, 0, f_min},
    {"nonsensitive", 1, 1, f_identity},
    {"one", 1, 1, f_one},
    {"range", 1, 3, f_range},
    {"replace", 3, 3, f_replace},
    {"sensitive", 1, 1, f_identity},
    {"sort", 1, 1, f_sort},
    {"split", 2, 2, f_split},
    {"startswith", 2, 2, f_startswith},
    {"templatefile", 2, 2, f_templatefile},
    {"tobool", 1, 1, f_tobool},
    {"tolist", 1, 1, f_tolist},
    {"tomap", 1, 1, f_tomap},
    {"tonumber", 1, 1, f_tonumber},
    {"toset", 1, 1, f_toset},
    {"tostring", 1, 1, f_tostring},
    {"trimprefix", 2, 2, f_trimprefix},
    {"trimspace", 1, 1, f_trimspace},
    {"trimsuffix", 2, 2, f_trimsuffix},
    {"upper", 1, 1, f_upper},
    {"values", 1, 1, f_values},
    {"zipmap", 2, 2, f_zipmap},
};

static int fn_cmp(const void *key, const void *elt)
{
    return strcmp(key, ((const struct fn *)elt)->name);
}

/* The arguments, the last one spread when written with "...". */
static doc_node **eval_args(const tf_ctx *c, const hcl_expr *call, size_t *n,
                            doc_node **unknown)
{
    size_t k = call->u.call.n;
    doc_node **v = arena_alloc(A, (k ? k : 1) * sizeof *v);
    if (!v)
        return oom(c, AT), NULL;
    for (size_t i = 0; i < k; i++) {
        v[i] = tf_ev(c, call->u.call.args[i]);
        if (!v[i])
            return NULL;
        if (tf_is_unknown(v[i]) && !*unknown)
            *unknown = v[i];
    }
    *n = k;
    if (!call->u.call.expand || k == 0 || *unknown)
        return v;
    doc_node *last = v[k - 1];
    if (tf_type_of(last) != TF_LIST)
        return need(c, call, k - 1, "a list to expand with \"...\""), NULL;
    size_t total = k - 1 + doc_len(last);
    doc_node **w = arena_alloc(A, (total ? total : 1) * sizeof *w);
    if (!w)
        return oom(c, AT), NULL;
    memcpy(w, v, (k - 1) * sizeof *w);
    for (size_t i = 0; i < doc_len(last); i++) {
        w[k - 1 + i] = doc_seq_at(last, i);
        if (tf_is_unknown(w[k - 1 + i]) && !*unknown)
            *unknown = w[k - 1 + i];
    }
    *n = total;
    return w;
}

doc_node *tf_call(const tf_ctx *c, const hcl_expr *call)
{
    const char *name = call->u.call.name;
    if (strcmp(name, "try") == 0)
        return f_try(c, call);
    if (strcmp(name, "can") == 0)
        return f_can(c, call);
    const struct fn *f = bsearch(name, fns, sizeof fns / sizeof *fns, sizeof *fns, fn_cmp);
    if (!f) {
        doc_node *u = tf_unknown(c, AT);
        const char *note = arena_printf(A, "bulkhead does not evaluate the function %s()", name);
        return u && note && doc_add_trace(A, u, call->u.call.name_span, note) ? u : oom(c, AT);
    }
    size_t n;
    doc_node *unknown = NULL;
    doc_node **args = eval_args(c, call, &n, &unknown);
    if (!args)
        return NULL;
    if (n < f->min || (f->max && n > f->max))
        return tf_fail(c, AT, "%s() takes %u%s argument%s, not %zu", name, f->min,
                       f->max == f->min ? "" : f->max ? " to more" : " or more",
                       f->min == 1 && f->max == 1 ? "" : "s", n);
    if (unknown) {
        doc_node *u = tf_unknown(c, AT);
        if (u)
            doc_set_trace(u, doc_trace_of(unknown));
        return u;
    }
    return f->fn(c, call, args, n);
}

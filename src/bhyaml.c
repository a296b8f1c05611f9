/*
 * yaml.c - see yaml.h.
 *
 * libyaml's event parser feeds a tree builder with no recursion: open
 * mappings and sequences live on a frame stack (depth-checked on every
 * start event, so 100,000 nested '[' fail after 512 of them), and the
 * children of every open collection collect on one shared child stack.
 * When a collection ends its children are copied into the arena in one
 * block and popped.  The bottom frame is the stream: its children are the
 * document roots.  Scratch stacks are malloc()ed per parse and grow by
 * doubling; nodes, texts, tags and anchor names live in the arena.
 *
 * Positions.  libyaml marks count characters (code points), spans hold
 * bytes.  A cursor walks the source forward counting UTF-8 lead bytes; it
 * drops a checkpoint every POS_STRIDE characters, so a mark that goes
 * backwards (a simple key is only known to be a key after it was read, an
 * error's context lies behind its problem) restarts from the nearest
 * checkpoint: each lookup costs at most POS_STRIDE steps beyond the walk
 * forward, and a file costs O(n) overall.  The ASCII prefix of the file
 * (for most files all of it) maps one to one without walking.  A UTF-8 BOM
 * is skipped by libyaml before it counts, so marks start after it.  UTF-16
 * input (which libyaml would transcode, leaving no byte mapping) is
 * refused.
 *
 * Choices (each tested):
 *  - Scalars: untagged plain ones are typed by doc_resolve_yaml11; quoted,
 *    literal and folded ones are strings.  Tags are kept verbatim as
 *    libyaml resolves them ("!Ref" stays "!Ref", "!!str" becomes
 *    "tag:yaml.org,2002:str") on scalars, sequences and mappings alike.
 *    tag:yaml.org,2002:str/int/bool/float/null decide the type (an int
 *    converts to a float under !!float; a value that does not fit its tag,
 *    `!!int abc`, stays a string with a warning).  Every other tag (!Ref,
 *    !Sub, !!binary, ...) leaves the scalar a DOC_STR.
 *  - Aliases are the anchored node itself (the tree is a DAG).  Anchors are
 *    scoped to their document; a redefined anchor replaces the earlier one
 *    from there on; an alias to an unknown anchor, or to a collection still
 *    open (a cycle), is an error.
 *  - Alias budget: every node remembers its subtree size with aliases
 *    expanded (saturating); each alias use adds its anchor's size and each
 *    pair a merge copies adds 2.  Past limits->max_alias_nodes the parse
 *    fails, before anything large is built: a billion-laughs file costs a
 *    few hundred events.
 *  - Duplicate keys (scalar keys with the same text): a warning at the
 *    later key pointing back at the first; the mapping keeps one pair, at
 *    the first key's place, holding the last value (Kubernetes keeps the
 *    last).  Keys that are collections are never compared.
 *  - Merge keys (a plain untagged `<<`, or one tagged
 *    tag:yaml.org,2002:merge) take a mapping or a sequence of mappings.
 *    The resulting mapping holds the explicit pairs in their order, then
 *    the merged pairs not already present, appended in merge order: a key
 *    written in the mapping wins wherever it stands, and among merged maps
 *    the earlier wins (several `<<` keys in one mapping merge in order, the
 *    earlier winning too).  Merged keys never warn as duplicates.  Any other
 *    merge value is an error.
 *  - An empty stream (or only comments) has no documents; an empty
 *    document (`---` alone) has an empty DOC_NULL plain scalar root.
 *  - limits fields left 0 take the defaults.
 */
#include "bhyaml.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#define YAML_DEFAULT_DEPTH 512u
#define YAML_DEFAULT_ALIAS_NODES 1000000u
#define YAML_DEFAULT_DOCUMENTS 10000u

#define POS_STRIDE 256u        /* characters between position checkpoints */
#define KEYS_LINEAR_MAX 16u    /* mappings up to this size compare pairwise */
#define TAG_CACHE 4u

#define YAML_TAG_PREFIX "tag:yaml.org,2002:"

bhyaml_limits bhyaml_default_limits(void)
{
    bhyaml_limits l = {YAML_DEFAULT_DEPTH, YAML_DEFAULT_ALIAS_NODES, YAML_DEFAULT_DOCUMENTS};
    return l;
}

/* ---- character index -> byte offset ---------------------------------- */

typedef struct posmap {
    const unsigned char *s;  /* the whole source */
    size_t len;              /* its length in bytes */
    size_t base;             /* bytes before libyaml's character 0 (a BOM) */
    size_t ascii;            /* characters [0, ascii) are single bytes */
    size_t cc, cb;           /* cursor: character cc starts at byte cb */
    uint32_t *ck;            /* ck[k]: byte of character ascii + k * POS_STRIDE */
    size_t nck;
} posmap;

/* Set up the map; false when the checkpoint table cannot be allocated. */
static bool posmap_init(posmap *pm, const unsigned char *s, size_t len, size_t base)
{
    memset(pm, 0, sizeof *pm);
    pm->s = s;
    pm->len = len;
    pm->base = base;
    size_t i = base;
    while (i < len && s[i] < 0x80)
        i++;
    pm->ascii = i - base;
    pm->cc = pm->ascii;
    pm->cb = i;
    if (i == len)
        return true;           /* all ASCII: no cursor walk ever */
    pm->ck = malloc(((len - i) / POS_STRIDE + 2) * sizeof *pm->ck);
    if (!pm->ck)
        return false;
    pm->ck[0] = (uint32_t)i;
    pm->nck = 1;
    return true;
}

static void posmap_release(posmap *pm) { free(pm->ck); }

/* posmap_byte past the ASCII prefix: walk from the cursor or from the
 * nearest checkpoint at or before c. */
static uint32_t posmap_walk(posmap *pm, size_t c)
{
    if (!pm->ck)                /* an all-ASCII source: c is past its end */
        return (uint32_t)pm->len;
    size_t k = (c - pm->ascii) / POS_STRIDE;
    if (k >= pm->nck)
        k = pm->nck - 1;
    size_t kc = pm->ascii + k * POS_STRIDE;
    if (c < pm->cc || kc > pm->cc) {
        pm->cc = kc;
        pm->cb = pm->ck[k];
    }
    const unsigned char *s = pm->s;
    size_t cc = pm->cc, cb = pm->cb, len = pm->len;
    while (cc < c && cb < len) {
        cb++;
        while (cb < len && (s[cb] & 0xC0) == 0x80)
            cb++;
        cc++;
        if ((cc - pm->ascii) % POS_STRIDE == 0 && (cc - pm->ascii) / POS_STRIDE == pm->nck)
            pm->ck[pm->nck++] = (uint32_t)cb;
    }
    pm->cc = cc;
    pm->cb = cb;
    return (uint32_t)cb;
}

/*
 * Byte offset of character c (libyaml's mark.index), clamped to the end
 * of the source.  Amortised O(1) for marks that mostly move forward; a
 * backward (or long forward) move restarts from a checkpoint.
 */
static inline uint32_t posmap_byte(posmap *pm, size_t c)
{
    if (c <= pm->ascii) {
        size_t b = pm->base + c;
        return (uint32_t)(b < pm->len ? b : pm->len);
    }
    return posmap_walk(pm, c);
}

/* ---- parser state ----------------------------------------------------- */

enum { FR_STREAM, FR_SEQ, FR_MAP };

typedef struct frame {
    uint8_t kind;
    bool has_merge;        /* a merge key was seen among its keys */
    uint32_t start;        /* byte offset of its start event */
    size_t base;           /* its first child on the child stack */
    size_t size;           /* nodes in its subtree so far, aliases expanded */
    const char *tag;       /* arena copy, or NULL */
    const char *anchor;    /* arena copy, or NULL */
} frame;

typedef struct anchor {
    const char *name;      /* NULL: free slot */
    doc_node *node;
    size_t size;           /* nodes reachable from node, aliases expanded */
} anchor;

typedef struct ytree {
    const bh_source *src;
    bh_arena *a;
    bh_diags *diags;
    bhyaml_limits lim;
    posmap pm;

    frame *frames;
    size_t nframes, frames_cap;
    doc_node **kids;
    size_t nkids, kids_cap;
    doc_node **mvals;             /* merge values of the mapping closing */
    size_t nmvals, mvals_cap;

    anchor *anchors;              /* open addressing, power-of-two capacity */
    size_t nanchors, anchors_cap;

    uint32_t *set;                /* key index + 1 per slot; 0 is empty */
    size_t set_cap;
    bool set_on;                  /* the set is in use for this mapping */

    const char *tags[TAG_CACHE];  /* recently copied tags, reused */
    unsigned tag_next;

    size_t alias_nodes;           /* budget used */
    size_t ndocs;
    bool failed;
} ytree;

static size_t sat_add(size_t a, size_t b) { return a > SIZE_MAX - b ? SIZE_MAX : a + b; }

static uint64_t hash_text(const char *s, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
    return h ^ (h >> 29);
}

/* Make room for need elements of size elem in *v (doubling); false when
 * memory is exhausted. */
static bool reserve(void **v, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return true;
    size_t n = *cap ? *cap : 64;
    while (n < need) {
        if (n > SIZE_MAX / 2 / elem)
            return false;
        n *= 2;
    }
    void *p = realloc(*v, n * elem);
    if (!p)
        return false;
    *v = p;
    *cap = n;
    return true;
}

static bh_span span_chars(ytree *T, size_t start, size_t end)
{
    uint32_t b = posmap_byte(&T->pm, start);
    uint32_t e = posmap_byte(&T->pm, end);
    return span_make(T->src, b, e < b ? b : e);
}

static bh_span span_of(ytree *T, const yaml_event_t *ev)
{
    return span_chars(T, ev->start_mark.index, ev->end_mark.index);
}

/* An error at a span; the parse is over. */
static void fail(ytree *T, bh_span at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fail(ytree *T, bh_span at, const char *fmt, ...)
{
    if (T->failed)
        return;
    T->failed = true;
    va_list ap;
    va_start(ap, fmt);
    diags_vadd(T->diags, DIAG_ERROR, at, fmt, ap);
    va_end(ap);
}

static void fail_oom(ytree *T, bh_span at) { fail(T, at, "out of memory while reading yaml"); }

/* Count n more nodes against the alias budget; false (after the error)
 * when it runs out. */
static bool spend(ytree *T, size_t n, bh_span at)
{
    T->alias_nodes = sat_add(T->alias_nodes, n);
    if (T->alias_nodes <= T->lim.max_alias_nodes)
        return true;
    fail(T, at, "alias expansion exceeds the limit of %zu nodes", T->lim.max_alias_nodes);
    return false;
}

/* ---- anchors ---------------------------------------------------------- */

static anchor *anchor_slot(anchor *tab, size_t cap, const char *name)
{
    size_t i = (size_t)hash_text(name, strlen(name)) & (cap - 1);
    while (tab[i].name && strcmp(tab[i].name, name) != 0)
        i = (i + 1) & (cap - 1);
    return &tab[i];
}

static anchor *anchor_find(ytree *T, const char *name)
{
    if (!T->nanchors)
        return NULL;
    anchor *s = anchor_slot(T->anchors, T->anchors_cap, name);
    return s->name ? s : NULL;
}

/* Define (or redefine) an anchor; name is an arena copy.  false on
 * exhaustion. */
static bool anchor_set(ytree *T, const char *name, doc_node *node, size_t size)
{
    if (2 * (T->nanchors + 1) > T->anchors_cap) {
        size_t cap = T->anchors_cap ? 2 * T->anchors_cap : 16;
        anchor *tab = calloc(cap, sizeof *tab);
        if (!tab)
            return false;
        for (size_t i = 0; i < T->anchors_cap; i++)
            if (T->anchors[i].name)
                *anchor_slot(tab, cap, T->anchors[i].name) = T->anchors[i];
        free(T->anchors);
        T->anchors = tab;
        T->anchors_cap = cap;
    }
    anchor *s = anchor_slot(T->anchors, T->anchors_cap, name);
    if (!s->name)
        T->nanchors++;
    s->name = name;
    s->node = node;
    s->size = size;
    return true;
}

static void anchors_clear(ytree *T)
{
    if (T->nanchors)
        memset(T->anchors, 0, T->anchors_cap * sizeof *T->anchors);
    T->nanchors = 0;
}

/* ---- keys of the mapping being closed --------------------------------- */

/* The kept pairs of the closing mapping are kids[base .. base + 2n); the
 * set indexes them by key text once there are more than KEYS_LINEAR_MAX. */

static bool key_same(const doc_node *a, const doc_node *b)
{
    return doc_kind_of(a) == DOC_SCALAR && doc_kind_of(b) == DOC_SCALAR &&
           doc_text_len(a) == doc_text_len(b) &&
           memcmp(doc_text(a), doc_text(b), doc_text_len(a)) == 0;
}

static void set_insert(ytree *T, size_t base, size_t i)
{
    const doc_node *k = T->kids[base + 2 * i];
    if (doc_kind_of(k) != DOC_SCALAR)
        return;
    size_t m = T->set_cap - 1;
    size_t h = (size_t)hash_text(doc_text(k), doc_text_len(k)) & m;
    while (T->set[h])
        h = (h + 1) & m;
    T->set[h] = (uint32_t)(i + 1);
}

/* Index of the kept pair whose key has the text of key, or -1. */
static long keys_find(ytree *T, size_t base, size_t n, const doc_node *key)
{
    if (doc_kind_of(key) != DOC_SCALAR)
        return -1;
    doc_node *const *kv = T->kids + base;
    if (!T->set_on) {
        for (size_t i = 0; i < n; i++)
            if (key_same(kv[2 * i], key))
                return (long)i;
        return -1;
    }
    size_t m = T->set_cap - 1;
    size_t h = (size_t)hash_text(doc_text(key), doc_text_len(key)) & m;
    for (uint32_t v; (v = T->set[h]) != 0; h = (h + 1) & m)
        if (key_same(kv[2 * (v - 1)], key))
            return (long)(v - 1);
    return -1;
}

/* Record that pair i (now kept) exists; builds or grows the set when the
 * mapping outgrows pairwise checks.  false on exhaustion. */
static bool keys_add(ytree *T, size_t base, size_t i)
{
    size_t n = i + 1;
    if (!T->set_on && n <= KEYS_LINEAR_MAX)
        return true;
    if (!T->set_on || 2 * n > T->set_cap) {
        size_t cap = 64;
        while (cap < 4 * n)
            cap *= 2;
        if (cap > T->set_cap) {
            uint32_t *s = realloc(T->set, cap * sizeof *s);
            if (!s)
                return false;
            T->set = s;
            T->set_cap = cap;
        }
        memset(T->set, 0, T->set_cap * sizeof *T->set);
        T->set_on = true;
        for (size_t j = 0; j < n; j++)
            set_insert(T, base, j);
        return true;
    }
    set_insert(T, base, i);
    return true;
}

static bool is_merge_key(const doc_node *k)
{
    if (doc_kind_of(k) != DOC_SCALAR)
        return false;
    const char *tag = doc_tag(k);
    if (tag)
        return strcmp(tag, YAML_TAG_PREFIX "merge") == 0;
    return doc_style_of(k) == DOC_PLAIN && doc_text_len(k) == 2 &&
           memcmp(doc_text(k), "<<", 2) == 0;
}

/* ---- building --------------------------------------------------------- */

/* An arena copy of a tag, shared with recent identical ones (CloudFormation
 * templates repeat !Ref and !Sub thousands of times). */
static const char *copy_tag(ytree *T, const char *tag)
{
    for (unsigned i = 0; i < TAG_CACHE; i++)
        if (T->tags[i] && strcmp(T->tags[i], tag) == 0)
            return T->tags[i];
    const char *c = arena_strdup(T->a, tag);
    if (c) {
        T->tags[T->tag_next] = c;
        T->tag_next = (T->tag_next + 1) % TAG_CACHE;
    }
    return c;
}

/* Append a finished node (of subtree size size) to the innermost open
 * frame.  false (after the error) on exhaustion. */
static bool add_child(ytree *T, doc_node *n, size_t size)
{
    frame *f = &T->frames[T->nframes - 1];
    if (!reserve((void **)&T->kids, &T->kids_cap, T->nkids + 1, sizeof *T->kids)) {
        fail_oom(T, doc_span(n));
        return false;
    }
    if (f->kind == FR_MAP && (T->nkids - f->base) % 2 == 0 && is_merge_key(n))
        f->has_merge = true;
    T->kids[T->nkids++] = n;
    f->size = sat_add(f->size, size);
    return true;
}

/* Whether doc_resolve_yaml11 could type text as anything but a string.
 * By its table (doc.h) the bool and null words are at most 5 bytes and
 * numbers start with a digit, a sign or '.': most plain scalars (keys,
 * names, images) skip the resolver's word lists.  Only a shortcut: when
 * unsure, true. */
static bool may_be_typed(const char *text, size_t len)
{
    if (len <= 5)
        return true;
    unsigned char c = (unsigned char)text[0];
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == '~';
}

/* The type a scalar's tag and style decide, with its typed value. */
static doc_type scalar_type(ytree *T, const yaml_event_t *ev, bool *b, int64_t *i, double *f)
{
    const char *tag = (const char *)ev->data.scalar.tag;
    const char *text = (const char *)ev->data.scalar.value;
    size_t len = ev->data.scalar.length;
    if (!tag) {
        bool plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE ||
                     ev->data.scalar.style == YAML_ANY_SCALAR_STYLE;
        return plain && may_be_typed(text, len) ? doc_resolve_yaml11(text, len, b, i, f)
                                                : DOC_STR;
    }
    if (strncmp(tag, YAML_TAG_PREFIX, sizeof YAML_TAG_PREFIX - 1) != 0)
        return DOC_STR;
    const char *t = tag + sizeof YAML_TAG_PREFIX - 1;
    if (strcmp(t, "null") == 0)
        return DOC_NULL;
    doc_type want;
    if (strcmp(t, "bool") == 0)
        want = DOC_BOOL;
    else if (strcmp(t, "int") == 0)
        want = DOC_INT;
    else if (strcmp(t, "float") == 0)
        want = DOC_FLOAT;
    else
        return DOC_STR;
    doc_type got = doc_resolve_yaml11(text, len, b, i, f);
    if (got == want)
        return got;
    if (want == DOC_FLOAT && got == DOC_INT) {
        *f = (double)*i;
        return DOC_FLOAT;
    }
    diags_add(T->diags, DIAG_WARNING, span_of(T, ev), "invalid !!%s value \"%.*s\"", t,
              len > 64 ? 64 : (int)len, text);
    return DOC_STR;
}

static doc_style scalar_style(yaml_scalar_style_t s)
{
    switch (s) {
    case YAML_SINGLE_QUOTED_SCALAR_STYLE: return DOC_SINGLE_QUOTED;
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return DOC_DOUBLE_QUOTED;
    case YAML_LITERAL_SCALAR_STYLE: return DOC_LITERAL;
    case YAML_FOLDED_SCALAR_STYLE: return DOC_FOLDED;
    default: return DOC_PLAIN;
    }
}

static bool on_scalar(ytree *T, const yaml_event_t *ev)
{
    bh_span at = span_of(T, ev);
    bool b = false;
    int64_t i = 0;
    double f = 0;
    doc_type type = scalar_type(T, ev, &b, &i, &f);
    doc_node *n = doc_new_scalar(T->a, at, (const char *)ev->data.scalar.value,
                                 ev->data.scalar.length, type,
                                 scalar_style(ev->data.scalar.style));
    if (!n) {
        fail_oom(T, at);
        return false;
    }
    if (type == DOC_BOOL)
        doc_set_bool(n, b);
    else if (type == DOC_INT)
        doc_set_int(n, i);
    else if (type == DOC_FLOAT)
        doc_set_float(n, f);
    if (ev->data.scalar.tag) {
        const char *tag = copy_tag(T, (const char *)ev->data.scalar.tag);
        if (!tag) {
            fail_oom(T, at);
            return false;
        }
        doc_set_tag(n, tag);
    }
    if (ev->data.scalar.anchor) {
        const char *name = arena_strdup(T->a, (const char *)ev->data.scalar.anchor);
        if (!name || !anchor_set(T, name, n, 1)) {
            fail_oom(T, at);
            return false;
        }
    }
    return add_child(T, n, 1);
}

static bool on_alias(ytree *T, const yaml_event_t *ev)
{
    bh_span at = span_of(T, ev);
    const char *name = (const char *)ev->data.alias.anchor;
    anchor *an = anchor_find(T, name);
    if (!an) {
        for (size_t i = T->nframes; i-- > 1;)
            if (T->frames[i].anchor && strcmp(T->frames[i].anchor, name) == 0) {
                fail(T, at, "alias \"%s\" refers to a collection that contains it", name);
                return false;
            }
        fail(T, at, "unknown alias \"%s\"", name);
        return false;
    }
    return spend(T, an->size, at) && add_child(T, an->node, an->size);
}

static bool on_start(ytree *T, const yaml_event_t *ev, bool is_map)
{
    bh_span at = span_of(T, ev);
    if (T->nframes > T->lim.max_depth) {   /* nframes - 1 open, plus this one */
        fail(T, at, "nesting deeper than %u levels", T->lim.max_depth);
        return false;
    }
    const yaml_char_t *tag = is_map ? ev->data.mapping_start.tag : ev->data.sequence_start.tag;
    const yaml_char_t *anc =
        is_map ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor;
    if (!reserve((void **)&T->frames, &T->frames_cap, T->nframes + 1, sizeof *T->frames)) {
        fail_oom(T, at);
        return false;
    }
    frame *f = &T->frames[T->nframes];
    memset(f, 0, sizeof *f);
    f->kind = is_map ? FR_MAP : FR_SEQ;
    f->start = at.start;
    f->base = T->nkids;
    f->size = 1;
    if (tag && !(f->tag = copy_tag(T, (const char *)tag))) {
        fail_oom(T, at);
        return false;
    }
    if (anc && !(f->anchor = arena_strdup(T->a, (const char *)anc))) {
        fail_oom(T, at);
        return false;
    }
    T->nframes++;
    return true;
}

/* Append the pairs of the mapping src not yet among the n kept pairs of
 * the closing mapping (at base); at is the merge value, for errors. */
static bool merge_from(ytree *T, size_t base, size_t *n, const doc_node *src, bh_span at)
{
    size_t len = doc_len(src);
    for (size_t i = 0; i < len; i++) {
        doc_node *k = doc_map_key(src, i);
        if (keys_find(T, base, *n, k) >= 0)
            continue;
        if (!spend(T, 2, at))
            return false;
        if (!reserve((void **)&T->kids, &T->kids_cap, T->nkids + 2, sizeof *T->kids)) {
            fail_oom(T, at);
            return false;
        }
        T->kids[T->nkids++] = k;
        T->kids[T->nkids++] = doc_map_val(src, i);
        if (!keys_add(T, base, (*n)++)) {
            fail_oom(T, at);
            return false;
        }
    }
    return true;
}

/*
 * Close the innermost mapping's pairs in place: drop merge keys (their
 * values go to mvals), fold duplicate keys into their first pair with a
 * warning, then append what the merge values add.  On return the pairs
 * are kids[f->base .. T->nkids).  false after an error.
 */
static bool close_map_pairs(ytree *T, const frame *f)
{
    size_t base = f->base;
    size_t npairs = (T->nkids - base) / 2;
    size_t w = 0;
    T->nmvals = 0;
    T->set_on = false;
    for (size_t r = 0; r < npairs; r++) {
        doc_node *k = T->kids[base + 2 * r], *v = T->kids[base + 2 * r + 1];
        if (f->has_merge && is_merge_key(k)) {
            if (!reserve((void **)&T->mvals, &T->mvals_cap, T->nmvals + 1, sizeof *T->mvals)) {
                fail_oom(T, doc_span(k));
                return false;
            }
            T->mvals[T->nmvals++] = v;
            continue;
        }
        long j = keys_find(T, base, w, k);
        if (j >= 0) {
            doc_node *first = T->kids[base + 2 * (size_t)j];
            size_t len = doc_text_len(k);
            diags_add_ctx(T->diags, DIAG_WARNING, doc_span(k), doc_span(first),
                          "first defined here", "duplicate key \"%.*s\"",
                          len > 128 ? 128 : (int)len, doc_text(k));
            T->kids[base + 2 * (size_t)j + 1] = v;
            continue;
        }
        T->kids[base + 2 * w] = k;
        T->kids[base + 2 * w + 1] = v;
        if (!keys_add(T, base, w++)) {
            fail_oom(T, doc_span(k));
            return false;
        }
    }
    T->nkids = base + 2 * w;
    for (size_t m = 0; m < T->nmvals; m++) {
        const doc_node *v = T->mvals[m];
        bh_span at = doc_span(v);
        if (doc_kind_of(v) == DOC_MAP) {
            if (!merge_from(T, base, &w, v, at))
                return false;
            continue;
        }
        if (doc_kind_of(v) == DOC_SEQ) {
            size_t len = doc_len(v);
            for (size_t i = 0; i < len; i++) {
                const doc_node *item = doc_seq_at(v, i);
                if (doc_kind_of(item) != DOC_MAP) {
                    fail(T, doc_span(item),
                         "merge key sequence item is not a mapping");
                    return false;
                }
                if (!merge_from(T, base, &w, item, doc_span(item)))
                    return false;
            }
            continue;
        }
        fail(T, at, "merge key value must be a mapping or a sequence of mappings");
        return false;
    }
    return true;
}

static bool on_end(ytree *T, const yaml_event_t *ev)
{
    bh_span end = span_of(T, ev);
    frame f = T->frames[T->nframes - 1];
    bh_span at = span_make(T->src, f.start, end.end < f.start ? f.start : end.end);
    doc_node *n;
    /* no child was ever pushed (an empty first collection): no array yet */
    doc_node **kids = T->kids ? T->kids + f.base : NULL;
    if (f.kind == FR_MAP) {
        if (!close_map_pairs(T, &f))
            return false;
        kids = T->kids ? T->kids + f.base : NULL;
        n = doc_new_map_from(T->a, at, kids, (T->nkids - f.base) / 2);
    } else {
        n = doc_new_seq_from(T->a, at, kids, T->nkids - f.base);
    }
    if (!n) {
        fail_oom(T, at);
        return false;
    }
    if (f.tag)
        doc_set_tag(n, f.tag);
    T->nkids = f.base;
    T->nframes--;
    if (f.anchor && !anchor_set(T, f.anchor, n, f.size)) {
        fail_oom(T, at);
        return false;
    }
    return add_child(T, n, f.size);
}

/* ---- libyaml errors --------------------------------------------------- */

/* "while parsing a block mapping" -> "block mapping started here". */
static void context_note(const char *ctx, char *buf, size_t size)
{
    static const char *const lead[] = {"while parsing ", "while scanning ", NULL};
    const char *p = ctx;
    for (size_t i = 0; lead[i]; i++)
        if (strncmp(p, lead[i], strlen(lead[i])) == 0) {
            p += strlen(lead[i]);
            if (strncmp(p, "a ", 2) == 0)
                p += 2;
            else if (strncmp(p, "an ", 3) == 0)
                p += 3;
            snprintf(buf, size, "%s started here", p);
            return;
        }
    snprintf(buf, size, "%s", ctx);
}

static void report_parser_error(ytree *T, const yaml_parser_t *p)
{
    const char *problem = p->problem ? p->problem : "invalid yaml";
    switch (p->error) {
    case YAML_MEMORY_ERROR:
        fail_oom(T, span_make(T->src, 0, 0));
        return;
    case YAML_READER_ERROR: {
        size_t len = source_len(T->src);
        uint32_t off = (uint32_t)(p->problem_offset < len ? p->problem_offset : len);
        fail(T, span_make(T->src, off, off), "%s", problem);
        return;
    }
    default:
        break;
    }
    bh_span at = span_chars(T, p->problem_mark.index, p->problem_mark.index);
    if (p->context) {
        char note[160];
        context_note(p->context, note, sizeof note);
        bh_span ctx = span_chars(T, p->context_mark.index, p->context_mark.index);
        T->failed = true;
        diags_add_ctx(T->diags, DIAG_ERROR, at, ctx, note, "%s", problem);
        return;
    }
    fail(T, at, "%s", problem);
}

/* ---- driver ----------------------------------------------------------- */

static bool on_event(ytree *T, const yaml_event_t *ev)
{
    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (++T->ndocs > T->lim.max_documents) {
            fail(T, span_of(T, ev), "more than %zu documents in one stream",
                 T->lim.max_documents);
            return false;
        }
        anchors_clear(T);
        return true;
    case YAML_SCALAR_EVENT:
        return on_scalar(T, ev);
    case YAML_ALIAS_EVENT:
        return on_alias(T, ev);
    case YAML_SEQUENCE_START_EVENT:
        return on_start(T, ev, false);
    case YAML_MAPPING_START_EVENT:
        return on_start(T, ev, true);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        return on_end(T, ev);
    default:
        return true;
    }
}

long bhyaml_parse(const bh_source *src, bh_arena *a, const bhyaml_limits *limits,
                  doc_node ***docs, bh_diags *diags)
{
    return bhyaml_parse_range(src, 0, (uint32_t)source_len(src), a, limits, docs, diags);
}

long bhyaml_parse_range(const bh_source *src, uint32_t start, uint32_t end, bh_arena *a,
                        const bhyaml_limits *limits, doc_node ***docs, bh_diags *diags)
{
    *docs = NULL;
    ytree T;
    memset(&T, 0, sizeof T);
    T.src = src;
    T.a = a;
    T.diags = diags;
    T.lim = bhyaml_default_limits();
    if (limits) {
        if (limits->max_depth)
            T.lim.max_depth = limits->max_depth;
        if (limits->max_alias_nodes)
            T.lim.max_alias_nodes = limits->max_alias_nodes;
        if (limits->max_documents)
            T.lim.max_documents = limits->max_documents;
    }

    const unsigned char *data = (const unsigned char *)source_data(src);
    size_t len = source_len(src);
    if (end > len)
        end = (uint32_t)len;
    if (start > end)
        start = end;
    len = end;                  /* the bytes libyaml sees: [start, end) */
    if (start == 0 && len >= 2 &&
        ((data[0] == 0xFF && data[1] == 0xFE) || (data[0] == 0xFE && data[1] == 0xFF))) {
        diags_add(diags, DIAG_ERROR, span_make(src, 0, 2), "utf-16 input is not supported");
        return -1;
    }
    size_t bom = start == 0 && len >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF
                     ? 3 : 0;
    if (!posmap_init(&T.pm, data, len, start + bom)) {
        diags_add(diags, DIAG_ERROR, span_make(src, 0, 0), "out of memory while reading yaml");
        return -1;
    }

    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        posmap_release(&T.pm);
        diags_add(diags, DIAG_ERROR, span_make(src, 0, 0), "out of memory while reading yaml");
        return -1;
    }
    yaml_parser_set_input_string(&parser, data + start, len - start);

    /* the stream frame: its children are the document roots */
    if (!reserve((void **)&T.frames, &T.frames_cap, 1, sizeof *T.frames))
        fail_oom(&T, span_make(src, 0, 0));
    else
        T.frames[T.nframes++] = (frame){.kind = FR_STREAM};

    while (!T.failed) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            report_parser_error(&T, &parser);
            break;
        }
        bool done = ev.type == YAML_STREAM_END_EVENT;
        on_event(&T, &ev);
        yaml_event_delete(&ev);
        if (done)
            break;
    }
    yaml_parser_delete(&parser);

    long result = -1;
    if (!T.failed) {
        size_t n = T.nkids;
        doc_node **roots = arena_alloc(a, (n ? n : 1) * sizeof *roots);
        if (!roots) {
            fail_oom(&T, span_make(src, 0, 0));
        } else {
            if (n)
                memcpy(roots, T.kids, n * sizeof *roots);
            *docs = roots;
            result = (long)n;
        }
    }
    posmap_release(&T.pm);
    free(T.frames);
    free(T.kids);
    free(T.mvals);
    free(T.anchors);
    free(T.set);
    return result;
}

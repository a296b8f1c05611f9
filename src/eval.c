/*
 * eval.c - evaluating a policy's logic over one object (see policy.h and
 * docs/policy-format.md, "logic.yaml").
 *
 * A verdict is decided in the scratch arena: conditions in order, the
 * first true `when` decides, an unknown `when` decides UNDETERMINED at
 * once, and an each step decides only when some item is INCOMPLIANT (or,
 * failing that, UNDETERMINED); otherwise evaluation goes on.  Every item
 * verdict is collected on the way for the result's `related` list.  Only
 * when the verdict is known is anything copied into the results arena: the
 * message, the place, the source line, the trace, the related items.
 *
 * This runs for every policy and every object, possibly on several threads
 * at once: it reads the catalog and the object and writes nothing but the
 * scratch arena and the results list it is given.
 */
#include <stdint.h>
#include <string.h>

#include "policy_int.h"
#include "strbuf.h"

/* Source lines longer than this are cut to a window around the position. */
#define LINE_TEXT_MAX 1024
#define CONTEXT_LINES 2      /* source lines kept before and after a finding's */

typedef struct verdict {
    bh_status status;
    const doc_node *at;         /* the deciding node; NULL: at `fallback` */
    bh_span fallback;           /* the item, or the object */
    const doc_node *unknown;    /* UNDETERMINED by an unknown: that node */
    const char *message;        /* scratch */
    const char *remediation;    /* scratch; NULL: none given */
} verdict;

/* The verdict on one item of a related list. */
typedef struct item {
    const char *list, *name;
    verdict v;
} item;

typedef struct ev {
    const bh_policy *p;
    const bh_object *obj;
    bh_arena *s;                /* scratch */
    item *items;                /* every item verdict so far, in scratch */
    size_t n, cap;
} ev;

/* ---- strings in scratch ------------------------------------------------ */

typedef struct sbuf {
    bh_arena *a;
    char *p;
    size_t n, cap;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 128;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *p = arena_realloc(b->a, b->p, b->cap, cap);
        if (!p)
            return;             /* the message is cut, never lost */
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void sb_str(sbuf *b, const char *s) { sb_add(b, s, strlen(s)); }
static const char *sb_text(const sbuf *b) { return b->p ? b->p : ""; }

/* A template with its holes filled from ctx; `{items}` is `items`. */
static const char *render(ev *e, const tpl *t, const doc_node *ctx, const char *items)
{
    sbuf b = {.a = e->s};
    for (size_t i = 0; i < t->n; i++) {
        const tpl_seg *g = &t->v[i];
        if (g->lit)
            sb_add(&b, g->lit, g->len);
        else if (g->items)
            sb_str(&b, items ? items : "");
        else
            sb_str(&b, expr_render(e->s, expr_value(g->e, ctx, e->s)));
    }
    return sb_text(&b);
}

/* ---- deciding ------------------------------------------------------------ */

static void undetermined(ev *e, const bh_expr *x, const doc_node *u, bh_span fallback,
                         verdict *v)
{
    const char *text = u && doc_text_len(u) ? doc_text(u) : expr_text(x);
    const char *msg = arena_printf(e->s, "cannot decide: \"%s\" is not known statically", text);
    *v = (verdict){ST_UNDETERMINED, u, fallback, u, msg ? msg : "cannot decide", NULL};
}

static bool eval_each(ev *e, const pcond *c, const doc_node *ctx, bh_span fallback, verdict *v);

/* Decide a block over ctx.  `self` is where the otherwise is placed (the
 * item), NULL for the object (fallback). */
static void eval_block(ev *e, const pblock *b, const doc_node *ctx, const doc_node *self,
                       bh_span fallback, verdict *v)
{
    for (size_t i = 0; i < b->n; i++) {
        const pcond *c = &b->v[i];
        if (c->is_each) {
            if (eval_each(e, c, ctx, fallback, v))
                return;
            continue;
        }
        expr_outcome o = expr_test(c->when, ctx, e->s);
        if (o.value == TV_UNKNOWN) {
            undetermined(e, c->when, o.unknown ? o.unknown : o.decider, fallback, v);
            return;
        }
        if (o.value == TV_TRUE) {
            *v = (verdict){c->status, o.decider, fallback, NULL, render(e, &c->message, ctx, NULL),
                           c->remediation.set ? render(e, &c->remediation, ctx, NULL) : NULL};
            return;
        }
    }
    *v = (verdict){b->other_status, self, fallback, NULL, render(e, &b->other_message, ctx, NULL),
                   b->other_remediation.set ? render(e, &b->other_remediation, ctx, NULL) : NULL};
}

static const char *item_name(ev *e, const pcond *c, const doc_node *it, size_t i)
{
    if (c->name) {
        const doc_node *n = expr_value(c->name, it, e->s);
        const char *s = n ? expr_render(e->s, n) : "";
        if (*s)
            return s;
    }
    const char *s = arena_printf(e->s, "%zu", i);
    return s ? s : "?";
}

/* An INCOMPLIANT item's remediation: its condition's, else the policy's. */
static const char *item_remediation(const ev *e, const item *x)
{
    if (x->v.remediation)
        return x->v.remediation;
    return e->p->remediation ? e->p->remediation : "";
}

static bool push_item(ev *e, const item *x)
{
    if (e->n == e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 16;
        item *v = arena_realloc(e->s, e->items, e->cap * sizeof *v, cap * sizeof *v);
        if (!v)
            return false;
        e->items = v;
        e->cap = cap;
    }
    e->items[e->n++] = *x;
    return true;
}

/* An each step: every item gets a verdict (kept in e->items); true when
 * the step decides the parent (an INCOMPLIANT item, else an UNDETERMINED
 * one, or an unknown list), false to go on with the next condition. */
static bool eval_each(ev *e, const pcond *c, const doc_node *ctx, bh_span fallback, verdict *v)
{
    const doc_node *list = expr_value(c->list, ctx, e->s);
    if (list && doc_kind_of(list) == DOC_UNKNOWN) {
        undetermined(e, c->list, list, fallback, v);
        return true;
    }
    if (!list || doc_kind_of(list) != DOC_SEQ)
        return false;           /* missing, null or not a list: no items */
    size_t first = e->n;
    for (size_t i = 0; i < doc_len(list); i++) {
        const doc_node *it = doc_seq_at(list, i);
        item x = {expr_text(c->list), NULL, {0}};
        bh_span isp = doc_span(it);
        if (!span_valid(isp))
            isp = fallback;
        eval_block(e, &c->body, it, it, isp, &x.v);
        x.name = item_name(e, c, it, i);
        if (!push_item(e, &x))
            break;
    }
    size_t hit = SIZE_MAX;
    for (size_t k = first; k < e->n && hit == SIZE_MAX; k++)
        if (e->items[k].v.status == ST_INCOMPLIANT)
            hit = k;
    for (size_t k = first; k < e->n && hit == SIZE_MAX; k++)
        if (e->items[k].v.status == ST_UNDETERMINED)
            hit = k;
    if (hit == SIZE_MAX)
        return false;
    bh_status st = e->items[hit].v.status;

    sbuf msg = {.a = e->s}, names = {.a = e->s}, rem = {.a = e->s};
    for (size_t k = first; k < e->n; k++) {
        const item *x = &e->items[k];
        if (x->v.status != st)
            continue;
        if (names.n)
            sb_str(&names, ", ");
        sb_str(&names, "\"");
        sb_str(&names, x->name);
        sb_str(&names, "\"");
        if (msg.n)
            sb_str(&msg, "; ");
        sb_str(&msg, x->v.message);
        if (st != ST_INCOMPLIANT)
            continue;
        /* each distinct remediation once, in item order */
        const char *r = item_remediation(e, x);
        bool seen = false;
        for (size_t j = first; j < k && !seen; j++)
            seen = e->items[j].v.status == st && strcmp(item_remediation(e, &e->items[j]), r) == 0;
        if (!seen) {
            if (rem.n)
                sb_str(&rem, "; ");
            sb_str(&rem, r);
        }
    }
    const char *items = sb_text(&names);
    *v = e->items[hit].v;
    v->message = c->message.set ? render(e, &c->message, ctx, items) : sb_text(&msg);
    if (c->remediation.set)
        v->remediation = render(e, &c->remediation, ctx, items);
    else
        v->remediation = st == ST_INCOMPLIANT && rem.n ? sb_text(&rem) : NULL;
    return true;
}

/* ---- recording ----------------------------------------------------------- */

static bh_span place(const verdict *v)
{
    if (v->at && span_valid(doc_span(v->at)))
        return doc_span(v->at);
    return v->fallback;
}

static const char *intern(bh_results *out, const char *s)
{
    const char *c = results_intern(out, s);
    return c ? c : "";
}

/* The source line under sp, cut to a window of LINE_TEXT_MAX bytes around
 * the position on long lines (minified JSON), "..." marking the cut. */
static unsigned code_points(const char *s, size_t n)
{
    unsigned k = 0;
    for (size_t i = 0; i < n; i++)
        k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

static const char *line_text(bh_arena *a, bh_span sp, unsigned *col)
{
    *col = 0;
    if (!span_valid(sp))
        return "";
    size_t n = 0;
    const char *t = source_line_text(sp.src, sp.start, &n);
    if (!t)
        return "";
    size_t at = (size_t)(source_data(sp.src) + sp.start - t);
    if (n <= LINE_TEXT_MAX) {
        const char *s = arena_strndup(a, t, n);
        *col = code_points(t, at < n ? at : n) + 1;
        return s ? s : "";
    }
    size_t from = at > LINE_TEXT_MAX / 2 ? at - LINE_TEXT_MAX / 2 : 0;
    while (from > 0 && ((unsigned char)t[from] & 0xC0) == 0x80)
        from--;
    *col = (from ? 3 : 0) + code_points(t + from, at - from) + 1;
    size_t len = n - from < LINE_TEXT_MAX ? n - from : LINE_TEXT_MAX;
    while (from + len < n && len > 0 && ((unsigned char)t[from + len] & 0xC0) == 0x80)
        len--;
    const char *s = arena_printf(a, "%s%.*s%s", from ? "..." : "", (int)len, t + from,
                                 from + len < n ? "..." : "");
    return s ? s : "";
}

/* The line next to the one at [*start, *end) of src, dir -1 before it
 * and +1 after it, moving *start and *end to it; NULL at either end. */
static const char *next_line(const bh_source *src, size_t *start, size_t *end, int dir)
{
    const char *data = source_data(src);
    size_t total = source_len(src), n = 0, at;
    if (dir < 0) {
        if (*start == 0)
            return NULL;
        at = *start - 1;                       /* the previous line's ending */
    } else {
        if (*end >= total)
            return NULL;
        at = *end + (data[*end] == '\r' && data[*end + 1] == '\n' ? 2 : 1);   /* NUL-ended */
        if (at >= total)
            return NULL;
    }
    const char *t = source_line_text(src, (uint32_t)at, &n);
    *start = (size_t)(t - data);
    *end = *start + n;
    return t;
}

/* Up to CONTEXT_LINES source lines before (dir -1) or after (dir +1) the
 * line under sp, in file order, "\n" between them, each cut to
 * LINE_TEXT_MAX bytes ("..." marking a cut): the HTML dashboard's excerpt
 * around a finding.  "" when there is none. */
static const char *context_lines(bh_arena *a, bh_span sp, int dir)
{
    if (!span_valid(sp))
        return "";
    size_t n = 0;
    const char *t = source_line_text(sp.src, sp.start, &n);
    size_t start = (size_t)(t - source_data(sp.src)), end = start + n;
    const char *line[CONTEXT_LINES];
    size_t len[CONTEXT_LINES], k = 0;
    for (; k < CONTEXT_LINES && (line[k] = next_line(sp.src, &start, &end, dir)); k++)
        len[k] = end - start;
    strbuf b = {0};
    for (size_t i = 0; i < k; i++) {
        size_t j = dir < 0 ? k - 1 - i : i, cut = len[j] < LINE_TEXT_MAX ? len[j] : LINE_TEXT_MAX;
        while (cut < len[j] && cut > 0 && ((unsigned char)line[j][cut] & 0xC0) == 0x80)
            cut--;
        if (i)
            strbuf_put(&b, "\n", 1);
        strbuf_put(&b, line[j], cut);
        if (cut < len[j])
            strbuf_puts(&b, "...");
    }
    const char *r = b.n && !b.failed ? arena_strndup(a, b.p, b.n) : "";
    strbuf_free(&b);
    return r ? r : "";
}

static size_t trace_len(const doc_node *n)
{
    size_t k = 0;
    for (const doc_trace *t = n ? doc_trace_of(n) : NULL; t; t = t->next)
        k++;
    return k;
}

static size_t add_trace(bh_results *out, bh_trace_entry *v, size_t k, const doc_node *n)
{
    for (const doc_trace *t = n ? doc_trace_of(n) : NULL; t; t = t->next) {
        v[k].loc = results_loc(out, t->at);
        v[k].note = intern(out, t->note);
        k++;
    }
    return k;
}

static void record(ev *e, const verdict *v, bh_results *out)
{
    bh_arena *ra = results_arena(out);
    bh_result *r = results_push(out);
    if (!r)
        return;
    const bh_policy *p = e->p;
    r->policy = p->id;
    r->status = v->status;
    r->severity = p->severity;
    bh_span sp = place(v);
    r->loc = results_loc(out, sp);
    r->object_loc = results_loc(out, e->obj->span);
    /* the source line is for excerpts of findings; a passing verdict does
     * not carry it (most results are COMPLIANT: memory follows findings) */
    if (v->status == ST_INCOMPLIANT || v->status == ST_UNDETERMINED) {
        r->line_text = line_text(ra, sp, &r->line_col);
        r->lines_before = context_lines(ra, sp, -1);
        r->lines_after = context_lines(ra, sp, 1);
    } else {
        r->line_text = r->lines_before = r->lines_after = "";
    }
    r->object = intern(out, e->obj->name);
    r->object_type = p->input;
    r->message = intern(out, v->message);
    if (v->remediation)
        r->remediation = intern(out, v->remediation);
    else if (v->status == ST_INCOMPLIANT && p->remediation)
        r->remediation = p->remediation;        /* the catalog outlives results */
    else
        r->remediation = "";

    const doc_node *extra = v->unknown && v->unknown != v->at ? v->unknown : NULL;
    size_t nt = trace_len(v->at) + trace_len(extra);
    if (nt && (r->trace = arena_alloc(ra, nt * sizeof *r->trace))) {
        size_t k = add_trace(out, r->trace, 0, v->at);
        r->ntrace = add_trace(out, r->trace, k, extra);
    }
    if (e->n && (r->related = arena_alloc(ra, e->n * sizeof *r->related))) {
        for (size_t i = 0; i < e->n; i++) {
            const item *x = &e->items[i];
            bh_related *rel = &r->related[i];
            rel->list = x->list;                /* catalog-owned */
            rel->name = intern(out, x->name);
            rel->status = x->v.status;
            rel->message = intern(out, x->v.message);
            rel->loc = results_loc(out, place(&x->v));
        }
        r->nrelated = e->n;
    }
}

void policy_eval_in(const bh_policy *p, const bh_object *obj, bh_results *out,
                    bh_arena *scratch)
{
    ev e = {.p = p, .obj = obj, .s = scratch};
    verdict v;
    eval_block(&e, &p->logic, obj->root, NULL, obj->span, &v);
    record(&e, &v, out);
}

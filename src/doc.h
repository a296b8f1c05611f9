/*
 * doc.h - the document tree: one source-positioned tree for every input
 * format (YAML, JSON, and the values the Terraform and CloudFormation
 * evaluators compute).
 *
 * Nodes are mappings (ordered pairs; keys are nodes with their own spans),
 * sequences, scalars and unknowns.  A scalar keeps its text (always
 * NUL-terminated), its resolved type (string, int, float, bool, null), its
 * style (plain or quoted: a plain `yes` and a quoted "yes" differ) and its
 * YAML tag (`!Ref`, ...).  An unknown is a value that cannot be known
 * statically (an unresolved variable or intrinsic): it keeps the text of
 * the expression that produced it and where that expression is.
 *
 * Every node has a span into the source it came from and may carry a trace:
 * the places a value travelled through (a variable default, a tfvars line,
 * a CloudFormation parameter), newest first.
 *
 * Ownership: nodes live in the arena they were created in; the tree may be
 * a DAG (YAML aliases share nodes).  Nothing here prints or exits; the
 * constructors return NULL (or false) only when the arena is exhausted.
 */
#ifndef BH_DOC_H
#define BH_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "source.h"

typedef enum doc_kind { DOC_SCALAR, DOC_MAP, DOC_SEQ, DOC_UNKNOWN } doc_kind;

typedef enum doc_type { DOC_STR, DOC_INT, DOC_FLOAT, DOC_BOOL, DOC_NULL } doc_type;

typedef enum doc_style {
    DOC_PLAIN,          /* YAML plain scalar; JSON number, true, false, null */
    DOC_SINGLE_QUOTED,
    DOC_DOUBLE_QUOTED,  /* also every JSON string */
    DOC_LITERAL,        /* YAML | block */
    DOC_FOLDED          /* YAML > block */
} doc_style;

typedef struct doc_node doc_node;

typedef struct doc_trace {
    bh_span at;
    const char *note;            /* e.g. "from variable \"mode\" default" */
    const struct doc_trace *next;
} doc_trace;

/* ---- reading ---------------------------------------------------------- */

doc_kind doc_kind_of(const doc_node *n);
bh_span doc_span(const doc_node *n);
const char *doc_tag(const doc_node *n);          /* NULL when untagged */
const doc_trace *doc_trace_of(const doc_node *n);

/* Scalars: text (NUL-terminated; "" for other kinds), its length, type and
 * style.  An unknown's text is its expression. */
const char *doc_text(const doc_node *n);
size_t doc_text_len(const doc_node *n);
doc_type doc_type_of(const doc_node *n);        /* DOC_NULL for non-scalars */
doc_style doc_style_of(const doc_node *n);
bool doc_is_quoted(const doc_node *n);

/* Typed values: true when n is a scalar of that type, storing its value. */
bool doc_bool(const doc_node *n, bool *out);
bool doc_int(const doc_node *n, int64_t *out);
bool doc_float(const doc_node *n, double *out); /* ints convert too */

/* Whether n is a scalar whose text equals s (any type). */
bool doc_text_eq(const doc_node *n, const char *s);

/* Mappings and sequences: number of pairs or items (0 for scalars). */
size_t doc_len(const doc_node *n);
doc_node *doc_map_key(const doc_node *map, size_t i);
doc_node *doc_map_val(const doc_node *map, size_t i);
doc_node *doc_seq_at(const doc_node *seq, size_t i);

/* Value of key in a mapping (the last pair with that key), or NULL when n
 * is not a mapping or has no such key.  _ci matches ASCII case-insensitively. */
doc_node *doc_get(const doc_node *map, const char *key);
doc_node *doc_get_ci(const doc_node *map, const char *key);
/* Index of the pair with that key (last one), or -1. */
long doc_map_find(const doc_node *map, const char *key, size_t key_len);

/* Follow a dotted path of mapping keys ("spec.template.spec"); NULL when a
 * step is missing. */
doc_node *doc_path(const doc_node *n, const char *dotted);

/* What n is, for messages: "a mapping", "a list", "an unknown value", "a
 * quoted string", "a string", "an integer", "a number", "a boolean",
 * "null", or "nothing" for NULL. */
const char *doc_describe(const doc_node *n);

/* ---- building ------------------------------------------------------- */

/* A scalar; text[0..len) is copied into the arena. */
doc_node *doc_new_scalar(bh_arena *a, bh_span at, const char *text, size_t len,
                         doc_type type, doc_style style);
/* As doc_new_scalar, the text already NUL-terminated and owned by the arena
 * (or static): not copied. */
doc_node *doc_wrap_scalar(bh_arena *a, bh_span at, const char *text, size_t len,
                          doc_type type, doc_style style);
doc_node *doc_new_bool(bh_arena *a, bh_span at, bool v);
doc_node *doc_new_int(bh_arena *a, bh_span at, int64_t v);
doc_node *doc_new_str(bh_arena *a, bh_span at, const char *s);
doc_node *doc_new_map(bh_arena *a, bh_span at);
doc_node *doc_new_seq(bh_arena *a, bh_span at);
/* A mapping of npairs pairs from kv (key, value, key, value, ...), or a
 * sequence of the n items, its child array copied into the arena in one
 * block of the exact size (parsers collect children on a scratch stack).
 * Appending later still works. */
doc_node *doc_new_map_from(bh_arena *a, bh_span at, doc_node *const *kv, size_t npairs);
doc_node *doc_new_seq_from(bh_arena *a, bh_span at, doc_node *const *items, size_t n);
doc_node *doc_new_unknown(bh_arena *a, bh_span at, const char *expr_text);

/* Store the typed value of a scalar whose type a resolver decided. */
void doc_set_int(doc_node *n, int64_t v);
void doc_set_float(doc_node *n, double v);
void doc_set_bool(doc_node *n, bool v);

/* Append a pair or an item (no duplicate check).  false on exhaustion. */
bool doc_map_append(bh_arena *a, doc_node *map, doc_node *key, doc_node *val);
/* Set key to val: replaces the value of an existing pair, else appends. */
bool doc_map_put(bh_arena *a, doc_node *map, const char *key, doc_node *val);
void doc_map_set_val(doc_node *map, size_t i, doc_node *val);
void doc_seq_set(doc_node *seq, size_t i, doc_node *item);
bool doc_seq_append(bh_arena *a, doc_node *seq, doc_node *item);

void doc_set_tag(doc_node *n, const char *tag);    /* tag owned by the arena */
void doc_set_span(doc_node *n, bh_span at);

/* A shallow copy (same children), e.g. to give a value another span or
 * trace without touching the original. */
doc_node *doc_copy(bh_arena *a, const doc_node *n);

/* Prepend a trace entry (note is copied).  false on exhaustion. */
bool doc_add_trace(bh_arena *a, doc_node *n, bh_span at, const char *note);
void doc_set_trace(doc_node *n, const doc_trace *t);

/* ---- YAML 1.1 scalar resolution (as Kubernetes reads it) -------------
 * Applied by the YAML reader to untagged plain scalars; exposed for the
 * adapters that cast strings (Compose).  true: y Y yes Yes YES true True
 * TRUE on On ON; false: n N no No NO false False FALSE off Off OFF; null: ~
 * null Null NULL and empty; ints in Go base-0 form (0644 octal, 0x1F,
 * 0b101, underscores dropped); floats. */
doc_type doc_resolve_yaml11(const char *text, size_t len, bool *b, int64_t *i, double *f);

#endif

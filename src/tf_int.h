/*
 * tf_int.h - what the Terraform evaluator's files share (tfeval.c: the
 * module and the expression language; tffunc.c: the functions; tfvalue.c:
 * values, conversions and JSON).  Not a public interface: see tfeval.h.
 */
#ifndef BH_TF_INT_H
#define BH_TF_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"
#include "doc.h"
#include "hcl.h"
#include "tfeval.h"

typedef struct tf_eval tf_eval;   /* one evaluation (a scan unit) */
typedef struct tf_mod tf_mod;     /* one module instance */

/* A name bound while evaluating: a `for` variable, each, count, a dynamic
 * block's iterator, templatefile's variables, a splat's current item
 * (name NULL, item set). */
typedef struct tf_scope {
    const char *name;
    const hcl_expr *item;
    doc_node *val;
    const struct tf_scope *next;
} tf_scope;

/* The context of one expression evaluation. */
typedef struct tf_ctx {
    tf_eval *e;
    tf_mod *m;                      /* NULL: no references allowed (tfvars) */
    const tf_scope *scope;
} tf_ctx;

/* ---- values (tfvalue.c) ------------------------------------------------ */

typedef enum tf_type { TF_UNKNOWN, TF_NULL, TF_BOOL, TF_NUM, TF_STR, TF_LIST, TF_MAP } tf_type;

tf_type tf_type_of(const doc_node *v);   /* a "!json" tree is a TF_STR */
const char *tf_type_name(tf_type t);     /* "string", "number", ... */
bool tf_is_unknown(const doc_node *v);
/* The first unknown inside v (v itself, an item, a value), or NULL. */
const doc_node *tf_find_unknown(const doc_node *v);

doc_node *tf_str(bh_arena *a, bh_span at, const char *s, size_t len);
doc_node *tf_num_i(bh_arena *a, bh_span at, int64_t v);
doc_node *tf_num_f(bh_arena *a, bh_span at, double v);
doc_node *tf_bool(bh_arena *a, bh_span at, bool v);
doc_node *tf_null(bh_arena *a, bh_span at);
/* A number from HCL text ("1.5e3"); NULL when it does not parse. */
doc_node *tf_num_text(bh_arena *a, bh_span at, const char *text, size_t len);

/* The text of a string value ("!json" trees are encoded); NULL when v is
 * not a string or memory ran out. */
const char *tf_text(bh_arena *a, const doc_node *v, size_t *len);
/* A primitive as a string (numbers and bools converted, as in templates);
 * NULL for null, collections, unknowns. */
const char *tf_to_text(bh_arena *a, const doc_node *v, size_t *len);
bool tf_to_number(const doc_node *v, double *out, bool *is_int, int64_t *iv);
bool tf_to_bool(const doc_node *v, bool *out);
/* Deep equality of known values (type and value). */
bool tf_equal(const doc_node *a, const doc_node *b);
/* JSON text of v (unknowns are an error: false). */
const char *tf_json_encode(bh_arena *a, const doc_node *v, size_t *len);
/* v placed at `at` (a shallow copy keeping v's trace), NULL on exhaustion. */
doc_node *tf_moved(bh_arena *a, const doc_node *v, bh_span at);

/* ---- evaluation (tfeval.c) --------------------------------------------- */

/* Evaluate x; NULL after recording an error with tf_fail (try() and can()
 * catch it; elsewhere it becomes a diagnostic and an unknown). */
doc_node *tf_ev(const tf_ctx *c, const hcl_expr *x);
/* Record an evaluation error at `at`; always returns NULL. */
doc_node *tf_fail(const tf_ctx *c, bh_span at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* An unknown value for the expression written at `at`. */
doc_node *tf_unknown(const tf_ctx *c, bh_span at);
/* Errors recorded so far (to roll back a caught one) and the last one. */
unsigned tf_error_mark(const tf_ctx *c);
void tf_error_reset(const tf_ctx *c, unsigned mark);
bh_arena *tf_arena(const tf_ctx *c);
/* Charge n steps against the budget; false (with an error) when spent. */
bool tf_charge(const tf_ctx *c, bh_span at, unsigned long n);

/* Read a file for file()/templatefile(): path relative to the root
 * module's directory; NULL after tf_fail when it may not or cannot be
 * read.  The source lives as long as the evaluation. */
const bh_source *tf_read_file(const tf_ctx *c, bh_span at, const char *path);

/* Render a template read from a file (templatefile), tracked for
 * tf_decode_json. */
doc_node *tf_render_file(const tf_ctx *c, const hcl_expr *t);

/* jsondecode(v): as tf_decode_json, an error recorded with tf_fail. */
doc_node *tf_jsondecode(const tf_ctx *c, const doc_node *v, bh_span at);

/* ---- functions (tffunc.c) ---------------------------------------------- */

/* Call the function of a HCL_E_CALL expression. */
doc_node *tf_call(const tf_ctx *c, const hcl_expr *call);

#endif

/*
 * expr.h - the policy expression language: checks over document trees,
 * evaluated in three-valued (Kleene) logic.
 *
 * The language is specified in docs/policy-format.md ("Expressions").  In
 * short: field paths (`linuxParameters.capabilities.add`, `volumes[0]`,
 * `it` for the current item), literals, lists, == != < <= > >=, in,
 * not in, and/or/not, and the functions exists empty len known lower upper
 * capability contains starts_with ends_with matches any all count.
 *
 * A path that reaches an unknown node (a value that could not be resolved
 * statically) makes the expression that depends on it unknown, unless the
 * outcome does not depend on it (`false and unknown` is false).  Every
 * outcome names the node that decided it (for the result's position) and,
 * when unknown, the unknown node (for the UNDETERMINED message).
 *
 * Ownership: a parsed expression lives in the arena given to expr_parse,
 * except the regular expressions of matches(), compiled at parse time with
 * regcomp(): call expr_release() on every parsed expression before freeing
 * that arena.  Evaluation allocates nothing but temporaries in the arena
 * passed in.
 */
#ifndef BH_EXPR_H
#define BH_EXPR_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "doc.h"
#include "source.h"

typedef struct bh_expr bh_expr;

typedef enum tv { TV_FALSE, TV_TRUE, TV_UNKNOWN } tv;

typedef struct expr_outcome {
    tv value;
    /* The node that decided the outcome: the value a path resolved to, or,
     * for a missing path, the nearest node that exists on the way (the
     * item or the object).  May be NULL (a literal-only expression). */
    const doc_node *decider;
    /* When value is TV_UNKNOWN: the unknown node responsible. */
    const doc_node *unknown;
} expr_outcome;

/*
 * Parse text[0..len).  `where` is the span of the text in the file it came
 * from (a logic.yaml scalar), used to place syntax errors; may be empty.
 * NULL after adding an error diagnostic ("expected ')' after arguments").
 */
bh_expr *expr_parse(bh_arena *a, const char *text, size_t len, bh_span where,
                    bh_diags *diags);

/* Free what e holds outside its arena (compiled regular expressions).  Call
 * before freeing the arena e lives in; e must not be evaluated afterwards.
 * NULL and a second call are no-ops. */
void expr_release(bh_expr *e);

/* The source text the expression was parsed from. */
const char *expr_text(const bh_expr *e);

/*
 * Evaluate e as a condition against ctx (the object root, or the current
 * item of a related list, which is also what `it` names).  A value that is
 * not a boolean is false (a path to a string is not a condition), except
 * an unknown, which is unknown.  scratch is an arena for temporaries.
 */
expr_outcome expr_test(const bh_expr *e, const doc_node *ctx, bh_arena *scratch);

/*
 * Evaluate e as a value (for message templates).  Returns the node (maybe
 * newly made in scratch, e.g. for lower()), or NULL when it is missing.
 */
const doc_node *expr_value(const bh_expr *e, const doc_node *ctx, bh_arena *scratch);

/* Render a value for a message: scalars as their text, unknowns as their
 * expression, lists as "a, b", missing as "unset".  Allocated in a. */
const char *expr_render(bh_arena *a, const doc_node *v);

#endif

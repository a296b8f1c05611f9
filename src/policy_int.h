/*
 * policy_int.h - the catalog's internal representation of a policy, shared
 * by policy.c (loading and validation) and eval.c (evaluation).  Not a
 * public interface: everything outside these two files goes through
 * policy.h.
 *
 * Everything here lives in the catalog's arena and is immutable once the
 * policy is added, so evaluation may run on many threads at once.
 */
#ifndef BH_POLICY_INT_H
#define BH_POLICY_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "expr.h"
#include "policy.h"
#include "policytest.h"

/* A message template: literal runs and `{EXPR}` holes.  `{items}` in the
 * message of an each step is a hole of its own (items == true). */
typedef struct tpl_seg {
    const char *lit;        /* literal text (NULL for a hole) */
    size_t len;
    const bh_expr *e;       /* the hole's expression */
    bool items;             /* the `{items}` hole of an each step */
} tpl_seg;

typedef struct tpl {
    const tpl_seg *v;
    size_t n;
    bool set;               /* the key was given */
} tpl;

typedef struct pcond pcond;

/* An ordered list of conditions and the `otherwise` that ends it. */
typedef struct pblock {
    const pcond *v;
    size_t n;
    bh_status other_status;
    tpl other_message, other_remediation;
} pblock;

struct pcond {
    bool is_each;
    /* a condition */
    bh_status status;
    const bh_expr *when;
    tpl message, remediation;
    /* an each step (message/remediation above are its own, optional) */
    const bh_expr *list;    /* the list expression (`each:`) */
    const bh_expr *name;    /* the item name expression; NULL: the index */
    pblock body;
};

struct bh_policy {
    const char *id;
    const char *name, *contextual_name, *summary, *type, *remediation, *help_uri;
    const char *input;
    bh_severity severity;
    const char *description_md, *remediation_md;
    const char **categories;
    size_t ncategories;
    const char **tags;
    size_t ntags;
    const char **similar_name, **similar_url;
    size_t nsimilar;
    const char *dir;
    bh_file *tests;
    size_t ntests;
    bh_expected *expected;
    size_t nexpected;
    bool has_expected;
    /* Loaded with catalog_load_validated: tests/expected.yaml, parsed on
     * the first policy_expected(). */
    const bh_file *expected_file;
    const char *expected_path;
    bh_catalog *owner;
    pblock logic;
    bool enabled;
};

/* Evaluate p over obj into out, temporaries in scratch (eval.c). */
void policy_eval_in(const bh_policy *p, const bh_object *obj, bh_results *out,
                    bh_arena *scratch);

#endif

/*
 * policytest.h - the fixture runner behind `bulkhead policies test`, and
 * the scaffolding behind `bulkhead policies new`.
 *
 * A policy's tests/ folder holds fixture inputs and tests/expected.yaml,
 * the expected status of every (file, object) (docs/policy-format.md,
 * "tests/expected.yaml").  policytest_run() scans each fixture on its own
 * with that policy alone and compares: every result needs an entry, every
 * entry a result, and an error diagnostic of the scan is a failure unless
 * expected.yaml has an `error: true` entry for that file.
 *
 * Ownership: a report owns its problem strings; it points at nothing of
 * the catalog.  Nothing here prints.
 */
#ifndef BH_POLICYTEST_H
#define BH_POLICYTEST_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "policy.h"
#include "result.h"

/* One entry of tests/expected.yaml, as validated when the policy loaded.
 * Strings live in the catalog. */
typedef struct bh_expected {
    const char *file;       /* relative to tests/: "host-root.json" */
    const char *object;     /* NULL for an error entry */
    bh_status status;
    unsigned line;          /* 0: any line */
    const char *message;    /* a substring of the message; NULL: any */
    bool error;             /* `error: true`: scanning file reports an error */
} bh_expected;

/* The entries of p's tests/expected.yaml (parsed at load, in policy.c);
 * NULL and *n == 0 when p has none. */
const bh_expected *policy_expected(const bh_policy *p, size_t *n);

typedef struct policytest_report policytest_report;

/*
 * Run p's fixtures.  The catalog is only read.  NULL when memory ran out;
 * otherwise a report, passed or not.
 */
policytest_report *policytest_run(const bh_catalog *c, const bh_policy *p);
void policytest_free(policytest_report *r);

bool policytest_passed(const policytest_report *r);
/* How many expectations were compared (entries of expected.yaml). */
size_t policytest_nchecks(const policytest_report *r);
/* The failures, one line each, e.g.
 * `incompliant.yaml: "Pod/web": expected INCOMPLIANT, got COMPLIANT at line 3`. */
size_t policytest_nproblems(const policytest_report *r);
const char *policytest_problem(const policytest_report *r, size_t i);

/*
 * Create the folder policies_dir/id with a policy.yaml, logic.yaml,
 * description.md, remediation.md, tests/expected.yaml and one fixture, all
 * of which load without errors (and whose fixture passes `policies test`
 * for the object types the scaffold knows).  Refuses an invalid id or an
 * existing folder.  Errors go to diags; returns false then.
 */
bool policy_scaffold(const char *policies_dir, const char *id, const char *input_type,
                     bh_diags *diags);

#endif

/*
 * scan.h - the pipeline: discovery -> format detection -> parsing into
 * document trees -> platform adapters -> policy evaluation -> results.
 *
 * A scan owns its results and diagnostics.  Each file is read, parsed,
 * adapted and evaluated in an arena of its own that is freed before the
 * next file, so memory follows the largest file, not the corpus.  A file
 * that cannot be read or parsed adds an error and the scan goes on.
 */
#ifndef BH_SCAN_H
#define BH_SCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "cfn.h"
#include "diag.h"
#include "discover.h"
#include "policy.h"
#include "result.h"

/* Reader and evaluator limits (docs/limits.md); 0 in a field: its default. */
typedef struct scan_limits {
    unsigned yaml_depth, json_depth, hcl_depth;
    size_t yaml_aliases, yaml_documents;
    unsigned long tf_steps;
    size_t tf_memory;          /* bytes */
} scan_limits;

/* Set a limit from "NAME=VALUE" (yaml-depth, yaml-aliases, yaml-documents,
 * json-depth, hcl-depth, tf-steps, tf-memory); false when the name is not
 * one or the value not a positive number. */
bool scan_limit_parse(scan_limits *l, const char *arg);

typedef struct bh_scan_opts {
    discover_opts discover;
    int jobs;                  /* worker threads; 0: online cores */
    const cfn_params *cfn_params; /* CloudFormation parameter values; may be NULL */
    const struct suppress_opts *suppress; /* suppressions, overrides (suppress.h); may be NULL */
    const struct tf_vars *tf_vars; /* Terraform --var / --var-file values; may be NULL */
    scan_limits limits;
} bh_scan_opts;

typedef struct bh_scan bh_scan;

/* A scan evaluating the enabled policies of catalog (which must outlive
 * the scan); opts may be NULL. */
bh_scan *scan_new(const bh_catalog *catalog, const bh_scan_opts *opts);
void scan_free(bh_scan *s);

/* Discover and scan files and directories. */
void scan_paths(bh_scan *s, const char *const *paths, size_t npaths);

/* Scan one in-memory file named path (detection uses the name). */
void scan_buffer(bh_scan *s, const char *path, const char *data, size_t len);

/* Only evaluate this policy (policies test); NULL: every enabled one. */
void scan_only_policy(bh_scan *s, const bh_policy *p);

/* Results (sorted into report order by scan_finish) and diagnostics. */
void scan_finish(bh_scan *s);
bh_results *scan_results(bh_scan *s);
bh_diags *scan_diags(bh_scan *s);
size_t scan_nfiles(const bh_scan *s);   /* files read */

#endif

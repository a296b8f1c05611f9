/*
 * baseline.h - accepting today's findings wholesale, to report only new ones.
 *
 * A baseline is a JSON file (docs/suppressions.md):
 *
 *     {"version": 1,
 *      "results": [{"policy": "k8s/pod/host-network", "object": "Deployment/prod/web",
 *                   "object_type": "k8s/pod", "file": "deploy/web.yaml",
 *                   "fingerprint": "3f2a9c0d1e4b5a67"}]}
 *
 * It records the INCOMPLIANT and UNDETERMINED results that no suppression
 * accepted, never line numbers: the fingerprint (result_fingerprint) hashes
 * the deciding source line's text, so a finding keeps matching when lines
 * above it move, and a change to the deciding line makes it new.  A result
 * matches an entry with the same policy, object and fingerprint; each entry
 * matches one result.
 *
 * Ownership: a bh_baseline owns its entries.  Nothing here prints but the
 * writer, to the FILE the CLI gives it.
 */
#ifndef BH_BASELINE_H
#define BH_BASELINE_H

#include <stdbool.h>
#include <stdio.h>

#include "diag.h"
#include "result.h"
#include "source.h"

typedef struct bh_baseline bh_baseline;

/* Write the baseline of r to out; false when writing failed. */
bool baseline_write(FILE *out, const bh_results *r);

/* Read a baseline; NULL after adding error diagnostics (malformed JSON, a
 * wrong version, an entry without a policy, object or fingerprint). */
bh_baseline *baseline_parse(const bh_source *src, bh_diags *diags);
bh_baseline *baseline_load(const char *path, bh_diags *diags);

void baseline_free(bh_baseline *b);

/* Drop from r the INCOMPLIANT and UNDETERMINED results b holds; returns
 * how many were dropped. */
size_t baseline_filter(bh_baseline *b, bh_results *r);

#endif

/*
 * suppress.h - accepting findings on purpose: inline suppression comments,
 * the suppressions and severity overrides of a config file (config.h).
 *
 * An inline suppression is a comment, in every format that has comments
 * (YAML `#`, HCL `#` and `//`):
 *
 *     # bulkhead:ignore <policy-id>[,<policy-id>...] reason="..." [until=YYYY-MM-DD]
 *
 * The marker must open the comment.  A trailing comment applies to its own
 * line; a comment on a line of its own (and every comment line of a block
 * of them) applies to the first line after the block that is not a
 * comment; a blank line ends the block without a target.  It suppresses
 * the results of its policies whose deciding value is on that line, or
 * whose object starts on that line (or, when that line is a key with no
 * value on it, on the next line: the key's block is the object).
 *
 * A suppression without a reason, naming an unknown policy, with a
 * malformed date or an unknown key is reported as a warning at the comment
 * and not applied; one whose `until` day is before today has expired: it
 * is reported and not applied.  Only INCOMPLIANT and UNDETERMINED results
 * are suppressed; they keep their status and gain a bh_suppression, so
 * machine-readable reports still show them.  Docs: docs/suppressions.md.
 *
 * Nothing here prints: problems are diagnostics.
 */
#ifndef BH_SUPPRESS_H
#define BH_SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "detect.h"
#include "diag.h"
#include "policy.h"
#include "result.h"
#include "source.h"

/* What a scan accepts; read-only during the scan (shared by workers). */
typedef struct suppress_opts {
    const bh_catalog *catalog;  /* validates policy ids; NULL: any id */
    const bh_config *config;    /* config suppressions and overrides; NULL: none */
    bool no_inline;             /* inline comments are noted, not applied */
    char today[11];             /* "YYYY-MM-DD"; suppressions until before it expired */
} suppress_opts;

/*
 * Apply the inline suppressions written in src (of syntax syn; formats
 * without comments have none) to the results [from, results_len(r)) of r,
 * which were computed from src.  Problems with the comments go to diags.
 */
void suppress_inline(const suppress_opts *o, const bh_source *src, bh_syntax syn,
                     bh_results *r, size_t from, bh_diags *diags);

/* Apply the config file's severity overrides and suppressions to every
 * result of r (results an inline comment suppressed keep that one). */
void suppress_config(const suppress_opts *o, bh_results *r);

/* Whether s[0..n) is a valid calendar date written YYYY-MM-DD. */
bool suppress_date_valid(const char *s, size_t n);

/* Today as YYYY-MM-DD: the BH_TODAY environment variable when it is set
 * (tests), else the local date.  false when BH_TODAY is malformed. */
bool suppress_today(char out[11]);

#endif

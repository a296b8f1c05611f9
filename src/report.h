/*
 * report.h - rendering a scan for people and programs.
 *
 * The JSON report is a public contract (docs/json-report.md): its keys and
 * their meaning only ever grow.  The text report is the GNU-style
 * `file:line:col: severity: message [policy]` listing.  Both are written
 * to a FILE the CLI chooses; nothing else here prints.
 */
#ifndef BH_REPORT_H
#define BH_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "diag.h"
#include "policy.h"
#include "result.h"

typedef struct report_input {
    const bh_results *results;
    const bh_diags *diags;
    size_t nfiles;           /* files read */
    bool show_all;           /* text: also COMPLIANT and INAPPLICABLE */
    size_t baselined;        /* results dropped because a baseline holds them */
    const bh_catalog *catalog; /* rule metadata (SARIF); may be NULL */
} report_input;

/* The JSON report.  false when writing failed. */
bool report_json(FILE *out, const report_input *in);

/* SARIF 2.1.0 (GitHub code scanning): INCOMPLIANT and UNDETERMINED
 * results, one rule per policy among them (report_sarif.c). */
bool report_sarif(FILE *out, const report_input *in);

/* The text report. */
bool report_text(FILE *out, const report_input *in);

/* Write s as a JSON string literal (quotes included). */
void json_write_string(FILE *out, const char *s);

#endif

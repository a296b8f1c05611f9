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
#include <stdint.h>
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
    const bh_catalog *catalog; /* rule metadata (SARIF, HTML); may be NULL */
    bool color;              /* text: ANSI colour */
    const bh_framework *framework; /* --framework: roll results up per control; may be NULL */
} report_input;

/* The JSON report.  false when writing failed. */
bool report_json(FILE *out, const report_input *in);

/* SARIF 2.1.0 (GitHub code scanning): INCOMPLIANT and UNDETERMINED
 * results, one rule per policy among them (report_sarif.c). */
bool report_sarif(FILE *out, const report_input *in);

/* The text report (report_text.c). */
bool report_text(FILE *out, const report_input *in);

/* JUnit XML (report_junit.c), Markdown for pull requests (report_md.c), the
 * self-contained HTML dashboard (report_html.c). */
bool report_junit(FILE *out, const report_input *in);
bool report_markdown(FILE *out, const report_input *in);
bool report_html(FILE *out, const report_input *in);

/* ---- framework roll-ups (report_framework.c) --------------------------- */

/* One control of in->framework and the results of its policies. */
typedef struct fw_control {
    const char *id, *title;
    bool retired;
    size_t npolicies;
    size_t counts[ST_COUNT];     /* results not suppressed, by status */
    size_t suppressed;
    int status;                  /* a bh_status, or -1: not assessed (no result) */
} fw_control;

bool framework_rollup(const report_input *in, size_t control, fw_control *out);
const char *control_status_name(int status);   /* "INCOMPLIANT", ..., "NOT_ASSESSED" */
void report_framework_text(FILE *out, const report_input *in);
/* The "framework" member of the JSON report (a line ending in ","). */
void report_framework_json(FILE *out, const report_input *in);

/* Write s as a JSON string literal (quotes included); _html also writes
 * '<', '>' and '&' as \u escapes (JSON inside an HTML <script>). */
void json_write_string(FILE *out, const char *s);
void json_write_string_html(FILE *out, const char *s);

/* ---- text from scanned files (report.c) -------------------------------
 * Names and messages quote the scanned files, which anyone may write: a
 * report must not pass on an escape sequence to a terminal, a newline that
 * forges a line of its own, or a character XML refuses. */

/* The code point at s (not at its NUL) and the length of its UTF-8
 * sequence.  An invalid sequence (cut short, overlong, a surrogate, above
 * U+10FFFF) is its first byte alone, read as U+FFFD. */
size_t utf8_next(const char *s, uint32_t *cp);

/* Whether a report may write cp as itself: not a control character (C0
 * but tab, and newlines only when multiline; DEL; C1, which terminals
 * read as escapes) nor U+FFFE or U+FFFF (not XML 1.0 characters). */
bool text_char_ok(uint32_t cp, bool multiline);

/* Write the character at p (not at its NUL), or U+FFFD when text_char_ok
 * refuses it or it is not valid UTF-8; returns the bytes read. */
size_t text_write_char(FILE *out, const char *p, bool multiline);

/* Write s with every character text_char_ok refuses, and every invalid
 * UTF-8 byte, as U+FFFD. */
void text_write_safe(FILE *out, const char *s, bool multiline);

#endif

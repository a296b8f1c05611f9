/*
 * result.h - verdicts: one bh_result per (policy, object) evaluation.
 *
 * Results are self-contained (paths, positions, messages and the source
 * line under the deciding span are copied into the list's own arena) so
 * they outlive the per-file arenas and sources they were computed from.
 * A list keeps insertion order; results_sort() gives the report order.
 */
#ifndef BH_RESULT_H
#define BH_RESULT_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "source.h"

typedef enum bh_status {
    ST_COMPLIANT,
    ST_INCOMPLIANT,
    ST_INAPPLICABLE,
    ST_UNDETERMINED
} bh_status;
#define ST_COUNT 4

typedef enum bh_severity { SEV_LOW, SEV_MEDIUM, SEV_HIGH, SEV_CRITICAL } bh_severity;
#define SEV_COUNT 4

const char *status_name(bh_status s);      /* "COMPLIANT", ... */
bool status_parse(const char *s, bh_status *out);
const char *severity_name(bh_severity s);  /* "low", ... */
bool severity_parse(const char *s, bh_severity *out);

/* A place, computed from a span when the result was recorded. */
typedef struct bh_loc {
    const char *file;        /* "" when unknown */
    bh_pos pos, end;
} bh_loc;

typedef struct bh_trace_entry {
    bh_loc loc;
    const char *note;
} bh_trace_entry;

/* The verdict on one item of a related list (a container). */
typedef struct bh_related {
    const char *list;        /* "containerDefinitions" */
    const char *name;        /* the item's name, or its index */
    bh_status status;
    const char *message;
    bh_loc loc;
} bh_related;

/* Why a result is accepted on purpose (issue: suppressions).  A suppressed
 * result keeps its status; it no longer fails the run. */
typedef struct bh_suppression {
    const char *kind;        /* "inline" (a comment) or "config" (.bulkhead.yaml) */
    const char *reason;
    const char *until;       /* "YYYY-MM-DD", or NULL when it does not expire */
    bh_loc source;           /* where the suppression is written */
} bh_suppression;

typedef struct bh_result {
    const char *policy;      /* policy id */
    bh_status status;
    bh_severity severity;
    bh_loc loc;              /* the deciding value */
    bh_loc object_loc;       /* where the object is defined (its start) */
    const char *line_text;   /* the source line at loc.pos, for excerpts */
    unsigned line_col;       /* loc.pos's column in line_text (code points, 1-based;
                              * differs from loc.pos.col when a long line is cut) */
    const char *lines_before, *lines_after;  /* findings: up to two source lines
                              * before and after line_text, "\n" between them
                              * (the dashboard's excerpt); "" when none */
    const char *object;      /* object name */
    const char *object_type;
    const char *message;
    const char *remediation; /* "" when none */
    bh_trace_entry *trace;
    size_t ntrace;
    bh_related *related;
    size_t nrelated;
    const bh_suppression *suppression;   /* NULL: not suppressed */
} bh_result;

typedef struct bh_results bh_results;

bh_results *results_new(void);
void results_free(bh_results *r);

/* The arena that owns every string of the list's results. */
bh_arena *results_arena(bh_results *r);

/* A new zeroed result at the end of the list; NULL on exhaustion.  Fill
 * its fields with strings from results_arena() (or static strings). */
bh_result *results_push(bh_results *r);

size_t results_len(const bh_results *r);
const bh_result *results_at(const bh_results *r, size_t i);
/* The same, writable: suppressions and severity overrides amend results
 * after evaluation. */
bh_result *results_at_mut(bh_results *r, size_t i);

/* Keep only the results for which keep() is true, in order; returns how
 * many were dropped (baselines).  Their strings stay in the arenas. */
size_t results_retain(bh_results *r, bool (*keep)(const bh_result *res, void *ctx), void *ctx);

/* A location from a span (file, start and end positions), copied into r. */
bh_loc results_loc(bh_results *r, bh_span at);

/* s copied into the list's arena once: equal strings (a message every
 * compliant object shares, an object's name across its policies) are one
 * copy.  "" for NULL; NULL when memory ran out. */
const char *results_intern(bh_results *r, const char *s);

/* Move every result of src to the end of dst (src becomes empty but stays
 * valid; its strings move too). */
bool results_move(bh_results *dst, bh_results *src);

/* Sort into report order: file, line, column, policy, object. */
void results_sort(bh_results *r);

/*
 * A content fingerprint of a result, stable across runs and line shifts:
 * a hash of the policy, the object type and name, the file and the
 * deciding source line with its whitespace trimmed (never the line number).
 * Written as 16 hex digits and a NUL into out.  Used by SARIF
 * partialFingerprints and by baselines.
 */
void result_fingerprint(const bh_result *r, char out[17]);

/* Counts per status. */
void results_count(const bh_results *r, size_t counts[ST_COUNT]);

#endif

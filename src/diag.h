/*
 * diag.h - diagnostics as values.  Library code never prints: it appends
 * errors, warnings and notes to a bh_diags list the caller owns, and only
 * the CLI renders them.
 *
 * A diagnostic is self-contained: its file path, positions and message are
 * copied in when it is added, so it outlives the source it points into
 * (sources are freed file by file during a scan).  Messages follow git's
 * style: lowercase, no final period, the object in quotes.
 *
 * A diagnostic may carry a second place, its context: where the construct
 * that broke began ("mapping started here"), or the first of two duplicate
 * keys.
 */
#ifndef BH_DIAG_H
#define BH_DIAG_H

#include <stdarg.h>
#include <stddef.h>

#include "source.h"

typedef enum diag_level {
    DIAG_ERROR,     /* the file (or a part of it) could not be scanned */
    DIAG_WARNING,   /* scanned, but something is off (a duplicate key) */
    DIAG_NOTE       /* informational (a file skipped on purpose) */
} diag_level;

typedef struct bh_diag {
    diag_level level;
    char *file;                       /* display path; "" when none */
    bh_pos pos, end;                  /* 0/0 when there is no position */
    char *message;
    char *ctx_file;                   /* NULL when there is no context */
    bh_pos ctx_pos;
    char *ctx_note;                   /* e.g. "first defined here" */
} bh_diag;

typedef struct bh_diags bh_diags;

bh_diags *diags_new(void);
void diags_free(bh_diags *d);

/* Append a diagnostic at a span (its source gives the file). */
void diags_add(bh_diags *d, diag_level level, bh_span at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void diags_vadd(bh_diags *d, diag_level level, bh_span at, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

/* As diags_add, with a second place and a note for it. */
void diags_add_ctx(bh_diags *d, diag_level level, bh_span at, bh_span ctx,
                   const char *ctx_note, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* A diagnostic about a whole file (unreadable, skipped), optionally at a
 * line and column already known (line 0: none). */
void diags_add_file(bh_diags *d, diag_level level, const char *path, bh_pos pos,
                    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

size_t diags_count(const bh_diags *d);
const bh_diag *diags_get(const bh_diags *d, size_t i);

/* How many diagnostics of a level. */
size_t diags_count_level(const bh_diags *d, diag_level level);

/* Move every diagnostic of src to the end of dst, leaving src empty. */
void diags_move(bh_diags *dst, bh_diags *src);

/* Whether memory ran out while adding (some diagnostics may be missing). */
int diags_lost(const bh_diags *d);

#endif

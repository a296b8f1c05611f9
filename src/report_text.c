/*
 * report_text.c - the text report (report.h): for people at a terminal.
 *
 * Each shown result is one GNU-style line, `file:line:col: severity:
 * object: message [policy]`, which editors and CI logs turn into links,
 * followed by the source line with a caret under the deciding value, the
 * remediation, where the value came from (its trace) and a suppression's
 * reason.  Results come sorted by file; each file's group starts with a
 * header, "== FILE (N findings)", which no GNU-style parser mistakes for a
 * result.  Diagnostics follow, then a summary with counts per status and,
 * for INCOMPLIANT results, per severity.  Colour (ANSI) only when asked:
 * the CLI decides from --color, the terminal and NO_COLOR.  Text from the
 * scanned files is written through text_write_safe (report.h): a name
 * never reaches the terminal as an escape sequence or a line of its own.
 */
#include "report.h"

#include <string.h>

typedef struct style {
    bool on;
} style;

enum { C_RESET, C_BOLD, C_RED, C_YELLOW, C_CYAN, C_MAGENTA, C_GREEN, C_DIM };
static const char *const ansi[] = {"\033[0m", "\033[1m", "\033[1;31m", "\033[33m",
                                   "\033[36m", "\033[35m", "\033[32m", "\033[2m"};

static void paint(FILE *out, const style *st, int c)
{
    if (st->on)
        fputs(ansi[c], out);
}

/* Text from a scanned file, on one line. */
static void put(FILE *out, const char *s) { text_write_safe(out, s, false); }

static int label_color(const bh_result *r)
{
    switch (r->status) {
    case ST_INCOMPLIANT:
        return r->severity >= SEV_HIGH ? C_RED : r->severity == SEV_MEDIUM ? C_YELLOW : C_CYAN;
    case ST_UNDETERMINED: return C_MAGENTA;
    case ST_COMPLIANT: return C_GREEN;
    default: return C_DIM;
    }
}

static unsigned code_points(const char *s)
{
    unsigned k = 0;
    for (; *s; s++)
        k += ((unsigned char)*s & 0xC0) != 0x80;
    return k;
}

/* "  12 | text" and "     |    ^~~~" under the deciding value. */
static void excerpt(FILE *out, const style *st, const bh_result *r)
{
    const char *t = r->line_text;
    if (!t || !*t || !r->line_col || !r->loc.pos.line)
        return;
    unsigned width = (unsigned)snprintf(NULL, 0, "%u", r->loc.pos.line);
    fprintf(out, "  %*u | ", (int)width, r->loc.pos.line);
    put(out, t);
    fputc('\n', out);
    unsigned total = code_points(t), col = r->line_col;
    unsigned len = r->loc.end.line == r->loc.pos.line && r->loc.end.col > r->loc.pos.col
                       ? r->loc.end.col - r->loc.pos.col
                       : 1;
    if (col > total + 1)
        return;
    if (col + len > total + 1)
        len = total + 1 - col > 0 ? total + 1 - col : 1;
    fprintf(out, "  %*s | ", (int)width, "");
    /* keep tabs, so the caret lines up in any tab width */
    unsigned cp = 1;
    for (const char *p = t; *p && cp < col; p++) {
        if (((unsigned char)*p & 0xC0) == 0x80)
            continue;
        fputc(*p == '\t' ? '\t' : ' ', out);
        cp++;
    }
    paint(out, st, C_GREEN);
    fputc('^', out);
    for (unsigned i = 1; i < len; i++)
        fputc('~', out);
    paint(out, st, C_RESET);
    fputc('\n', out);
}

/* "file:line:col" */
static void place(FILE *out, const bh_loc *l)
{
    put(out, l->file);
    fprintf(out, ":%u:%u", l->pos.line, l->pos.col);
}

static void note_lines(FILE *out, const style *st, const bh_result *r)
{
    if (r->remediation && *r->remediation && r->status != ST_COMPLIANT &&
        r->status != ST_INAPPLICABLE) {
        paint(out, st, C_BOLD);
        fputs("  = fix: ", out);
        paint(out, st, C_RESET);
        put(out, r->remediation);
        fputc('\n', out);
    }
    for (size_t i = 0; i < r->ntrace; i++) {
        const bh_trace_entry *t = &r->trace[i];
        fputs("  = note: ", out);
        put(out, t->note);
        if (t->loc.pos.line) {
            fputs(" (", out);
            place(out, &t->loc);
            fputc(')', out);
        }
        fputc('\n', out);
    }
    if (r->suppression) {
        fputs("  = suppressed: ", out);
        put(out, r->suppression->reason);
        if (r->suppression->until)
            fprintf(out, " (until %s)", r->suppression->until);
        fputc('\n', out);
    }
}

static void result_line(FILE *out, const style *st, const bh_result *r)
{
    const char *label = r->status == ST_INCOMPLIANT ? severity_name(r->severity)
                                                    : status_name(r->status);
    paint(out, st, C_BOLD);
    place(out, &r->loc);
    fputc(':', out);
    paint(out, st, C_RESET);
    fputc(' ', out);
    paint(out, st, label_color(r));
    fputs(label, out);
    paint(out, st, C_RESET);
    fputs(": ", out);
    put(out, r->object);
    fputs(": ", out);
    put(out, r->message);
    fputs(" [", out);
    put(out, r->policy);
    fputc(']', out);
    if (r->suppression)
        fputs(" (suppressed)", out);
    fputc('\n', out);
}

static const char *const level_names[] = {"error", "warning", "note"};

static void diag_lines(FILE *out, const style *st, const bh_diags *d)
{
    static const int level_color[] = {C_RED, C_YELLOW, C_DIM};
    for (size_t i = 0; d && i < diags_count(d); i++) {
        const bh_diag *g = diags_get(d, i);
        paint(out, st, C_BOLD);
        if (g->pos.line)
            place(out, &(bh_loc){.file = g->file, .pos = g->pos});
        else
            put(out, g->file);
        fputc(':', out);
        paint(out, st, C_RESET);
        fputc(' ', out);
        paint(out, st, level_color[g->level]);
        fputs(level_names[g->level], out);
        paint(out, st, C_RESET);
        fputs(": ", out);
        put(out, g->message);
        fputc('\n', out);
        if (g->ctx_file && g->ctx_pos.line) {
            place(out, &(bh_loc){.file = g->ctx_file, .pos = g->ctx_pos});
            fputs(": note: ", out);
            put(out, g->ctx_note);
            fputc('\n', out);
        }
    }
}

/* "1 file", "2 files" */
static void count(FILE *out, size_t n, const char *one, const char *many)
{
    fprintf(out, "%zu %s", n, n == 1 ? one : many);
}

static void summary(FILE *out, const report_input *in, size_t suppressed)
{
    size_t st[ST_COUNT] = {0}, sev[SEV_COUNT] = {0};
    for (size_t i = 0; i < results_len(in->results); i++) {
        const bh_result *r = results_at(in->results, i);
        st[r->status]++;
        if (r->status == ST_INCOMPLIANT)
            sev[r->severity]++;
    }
    count(out, in->nfiles, "file", "files");
    fputs(", ", out);
    count(out, results_len(in->results), "result", "results");
    fprintf(out, ": %zu incompliant", st[ST_INCOMPLIANT]);
    if (st[ST_INCOMPLIANT]) {
        const char *sep = " (";
        for (int s = SEV_COUNT - 1; s >= 0; s--)
            if (sev[s]) {
                fprintf(out, "%s%zu %s", sep, sev[s], severity_name((bh_severity)s));
                sep = ", ";
            }
        fputc(')', out);
    }
    fprintf(out, ", %zu undetermined, %zu compliant, %zu inapplicable; ", st[ST_UNDETERMINED],
            st[ST_COMPLIANT], st[ST_INAPPLICABLE]);
    count(out, in->diags ? diags_count_level(in->diags, DIAG_ERROR) : 0, "error", "errors");
    fputs(", ", out);
    count(out, in->diags ? diags_count_level(in->diags, DIAG_WARNING) : 0, "warning",
          "warnings");
    if (suppressed || in->baselined)
        fprintf(out, "; %zu suppressed, %zu baselined", suppressed, in->baselined);
    fputc('\n', out);
}

/* Listed: findings (INCOMPLIANT and UNDETERMINED, not suppressed), and with
 * --all every result (suppressed ones too; JSON always has them). */
static bool is_finding(const bh_result *r)
{
    return !r->suppression && (r->status == ST_INCOMPLIANT || r->status == ST_UNDETERMINED);
}

static bool is_shown(const report_input *in, const bh_result *r)
{
    return in->show_all || is_finding(r);
}

/* The results of one file, [from, end) in report order, under a header
 * "== FILE (N findings)" (with --all: "(M results, N findings)"), or
 * nothing when none is shown.  Returns end. */
static size_t file_group(FILE *out, const style *st, const report_input *in, size_t from,
                         bool *first)
{
    const char *file = results_at(in->results, from)->loc.file;
    size_t end = from, shown = 0, findings = 0;
    for (; end < results_len(in->results); end++) {
        const bh_result *r = results_at(in->results, end);
        if (strcmp(r->loc.file, file) != 0)
            break;
        shown += is_shown(in, r);
        findings += is_finding(r);
    }
    if (!shown)
        return end;
    if (!*first)
        fputc('\n', out);
    *first = false;
    paint(out, st, C_BOLD);
    fputs("== ", out);
    put(out, file);
    fputs(" (", out);
    if (in->show_all) {
        count(out, shown, "result", "results");
        fputs(", ", out);
    }
    count(out, findings, "finding", "findings");
    fputc(')', out);
    paint(out, st, C_RESET);
    fputc('\n', out);
    for (size_t i = from; i < end; i++) {
        const bh_result *r = results_at(in->results, i);
        if (!is_shown(in, r))
            continue;
        result_line(out, st, r);
        excerpt(out, st, r);
        note_lines(out, st, r);
    }
    return end;
}

bool report_text(FILE *out, const report_input *in)
{
    style st = {in->color};
    size_t n = results_len(in->results), suppressed = 0;
    for (size_t i = 0; i < n; i++)
        suppressed += results_at(in->results, i)->suppression != NULL;
    bool first = true;
    for (size_t i = 0; i < n;)
        i = file_group(out, &st, in, i, &first);
    if (!first)
        fputc('\n', out);
    diag_lines(out, &st, in->diags);
    if (in->framework)
        report_framework_text(out, in);
    summary(out, in, suppressed);
    return !ferror(out);
}

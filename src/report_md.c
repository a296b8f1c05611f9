/*
 * report_md.c - a Markdown summary for pull-request comments (report.h).
 *
 * Totals per status and, for INCOMPLIANT results, per severity; the
 * framework roll-up when one is asked for; a table of the INCOMPLIANT and
 * UNDETERMINED results (most severe first), each remediation in a
 * collapsed <details> below.  Table cells escape `|`, backslashes and
 * newlines; text is never interpreted as HTML (`<` and `&` escaped).
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

/* Text for a table cell or a line of Markdown: Markdown and HTML markup
 * escaped, anything text_char_ok refuses (newlines too) as U+FFFD. */
static void md_text(FILE *out, const char *s)
{
    for (const char *p = s ? s : ""; *p;) {
        switch (*p) {
        case '|': case '\\': case '`': case '*': case '_': case '[': case ']':
            fputc('\\', out);
            fputc(*p++, out);
            continue;
        case '<': fputs("&lt;", out); p++; continue;
        case '>': fputs("&gt;", out); p++; continue;
        case '&': fputs("&amp;", out); p++; continue;
        default: break;
        }
        p += text_write_char(out, p, false);
    }
}

/* An identifier as inline code: backslashes are literal in a code span, so
 * only the table's pipes are escaped (GFM); text with a backtick or a
 * character md_text would change is written as plain text instead. */
static void md_code(FILE *out, const char *s)
{
    bool plain = false;
    for (const char *p = s ? s : ""; *p; p++)
        plain |= *p == '`' || *p == '<' || *p == '>' || *p == '&' || (unsigned char)*p < 0x20 ||
                 (unsigned char)*p >= 0x7F;
    if (plain) {
        md_text(out, s);
        return;
    }
    fputc('`', out);
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p == '|')
            fputc('\\', out);
        fputc(*p, out);
    }
    fputc('`', out);
}

static const bh_results *sort_rs;

/* Most severe first, INCOMPLIANT before UNDETERMINED, then by place. */
static int by_severity(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    const bh_result *x = results_at(sort_rs, i), *y = results_at(sort_rs, j);
    if (x->status != y->status)
        return x->status == ST_INCOMPLIANT ? -1 : 1;
    if (x->severity != y->severity)
        return x->severity > y->severity ? -1 : 1;
    return (i > j) - (i < j);
}

static void totals(FILE *out, const report_input *in)
{
    size_t st[ST_COUNT] = {0}, sev[SEV_COUNT] = {0}, suppressed = 0;
    for (size_t i = 0; i < results_len(in->results); i++) {
        const bh_result *r = results_at(in->results, i);
        if (r->suppression) {
            suppressed++;
            continue;
        }
        st[r->status]++;
        if (r->status == ST_INCOMPLIANT)
            sev[r->severity]++;
    }
    fprintf(out, "| status | results |\n|---|---:|\n");
    static const bh_status order[] = {ST_INCOMPLIANT, ST_UNDETERMINED, ST_COMPLIANT,
                                      ST_INAPPLICABLE};
    for (size_t k = 0; k < 4; k++)
        fprintf(out, "| %s | %zu |\n", status_name(order[k]), st[order[k]]);
    fprintf(out, "| suppressed | %zu |\n\n", suppressed);
    if (!st[ST_INCOMPLIANT])
        return;
    fprintf(out, "| severity | incompliant |\n|---|---:|\n");
    for (int s = SEV_COUNT - 1; s >= 0; s--)
        fprintf(out, "| %s | %zu |\n", severity_name((bh_severity)s), sev[s]);
    fputc('\n', out);
}

static void framework_table(FILE *out, const report_input *in)
{
    const bh_framework *f = in->framework;
    fprintf(out, "### ");
    md_text(out, framework_name(f));
    fprintf(out, "\n\n| control | status | title | policies | incompliant | undetermined | "
                 "compliant | inapplicable |\n|---|---|---|---|---:|---:|---:|---:|\n");
    for (size_t i = 0; i < framework_ncontrols(f); i++) {
        fw_control c;
        framework_rollup(in, i, &c);
        fputs("| ", out);
        md_text(out, c.id);
        fprintf(out, " | %s | ", control_status_name(c.status));
        md_text(out, c.title);
        fputs(c.retired ? " (retired) | " : " | ", out);
        for (size_t k = 0; k < c.npolicies; k++) {
            fputs(k ? ", " : "", out);
            md_code(out, framework_control_policy(f, i, k));
        }
        fprintf(out, " | %zu | %zu | %zu | %zu |\n", c.counts[ST_INCOMPLIANT],
                c.counts[ST_UNDETERMINED], c.counts[ST_COMPLIANT], c.counts[ST_INAPPLICABLE]);
    }
    fputc('\n', out);
}

/* A pull-request comment has a size limit (GitHub: 65,536 characters), so
 * the table and the fixes list the most severe MD_MAX_ROWS findings. */
#define MD_MAX_ROWS 50

static void findings_table(FILE *out, const bh_results *rs, const size_t *idx, size_t k)
{
    fputs("| severity | policy | object | place | message |\n|---|---|---|---|---|\n", out);
    for (size_t j = 0; j < k; j++) {
        const bh_result *r = results_at(rs, idx[j]);
        fprintf(out, "| %s | ", r->status == ST_INCOMPLIANT ? severity_name(r->severity)
                                                            : "undetermined");
        md_code(out, r->policy);
        fputs(" | ", out);
        md_text(out, r->object);
        fputs(" | ", out);
        md_text(out, r->loc.file);
        fprintf(out, ":%u | ", r->loc.pos.line);
        md_text(out, r->message);
        fputs(" |\n", out);
    }
}

static void fixes(FILE *out, const bh_results *rs, const size_t *idx, size_t k)
{
    fputs("\n<details><summary>How to fix</summary>\n\n", out);
    for (size_t j = 0; j < k; j++) {
        const bh_result *r = results_at(rs, idx[j]);
        if (!r->remediation || !*r->remediation)
            continue;
        fputs("- **", out);
        md_text(out, r->object);
        fputs("** (", out);
        md_text(out, r->policy);
        fputs("): ", out);
        md_text(out, r->remediation);
        fputc('\n', out);
    }
    fputs("\n</details>\n", out);
}

bool report_markdown(FILE *out, const report_input *in)
{
    const bh_results *rs = in->results;
    size_t n = results_len(rs), k = 0;
    size_t *idx = malloc((n ? n : 1) * sizeof *idx);
    if (!idx)
        return false;
    for (size_t i = 0; i < n; i++) {
        const bh_result *r = results_at(rs, i);
        if (!r->suppression && (r->status == ST_INCOMPLIANT || r->status == ST_UNDETERMINED))
            idx[k++] = i;
    }
    sort_rs = rs;
    qsort(idx, k, sizeof *idx, by_severity);
    fprintf(out, "## bulkhead: %zu finding%s in %zu file%s\n\n", k, k == 1 ? "" : "s",
            in->nfiles, in->nfiles == 1 ? "" : "s");
    totals(out, in);
    if (in->framework)
        framework_table(out, in);
    size_t shown = k < MD_MAX_ROWS ? k : MD_MAX_ROWS;
    if (k) {
        findings_table(out, rs, idx, shown);
        if (shown < k)
            fprintf(out, "\nThe %zu most severe of %zu findings; the JSON, SARIF or HTML report "
                         "has them all.\n", shown, k);
        fixes(out, rs, idx, shown);
    } else {
        fputs("No findings.\n", out);
    }
    size_t errors = in->diags ? diags_count_level(in->diags, DIAG_ERROR) : 0;
    if (errors)
        fprintf(out, "\n%zu file error%s: see the scan's log.\n", errors, errors == 1 ? "" : "s");
    free(idx);
    return !ferror(out);
}

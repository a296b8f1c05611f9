/*
 * report_junit.c - JUnit XML (report.h), as GitLab and Jenkins read it.
 *
 * One <testsuite> per policy (classname: the policy id), one <testcase>
 * per (policy, object): its name is the object and its file, made unique
 * with "#2", "#3" when an object name repeats in a file.  INCOMPLIANT is a
 * <failure> (type: the severity) whose body gives the place, the message
 * and the remediation; UNDETERMINED is an <error> (the check could not be
 * run to a verdict); suppressed and INAPPLICABLE results are <skipped>
 * with the reason; COMPLIANT passes.  Text is escaped for XML 1.0: markup
 * characters as entities, control characters (not allowed even escaped)
 * and invalid UTF-8 as U+FFFD.
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

/* Text for XML 1.0 content or an attribute: markup characters as
 * entities; characters XML refuses even escaped (most controls, U+FFFE,
 * U+FFFF) and invalid UTF-8 as U+FFFD (text_char_ok, report.h). */
static void xml_write_text(FILE *out, const char *s)
{
    const char *p = s ? s : "";
    while (*p) {
        switch (*p) {
        case '&': fputs("&amp;", out); p++; continue;
        case '<': fputs("&lt;", out); p++; continue;
        case '>': fputs("&gt;", out); p++; continue;
        case '"': fputs("&quot;", out); p++; continue;
        case '\'': fputs("&apos;", out); p++; continue;
        default: break;
        }
        p += text_write_char(out, p, true);
    }
}

static void attr(FILE *out, const char *name, const char *value)
{
    fprintf(out, " %s=\"", name);
    xml_write_text(out, value);
    fputc('"', out);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorting a policy's results by file and object, to number repeats. */
static const bh_results *sort_rs;

static int cmp_case(const void *a, const void *b)
{
    const bh_result *x = results_at(sort_rs, *(const size_t *)a);
    const bh_result *y = results_at(sort_rs, *(const size_t *)b);
    int c = strcmp(x->object_loc.file, y->object_loc.file);
    if (!c)
        c = strcmp(x->object, y->object);
    if (!c)
        c = (*(const size_t *)a > *(const size_t *)b) - (*(const size_t *)a < *(const size_t *)b);
    return c;
}

static void testcase(FILE *out, const bh_results *rs, size_t i, size_t rep)
{
    const bh_result *r = results_at(rs, i);
    char name[1024];
    if (rep)
        snprintf(name, sizeof name, "%s (%s) #%zu", r->object, r->object_loc.file, rep + 1);
    else
        snprintf(name, sizeof name, "%s (%s)", r->object, r->object_loc.file);
    fputs("    <testcase", out);
    attr(out, "name", name);
    attr(out, "classname", r->policy);
    attr(out, "file", r->loc.file);
    fprintf(out, " line=\"%u\">\n", r->loc.pos.line);
    if (r->suppression) {
        fputs("      <skipped", out);
        attr(out, "message", r->suppression->reason);
        fputs("/>\n", out);
    } else if (r->status == ST_INAPPLICABLE) {
        fputs("      <skipped", out);
        attr(out, "message", r->message);
        fputs("/>\n", out);
    } else if (r->status == ST_INCOMPLIANT || r->status == ST_UNDETERMINED) {
        const char *el = r->status == ST_INCOMPLIANT ? "failure" : "error";
        fprintf(out, "      <%s", el);
        attr(out, "message", r->message);
        attr(out, "type", r->status == ST_INCOMPLIANT ? severity_name(r->severity)
                                                      : "UNDETERMINED");
        fputc('>', out);
        xml_write_text(out, r->loc.file);
        fprintf(out, ":%u:%u: ", r->loc.pos.line, r->loc.pos.col);
        xml_write_text(out, r->message);
        if (r->remediation && *r->remediation) {
            fputs("\nfix: ", out);
            xml_write_text(out, r->remediation);
        }
        fprintf(out, "</%s>\n", el);
    }
    fputs("    </testcase>\n", out);
}

bool report_junit(FILE *out, const report_input *in)
{
    const bh_results *rs = in->results;
    size_t n = results_len(rs);
    size_t st[ST_COUNT] = {0}, skipped = 0;
    for (size_t i = 0; i < n; i++) {
        const bh_result *r = results_at(rs, i);
        if (r->suppression || r->status == ST_INAPPLICABLE)
            skipped++;
        else
            st[r->status]++;
    }
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
    fprintf(out, "<testsuites name=\"bulkhead\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
                 "skipped=\"%zu\">\n",
            n, st[ST_INCOMPLIANT], st[ST_UNDETERMINED], skipped);
    /* one suite per policy, in policy order (results are sorted by place) */
    char **seen = calloc(n ? n : 1, sizeof *seen);
    size_t nseen = 0;
    if (!seen)
        return false;
    for (size_t i = 0; i < n; i++) {
        const char *p = results_at(rs, i)->policy;
        bool dup = false;
        for (size_t k = 0; k < nseen && !dup; k++)
            dup = strcmp(seen[k], p) == 0;
        if (!dup)
            seen[nseen++] = (char *)p;
    }
    qsort(seen, nseen, sizeof *seen, cmp_str);
    size_t *idx = malloc((n ? n : 1) * sizeof *idx);
    if (!idx) {
        free(seen);
        return false;
    }
    for (size_t k = 0; k < nseen; k++) {
        size_t t = 0, f = 0, e = 0, s = 0;
        for (size_t i = 0; i < n; i++) {
            const bh_result *r = results_at(rs, i);
            if (strcmp(r->policy, seen[k]) != 0)
                continue;
            idx[t++] = i;
            if (r->suppression || r->status == ST_INAPPLICABLE)
                s++;
            else
                f += r->status == ST_INCOMPLIANT, e += r->status == ST_UNDETERMINED;
        }
        sort_rs = rs;
        qsort(idx, t, sizeof *idx, cmp_case);
        fputs("  <testsuite", out);
        attr(out, "name", seen[k]);
        fprintf(out, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\">\n", t, f,
                e, s);
        for (size_t j = 0, rep = 0; j < t; j++) {
            const bh_result *r = results_at(rs, idx[j]);
            const bh_result *prev = j ? results_at(rs, idx[j - 1]) : NULL;
            rep = prev && strcmp(prev->object, r->object) == 0 &&
                          strcmp(prev->object_loc.file, r->object_loc.file) == 0
                      ? rep + 1
                      : 0;
            testcase(out, rs, idx[j], rep);
        }
        fputs("  </testsuite>\n", out);
    }
    free(idx);
    free(seen);
    fputs("</testsuites>\n", out);
    return !ferror(out);
}

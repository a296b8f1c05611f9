/*
 * report_framework.c - results rolled up per control of a framework
 * (--framework ID), for every report format (report.h).
 *
 * A control's status: INCOMPLIANT when any result of its policies is
 * (and not suppressed), else UNDETERMINED when any is, else COMPLIANT
 * when any is, else INAPPLICABLE when any is, else "NOT_ASSESSED" (no
 * object of its policies' input was scanned).  Retired controls are
 * listed and marked.
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

const char *control_status_name(int s)
{
    return s < 0 ? "NOT_ASSESSED" : status_name((bh_status)s);
}

bool framework_rollup(const report_input *in, size_t i, fw_control *out)
{
    const bh_framework *f = in->framework;
    memset(out, 0, sizeof *out);
    out->id = framework_control_id(f, i);
    out->title = framework_control_title(f, i);
    out->retired = framework_control_retired(f, i);
    out->npolicies = framework_control_npolicies(f, i);
    for (size_t k = 0; k < out->npolicies; k++) {
        const char *p = framework_control_policy(f, i, k);
        for (size_t r = 0; r < results_len(in->results); r++) {
            const bh_result *res = results_at(in->results, r);
            if (strcmp(res->policy, p) != 0)
                continue;
            if (res->suppression)
                out->suppressed++;
            else
                out->counts[res->status]++;
        }
    }
    static const bh_status order[] = {ST_INCOMPLIANT, ST_UNDETERMINED, ST_COMPLIANT,
                                      ST_INAPPLICABLE};
    out->status = -1;
    for (size_t k = 0; k < 4 && out->status < 0; k++)
        if (out->counts[order[k]])
            out->status = (int)order[k];
    return true;
}

/* Framework data may come from a user's files (--policies): written as
 * any other text (text_write_safe, report.h). */
static void put(FILE *out, const char *s) { text_write_safe(out, s, false); }

void report_framework_text(FILE *out, const report_input *in)
{
    const bh_framework *f = in->framework;
    put(out, framework_name(f));
    fputs(" (", out);
    put(out, framework_id(f));
    fputs("):\n", out);
    for (size_t i = 0; i < framework_ncontrols(f); i++) {
        fw_control c;
        framework_rollup(in, i, &c);
        fputs("  ", out);
        put(out, c.id);
        fprintf(out, "%*s %-13s ", c.id && strlen(c.id) < 8 ? (int)(8 - strlen(c.id)) : 0, "",
                control_status_name(c.status));
        put(out, c.title);
        fprintf(out, "%s (%zu incompliant, %zu undetermined, %zu compliant, %zu inapplicable",
                c.retired ? " [retired]" : "", c.counts[ST_INCOMPLIANT],
                c.counts[ST_UNDETERMINED], c.counts[ST_COMPLIANT], c.counts[ST_INAPPLICABLE]);
        if (c.suppressed)
            fprintf(out, ", %zu suppressed", c.suppressed);
        fprintf(out, ")\n%25spolicies: ", "");
        for (size_t k = 0; k < c.npolicies; k++) {
            fputs(k ? ", " : "", out);
            put(out, framework_control_policy(f, i, k));
        }
        fputc('\n', out);
    }
    fputc('\n', out);
}

void report_framework_json(FILE *out, const report_input *in)
{
    const bh_framework *f = in->framework;
    fputs("  \"framework\": {\"id\": ", out);
    json_write_string(out, framework_id(f));
    fputs(", \"name\": ", out);
    json_write_string(out, framework_name(f));
    fputs(", \"controls\": [", out);
    for (size_t i = 0; i < framework_ncontrols(f); i++) {
        fw_control c;
        framework_rollup(in, i, &c);
        fputs(i ? ",\n    {\"id\": " : "\n    {\"id\": ", out);
        json_write_string(out, c.id);
        fputs(", \"title\": ", out);
        json_write_string(out, c.title);
        fputs(", \"status\": ", out);
        json_write_string(out, control_status_name(c.status));
        fprintf(out, ", \"retired\": %s, \"policies\": [", c.retired ? "true" : "false");
        for (size_t k = 0; k < c.npolicies; k++) {
            if (k)
                fputs(", ", out);
            json_write_string(out, framework_control_policy(f, i, k));
        }
        fprintf(out, "], \"INCOMPLIANT\": %zu, \"UNDETERMINED\": %zu, \"COMPLIANT\": %zu, "
                     "\"INAPPLICABLE\": %zu, \"suppressed\": %zu}",
                c.counts[ST_INCOMPLIANT], c.counts[ST_UNDETERMINED], c.counts[ST_COMPLIANT],
                c.counts[ST_INAPPLICABLE], c.suppressed);
    }
    fputs("\n  ]},\n", out);
}

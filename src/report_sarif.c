/*
 * report_sarif.c - SARIF 2.1.0, as GitHub code scanning reads it (see
 * report.h and docs/report-formats.md).
 *
 * INCOMPLIANT and UNDETERMINED results become SARIF results; COMPLIANT
 * and INAPPLICABLE ones are not problems and are left out.  One rule per
 * policy that has a result, with the policy's names, description and
 * remediation as help, and `security-severity` so GitHub ranks them.
 * Locations are relative URIs against %SRCROOT%; regions count Unicode
 * code points (run.columnKind).  partialFingerprints carry the content
 * fingerprint (result_fingerprint), stable across line shifts.
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "policy.h"

static const char *level_of(const bh_result *r)
{
    if (r->status == ST_UNDETERMINED)
        return "note";
    switch (r->severity) {
    case SEV_CRITICAL:
    case SEV_HIGH: return "error";
    case SEV_MEDIUM: return "warning";
    default: return "note";
    }
}

/* GitHub's scale: critical >= 9.0, high 7.0-8.9, medium 4.0-6.9, low < 4. */
static const char *security_severity(bh_severity s)
{
    static const char *const v[SEV_COUNT] = {"3.0", "5.5", "8.0", "9.5"};
    return (unsigned)s < SEV_COUNT ? v[s] : "5.5";
}

static bool is_problem(const bh_result *r)
{
    return r->status == ST_INCOMPLIANT || r->status == ST_UNDETERMINED;
}

/* A relative URI reference for a path: unreserved characters and "/" as
 * they are, everything else percent-encoded. */
static void write_uri(FILE *out, const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        unsigned char c = *p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            strchr("-._~/", c))
            fputc(c, out);
        else
            fprintf(out, "%%%c%c", hex[c >> 4], hex[c & 15]);
    }
    fputc('"', out);
}

static void write_location(FILE *out, const bh_loc *l)
{
    fputs("{\"physicalLocation\": {\"artifactLocation\": {\"uri\": ", out);
    write_uri(out, l->file);
    fputs(", \"uriBaseId\": \"%SRCROOT%\"}", out);
    if (l->pos.line) {
        fprintf(out, ", \"region\": {\"startLine\": %u, \"startColumn\": %u", l->pos.line,
                l->pos.col ? l->pos.col : 1);
        if (l->end.line >= l->pos.line && l->end.col)
            fprintf(out, ", \"endLine\": %u, \"endColumn\": %u", l->end.line,
                    l->end.line == l->pos.line && l->end.col <= l->pos.col ? l->pos.col + 1
                                                                           : l->end.col);
        fputc('}', out);
    }
    fputs("}}", out);    /* physicalLocation, location */
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The ids of the policies with a problem result, sorted and unique. */
static const char **rule_ids(const bh_results *rs, size_t *n)
{
    size_t total = results_len(rs), k = 0;
    const char **ids = malloc((total ? total : 1) * sizeof *ids);
    if (!ids)
        return NULL;
    for (size_t i = 0; i < total; i++)
        if (is_problem(results_at(rs, i)))
            ids[k++] = results_at(rs, i)->policy;
    qsort(ids, k, sizeof *ids, cmp_str);
    size_t u = 0;
    for (size_t i = 0; i < k; i++)
        if (u == 0 || strcmp(ids[u - 1], ids[i]) != 0)
            ids[u++] = ids[i];
    *n = u;
    return ids;
}

static long rule_index(const char **ids, size_t n, const char *id)
{
    const char **hit = bsearch(&id, ids, n, sizeof *ids, cmp_str);
    return hit ? hit - ids : -1;
}

static void write_rule(FILE *out, const bh_catalog *cat, const char *id)
{
    const bh_policy *p = cat ? catalog_find(cat, id) : NULL;
    fputs("{\"id\": ", out);
    json_write_string(out, id);
    if (!p) {
        fputc('}', out);
        return;
    }
    fputs(", \"name\": ", out);
    json_write_string(out, policy_contextual_name(p));
    fputs(", \"shortDescription\": {\"text\": ", out);
    json_write_string(out, policy_name(p));
    fputs("}, \"fullDescription\": {\"text\": ", out);
    json_write_string(out, policy_summary(p));
    fputs("}, \"help\": {\"text\": ", out);
    json_write_string(out, policy_remediation(p));
    fputs(", \"markdown\": ", out);
    const char *d = policy_description_md(p), *r = policy_remediation_md(p);
    size_t len = strlen(d) + strlen(r) + 32;
    char *md = malloc(len);
    if (md) {
        snprintf(md, len, "%s\n\n## Remediation\n\n%s", d, r);
        json_write_string(out, md);
        free(md);
    } else {
        json_write_string(out, d);
    }
    fputc('}', out);
    if (policy_help_uri(p)) {
        fputs(", \"helpUri\": ", out);
        json_write_string(out, policy_help_uri(p));
    }
    bh_severity sev = policy_severity(p);
    fprintf(out, ", \"defaultConfiguration\": {\"level\": \"%s\"}",
            sev >= SEV_HIGH ? "error" : sev == SEV_MEDIUM ? "warning" : "note");
    fprintf(out, ", \"properties\": {\"security-severity\": \"%s\", \"precision\": \"very-high\", "
                 "\"tags\": [\"security\"",
            security_severity(sev));
    for (size_t i = 0; i < policy_ncategories(p); i++) {
        fputs(", ", out);
        json_write_string(out, policy_category(p, i));
    }
    for (size_t i = 0; i < policy_ntags(p); i++) {
        fputs(", ", out);
        json_write_string(out, policy_tag(p, i));
    }
    fputs("]}}", out);
}

static void write_result(FILE *out, const bh_result *r, long index)
{
    fputs("{\"ruleId\": ", out);
    json_write_string(out, r->policy);
    if (index >= 0)
        fprintf(out, ", \"ruleIndex\": %ld", index);
    fprintf(out, ", \"level\": \"%s\", \"message\": {\"text\": ", level_of(r));
    size_t len = strlen(r->object) + strlen(r->message) + 32;
    char *text = malloc(len);
    if (text) {
        snprintf(text, len, "%s%s: %s", r->status == ST_UNDETERMINED ? "undetermined: " : "",
                 r->object, r->message);
        json_write_string(out, text);
        free(text);
    } else {
        json_write_string(out, r->message);
    }
    fputs("}, \"locations\": [", out);
    write_location(out, &r->loc);
    char fp[17];
    result_fingerprint(r, fp);
    fprintf(out, "], \"partialFingerprints\": {\"bulkhead/v1\": \"%s\"}", fp);
    if (r->ntrace) {
        fputs(", \"relatedLocations\": [", out);
        for (size_t i = 0; i < r->ntrace; i++) {
            fputs(i ? ", " : "", out);
            /* a related location is a location with an id and a message */
            fprintf(out, "{\"id\": %zu, \"physicalLocation\": {\"artifactLocation\": {\"uri\": ",
                    i + 1);
            write_uri(out, r->trace[i].loc.file);
            fputs(", \"uriBaseId\": \"%SRCROOT%\"}", out);
            if (r->trace[i].loc.pos.line)
                fprintf(out, ", \"region\": {\"startLine\": %u, \"startColumn\": %u}",
                        r->trace[i].loc.pos.line,
                        r->trace[i].loc.pos.col ? r->trace[i].loc.pos.col : 1);
            fputs("}, \"message\": {\"text\": ", out);
            json_write_string(out, r->trace[i].note);
            fputs("}}", out);
        }
        fputc(']', out);
    }
    if (r->suppression) {
        fprintf(out, ", \"suppressions\": [{\"kind\": \"%s\", \"justification\": ",
                strcmp(r->suppression->kind, "inline") == 0 ? "inSource" : "external");
        json_write_string(out, r->suppression->reason);
        fputs("}]", out);
    }
    fputs(", \"properties\": {\"object\": ", out);
    json_write_string(out, r->object);
    fputs(", \"objectType\": ", out);
    json_write_string(out, r->object_type);
    fputs(", \"status\": ", out);
    json_write_string(out, status_name(r->status));
    fputs("}}", out);
}

bool report_sarif(FILE *out, const report_input *in)
{
    size_t nrules = 0;
    const char **ids = rule_ids(in->results, &nrules);
    if (!ids)
        return false;
    fputs("{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
          "  \"version\": \"2.1.0\",\n  \"runs\": [{\n"
          "    \"tool\": {\"driver\": {\"name\": \"bulkhead\", \"version\": \"" BH_VERSION "\", "
          "\"semanticVersion\": \"" BH_VERSION "\",\n      \"rules\": [",
          out);
    for (size_t i = 0; i < nrules; i++) {
        fputs(i ? ",\n        " : "\n        ", out);
        write_rule(out, in->catalog, ids[i]);
    }
    fputs(nrules ? "\n      ]}},\n" : "]}},\n", out);
    fputs("    \"columnKind\": \"unicodeCodePoints\",\n    \"results\": [", out);
    bool first = true;
    for (size_t i = 0; i < results_len(in->results); i++) {
        const bh_result *r = results_at(in->results, i);
        if (!is_problem(r))
            continue;
        fputs(first ? "\n      " : ",\n      ", out);
        first = false;
        write_result(out, r, rule_index(ids, nrules, r->policy));
    }
    fputs(first ? "]\n  }]\n}\n" : "\n    ]\n  }]\n}\n", out);
    free(ids);
    return !ferror(out);
}

/* report.c - see report.h. */
#include "report.h"

#include <string.h>

static void write_json(FILE *out, const char *s, bool html)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    fputc('"', out);
    for (;;) {
        const unsigned char *run = p;   /* write runs that need no escape at once */
        while (*p >= 0x20 && *p != '"' && *p != '\\' && *p != 0x7f &&
               !(html && (*p == '<' || *p == '>' || *p == '&')))
            p++;
        if (p > run)
            fwrite(run, 1, (size_t)(p - run), out);
        unsigned char c = *p;
        if (!c)
            break;
        p++;
        switch (c) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            fputs("\\u00", out);
            fputc(hex[c >> 4], out);
            fputc(hex[c & 15], out);
        }
    }
    fputc('"', out);
}

void json_write_string(FILE *out, const char *s) { write_json(out, s, false); }
void json_write_string_html(FILE *out, const char *s) { write_json(out, s, true); }

size_t utf8_next(const char *s, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    *cp = 0xFFFD;
    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    }
    size_t n = p[0] >= 0xC2 && p[0] <= 0xDF ? 2 : p[0] >= 0xE0 && p[0] <= 0xEF ? 3
             : p[0] >= 0xF0 && p[0] <= 0xF4 ? 4 : 0;
    static const uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
    uint32_t c = p[0] & (0x7F >> n);
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)     /* a NUL ends the string here too */
            return 1;
        c = c << 6 | (p[i] & 0x3F);
    }
    if (!n || c < least[n] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 1;
    *cp = c;
    return n;
}

bool text_char_ok(uint32_t cp, bool multiline)
{
    if (cp == '\t' || (multiline && (cp == '\n' || cp == '\r')))
        return true;
    return cp >= 0x20 && !(cp >= 0x7F && cp <= 0x9F) && cp != 0xFFFE && cp != 0xFFFF;
}

size_t text_write_char(FILE *out, const char *p, bool multiline)
{
    uint32_t cp;
    size_t n = utf8_next(p, &cp);
    if (text_char_ok(cp, multiline) && cp != 0xFFFD)
        fwrite(p, 1, n, out);
    else
        fputs("\xEF\xBF\xBD", out);
    return n;
}

void text_write_safe(FILE *out, const char *s, bool multiline)
{
    const char *p = s ? s : "";
    for (;;) {
        const char *run = p;   /* printable ASCII needs no look */
        while ((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7F)
            p++;
        if (p > run)
            fwrite(run, 1, (size_t)(p - run), out);
        if (!*p)
            return;
        p += text_write_char(out, p, multiline);
    }
}

static void write_key(FILE *out, const char *key)
{
    json_write_string(out, key);
    fputs(": ", out);
}

static void write_loc_fields(FILE *out, const bh_loc *l, bool with_end)
{
    write_key(out, "file");
    json_write_string(out, l->file);
    fprintf(out, ", \"line\": %u, \"column\": %u", l->pos.line, l->pos.col);
    if (with_end)
        fprintf(out, ", \"end_line\": %u, \"end_column\": %u", l->end.line, l->end.col);
}

static void write_result(FILE *out, const bh_result *r)
{
    fputs("    {", out);
    write_key(out, "policy");
    json_write_string(out, r->policy);
    fputs(", ", out);
    write_key(out, "status");
    json_write_string(out, status_name(r->status));
    fputs(", ", out);
    write_key(out, "severity");
    json_write_string(out, severity_name(r->severity));
    fputs(",\n     ", out);
    write_loc_fields(out, &r->loc, true);
    fputs(",\n     ", out);
    write_key(out, "object");
    json_write_string(out, r->object);
    fputs(", ", out);
    write_key(out, "object_type");
    json_write_string(out, r->object_type);
    fputs(",\n     ", out);
    write_key(out, "message");
    json_write_string(out, r->message);
    fputs(",\n     ", out);
    write_key(out, "remediation");
    json_write_string(out, r->remediation);
    fputs(",\n     \"trace\": [", out);
    for (size_t i = 0; i < r->ntrace; i++) {
        fputs(i ? ", {" : "{", out);
        write_loc_fields(out, &r->trace[i].loc, false);
        fputs(", ", out);
        write_key(out, "note");
        json_write_string(out, r->trace[i].note);
        fputc('}', out);
    }
    fputs("],\n     \"related\": [", out);
    for (size_t i = 0; i < r->nrelated; i++) {
        const bh_related *rel = &r->related[i];
        fputs(i ? ",\n       {" : "\n       {", out);
        write_key(out, "list");
        json_write_string(out, rel->list);
        fputs(", ", out);
        write_key(out, "name");
        json_write_string(out, rel->name);
        fputs(", ", out);
        write_key(out, "status");
        json_write_string(out, status_name(rel->status));
        fputs(", ", out);
        write_loc_fields(out, &rel->loc, false);
        fputs(", ", out);
        write_key(out, "message");
        json_write_string(out, rel->message);
        fputc('}', out);
    }
    fputc(']', out);
    if (r->suppression) {       /* docs/suppressions.md */
        const bh_suppression *sp = r->suppression;
        fputs(",\n     \"suppression\": {", out);
        write_key(out, "kind");
        json_write_string(out, sp->kind);
        fputs(", ", out);
        write_key(out, "reason");
        json_write_string(out, sp->reason);
        fputs(", ", out);
        write_key(out, "until");
        if (sp->until)
            json_write_string(out, sp->until);
        else
            fputs("null", out);
        fputs(", ", out);
        write_loc_fields(out, &sp->source, false);
        fputc('}', out);
    }
    fputc('}', out);
}

static void write_diags(FILE *out, const char *key, const bh_diags *d, diag_level level)
{
    fprintf(out, "  \"%s\": [", key);
    bool first = true;
    for (size_t i = 0; d && i < diags_count(d); i++) {
        const bh_diag *g = diags_get(d, i);
        if (g->level != level)
            continue;
        fputs(first ? "\n    {" : ",\n    {", out);
        first = false;
        write_key(out, "file");
        json_write_string(out, g->file);
        fprintf(out, ", \"line\": %u, \"column\": %u, ", g->pos.line, g->pos.col);
        write_key(out, "message");
        json_write_string(out, g->message);
        if (g->ctx_file) {
            fputs(", \"context\": {", out);
            write_key(out, "file");
            json_write_string(out, g->ctx_file);
            fprintf(out, ", \"line\": %u, \"column\": %u, ", g->ctx_pos.line, g->ctx_pos.col);
            write_key(out, "note");
            json_write_string(out, g->ctx_note);
            fputc('}', out);
        }
        fputc('}', out);
    }
    fputs(first ? "],\n" : "\n  ],\n", out);
}

bool report_json(FILE *out, const report_input *in)
{
    size_t counts[ST_COUNT];
    results_count(in->results, counts);
    size_t n = results_len(in->results);
    fputs("{\n  \"version\": 1,\n", out);
    fputs("  \"tool\": {\"name\": \"bulkhead\", \"version\": \"" BH_VERSION "\"},\n", out);
    fputs("  \"results\": [", out);
    for (size_t i = 0; i < n; i++) {
        fputs(i ? ",\n" : "\n", out);
        write_result(out, results_at(in->results, i));
    }
    fputs(n ? "\n  ],\n" : "],\n", out);
    write_diags(out, "errors", in->diags, DIAG_ERROR);
    write_diags(out, "warnings", in->diags, DIAG_WARNING);
    write_diags(out, "notes", in->diags, DIAG_NOTE);
    if (in->framework)
        report_framework_json(out, in);
    size_t sev[SEV_COUNT] = {0}, suppressed = 0;
    for (size_t i = 0; i < n; i++) {
        const bh_result *r = results_at(in->results, i);
        if (r->status == ST_INCOMPLIANT)
            sev[r->severity]++;
        suppressed += r->suppression != NULL;
    }
    fprintf(out, "  \"summary\": {\"files\": %zu, \"results\": %zu", in->nfiles, n);
    for (int st = 0; st < ST_COUNT; st++)
        fprintf(out, ", \"%s\": %zu", status_name((bh_status)st), counts[st]);
    fputs(", \"incompliant_by_severity\": {", out);
    for (int sv = 0; sv < SEV_COUNT; sv++)
        fprintf(out, "%s\"%s\": %zu", sv ? ", " : "", severity_name((bh_severity)sv), sev[sv]);
    fprintf(out, "}, \"suppressed\": %zu, \"baselined\": %zu", suppressed, in->baselined);
    fprintf(out, ", \"errors\": %zu, \"warnings\": %zu}\n}\n",
            in->diags ? diags_count_level(in->diags, DIAG_ERROR) : 0,
            in->diags ? diags_count_level(in->diags, DIAG_WARNING) : 0);
    return !ferror(out);
}

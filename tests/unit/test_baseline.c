/* Unit tests: baseline.c (writing, reading, matching). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "diag.h"
#include "result.h"
#include "source.h"

static bh_result *add(bh_results *r, const char *policy, bh_status st, const char *object,
                      const char *file, uint32_t line, const char *text)
{
    bh_result *res = results_push(r);
    assert_non_null(res);
    res->policy = policy;
    res->status = st;
    res->severity = SEV_HIGH;
    res->object = object;
    res->object_type = "k8s/pod";
    res->loc.file = file;
    res->loc.pos = (bh_pos){line, 3};
    res->line_text = text;
    return res;
}

/* The baseline of r as a string (malloc()ed). */
static char *written(const bh_results *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_true(baseline_write(f, r));
    fclose(f);
    return buf;
}

static bh_baseline *parsed(const char *text, bh_diags *d)
{
    bh_source *src = source_new("baseline.json", text, strlen(text));
    assert_non_null(src);
    bh_baseline *b = baseline_parse(src, d);
    source_free(src);
    return b;
}

/* Today's findings: what the baseline records. */
static bh_results *today(void)
{
    bh_results *r = results_new();
    add(r, "k8s/pod/host-network", ST_INCOMPLIANT, "Pod/a/web", "deploy/web.yaml", 7,
        "  hostNetwork: true");
    add(r, "k8s/pod/host-pid", ST_UNDETERMINED, "Pod/a/web", "deploy/web.yaml", 8,
        "  hostPID: ${PID}");
    add(r, "k8s/pod/host-ipc", ST_COMPLIANT, "Pod/a/web", "deploy/web.yaml", 1, "kind: Pod");
    bh_result *s = add(r, "k8s/pod/privileged", ST_INCOMPLIANT, "Pod/a/web", "deploy/web.yaml",
                       12, "      privileged: true");
    static const bh_suppression why = {"inline", "r", NULL, {"deploy/web.yaml", {11, 1}, {11, 9}}};
    s->suppression = &why;
    return r;
}

static void test_write_records_open_findings_without_lines(void **state)
{
    (void)state;
    bh_results *r = today();
    char *text = written(r);
    assert_non_null(strstr(text, "\"version\": 1"));
    assert_non_null(strstr(text, "\"policy\": \"k8s/pod/host-network\""));
    assert_non_null(strstr(text, "\"policy\": \"k8s/pod/host-pid\""));       /* UNDETERMINED */
    assert_null(strstr(text, "k8s/pod/host-ipc"));                           /* COMPLIANT */
    assert_null(strstr(text, "k8s/pod/privileged"));                         /* suppressed */
    assert_null(strstr(text, "\"line\""));
    char fp[17];
    result_fingerprint(results_at(r, 0), fp);
    assert_non_null(strstr(text, fp));
    free(text);
    results_free(r);
}

static void test_round_trip_drops_known_findings(void **state)
{
    (void)state;
    bh_results *r = today();
    char *text = written(r);
    bh_diags *d = diags_new();
    bh_baseline *b = parsed(text, d);
    assert_non_null(b);
    assert_int_equal(diags_count(d), 0);

    /* the next scan: lines moved, one new finding, one changed deciding line */
    bh_results *next = results_new();
    add(next, "k8s/pod/host-network", ST_INCOMPLIANT, "Pod/a/web", "deploy/web.yaml", 17,
        "    hostNetwork: true   ");      /* other line, same trimmed text */
    add(next, "k8s/pod/host-pid", ST_UNDETERMINED, "Pod/a/web", "deploy/web.yaml", 18,
        "  hostPID: ${HOST_PID}");        /* the deciding line changed: new */
    add(next, "k8s/pod/host-ipc", ST_INCOMPLIANT, "Pod/a/web", "deploy/web.yaml", 19,
        "  hostIPC: true");               /* new */
    add(next, "k8s/pod/host-network", ST_INCOMPLIANT, "Pod/a/web", "deploy/web.yaml", 30,
        "hostNetwork: true");             /* a second identical finding: one entry, one match */
    add(next, "k8s/pod/host-network", ST_COMPLIANT, "Pod/a/api", "deploy/web.yaml", 7,
        "  hostNetwork: true");
    assert_int_equal(baseline_filter(b, next), 1);
    assert_int_equal(results_len(next), 4);
    assert_string_equal(results_at(next, 0)->policy, "k8s/pod/host-pid");
    assert_string_equal(results_at(next, 1)->policy, "k8s/pod/host-ipc");
    assert_int_equal(results_at(next, 2)->loc.pos.line, 30);
    assert_int_equal(results_at(next, 3)->status, ST_COMPLIANT);

    baseline_free(b);
    results_free(next);
    diags_free(d);
    free(text);
    results_free(r);
}

static void test_object_must_match(void **state)
{
    (void)state;
    bh_results *r = today();
    char *text = written(r);
    bh_diags *d = diags_new();
    bh_baseline *b = parsed(text, d);
    /* same fingerprint input but another object name: the fingerprint differs anyway;
     * forge the object in the file to check the name is compared too */
    char *forged = strdup(text);
    char *o = strstr(forged, "\"object\": \"Pod/a/web\"");
    assert_non_null(o);
    memcpy(o + strlen("\"object\": \"Pod/a/"), "xyz", 3);
    bh_baseline *fb = parsed(forged, d);
    assert_non_null(fb);
    bh_results *next = today();
    size_t before = results_len(next);
    assert_int_equal(baseline_filter(fb, next), 1);   /* one of the two entries was forged */
    assert_int_equal(results_len(next), before - 1);
    baseline_free(fb);
    baseline_free(b);
    results_free(next);
    free(forged);
    diags_free(d);
    free(text);
    results_free(r);
}

/* A refused baseline: an error at line. */
static void refused(const char *text, uint32_t line, const char *want)
{
    bh_diags *d = diags_new();
    bh_baseline *b = parsed(text, d);
    if (b || !diags_count_level(d, DIAG_ERROR))
        fail_msg("accepted: %s", text);
    const bh_diag *g = diags_get(d, 0);
    if (g->pos.line != line || !strstr(g->message, want))
        fail_msg("%u %s (wanted %u %s)", g->pos.line, g->message, line, want);
    assert_string_equal(g->file, "baseline.json");
    diags_free(d);
}

static void test_refused_baselines(void **state)
{
    (void)state;
    refused("{\"version\": 1, \"results\": [", 1, "");
    refused("[]", 1, "must be a JSON object");
    refused("{\"results\": []}", 1, "unsupported baseline version");
    refused("{\"version\": 2, \"results\": []}", 1, "unsupported baseline version");
    refused("{\"version\": 1}", 1, "needs a \"results\" list");
    refused("{\"version\": 1,\n \"results\": [\n  []]}", 3, "must be a JSON object");
    refused("{\"version\": 1,\n \"results\": [\n  {\"object\": \"o\", \"fingerprint\": "
            "\"0123456789abcdef\"}]}",
            3, "has no \"policy\"");
    refused("{\"version\": 1,\n \"results\": [\n  {\"policy\": \"p\", \"object\": 1, "
            "\"fingerprint\": \"0123456789abcdef\"}]}",
            3, "\"object\" of a baseline entry must be a string");
    refused("{\"version\": 1,\n \"results\": [\n  {\"policy\": \"p\", \"object\": \"o\", "
            "\"fingerprint\": \"0123456789ABCDEF\"}]}",
            3, "malformed fingerprint");
}

static void test_empty_baseline(void **state)
{
    (void)state;
    bh_results *r = results_new();
    char *text = written(r);
    assert_string_equal(text, "{\n  \"version\": 1,\n  \"tool\": {\"name\": \"bulkhead\", "
                              "\"version\": \"" BH_VERSION "\"},\n  \"results\": []\n}\n");
    bh_diags *d = diags_new();
    bh_baseline *b = parsed(text, d);
    assert_non_null(b);
    bh_results *next = today();
    assert_int_equal(baseline_filter(b, next), 0);
    assert_int_equal(baseline_filter(NULL, next), 0);
    baseline_free(b);
    results_free(next);
    diags_free(d);
    free(text);
    results_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write_records_open_findings_without_lines),
        cmocka_unit_test(test_round_trip_drops_known_findings),
        cmocka_unit_test(test_object_must_match),
        cmocka_unit_test(test_refused_baselines),
        cmocka_unit_test(test_empty_baseline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

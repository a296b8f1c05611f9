/* Unit tests: suppress.c (inline suppression comments, config rules, dates). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "diag.h"
#include "policy.h"
#include "result.h"
#include "source.h"
#include "suppress.h"

#ifndef BH_SOURCE_DIR
#define BH_SOURCE_DIR "."
#endif

static bh_catalog *catalog;

static int load_catalog(void **state)
{
    (void)state;
    catalog = catalog_new();
    bh_diags *d = diags_new();
    catalog_load_dir(catalog, BH_SOURCE_DIR "/policies", NULL, d);
    int errors = (int)diags_count_level(d, DIAG_ERROR);
    diags_free(d);
    return errors;
}

static int free_catalog(void **state)
{
    (void)state;
    catalog_free(catalog);
    return 0;
}

/* A result of policy in file, deciding at line, its object starting at
 * object_line. */
static bh_result *add(bh_results *r, const char *policy, bh_status st, const char *file,
                      uint32_t line, uint32_t object_line)
{
    bh_result *res = results_push(r);
    assert_non_null(res);
    res->policy = policy;
    res->status = st;
    res->severity = SEV_HIGH;
    res->loc.file = file;
    res->loc.pos = (bh_pos){line, 3};
    res->object_loc.file = file;
    res->object_loc.pos = (bh_pos){object_line, 1};
    res->object = "Pod/default/web";
    res->object_type = "k8s/pod";
    return res;
}

typedef struct run {
    bh_results *r;
    bh_diags *d;
    bh_source *src;
} run;

/* Apply the inline suppressions of text (named path) to r, today being
 * 2026-06-01 unless opts say otherwise. */
static void apply(run *x, const char *path, const char *text, bh_syntax syn,
                  const suppress_opts *opts)
{
    suppress_opts o = {catalog, NULL, false, "2026-06-01"};
    if (opts)
        o = *opts;
    x->d = diags_new();
    x->src = source_new(path, text, strlen(text));
    assert_non_null(x->src);
    suppress_inline(&o, x->src, syn, x->r, 0, x->d);
}

static void run_free(run *x)
{
    results_free(x->r);
    diags_free(x->d);
    source_free(x->src);
}

static const bh_suppression *sup(const run *x, size_t i)
{
    return results_at(x->r, i)->suppression;
}

static const char *diag_msg(const run *x, size_t i)
{
    assert_true(i < diags_count(x->d));
    return diags_get(x->d, i)->message;
}

static void test_trailing_comment_suppresses_its_line(void **state)
{
    (void)state;
    run x = {.r = results_new()};
    add(x.r, "k8s/pod/host-network", ST_INCOMPLIANT, "p.yaml", 4, 1);
    add(x.r, "k8s/pod/host-network", ST_INCOMPLIANT, "p.yaml", 5, 1);   /* other line */
    add(x.r, "k8s/pod/host-pid", ST_INCOMPLIANT, "p.yaml", 4, 1);       /* other policy */
    apply(&x, "p.yaml",
          "kind: Pod\n"
          "metadata: {name: web}\n"
          "spec:\n"
          "  hostNetwork: true   # bulkhead:ignore k8s/pod/host-network reason=\"dns cache\"\n"
          "  hostPID: true\n",
          SYN_YAML, NULL);
    assert_int_equal(diags_count(x.d), 0);
    const bh_suppression *s = sup(&x, 0);
    assert_non_null(s);
    assert_string_equal(s->kind, "inline");
    assert_string_equal(s->reason, "dns cache");
    assert_null(s->until);
    assert_string_equal(s->source.file, "p.yaml");
    assert_int_equal(s->source.pos.line, 4);
    assert_int_equal(s->source.pos.col, 23);
    assert_null(sup(&x, 1));
    assert_null(sup(&x, 2));
    run_free(&x);
}

static void test_comment_block_above_object(void **state)
{
    (void)state;
    run x = {.r = results_new()};
    add(x.r, "k8s/pod/root-user", ST_INCOMPLIANT, "p.yaml", 9, 4);
    add(x.r, "k8s/pod/host-pid", ST_UNDETERMINED, "p.yaml", 8, 4);
    add(x.r, "k8s/pod/root-user", ST_COMPLIANT, "p.yaml", 9, 4);     /* not suppressed */
    apply(&x, "p.yaml",
          "---\n"
          "# bulkhead:ignore k8s/pod/root-user reason=\"drops privileges itself\" until=2026-06-01\n"
          "# bulkhead:ignore k8s/pod/host-pid reason='x'\n"
          "apiVersion: v1\n",
          SYN_YAML, NULL);
    assert_int_equal(diags_count(x.d), 0);
    assert_non_null(sup(&x, 0));
    assert_string_equal(sup(&x, 0)->until, "2026-06-01");   /* until today: still applies */
    assert_non_null(sup(&x, 1));
    assert_string_equal(sup(&x, 1)->reason, "'x'");          /* only "..." quotes */
    assert_null(sup(&x, 2));
    run_free(&x);
}

static void test_comment_above_key_covers_its_block(void **state)
{
    (void)state;
    run x = {.r = results_new()};
    add(x.r, "k8s/pod/privileged", ST_INCOMPLIANT, "c.yaml", 7, 4);   /* object starts line 4 */
    apply(&x, "c.yaml",
          "services:\n"
          "  # bulkhead:ignore k8s/pod/privileged reason=\"needs /dev/kvm\"\n"
          "  web:\n"
          "    image: x\n"
          "    ports: []\n"
          "    user: root\n"
          "    privileged: true\n",
          SYN_YAML, NULL);
    assert_int_equal(diags_count(x.d), 0);
    assert_non_null(sup(&x, 0));
    run_free(&x);
}

static void test_blank_line_ends_the_block(void **state)
{
    (void)state;
    run x = {.r = results_new()};
    add(x.r, "k8s/pod/host-pid", ST_INCOMPLIANT, "p.yaml", 3, 3);
    apply(&x, "p.yaml", "a: 1\n# bulkhead:ignore k8s/pod/host-pid reason=\"r\"\n\nb: 2\n", SYN_YAML,
          NULL);
    assert_null(sup(&x, 0));
    assert_int_equal(diags_count(x.d), 1);
    assert_int_equal(diags_get(x.d, 0)->level, DIAG_WARNING);
    assert_non_null(strstr(diag_msg(&x, 0), "applies to no line"));
    run_free(&x);
}

static void test_problems_are_warnings_and_not_applied(void **state)
{
    (void)state;
    run x = {.r = results_new()};
    for (uint32_t line = 1; line <= 7; line++)
        add(x.r, "k8s/pod/host-pid", ST_INCOMPLIANT, "p.yaml", line, 100);
    apply(&x, "p.yaml",
          "a: 1 # bulkhead:ignore k8s/pod/host-pid\n"
          "b: 2 # bulkhead:ignore k8s/pod/host-pdi reason=\"typo\"\n"
          "c: 3 # bulkhead:ignore k8s/pod/host-pid reason=\"r\" until=2026-02-30\n"
          "d: 4 # bulkhead:ignore k8s/pod/host-pid reason=\"r\" until=2026-05-31\n"
          "e: 5 # bulkhead:ignore k8s/pod/host-pid reason=\"r\" owner=me\n"
          "f: 6 # bulkhead:ignore k8s/pod/host-pid reason=\"unterminated\n"
          "g: 7 # bulkhead:ignore reason=\"no id\"\n",
          SYN_YAML, NULL);
    for (size_t i = 0; i < 7; i++)
        assert_null(sup(&x, i));
    assert_int_equal(diags_count(x.d), 7);
    assert_int_equal(diags_count_level(x.d, DIAG_WARNING), 7);
    assert_string_equal(diag_msg(&x, 0),
                        "suppression of \"k8s/pod/host-pid\" has no reason (add reason=\"...\"); "
                        "not applied");
    assert_string_equal(diag_msg(&x, 1),
                        "suppression names unknown policy \"k8s/pod/host-pdi\"; not applied");
    assert_non_null(strstr(diag_msg(&x, 2), "malformed until date \"2026-02-30\""));
    assert_string_equal(diag_msg(&x, 3), "suppression of \"k8s/pod/host-pid\" expired on 2026-05-31");
    assert_non_null(strstr(diag_msg(&x, 4), "unknown key \"owner\""));
    assert_non_null(strstr(diag_msg(&x, 5), "unterminated"));
    assert_non_null(strstr(diag_msg(&x, 6), "names no policy"));
    assert_int_equal(diags_get(x.d, 3)->pos.line, 4);
    assert_int_equal(diags_get(x.d, 3)->pos.col, 6);
    run_free(&x);
}

static void test_yaml_quotes_and_prose(void **state)
{
    (void)state;
    run x = {.r = results_new()};
    add(x.r, "k8s/pod/host-pid", ST_INCOMPLIANT, "p.yaml", 1, 100);
    add(x.r, "k8s/pod/host-pid", ST_INCOMPLIANT, "p.yaml", 2, 100);
    add(x.r, "k8s/pod/host-pid", ST_INCOMPLIANT, "p.yaml", 3, 100);
    add(x.r, "k8s/pod/host-pid", ST_INCOMPLIANT, "p.yaml", 4, 100);
    apply(&x, "p.yaml",
          "a: \"x # bulkhead:ignore k8s/pod/host-pid reason=\\\"r\\\"\"\n"   /* in a string */
          "b: it's # bulkhead:ignore k8s/pod/host-pid reason=\"apostrophe\"\n"
          "c: x#bulkhead:ignore k8s/pod/host-pid reason=\"no space: text\"\n"
          "d: 1 # see bulkhead:ignore in the docs\n",
          SYN_YAML, NULL);
    assert_null(sup(&x, 0));
    assert_non_null(sup(&x, 1));
    assert_string_equal(sup(&x, 1)->reason, "apostrophe");
    assert_null(sup(&x, 2));
    assert_null(sup(&x, 3));
    assert_int_equal(diags_count(x.d), 0);
    run_free(&x);
}

static void test_hcl_comments(void **state)
{
    (void)state;
    run x = {.r = results_new()};
    add(x.r, "aws/ecs/task-definition-privileged", ST_INCOMPLIANT, "m.tf", 5, 1);
    add(x.r, "aws/ecs/task-definition-host-network-mode", ST_INCOMPLIANT, "m.tf", 7, 3);
    add(x.r, "aws/ecs/task-definition-root-user", ST_INCOMPLIANT, "m.tf", 8, 3);
    add(x.r, "aws/ecs/task-definition-pid-mode", ST_INCOMPLIANT, "m.tf", 9, 3);
    add(x.r, "aws/ecs/task-definition-ipc-mode", ST_INCOMPLIANT, "m.tf", 9, 3);
    apply(&x, "m.tf",
          "# bulkhead:ignore aws/ecs/task-definition-privileged reason=\"whole resource\"\n"
          "// bulkhead:ignore aws/ecs/task-definition-root-user,aws/ecs/task-definition-pid-mode reason=\"both\"\n"
          "resource \"aws_ecs_task_definition\" \"web\" {\n"
          "  family = \"web\"\n"
          "  x = 1\n"
          "  note = \"# bulkhead:ignore aws/ecs/task-definition-host-network-mode reason=\\\"s\\\"\"\n"
          "  network_mode = \"host\" // bulkhead:ignore aws/ecs/task-definition-host-network-mode reason=\"bridge is broken\"\n"
          "  user = 0\n"
          "  pid_mode = \"task\"\n"
          "}\n",
          SYN_HCL, NULL);
    assert_int_equal(diags_count(x.d), 0);
    assert_null(sup(&x, 0));                 /* line 5, object on line 1: the comment targets 3 */
    assert_non_null(sup(&x, 1));
    assert_string_equal(sup(&x, 1)->reason, "bridge is broken");
    assert_non_null(sup(&x, 2));             /* object starts on line 3 */
    assert_string_equal(sup(&x, 2)->reason, "both");
    assert_non_null(sup(&x, 3));
    assert_null(sup(&x, 4));
    run_free(&x);

    /* the object starting on the line after the comment block */
    run y = {.r = results_new()};
    add(y.r, "aws/ecs/task-definition-privileged", ST_INCOMPLIANT, "m.tf", 5, 2);
    apply(&y, "m.tf",
          "# bulkhead:ignore aws/ecs/task-definition-privileged reason=\"whole resource\"\n"
          "resource \"aws_ecs_task_definition\" \"web\" {\n}\n",
          SYN_HCL, NULL);
    assert_non_null(sup(&y, 0));
    run_free(&y);
}

static void test_formats_without_comments(void **state)
{
    (void)state;
    run x = {.r = results_new()};
    add(x.r, "k8s/pod/host-pid", ST_INCOMPLIANT, "p.json", 1, 1);
    apply(&x, "p.json", "{\"a\": \"# bulkhead:ignore k8s/pod/host-pid reason=\\\"r\\\"\"}",
          SYN_JSON, NULL);
    assert_null(sup(&x, 0));
    assert_int_equal(diags_count(x.d), 0);
    run_free(&x);
}

static void test_disabled_inline_suppressions_are_noted(void **state)
{
    (void)state;
    run x = {.r = results_new()};
    add(x.r, "k8s/pod/host-pid", ST_INCOMPLIANT, "p.yaml", 1, 1);
    suppress_opts o = {catalog, NULL, true, "2026-06-01"};
    apply(&x, "p.yaml", "a: 1 # bulkhead:ignore k8s/pod/host-pid reason=\"r\"\n", SYN_YAML, &o);
    assert_null(sup(&x, 0));
    assert_int_equal(diags_count(x.d), 1);
    assert_int_equal(diags_get(x.d, 0)->level, DIAG_NOTE);
    run_free(&x);
}

static void test_only_the_units_results(void **state)
{
    (void)state;
    bh_results *r = results_new();
    add(r, "k8s/pod/host-pid", ST_INCOMPLIANT, "p.yaml", 1, 1);   /* an earlier unit's */
    add(r, "k8s/pod/host-pid", ST_INCOMPLIANT, "p.yaml", 1, 1);
    add(r, "k8s/pod/host-pid", ST_INCOMPLIANT, "q.yaml", 1, 1);   /* another file */
    bh_diags *d = diags_new();
    const char *text = "a: 1 # bulkhead:ignore k8s/pod/host-pid reason=\"r\"\n";
    bh_source *src = source_new("p.yaml", text, strlen(text));
    suppress_opts o = {catalog, NULL, false, "2026-06-01"};
    suppress_inline(&o, src, SYN_YAML, r, 1, d);
    assert_null(results_at(r, 0)->suppression);
    assert_non_null(results_at(r, 1)->suppression);
    assert_null(results_at(r, 2)->suppression);
    source_free(src);
    diags_free(d);
    results_free(r);
}

/* Every prefix of a tricky text (cut at every byte: inside quotes, inside
 * the marker, before a line end): no crash, no read past the end (ASan). */
static void test_every_prefix(void **state)
{
    (void)state;
    static const char text[] =
        "a: \"x # q\" # bulkhead:ignore k8s/pod/host-pid,k8s/pod/host-ipc reason=\"a \\\" b\" until=2027-01-01\r\n"
        "# bulkhead:ignore k8s/pod/host-pid reason=x\n"
        "#\n"
        "k: // bulkhead:ignore k8s/pod/host-pid reason=\"r\"\n"
        "web:\n"
        "  x: 1 #bulkhead:ignore\n"
        "bulkhead:ignore";
    const bh_syntax syns[] = {SYN_YAML, SYN_HCL};
    for (size_t k = 0; k < 2; k++)
        for (size_t n = 0; n <= sizeof text - 1; n++) {
            bh_results *r = results_new();
            add(r, "k8s/pod/host-pid", ST_INCOMPLIANT, "p", 1, 1);
            add(r, "k8s/pod/host-pid", ST_INCOMPLIANT, "p", 6, 6);
            bh_diags *d = diags_new();
            char *copy = malloc(n ? n : 1);   /* exactly n bytes: ASan sees any overrun */
            memcpy(copy, text, n);
            bh_source *src = source_new("p", copy, n);
            free(copy);
            suppress_opts o = {catalog, NULL, false, "2026-06-01"};
            suppress_inline(&o, src, syns[k], r, 0, d);
            source_free(src);
            diags_free(d);
            results_free(r);
        }
}

static void test_dates(void **state)
{
    (void)state;
    const char *ok[] = {"2024-02-29", "2000-02-29", "2026-12-31", "1999-01-01"};
    const char *bad[] = {"2023-02-29", "1900-02-29", "2026-13-01", "2026-00-10", "2026-04-31",
                         "2026-1-01", "2026/01/01", "20260101", "2026-01-011", "abcd-ef-gh"};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
        assert_true(suppress_date_valid(ok[i], strlen(ok[i])));
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_false(suppress_date_valid(bad[i], strlen(bad[i])));
    char today[11];
    setenv("BH_TODAY", "2030-03-04", 1);
    assert_true(suppress_today(today));
    assert_string_equal(today, "2030-03-04");
    setenv("BH_TODAY", "soon", 1);
    assert_false(suppress_today(today));
    unsetenv("BH_TODAY");
    assert_true(suppress_today(today));
    assert_true(suppress_date_valid(today, strlen(today)));
}

static void test_config_rules(void **state)
{
    (void)state;
    const char *text = "severity_overrides: {k8s/pod/host-port: critical}\n"
                       "suppressions:\n"
                       "  - {policy: k8s/pod/host-pid, object: \"Pod/default/*\", file: \"deploy/*.yaml\", reason: r1}\n"
                       "  - {policy: k8s/pod/host-ipc, object: Pod/default/web, reason: r2, until: 2020-01-01}\n"
                       "  - {policy: k8s/pod/host-network, object: Pod/default/web, reason: r3}\n";
    bh_source *src = source_new(".bulkhead.yaml", text, strlen(text));
    bh_diags *d = diags_new();
    bh_config *cfg = config_parse(src, catalog, "2026-06-01", d);
    assert_non_null(cfg);
    assert_int_equal(diags_count_level(d, DIAG_WARNING), 1);    /* the expired one */
    bh_results *r = results_new();
    add(r, "k8s/pod/host-pid", ST_INCOMPLIANT, "repo/deploy/web.yaml", 3, 1);
    add(r, "k8s/pod/host-pid", ST_INCOMPLIANT, "repo/other/web.yaml", 3, 1);  /* file differs */
    add(r, "k8s/pod/host-ipc", ST_INCOMPLIANT, "repo/deploy/web.yaml", 4, 1); /* expired */
    add(r, "k8s/pod/host-port", ST_COMPLIANT, "repo/deploy/web.yaml", 5, 1);
    bh_result *inl = add(r, "k8s/pod/host-network", ST_INCOMPLIANT, "repo/deploy/web.yaml", 6, 1);
    static const bh_suppression inline_one = {"inline", "kept", NULL, {"x", {1, 1}, {1, 1}}};
    inl->suppression = &inline_one;
    suppress_opts o = {catalog, cfg, false, "2026-06-01"};
    suppress_config(&o, r);
    assert_non_null(results_at(r, 0)->suppression);
    assert_string_equal(results_at(r, 0)->suppression->kind, "config");
    assert_string_equal(results_at(r, 0)->suppression->reason, "r1");
    assert_int_equal(results_at(r, 0)->suppression->source.pos.line, 3);
    assert_null(results_at(r, 1)->suppression);
    assert_null(results_at(r, 2)->suppression);
    assert_int_equal(results_at(r, 3)->severity, SEV_CRITICAL);
    assert_null(results_at(r, 3)->suppression);
    assert_string_equal(results_at(r, 4)->suppression->reason, "kept");
    results_free(r);
    config_free(cfg);
    diags_free(d);
    source_free(src);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trailing_comment_suppresses_its_line),
        cmocka_unit_test(test_comment_block_above_object),
        cmocka_unit_test(test_comment_above_key_covers_its_block),
        cmocka_unit_test(test_blank_line_ends_the_block),
        cmocka_unit_test(test_problems_are_warnings_and_not_applied),
        cmocka_unit_test(test_yaml_quotes_and_prose),
        cmocka_unit_test(test_hcl_comments),
        cmocka_unit_test(test_formats_without_comments),
        cmocka_unit_test(test_disabled_inline_suppressions_are_noted),
        cmocka_unit_test(test_only_the_units_results),
        cmocka_unit_test(test_every_prefix),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_config_rules),
    };
    return cmocka_run_group_tests(tests, load_catalog, free_catalog);
}

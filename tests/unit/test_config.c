/* Unit tests: config.c (.bulkhead.yaml: reading, refusing, finding). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "diag.h"
#include "policy.h"
#include "source.h"

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

/* Parse text as a config; *d receives the diagnostics. */
static bh_config *parse(const char *text, bh_diags **d)
{
    *d = diags_new();
    bh_source *src = source_new("cfg.yaml", text, strlen(text));
    assert_non_null(src);
    bh_config *c = config_parse(src, catalog, "2026-06-01", *d);
    source_free(src);
    return c;
}

static void test_full_config(void **state)
{
    (void)state;
    bh_diags *d;
    bh_config *c = parse("# comment\n"
                         "skip_policies: [k8s/pod/seccomp-not-set, k8s/pod/host-port]\n"
                         "exclude:\n  - vendor\n  - '*.generated.yaml'\n"
                         "severity_overrides:\n  k8s/pod/host-pid: critical\n"
                         "suppressions:\n"
                         "  - policy: k8s/pod/host-network\n"
                         "    object: DaemonSet/*/node-exporter\n"
                         "    file: deploy/*.yaml\n"
                         "    reason: needs host network\n"
                         "    until: 2027-01-01\n"
                         "fail_threshold: medium\n"
                         "no_inline_suppressions: yes\n",
                         &d);
    assert_non_null(c);
    assert_int_equal(diags_count(d), 0);
    assert_string_equal(c->path, "cfg.yaml");
    assert_int_equal(c->nskip_policies, 2);
    assert_string_equal(c->skip_policies[1], "k8s/pod/host-port");
    assert_int_equal(c->nexcludes, 2);
    assert_string_equal(c->excludes[1], "*.generated.yaml");
    assert_int_equal(c->noverrides, 1);
    assert_string_equal(c->overrides[0].policy, "k8s/pod/host-pid");
    assert_int_equal(c->overrides[0].severity, SEV_CRITICAL);
    assert_int_equal(c->nsuppressions, 1);
    const config_suppression *s = &c->suppressions[0];
    assert_string_equal(s->policy, "k8s/pod/host-network");
    assert_string_equal(s->object, "DaemonSet/*/node-exporter");
    assert_string_equal(s->file, "deploy/*.yaml");
    assert_false(s->expired);
    assert_string_equal(s->s.kind, "config");
    assert_string_equal(s->s.reason, "needs host network");
    assert_string_equal(s->s.until, "2027-01-01");
    assert_string_equal(s->s.source.file, "cfg.yaml");
    assert_int_equal(s->s.source.pos.line, 9);
    assert_true(c->has_fail_threshold);
    assert_int_equal(c->fail_threshold, SEV_MEDIUM);
    assert_true(c->no_inline_suppressions);
    config_free(c);
    diags_free(d);
}

static void test_empty_config(void **state)
{
    (void)state;
    bh_diags *d;
    bh_config *c = parse("# nothing configured yet\n", &d);
    assert_non_null(c);
    assert_false(c->has_fail_threshold);
    assert_int_equal(c->nsuppressions, 0);
    config_free(c);
    diags_free(d);
}

static void test_expired_suppression_is_a_warning(void **state)
{
    (void)state;
    bh_diags *d;
    bh_config *c = parse("suppressions:\n"
                         "  - {policy: k8s/pod/host-pid, object: x, reason: r, until: 2026-05-31}\n",
                         &d);
    assert_non_null(c);
    assert_true(c->suppressions[0].expired);
    assert_int_equal(diags_count(d), 1);
    assert_int_equal(diags_get(d, 0)->level, DIAG_WARNING);
    assert_string_equal(diags_get(d, 0)->message,
                        "suppression of \"k8s/pod/host-pid\" expired on 2026-05-31");
    assert_int_equal(diags_get(d, 0)->pos.line, 2);
    config_free(c);
    diags_free(d);
}

/* A refused config: one error, at line:col, its message containing want. */
static void refused(const char *text, uint32_t line, uint32_t col, const char *want)
{
    bh_diags *d;
    bh_config *c = parse(text, &d);
    if (c || diags_count_level(d, DIAG_ERROR) != 1)
        fail_msg("config accepted or not one error: %s", text);
    const bh_diag *g = diags_get(d, 0);
    if (g->pos.line != line || g->pos.col != col || !strstr(g->message, want))
        fail_msg("%u:%u %s (wanted %u:%u %s)", g->pos.line, g->pos.col, g->message, line, col,
                 want);
    assert_string_equal(g->file, "cfg.yaml");
    diags_free(d);
}

static void test_refused_configs(void **state)
{
    (void)state;
    refused("fail_treshold: high\n", 1, 1, "unknown key \"fail_treshold\"");
    refused("skip_policies: k8s/pod/host-pid\n", 1, 16, "must be a list of strings");
    refused("skip_policies: [k8s/pod/nope]\n", 1, 17, "unknown policy \"k8s/pod/nope\"");
    refused("exclude: [[a]]\n", 1, 11, "must be a string");
    refused("severity_overrides: [a]\n", 1, 21, "must be a mapping");
    refused("severity_overrides: {k8s/pod/host-pid: urgent}\n", 1, 40, "unknown severity");
    refused("fail_threshold: 3\n", 1, 17, "unknown severity \"3\"");
    refused("no_inline_suppressions: maybe\n", 1, 25, "must be true or false");
    refused("suppressions: {}\n", 1, 15, "must be a list");
    refused("suppressions: [k8s/pod/host-pid]\n", 1, 16, "must be a mapping");
    refused("suppressions:\n  - {policy: k8s/pod/host-pid, object: x}\n", 2, 5,
            "needs a \"reason\"");
    refused("suppressions:\n  - {policy: k8s/pod/host-pid, reason: r}\n", 2, 5,
            "needs an \"object\"");
    refused("suppressions:\n  - {object: x, reason: r}\n", 2, 5, "needs a \"policy\"");
    refused("suppressions:\n  - {policy: k8s/pod/host-pid, object: x, reason: \"\"}\n", 2, 51,
            "must not be empty");
    refused("suppressions:\n  - {policy: k8s/pod/host-pid, object: x, reason: r, until: 2026-6-1}\n",
            2, 61, "malformed date");
    refused("suppressions:\n  - {policy: k8s/pod/host-pid, object: x, reason: r, by: me}\n", 2, 54,
            "unknown key \"by\"");
    refused("[1, 2]\n", 1, 1, "must be a mapping");
    refused("a: 1\n---\nb: 2\n", 3, 1, "one YAML document");
    refused("a: [1\n", 2, 1, "");    /* a YAML error */
}

static void test_path_matches(void **state)
{
    (void)state;
    assert_true(config_path_matches("deploy/*.yaml", "deploy/web.yaml"));
    assert_true(config_path_matches("deploy/*.yaml", "./repo/deploy/web.yaml"));
    assert_true(config_path_matches("web.yaml", "repo/deploy/web.yaml"));
    assert_false(config_path_matches("deploy/*.yaml", "repo/deploy/web.json"));
    assert_false(config_path_matches("ploy/*.yaml", "repo/deploy/web.yaml"));
}

/* mkdir -p for a path under a scratch directory. */
static void touch(const char *path)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fclose(f);
}

static void test_find_upward(void **state)
{
    (void)state;
    char root[] = "/tmp/bh-config-XXXXXX";
    assert_non_null(mkdtemp(root));
    char p[512], cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    snprintf(p, sizeof p, "%s/repo", root);
    assert_int_equal(mkdir(p, 0700), 0);
    snprintf(p, sizeof p, "%s/repo/a", root);
    assert_int_equal(mkdir(p, 0700), 0);
    snprintf(p, sizeof p, "%s/repo/a/b", root);
    assert_int_equal(mkdir(p, 0700), 0);
    snprintf(p, sizeof p, "%s/repo/a/b/pod.yaml", root);
    touch(p);
    assert_int_equal(chdir(root), 0);

    /* none anywhere (the scratch root's parents hold none either, or are above a .git) */
    snprintf(p, sizeof p, "%s/repo/.git", root);
    assert_int_equal(mkdir(p, 0700), 0);
    assert_null(config_find("repo/a/b"));

    /* above the scanned directory, below the .git: found, shown relative */
    touch("repo/.bulkhead.yaml");
    char *f = config_find("repo/a/b");
    assert_non_null(f);
    assert_string_equal(f, "repo/.bulkhead.yaml");
    free(f);
    f = config_find("repo/a/b/pod.yaml");      /* a file: from its directory */
    assert_non_null(f);
    assert_string_equal(f, "repo/.bulkhead.yaml");
    free(f);

    /* the nearest one wins */
    touch("repo/a/.bulkhead.yaml");
    f = config_find("repo/a/b");
    assert_string_equal(f, "repo/a/.bulkhead.yaml");
    free(f);

    /* the search stops at the directory holding .git */
    touch(".bulkhead.yaml");
    remove("repo/a/.bulkhead.yaml");
    remove("repo/.bulkhead.yaml");
    assert_null(config_find("repo/a/b"));
    rmdir("repo/.git");
    f = config_find("repo/a/b");               /* no .git: on up to the scratch root */
    assert_non_null(f);
    assert_string_equal(f, ".bulkhead.yaml");
    free(f);
    assert_null(config_find("repo/missing"));

    assert_int_equal(chdir(cwd), 0);
    snprintf(p, sizeof p, "rm -rf '%s'", root);
    assert_int_equal(system(p), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_config),
        cmocka_unit_test(test_empty_config),
        cmocka_unit_test(test_expired_suppression_is_a_warning),
        cmocka_unit_test(test_refused_configs),
        cmocka_unit_test(test_path_matches),
        cmocka_unit_test(test_find_upward),
    };
    return cmocka_run_group_tests(tests, load_catalog, free_catalog);
}

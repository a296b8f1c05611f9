/* Unit tests: policy.c and eval.c (catalog loading, validation with
 * file:line:col diagnostics, frameworks, selection, evaluation) and the
 * scaffold of policytest.c.
 *
 * Policies are given as in-memory files (catalog_load_files); objects are
 * YAML parsed into doc trees (real spans, so positions can be checked) with
 * unknowns put in by hand with the doc.h constructors. */
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

#include "policy.h"
#include "policytest.h"
#include "bhyaml.h"

/* ---- building catalogs ---------------------------------------------------- */

static const char *const good_descriptor =
    "id: t/basic\n"
    "name: Test policy\n"
    "contextual_name: Test\n"
    "description: A test policy.\n"
    "type: security\n"
    "severity: high\n"
    "categories: [test]\n"
    "tags: [a, b]\n"
    "remediation: fix it\n"
    "similar:\n"
    "  - name: Other\n"
    "    url: https://example.com\n";

static const char *const good_logic =
    "input: test/obj\n"
    "conditions:\n"
    "  - status: INAPPLICABLE\n"
    "    when: networkMode != \"host\"\n"
    "    message: network mode is {networkMode}\n"
    "  - each: containers\n"
    "    name: name\n"
    "    conditions:\n"
    "      - status: COMPLIANT\n"
    "        when: privileged == true\n"
    "        message: container \"{name}\" is privileged\n"
    "      - status: INCOMPLIANT\n"
    "        when: user == \"root\"\n"
    "        message: container \"{name}\" runs as root\n"
    "        remediation: set a user in \"{name}\"\n"
    "    otherwise:\n"
    "      status: COMPLIANT\n"
    "      message: container \"{name}\" runs as {user}\n"
    "otherwise:\n"
    "  status: COMPLIANT\n"
    "  message: no container runs as root\n";

typedef struct fileset {
    bh_file v[16];
    size_t n;
} fileset;

static void put(fileset *fs, const char *path, const char *data)
{
    assert_true(fs->n < 16);
    fs->v[fs->n++] = (bh_file){path, data, strlen(data), NULL, 0};
}

/* A policy folder policies/<id>/ with the four files (NULL: left out). */
static void put_policy(fileset *fs, const char *id, const char *descriptor, const char *logic,
                       const char *description)
{
    static char paths[8][4][128];
    static int next;
    char (*p)[128] = paths[next++ % 8];
    snprintf(p[0], 128, "policies/%s/policy.yaml", id);
    snprintf(p[1], 128, "policies/%s/logic.yaml", id);
    snprintf(p[2], 128, "policies/%s/description.md", id);
    snprintf(p[3], 128, "policies/%s/remediation.md", id);
    if (descriptor)
        put(fs, p[0], descriptor);
    if (logic)
        put(fs, p[1], logic);
    if (description)
        put(fs, p[2], description);
    put(fs, p[3], "# Fix it\n\nLike this.\n");
}

static bh_catalog *load(const fileset *fs, bh_diags *d)
{
    bh_catalog *c = catalog_new();
    assert_non_null(c);
    catalog_load_files(c, fs->v, fs->n, d);
    return c;
}

static bh_catalog *load_logic(const char *logic, bh_diags *d)
{
    fileset fs = {0};
    put_policy(&fs, "t/basic", good_descriptor, logic, "# About\n");
    return load(&fs, d);
}

/* Whether d has an error at file:line (col 0: any) whose message holds
 * `part`. */
static bool has_diag(const bh_diags *d, const char *file, unsigned line, unsigned col,
                     const char *part)
{
    for (size_t i = 0; i < diags_count(d); i++) {
        const bh_diag *g = diags_get(d, i);
        if (g->level == DIAG_ERROR && strcmp(g->file, file) == 0 && g->pos.line == line &&
            (!col || g->pos.col == col) && strstr(g->message, part))
            return true;
    }
    for (size_t i = 0; i < diags_count(d); i++) {
        const bh_diag *g = diags_get(d, i);
        print_message("  have %s:%u:%u: %s\n", g->file, g->pos.line, g->pos.col, g->message);
    }
    return false;
}

/* ---- objects -------------------------------------------------------------- */

typedef struct objctx {
    bh_arena *a;
    bh_source *src;
    bh_object obj;
} objctx;

static void obj_parse(objctx *o, const char *type, const char *yaml)
{
    o->a = arena_new();
    o->src = source_new("obj.yaml", yaml, strlen(yaml));
    assert_non_null(o->a);
    assert_non_null(o->src);
    bh_diags *d = diags_new();
    doc_node **docs = NULL;
    assert_int_equal(bhyaml_parse(o->src, o->a, NULL, &docs, d), 1);
    assert_int_equal(diags_count(d), 0);
    diags_free(d);
    o->obj = (bh_object){type, "web", doc_span(docs[0]), docs[0]};
}

static void obj_free(objctx *o)
{
    arena_free(o->a);
    source_free(o->src);
}

/* Evaluate the single policy of c over o; returns the one result. */
static const bh_result *eval1(const bh_catalog *c, objctx *o, bh_results *r)
{
    assert_int_equal(catalog_len(c), 1);
    policy_eval(catalog_at(c, 0), &o->obj, r);
    assert_int_equal(results_len(r), 1);
    const bh_result *res = results_at(r, 0);
    assert_string_equal(res->policy, "t/basic");
    assert_string_equal(res->object, "web");
    assert_string_equal(res->object_type, "test/obj");
    return res;
}

/* ---- loading ---------------------------------------------------------------- */

static void test_load_valid(void **state)
{
    bh_diags *d = diags_new();
    fileset fs = {0};
    put_policy(&fs, "t/basic", good_descriptor, good_logic, "# About\n");
    put(&fs, "policies/t/basic/tests/expected.yaml",
        "- file: a.yaml\n  object: web\n  status: COMPLIANT\n  line: 3\n  message: fine\n"
        "- file: broken.yaml\n  error: true\n");
    put(&fs, "policies/t/basic/tests/a.yaml", "x: 1\n");
    put(&fs, "policies/t/basic/tests/broken.yaml", "x: [\n");
    put(&fs, "policies/t/basic/notes.txt", "ignored\n");
    /* a fixture named policy.yaml is a test file, not a policy folder */
    put(&fs, "policies/t/basic/tests/x/policy.yaml", "kind: Policy\n");
    bh_catalog *c = load(&fs, d);
    assert_int_equal(diags_count_level(d, DIAG_ERROR), 0);
    assert_int_equal(catalog_len(c), 1);
    const bh_policy *p = catalog_find(c, "t/basic");
    assert_non_null(p);
    assert_ptr_equal(p, catalog_at(c, 0));
    assert_string_equal(policy_name(p), "Test policy");
    assert_string_equal(policy_contextual_name(p), "Test");
    assert_string_equal(policy_summary(p), "A test policy.");
    assert_string_equal(policy_input(p), "test/obj");
    assert_int_equal(policy_severity(p), SEV_HIGH);
    assert_string_equal(policy_remediation(p), "fix it");
    assert_string_equal(policy_description_md(p), "# About\n");
    assert_null(policy_help_uri(p));
    assert_int_equal(policy_ncategories(p), 1);
    assert_string_equal(policy_category(p, 0), "test");
    assert_int_equal(policy_ntags(p), 2);
    assert_string_equal(policy_tag(p, 1), "b");
    assert_int_equal(policy_nsimilar(p), 1);
    const char *name, *url;
    policy_similar(p, 0, &name, &url);
    assert_string_equal(name, "Other");
    assert_string_equal(url, "https://example.com");
    assert_string_equal(policy_dir(p), "");
    assert_true(policy_enabled(p));
    /* test files sorted, paths relative to the folder */
    assert_int_equal(policy_ntests(p), 4);
    assert_string_equal(policy_test_file(p, 0)->path, "tests/a.yaml");
    assert_string_equal(policy_test_file(p, 1)->path, "tests/broken.yaml");
    assert_string_equal(policy_test_file(p, 2)->path, "tests/expected.yaml");
    assert_string_equal(policy_test_file(p, 3)->path, "tests/x/policy.yaml");
    assert_int_equal(policy_test_file(p, 0)->len, 5);
    size_t n;
    const bh_expected *ex = policy_expected(p, &n);
    assert_int_equal(n, 2);
    assert_string_equal(ex[0].file, "a.yaml");
    assert_string_equal(ex[0].object, "web");
    assert_int_equal(ex[0].status, ST_COMPLIANT);
    assert_int_equal(ex[0].line, 3);
    assert_string_equal(ex[0].message, "fine");
    assert_false(ex[0].error);
    assert_true(ex[1].error);
    assert_null(ex[1].object);
    catalog_free(c);
    diags_free(d);
}

static void test_unknown_key(void **state)
{
    bh_diags *d = diags_new();
    fileset fs = {0};
    put_policy(&fs, "t/basic",
               "id: t/basic\nname: N\ncontextual_name: C\ndescription: D\ntype: security\n"
               "severty: high\ncategories: [x]\nremediation: R\n",
               good_logic, "# About\n");
    bh_catalog *c = load(&fs, d);
    assert_true(has_diag(d, "policies/t/basic/policy.yaml", 6, 1,
                         "unknown key \"severty\" in policy.yaml (did you mean \"severity\"?)"));
    assert_true(has_diag(d, "policies/t/basic/policy.yaml", 1, 1,
                         "missing required key \"severity\""));
    assert_int_equal(catalog_len(c), 0);
    catalog_free(c);
    diags_free(d);
}

static void test_missing_id(void **state)
{
    bh_diags *d = diags_new();
    fileset fs = {0};
    put_policy(&fs, "t/basic", good_descriptor + strlen("id: t/basic\n"), good_logic, "# A\n");
    bh_catalog *c = load(&fs, d);
    assert_true(has_diag(d, "policies/t/basic/policy.yaml", 1, 1,
                         "missing required key \"id\" in policy.yaml"));
    assert_int_equal(catalog_len(c), 0);
    catalog_free(c);
    diags_free(d);
}

static void test_id_mismatch(void **state)
{
    bh_diags *d = diags_new();
    fileset fs = {0};
    put_policy(&fs, "t/other", good_descriptor, good_logic, "# A\n");
    bh_catalog *c = load(&fs, d);
    assert_true(has_diag(d, "policies/t/other/policy.yaml", 1, 5,
                         "id \"t/basic\" does not match the folder \"t/other\""));
    assert_int_equal(catalog_len(c), 0);
    catalog_free(c);
    diags_free(d);
}

static void test_bad_names(void **state)
{
    bh_diags *d = diags_new();
    fileset fs = {0};
    put_policy(&fs, "t/basic",
               "id: t/basic\nname: N\ncontextual_name: C\ndescription: D\ntype: securty\n"
               "severity: urgent\ncategories: []\nremediation: R\n",
               good_logic, "# About\n");
    bh_catalog *c = load(&fs, d);
    assert_true(has_diag(d, "policies/t/basic/policy.yaml", 5, 7,
                         "unknown policy type \"securty\""));
    assert_true(has_diag(d, "policies/t/basic/policy.yaml", 6, 11, "unknown severity \"urgent\""));
    assert_true(has_diag(d, "policies/t/basic/policy.yaml", 7, 13,
                         "\"categories\" must not be empty"));
    assert_int_equal(catalog_len(c), 0);
    catalog_free(c);
    diags_free(d);
}

static void test_bad_status(void **state)
{
    bh_diags *d = diags_new();
    bh_catalog *c = load_logic("input: test/obj\n"
                               "conditions:\n"
                               "  - status: FAIL\n"
                               "    when: a == 1\n"
                               "    message: m\n"
                               "otherwise:\n"
                               "  status: COMPLIANT\n"
                               "  message: ok\n",
                               d);
    assert_true(has_diag(d, "policies/t/basic/logic.yaml", 3, 13, "unknown status \"FAIL\""));
    assert_int_equal(catalog_len(c), 0);
    catalog_free(c);
    diags_free(d);
}

static void test_bad_expression(void **state)
{
    bh_diags *d = diags_new();
    bh_catalog *c = load_logic("input: test/obj\n"
                               "conditions:\n"
                               "  - status: INCOMPLIANT\n"
                               "    when: a == (1\n"
                               "    message: m\n"
                               "otherwise:\n"
                               "  status: COMPLIANT\n"
                               "  message: ok\n",
                               d);
    assert_true(has_diag(d, "policies/t/basic/logic.yaml", 4, 0, ""));
    assert_int_equal(catalog_len(c), 0);
    catalog_free(c);
    diags_free(d);
}

static void test_bad_template(void **state)
{
    bh_diags *d = diags_new();
    bh_catalog *c = load_logic("input: test/obj\n"
                               "conditions:\n"
                               "  - status: INCOMPLIANT\n"
                               "    when: a == 1\n"
                               "    message: a is {a and more\n"
                               "  - status: INCOMPLIANT\n"
                               "    when: a == 2\n"
                               "    message: a is {a ==}\n"
                               "otherwise:\n"
                               "  status: COMPLIANT\n"
                               "  message: ok }\n",
                               d);
    /* `{` at column 19 of line 5 */
    assert_true(has_diag(d, "policies/t/basic/logic.yaml", 5, 19, "unterminated \"{\""));
    /* the expression error is placed inside the scalar, on line 8 */
    assert_true(has_diag(d, "policies/t/basic/logic.yaml", 8, 0, ""));
    assert_true(has_diag(d, "policies/t/basic/logic.yaml", 11, 15, "unmatched \"}\""));
    assert_int_equal(catalog_len(c), 0);
    catalog_free(c);
    diags_free(d);
}

static void test_unknown_logic_key_and_missing(void **state)
{
    bh_diags *d = diags_new();
    bh_catalog *c = load_logic("input: test/obj\n"
                               "conditions:\n"
                               "  - status: INCOMPLIANT\n"
                               "    wen: a == 1\n"
                               "    message: m\n"
                               "otherwise:\n"
                               "  status: COMPLIANT\n",
                               d);
    assert_true(has_diag(d, "policies/t/basic/logic.yaml", 4, 5,
                         "unknown key \"wen\" in a condition (did you mean \"when\"?)"));
    assert_true(has_diag(d, "policies/t/basic/logic.yaml", 3, 5, "missing required key \"when\""));
    assert_true(has_diag(d, "policies/t/basic/logic.yaml", 7, 3,
                         "missing required key \"message\" in \"otherwise\""));
    catalog_free(c);
    diags_free(d);
}

static void test_nested_each(void **state)
{
    bh_diags *d = diags_new();
    bh_catalog *c = load_logic("input: test/obj\n"
                               "conditions:\n"
                               "  - each: containers\n"
                               "    conditions:\n"
                               "      - each: ports\n"
                               "        conditions: []\n"
                               "        otherwise: {status: COMPLIANT, message: m}\n"
                               "    otherwise: {status: COMPLIANT, message: m}\n"
                               "otherwise: {status: COMPLIANT, message: ok}\n",
                               d);
    assert_true(has_diag(d, "policies/t/basic/logic.yaml", 5, 9, "cannot be nested"));
    assert_int_equal(catalog_len(c), 0);
    catalog_free(c);
    diags_free(d);
}

static void test_missing_files(void **state)
{
    bh_diags *d = diags_new();
    fileset fs = {0};
    put_policy(&fs, "t/basic", good_descriptor, NULL, NULL);
    bh_catalog *c = load(&fs, d);
    assert_true(has_diag(d, "policies/t/basic/logic.yaml", 0, 0, "missing logic.yaml"));
    assert_true(has_diag(d, "policies/t/basic/description.md", 0, 0, "missing description.md"));
    assert_int_equal(catalog_len(c), 0);
    catalog_free(c);
    diags_free(d);
}

static void test_expected_schema(void **state)
{
    bh_diags *d = diags_new();
    fileset fs = {0};
    put_policy(&fs, "t/basic", good_descriptor, good_logic, "# About\n");
    put(&fs, "policies/t/basic/tests/expected.yaml",
        "- file: nope.yaml\n  object: web\n  status: COMPLIANT\n"
        "- file: a.yaml\n  object: web\n  status: PASS\n  line: zero\n"
        "- file: a.yaml\n  error: true\n  status: COMPLIANT\n"
        "- file: a.yaml\n  objet: web\n  status: COMPLIANT\n");
    put(&fs, "policies/t/basic/tests/a.yaml", "x: 1\n");
    bh_catalog *c = load(&fs, d);
    const char *f = "policies/t/basic/tests/expected.yaml";
    assert_true(has_diag(d, f, 1, 9, "no fixture \"nope.yaml\" in tests/"));
    assert_true(has_diag(d, f, 6, 11, "unknown status \"PASS\""));
    assert_true(has_diag(d, f, 7, 9, "\"line\" must be a positive line number"));
    assert_true(has_diag(d, f, 10, 3, "names a file only"));
    assert_true(has_diag(d, f, 12, 3, "unknown key \"objet\""));
    assert_true(has_diag(d, f, 11, 3, "missing required key \"object\""));
    assert_int_equal(catalog_len(c), 0);
    catalog_free(c);
    diags_free(d);
}

static void test_bad_policy_refused_others_load(void **state)
{
    bh_diags *d = diags_new();
    fileset fs = {0};
    put_policy(&fs, "t/basic", good_descriptor, good_logic, "# About\n");
    put_policy(&fs, "t/broken", "id: t/broken\n", good_logic, "# About\n");
    bh_catalog *c = load(&fs, d);
    assert_true(diags_count_level(d, DIAG_ERROR) > 0);
    assert_int_equal(catalog_len(c), 1);
    assert_non_null(catalog_find(c, "t/basic"));
    assert_null(catalog_find(c, "t/broken"));
    /* loading the same policy again is refused */
    bh_diags *d2 = diags_new();
    fileset again = {0};
    put_policy(&again, "t/basic", good_descriptor, good_logic, "# About\n");
    catalog_load_files(c, again.v, again.n, d2);
    assert_true(has_diag(d2, "policies/t/basic/policy.yaml", 1, 5, "already in the catalog"));
    assert_int_equal(catalog_len(c), 1);
    catalog_free(c);
    diags_free(d);
    diags_free(d2);
}

static void test_frameworks(void **state)
{
    bh_diags *d = diags_new();
    fileset fs = {0};
    put_policy(&fs, "t/basic", good_descriptor, good_logic, "# About\n");
    put(&fs, "frameworks/fw.yaml",
        "id: fw\n"
        "name: A framework\n"
        "url: https://example.com\n"
        "controls:\n"
        "  - id: \"1.1\"\n"
        "    title: First\n"
        "    policies: [t/basic]\n"
        "  - id: \"1.2\"\n"
        "    title: Second\n"
        "    retired: true\n"
        "    policies: [t/basic, t/missing]\n");
    put(&fs, "frameworks/bad.yaml", "id: bad\nname: Bad\ncontrols:\n  - id: x\n    titel: y\n"
                                    "    policies: []\n");
    bh_catalog *c = load(&fs, d);
    assert_true(has_diag(d, "frameworks/bad.yaml", 5, 5, "unknown key \"titel\""));
    assert_int_equal(catalog_nframeworks(c), 1);
    const bh_framework *fw = catalog_find_framework(c, "fw");
    assert_non_null(fw);
    assert_ptr_equal(fw, catalog_framework(c, 0));
    assert_string_equal(framework_name(fw), "A framework");
    assert_string_equal(framework_url(fw), "https://example.com");
    assert_int_equal(framework_ncontrols(fw), 2);
    assert_string_equal(framework_control_id(fw, 1), "1.2");
    assert_string_equal(framework_control_title(fw, 1), "Second");
    assert_true(framework_control_retired(fw, 1));
    assert_false(framework_control_retired(fw, 0));
    assert_int_equal(framework_control_npolicies(fw, 1), 2);
    assert_string_equal(framework_control_policy(fw, 1, 1), "t/missing");
    bh_diags *d2 = diags_new();
    assert_false(catalog_check_frameworks(c, d2));
    assert_int_equal(diags_count(d2), 1);
    assert_true(has_diag(d2, "frameworks/fw.yaml", 11, 25,
                         "control \"1.2\" of framework \"fw\" names unknown policy \"t/missing\""));
    catalog_free(c);
    diags_free(d);
    diags_free(d2);
}

static void test_select(void **state)
{
    bh_diags *d = diags_new();
    fileset fs = {0};
    put_policy(&fs, "t/basic", good_descriptor, good_logic, "# About\n");
    char other[600];
    snprintf(other, sizeof other, "id: t/zeta%s", strchr(good_descriptor, '\n'));
    put_policy(&fs, "t/zeta", other, good_logic, "# About\n");
    bh_catalog *c = load(&fs, d);
    assert_int_equal(diags_count(d), 0);
    assert_int_equal(catalog_len(c), 2);
    assert_string_equal(policy_id(catalog_at(c, 0)), "t/basic");
    assert_string_equal(policy_id(catalog_at(c, 1)), "t/zeta");

    const char *only[] = {"t/zeta"};
    assert_true(catalog_select(c, only, 1, NULL, 0, d));
    assert_false(policy_enabled(catalog_find(c, "t/basic")));
    assert_true(policy_enabled(catalog_find(c, "t/zeta")));

    const char *skip[] = {"t/zeta"};
    assert_true(catalog_select(c, NULL, 0, skip, 1, d));
    assert_true(policy_enabled(catalog_find(c, "t/basic")));
    assert_false(policy_enabled(catalog_find(c, "t/zeta")));

    const char *bad[] = {"t/nope"};
    assert_false(catalog_select(c, bad, 1, NULL, 0, d));
    assert_int_equal(diags_count_level(d, DIAG_ERROR), 1);
    assert_non_null(strstr(diags_get(d, 0)->message, "unknown policy \"t/nope\""));
    assert_false(catalog_select(c, NULL, 0, bad, 1, d));
    assert_int_equal(diags_count_level(d, DIAG_ERROR), 2);

    /* catalog_eval: enabled policies of the object's type only */
    assert_true(catalog_select(c, NULL, 0, skip, 1, d));
    objctx o;
    obj_parse(&o, "test/obj", "networkMode: bridge\n");
    bh_results *r = results_new();
    catalog_eval(c, &o.obj, r);
    assert_int_equal(results_len(r), 1);
    assert_string_equal(results_at(r, 0)->policy, "t/basic");
    o.obj.type = "other/type";
    catalog_eval(c, &o.obj, r);
    assert_int_equal(results_len(r), 1);
    results_free(r);
    obj_free(&o);
    catalog_free(c);
    diags_free(d);
}

/* ---- evaluation ------------------------------------------------------------ */

static const char *const host_obj =
    "networkMode: host\n"           /* 1 */
    "containers:\n"                 /* 2 */
    "  - name: a\n"                 /* 3 */
    "    user: \"1000\"\n"          /* 4 */
    "  - name: b\n"                 /* 5 */
    "    user: root\n"              /* 6 */
    "  - name: c\n"                 /* 7 */
    "    user: root\n"              /* 8 */
    "  - name: d\n"                 /* 9 */
    "    privileged: true\n"        /* 10 */
    "    user: root\n";             /* 11 */

static void test_first_match_and_template(void **state)
{
    bh_diags *d = diags_new();
    bh_catalog *c = load_logic(good_logic, d);
    assert_int_equal(diags_count(d), 0);
    objctx o;
    obj_parse(&o, "test/obj", "name: x\nnetworkMode: bridge\n");
    bh_results *r = results_new();
    const bh_result *res = eval1(c, &o, r);
    assert_int_equal(res->status, ST_INAPPLICABLE);
    assert_string_equal(res->message, "network mode is bridge");
    assert_int_equal(res->loc.pos.line, 2);
    assert_int_equal(res->loc.pos.col, 14);
    assert_string_equal(res->loc.file, "obj.yaml");
    assert_string_equal(res->line_text, "");   /* excerpts are kept for findings only */
    assert_int_equal(res->severity, SEV_HIGH);
    assert_string_equal(res->remediation, "");
    assert_int_equal(res->nrelated, 0);
    results_free(r);
    obj_free(&o);
    catalog_free(c);
    diags_free(d);
}

static void test_each_incompliant(void **state)
{
    bh_diags *d = diags_new();
    bh_catalog *c = load_logic(good_logic, d);
    objctx o;
    obj_parse(&o, "test/obj", host_obj);
    bh_results *r = results_new();
    const bh_result *res = eval1(c, &o, r);
    assert_int_equal(res->status, ST_INCOMPLIANT);
    assert_string_equal(res->message,
                        "container \"b\" runs as root; container \"c\" runs as root");
    /* placed at the first incompliant item's deciding value */
    assert_int_equal(res->loc.pos.line, 6);
    assert_int_equal(res->loc.pos.col, 11);
    assert_string_equal(res->line_text, "    user: root");
    assert_string_equal(res->remediation, "set a user in \"b\"; set a user in \"c\"");
    /* every item's verdict is kept */
    assert_int_equal(res->nrelated, 4);
    const bh_related *rel = res->related;
    assert_string_equal(rel[0].list, "containers");
    assert_string_equal(rel[0].name, "a");
    assert_int_equal(rel[0].status, ST_COMPLIANT);
    assert_string_equal(rel[0].message, "container \"a\" runs as 1000");
    assert_int_equal(rel[0].loc.pos.line, 3);       /* otherwise: the item itself */
    assert_string_equal(rel[1].name, "b");
    assert_int_equal(rel[1].status, ST_INCOMPLIANT);
    assert_int_equal(rel[1].loc.pos.line, 6);
    assert_int_equal(rel[2].status, ST_INCOMPLIANT);
    assert_string_equal(rel[3].name, "d");
    assert_int_equal(rel[3].status, ST_COMPLIANT);  /* first match: privileged wins */
    assert_string_equal(rel[3].message, "container \"d\" is privileged");
    assert_int_equal(rel[3].loc.pos.line, 10);
    results_free(r);
    obj_free(&o);
    catalog_free(c);
    diags_free(d);
}

static void test_each_step_message_items(void **state)
{
    bh_diags *d = diags_new();
    bh_catalog *c = load_logic("input: test/obj\n"
                               "conditions:\n"
                               "  - each: containers\n"
                               "    message: \"containers {items} run as root ({{literal}})\"\n"
                               "    remediation: fix {items}\n"
                               "    conditions:\n"
                               "      - status: INCOMPLIANT\n"
                               "        when: user == \"root\"\n"
                               "        message: m\n"
                               "    otherwise: {status: COMPLIANT, message: fine}\n"
                               "otherwise: {status: COMPLIANT, message: ok}\n",
                               d);
    assert_int_equal(diags_count(d), 0);
    objctx o;
    obj_parse(&o, "test/obj", host_obj);
    bh_results *r = results_new();
    const bh_result *res = eval1(c, &o, r);
    assert_int_equal(res->status, ST_INCOMPLIANT);
    /* no `name:`: items are named by index */
    assert_string_equal(res->message, "containers \"1\", \"2\", \"3\" run as root ({literal})");
    assert_string_equal(res->remediation, "fix \"1\", \"2\", \"3\"");
    assert_string_equal(res->related[0].name, "0");
    results_free(r);
    obj_free(&o);
    catalog_free(c);
    diags_free(d);
}

static void test_each_empty_continues(void **state)
{
    bh_diags *d = diags_new();
    bh_catalog *c = load_logic(good_logic, d);
    bh_results *r = results_new();
    objctx o;
    obj_parse(&o, "test/obj", "networkMode: host\ncontainers: []\n");
    const bh_result *res = eval1(c, &o, r);
    assert_int_equal(res->status, ST_COMPLIANT);
    assert_string_equal(res->message, "no container runs as root");
    assert_int_equal(res->loc.pos.line, 1);         /* otherwise: the object */
    assert_int_equal(res->loc.pos.col, 1);
    assert_int_equal(res->nrelated, 0);
    obj_free(&o);

    /* missing list: the same; all items compliant: the same, related kept */
    results_free(r);
    r = results_new();
    obj_parse(&o, "test/obj", "networkMode: host\ncontainers:\n  - name: a\n    user: app\n");
    res = eval1(c, &o, r);
    assert_int_equal(res->status, ST_COMPLIANT);
    assert_string_equal(res->message, "no container runs as root");
    assert_int_equal(res->nrelated, 1);
    assert_string_equal(res->related[0].message, "container \"a\" runs as app");
    results_free(r);
    obj_free(&o);
    catalog_free(c);
    diags_free(d);
}

/* Replace the value of key in map by an unknown with that expression. */
static doc_node *put_unknown(objctx *o, doc_node *map, const char *key, const char *expr,
                             uint32_t line_start)
{
    doc_node *u = doc_new_unknown(o->a, span_make(o->src, line_start, line_start + 3), expr);
    assert_non_null(u);
    assert_true(doc_add_trace(o->a, u, span_make(o->src, 0, 1), "from variable \"user\""));
    assert_true(doc_map_put(o->a, map, key, u));
    return u;
}

static void test_each_undetermined(void **state)
{
    bh_diags *d = diags_new();
    bh_catalog *c = load_logic(good_logic, d);
    objctx o;
    const char *yaml = "networkMode: host\n"
                       "containers:\n"
                       "  - name: a\n"
                       "    user: app\n"
                       "  - name: b\n"
                       "    user: X\n";
    obj_parse(&o, "test/obj", yaml);
    doc_node *b = doc_seq_at(doc_get(o.obj.root, "containers"), 1);
    uint32_t at = (uint32_t)(strstr(yaml, "X\n") - yaml);
    put_unknown(&o, b, "user", "var.user", at);
    bh_results *r = results_new();
    const bh_result *res = eval1(c, &o, r);
    assert_int_equal(res->status, ST_UNDETERMINED);
    assert_string_equal(res->message, "cannot decide: \"var.user\" is not known statically");
    assert_int_equal(res->loc.pos.line, 6);
    assert_int_equal(res->loc.pos.col, 11);
    assert_int_equal(res->ntrace, 1);
    assert_string_equal(res->trace[0].note, "from variable \"user\"");
    assert_int_equal(res->trace[0].loc.pos.line, 1);
    assert_int_equal(res->nrelated, 2);
    assert_int_equal(res->related[1].status, ST_UNDETERMINED);
    assert_string_equal(res->related[1].message,
                        "cannot decide: \"var.user\" is not known statically");
    obj_free(&o);

    /* an incompliant item wins over an undetermined one */
    results_free(r);
    r = results_new();
    obj_parse(&o, "test/obj", "networkMode: host\ncontainers:\n  - name: a\n    user: X\n"
                              "  - name: b\n    user: root\n");
    put_unknown(&o, doc_seq_at(doc_get(o.obj.root, "containers"), 0), "user", "var.u", 40);
    res = eval1(c, &o, r);
    assert_int_equal(res->status, ST_INCOMPLIANT);
    assert_string_equal(res->message, "container \"b\" runs as root");
    obj_free(&o);

    /* an unknown list is undetermined at once */
    results_free(r);
    r = results_new();
    obj_parse(&o, "test/obj", "networkMode: host\ncontainers: X\n");
    put_unknown(&o, o.obj.root, "containers", "local.containers", 30);
    res = eval1(c, &o, r);
    assert_int_equal(res->status, ST_UNDETERMINED);
    assert_string_equal(res->message,
                        "cannot decide: \"local.containers\" is not known statically");
    assert_int_equal(res->loc.pos.line, 2);
    results_free(r);
    obj_free(&o);
    catalog_free(c);
    diags_free(d);
}

static const char *const unknown_logic =
    "input: test/obj\n"
    "conditions:\n"
    "  - status: INCOMPLIANT\n"
    "    when: enabled == true and mode == \"host\"\n"
    "    message: host mode\n"
    "  - status: INCOMPLIANT\n"
    "    when: later == true\n"
    "    message: later\n"
    "otherwise:\n"
    "  status: COMPLIANT\n"
    "  message: mode is {mode}\n";

static void test_unknown_undetermined(void **state)
{
    bh_diags *d = diags_new();
    bh_catalog *c = load_logic(unknown_logic, d);
    assert_int_equal(diags_count(d), 0);
    objctx o;
    const char *yaml = "enabled: true\nmode: M\nlater: true\n";
    obj_parse(&o, "test/obj", yaml);
    put_unknown(&o, o.obj.root, "mode", "var.mode", 20);
    bh_results *r = results_new();
    const bh_result *res = eval1(c, &o, r);
    /* unknown stops evaluation: the later true condition is not reached */
    assert_int_equal(res->status, ST_UNDETERMINED);
    assert_string_equal(res->message, "cannot decide: \"var.mode\" is not known statically");
    assert_int_equal(res->loc.pos.line, 2);
    assert_int_equal(res->loc.pos.col, 7);
    assert_string_equal(res->line_text, "mode: M");
    assert_string_equal(res->remediation, "");
    results_free(r);
    obj_free(&o);

    /* false and unknown is false: evaluation goes on */
    obj_parse(&o, "test/obj", "enabled: false\nmode: M\n");
    put_unknown(&o, o.obj.root, "mode", "var.mode", 21);
    r = results_new();
    res = eval1(c, &o, r);
    assert_int_equal(res->status, ST_COMPLIANT);
    /* an unknown renders as its expression in templates */
    assert_string_equal(res->message, "mode is var.mode");
    results_free(r);
    obj_free(&o);
    catalog_free(c);
    diags_free(d);
}

static void test_decider_and_default_remediation(void **state)
{
    bh_diags *d = diags_new();
    bh_catalog *c = load_logic("input: test/obj\n"
                               "conditions:\n"
                               "  - status: INCOMPLIANT\n"
                               "    when: a.b == 1 and c == \"x\"\n"
                               "    message: \"b={a.b} c={c} list={l} none={missing}\"\n"
                               "otherwise:\n"
                               "  status: COMPLIANT\n"
                               "  message: ok\n",
                               d);
    assert_int_equal(diags_count(d), 0);
    objctx o;
    obj_parse(&o, "test/obj", "a:\n  b: 1\nl: [p, q]\nc: x\n");
    bh_results *r = results_new();
    const bh_result *res = eval1(c, &o, r);
    assert_int_equal(res->status, ST_INCOMPLIANT);
    assert_string_equal(res->message, "b=1 c=x list=p, q none=unset");
    /* `and` that is true is placed at its last operand */
    assert_int_equal(res->loc.pos.line, 4);
    assert_int_equal(res->loc.pos.col, 4);
    assert_string_equal(res->line_text, "c: x");
    /* no remediation in the condition: the descriptor's */
    assert_string_equal(res->remediation, "fix it");
    results_free(r);
    obj_free(&o);
    catalog_free(c);
    diags_free(d);
}

/* ---- load_dir and scaffold -------------------------------------------------- */

static char tmpdir[64];

static void rm_rf(const char *path)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    assert_int_equal(system(cmd), 0);
}

static void test_scaffold_loads(void **state)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/bh-policy-test-XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
    char dir[128];
    snprintf(dir, sizeof dir, "%s/policies", tmpdir);
    bh_diags *d = diags_new();
    assert_true(policy_scaffold(dir, "k8s/pod/new-check", "k8s/pod", d));
    assert_true(policy_scaffold(dir, "aws/ecs/other", "aws/ecs/task-definition", d));
    assert_true(policy_scaffold(dir, "x/generic", "some/type", d));
    assert_int_equal(diags_count(d), 0);
    /* an existing folder and a bad id are refused */
    assert_false(policy_scaffold(dir, "k8s/pod/new-check", "k8s/pod", d));
    assert_false(policy_scaffold(dir, "../escape", "k8s/pod", d));
    assert_false(policy_scaffold(dir, "ok/id", "bad type", d));
    assert_int_equal(diags_count_level(d, DIAG_ERROR), 3);

    bh_diags *d2 = diags_new();
    bh_catalog *c = catalog_new();
    assert_int_equal(catalog_load_dir(c, dir, NULL, d2), 3);
    for (size_t i = 0; i < diags_count(d2); i++)
        print_message("%s: %s\n", diags_get(d2, i)->file, diags_get(d2, i)->message);
    assert_int_equal(diags_count(d2), 0);
    const bh_policy *p = catalog_find(c, "k8s/pod/new-check");
    assert_non_null(p);
    assert_string_equal(policy_input(p), "k8s/pod");
    char want[160];
    snprintf(want, sizeof want, "%s/k8s/pod/new-check", dir);
    assert_string_equal(policy_dir(p), want);
    assert_int_equal(policy_ntests(p), 2);
    assert_string_equal(policy_test_file(p, 0)->path, "tests/compliant.yaml");
    size_t n;
    assert_non_null(policy_expected(p, &n));
    assert_int_equal(n, 1);
    assert_non_null(catalog_find(c, "x/generic"));
    catalog_free(c);
    diags_free(d);
    diags_free(d2);
    rm_rf(tmpdir);
}

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_load_dir(void **state)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/bh-policy-test-XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
    char root[128], pdir[192], fdir[128];
    snprintf(root, sizeof root, "%s/pol", tmpdir);
    snprintf(pdir, sizeof pdir, "%s/t/basic", root);
    snprintf(fdir, sizeof fdir, "%s/fw", tmpdir);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/tests/sub' '%s' '%s/t/empty'", pdir, fdir, root);
    assert_int_equal(system(cmd), 0);
    write_file(pdir, "policy.yaml", good_descriptor);
    write_file(pdir, "logic.yaml", good_logic);
    write_file(pdir, "description.md", "# About\n");
    write_file(pdir, "remediation.md", "# Fix\n");
    write_file(pdir, "tests/sub/x.yaml", "a: 1\n");
    write_file(pdir, "tests/expected.yaml",
               "- file: sub/x.yaml\n  object: o\n  status: COMPLIANT\n");
    write_file(fdir, "f.yaml", "id: f\nname: F\ncontrols:\n  - id: a\n    title: A\n"
                               "    policies: [t/basic]\n");
    bh_diags *d = diags_new();
    bh_catalog *c = catalog_new();
    char slash[200];
    snprintf(slash, sizeof slash, "%s/", root);
    assert_int_equal(catalog_load_dir(c, slash, fdir, d), 1);
    assert_int_equal(diags_count(d), 0);
    assert_true(catalog_check_frameworks(c, d));
    const bh_policy *p = catalog_find(c, "t/basic");
    assert_non_null(p);
    assert_string_equal(policy_dir(p), pdir);
    assert_int_equal(policy_ntests(p), 2);
    assert_string_equal(policy_test_file(p, 1)->path, "tests/sub/x.yaml");
    assert_int_equal(catalog_nframeworks(c), 1);

    /* an error names the file on disk */
    write_file(pdir, "logic.yaml",
               "input: test/obj\nconditions: {}\notherwise: {status: X, message: m}\n");
    bh_catalog *c2 = catalog_new();
    assert_int_equal(catalog_load_dir(c2, root, NULL, d), 0);
    char lpath[256];
    snprintf(lpath, sizeof lpath, "%s/logic.yaml", pdir);
    assert_true(has_diag(d, lpath, 2, 13, "\"conditions\" must be a list"));
    assert_true(has_diag(d, lpath, 3, 21, "unknown status \"X\""));
    catalog_free(c2);
    catalog_free(c);
    diags_free(d);
    rm_rf(tmpdir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_valid),
        cmocka_unit_test(test_unknown_key),
        cmocka_unit_test(test_missing_id),
        cmocka_unit_test(test_id_mismatch),
        cmocka_unit_test(test_bad_names),
        cmocka_unit_test(test_bad_status),
        cmocka_unit_test(test_bad_expression),
        cmocka_unit_test(test_bad_template),
        cmocka_unit_test(test_unknown_logic_key_and_missing),
        cmocka_unit_test(test_nested_each),
        cmocka_unit_test(test_missing_files),
        cmocka_unit_test(test_expected_schema),
        cmocka_unit_test(test_bad_policy_refused_others_load),
        cmocka_unit_test(test_frameworks),
        cmocka_unit_test(test_select),
        cmocka_unit_test(test_first_match_and_template),
        cmocka_unit_test(test_each_incompliant),
        cmocka_unit_test(test_each_step_message_items),
        cmocka_unit_test(test_each_empty_continues),
        cmocka_unit_test(test_each_undetermined),
        cmocka_unit_test(test_unknown_undetermined),
        cmocka_unit_test(test_decider_and_default_remediation),
        cmocka_unit_test(test_scaffold_loads),
        cmocka_unit_test(test_load_dir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

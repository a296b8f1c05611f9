/* Unit tests: tfeval.c, tffunc.c, tfvalue.c (the Terraform evaluator). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "source.h"
#include "tf_int.h"
#include "tfeval.h"

static bool want_all(const char *type)
{
    (void)type;
    return true;
}

/* What one expression evaluates to, as text: its JSON encoding,
 * "unknown:<expression>", or "error:<first error message>". */
static char *eval_with(const char *decls, const char *expr, unsigned long max_steps)
{
    static char out[4096];
    char text[8192];
    snprintf(text, sizeof text, "%s\nresource \"t\" \"x\" {\n  v = %s\n}\n", decls, expr);
    bh_source *src = source_new("main.tf", text, strlen(text));
    bh_arena *a = arena_new();
    bh_diags *d = diags_new();
    tf_opts o = {0};
    o.max_steps = max_steps;
    tf_module *m = tf_eval_module(".", &src, 1, &o, want_all, a, d);
    assert_non_null(m);
    if (diags_count_level(d, DIAG_ERROR)) {
        for (size_t i = 0; i < diags_count(d); i++)
            if (diags_get(d, i)->level == DIAG_ERROR) {
                snprintf(out, sizeof out, "error:%s", diags_get(d, i)->message);
                break;
            }
    } else {
        assert_int_equal(tf_module_nresources(m), 1);
        const doc_node *v = doc_get(tf_module_resource(m, 0)->body, "v");
        size_t n;
        const char *s;
        if (tf_find_unknown(v))
            snprintf(out, sizeof out, "unknown:%s", doc_text(tf_find_unknown(v)));
        else if ((s = tf_json_encode(a, v, &n)))
            snprintf(out, sizeof out, "%.*s", (int)n, s);
        else
            snprintf(out, sizeof out, "?");
    }
    diags_free(d);
    arena_free(a);
    source_free(src);
    return out;
}

static char *eval(const char *expr) { return eval_with("", expr, 0); }

#define EXPECT(expr, want) assert_string_equal(eval(expr), want)

static void test_operators(void **state)
{
    (void)state;
    EXPECT("1 + 2 * 3", "7");
    EXPECT("(1 + 2) * 3", "9");
    EXPECT("7 / 2", "3.5");
    EXPECT("7 % 3", "1");
    EXPECT("-4 + 1", "-3");
    EXPECT("1 < 2 && !(2 >= 3)", "true");
    EXPECT("\"a\" == \"a\" || false", "true");
    EXPECT("[1, \"a\"] == [1, \"a\"]", "true");
    EXPECT("1 == \"1\"", "false");
    EXPECT("true ? \"yes\" : \"no\"", "\"yes\"");
    EXPECT("\"5\" + 1", "6");
}

static void test_templates(void **state)
{
    (void)state;
    EXPECT("\"a${1 + 1}b\"", "\"a2b\"");
    EXPECT("\"${true}\"", "true");   /* a lone interpolation is its value */
    EXPECT("\"%{for x in [1, 2]}${x},%{endfor}\"", "\"1,2,\"");
    EXPECT("\"%{if false}y%{else}n%{endif}\"", "\"n\"");
    EXPECT("\"$${literal}\"", "\"${literal}\"");
}

static void test_collections(void **state)
{
    (void)state;
    EXPECT("[for k, v in {b = 2, a = 1} : \"${k}=${v}\"]", "[\"a=1\",\"b=2\"]");
    EXPECT("[for x in [1, 2, 3] : x * 2 if x != 2]", "[2,6]");
    EXPECT("{for s in [\"a\", \"b\", \"a\"] : s => s...}", "{\"a\":[\"a\",\"a\"],\"b\":[\"b\"]}");
    EXPECT("[{n = 1}, {n = 2}][*].n", "[1,2]");
    EXPECT("[{n = [5]}].*.n", "[[5]]");
    EXPECT("{a = {b = [10, 20]}}.a.b[1]", "20");
    EXPECT("[7, 8].1", "8");
    EXPECT("{\"k\" = 1, (\"x${1}\") = 2}", "{\"k\":1,\"x1\":2}");
}

static void test_functions(void **state)
{
    (void)state;
    EXPECT("merge({a = 1, b = 1}, {b = 2})", "{\"a\":1,\"b\":2}");
    EXPECT("concat([1], [2, 3])", "[1,2,3]");
    EXPECT("lookup({a = 1}, \"b\", 0)", "0");
    EXPECT("try({}.missing, \"fallback\")", "\"fallback\"");
    EXPECT("can({}.missing)", "false");
    EXPECT("coalesce(null, \"\", \"x\")", "\"x\"");
    EXPECT("format(\"%s-%d:%.1f\", \"a\", 3, 2.25)", "\"a-3:2.2\"");
    EXPECT("join(\",\", [\"a\", \"b\"])", "\"a,b\"");
    EXPECT("split(\",\", \"a,,b\")", "[\"a\",\"\",\"b\"]");
    EXPECT("replace(\"a1b22\", \"/[0-9]+/\", \"#\")", "\"a#b#\"");
    EXPECT("replace(\"aXbX\", \"X\", \"-\")", "\"a-b-\"");
    EXPECT("upper(lower(\"MiXed\"))", "\"MIXED\"");
    EXPECT("tostring(12)", "\"12\"");
    EXPECT("tonumber(\"1.5\")", "1.5");
    EXPECT("tobool(\"true\")", "true");
    EXPECT("toset([\"b\", \"a\", \"b\"])", "[\"a\",\"b\"]");
    EXPECT("flatten([[1, [2]], 3])", "[1,2,3]");
    EXPECT("length(\"h\xc3\xa9\")", "2");
    EXPECT("element([\"a\", \"b\"], 3)", "\"b\"");
    EXPECT("contains([\"a\"], \"a\")", "true");
    EXPECT("keys({b = 1, a = 2})", "[\"a\",\"b\"]");
    EXPECT("values({b = 1, a = 2})", "[2,1]");
    EXPECT("jsondecode(\"{\\\"a\\\": [1, true]}\")", "{\"a\":[1,true]}");
    EXPECT("jsonencode(\"<&>\")", "\"\\\"\\\\u003c\\\\u0026\\\\u003e\\\"\"");
    EXPECT("length(jsonencode({a = 1}))", "7");
    EXPECT("zipmap([\"a\"], [1])", "{\"a\":1}");
    EXPECT("timestamp()", "unknown:timestamp()");
}

static void test_variables_and_locals(void **state)
{
    (void)state;
    const char *decls = "variable \"set\" { default = \"d\" }\n"
                        "variable \"unset\" {}\n"
                        "variable \"typed\" {\n"
                        "  type = object({a = optional(bool, true), b = optional(string)})\n"
                        "  default = {}\n"
                        "}\n"
                        "locals {\n  x = \"${var.set}!\"\n  a = local.b\n  b = local.a\n}\n";
    assert_string_equal(eval_with(decls, "local.x", 0), "\"d!\"");
    assert_string_equal(eval_with(decls, "var.unset", 0), "unknown:var.unset");
    assert_string_equal(eval_with(decls, "\"p-${var.unset}\"", 0), "unknown:var.unset");
    assert_string_equal(eval_with(decls, "var.typed", 0), "{\"a\":true,\"b\":null}");
    assert_string_equal(eval_with(decls, "var.unset ? 1 : 2", 0), "unknown:var.unset");
    assert_string_equal(eval_with(decls, "data.aws_x.y.z", 0), "unknown:data.aws_x.y.z");
    assert_string_equal(eval_with(decls, "local.a", 0), "error:local.a refers to itself");
    assert_string_equal(eval_with(decls, "var.nope", 0),
                        "error:reference to undeclared input variable \"nope\"");
}

static void test_budget(void **state)
{
    (void)state;
    const char *r = eval_with("", "[for i in range(100000) : i]", 5000);
    assert_non_null(strstr(r, "step budget"));
}

static void test_file_outside_roots(void **state)
{
    (void)state;
    const char *r = eval("file(\"../../etc/passwd\")");
    assert_non_null(strstr(r, "outside the scanned directories"));
}

static void test_clean_path(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"a/./b/../c", "a/c"}, {"./x", "x"}, {"", "."}, {".", "."}, {"a/..", "."},
        {"../a", "../a"}, {"a/../../b", "../b"}, {"/a/../../b", "/b"}, {"a//b/", "a/b"},
        {"x/../../..", "../.."},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *c = tf_clean_path(cases[i][0]);
        assert_string_equal(c, cases[i][1]);
        free(c);
    }
}

static void test_called_modules(void **state)
{
    (void)state;
    const char *text = "module \"a\" {\n  source = \"./mods/a\"\n}\n"
                       "module \"b\" {\n  source  = \"terraform-aws-modules/ecs/aws\"\n}\n"
                       "module \"c\" {\n\tsource = \"../shared\"\n}\n";
    bh_source *src = source_new("infra/main.tf", text, strlen(text));
    char **out = NULL;
    size_t n = 0;
    assert_true(tf_called_modules("infra", &src, 1, &out, &n));
    assert_int_equal(n, 2);
    assert_string_equal(out[0], "infra/mods/a");
    assert_string_equal(out[1], "shared");
    for (size_t i = 0; i < n; i++)
        free(out[i]);
    free(out);
    source_free(src);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_operators),
        cmocka_unit_test(test_templates),
        cmocka_unit_test(test_collections),
        cmocka_unit_test(test_functions),
        cmocka_unit_test(test_variables_and_locals),
        cmocka_unit_test(test_budget),
        cmocka_unit_test(test_file_outside_roots),
        cmocka_unit_test(test_clean_path),
        cmocka_unit_test(test_called_modules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

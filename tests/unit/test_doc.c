/* Unit tests: doc.c (building, reading, YAML 1.1 resolution) and object.c,
 * result.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "doc.h"
#include "object.h"
#include "result.h"

static doc_type resolve(const char *s, bool *b, int64_t *i, double *f)
{
    return doc_resolve_yaml11(s, strlen(s), b, i, f);
}

static void test_yaml11_booleans_and_nulls(void **state)
{
    (void)state;
    static const char *const t[] = {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE",
                                    "on", "On", "ON"};
    static const char *const f[] = {"n", "N", "no", "No", "NO", "false", "False", "FALSE",
                                    "off", "Off", "OFF"};
    bool b;
    int64_t i;
    double d;
    for (size_t k = 0; k < sizeof t / sizeof *t; k++) {
        b = false;
        assert_int_equal(resolve(t[k], &b, &i, &d), DOC_BOOL);
        assert_true(b);
        assert_int_equal(resolve(f[k], &b, &i, &d), DOC_BOOL);
        assert_false(b);
    }
    assert_int_equal(resolve("yEs", &b, &i, &d), DOC_STR);
    assert_int_equal(resolve("~", &b, &i, &d), DOC_NULL);
    assert_int_equal(resolve("null", &b, &i, &d), DOC_NULL);
    assert_int_equal(resolve("NULL", &b, &i, &d), DOC_NULL);
    assert_int_equal(resolve("", &b, &i, &d), DOC_NULL);
    assert_int_equal(resolve("nULL", &b, &i, &d), DOC_STR);
}

static void test_yaml11_numbers_go_base0(void **state)
{
    (void)state;
    bool b;
    int64_t i = 0;
    double d = 0;
    assert_int_equal(resolve("0644", &b, &i, &d), DOC_INT);
    assert_int_equal(i, 420);
    assert_int_equal(resolve("0x1F", &b, &i, &d), DOC_INT);
    assert_int_equal(i, 31);
    assert_int_equal(resolve("0b101", &b, &i, &d), DOC_INT);
    assert_int_equal(i, 5);
    assert_int_equal(resolve("1_000", &b, &i, &d), DOC_INT);
    assert_int_equal(i, 1000);
    assert_int_equal(resolve("-42", &b, &i, &d), DOC_INT);
    assert_int_equal(i, -42);
    assert_int_equal(resolve("0", &b, &i, &d), DOC_INT);
    assert_int_equal(i, 0);
    assert_int_equal(resolve("1.5", &b, &i, &d), DOC_FLOAT);
    assert_true(d == 1.5);
    assert_int_equal(resolve(".inf", &b, &i, &d), DOC_FLOAT);
    assert_true(isinf(d));
    assert_int_equal(resolve("089", &b, &i, &d), DOC_FLOAT);  /* not octal: a float, as Go */
    assert_int_equal(resolve("1.2.3", &b, &i, &d), DOC_STR);
    assert_int_equal(resolve("99999999999999999999", &b, &i, &d), DOC_FLOAT);
    assert_int_equal(resolve("10.0.0.1", &b, &i, &d), DOC_STR);
    assert_int_equal(resolve("host", &b, &i, &d), DOC_STR);
}

static void test_build_and_read_map(void **state)
{
    (void)state;
    bh_arena *a = arena_new();
    bh_span sp = {0};
    doc_node *m = doc_new_map(a, sp);
    assert_true(doc_map_append(a, m, doc_new_str(a, sp, "networkMode"), doc_new_str(a, sp, "bridge")));
    assert_true(doc_map_append(a, m, doc_new_str(a, sp, "Privileged"), doc_new_bool(a, sp, true)));
    assert_true(doc_map_append(a, m, doc_new_str(a, sp, "networkMode"), doc_new_str(a, sp, "host")));
    assert_int_equal(doc_len(m), 3);
    assert_true(doc_text_eq(doc_get(m, "networkMode"), "host"));       /* last wins */
    assert_null(doc_get(m, "privileged"));
    bool b = false;
    assert_true(doc_bool(doc_get_ci(m, "privileged"), &b));
    assert_true(b);
    assert_true(doc_map_put(a, m, "networkMode", doc_new_str(a, sp, "awsvpc")));
    assert_true(doc_text_eq(doc_get(m, "networkMode"), "awsvpc"));
    assert_int_equal(doc_len(m), 3);
    assert_true(doc_map_put(a, m, "cpu", doc_new_int(a, sp, 256)));
    int64_t v = 0;
    assert_true(doc_int(doc_get(m, "cpu"), &v));
    assert_int_equal(v, 256);
    assert_string_equal(doc_text(doc_get(m, "cpu")), "256");

    doc_node *inner = doc_new_map(a, sp), *seq = doc_new_seq(a, sp);
    for (int k = 0; k < 100; k++)
        assert_true(doc_seq_append(a, seq, doc_new_int(a, sp, k)));
    doc_map_append(a, inner, doc_new_str(a, sp, "add"), seq);
    doc_map_append(a, m, doc_new_str(a, sp, "caps"), inner);
    assert_ptr_equal(doc_path(m, "caps.add"), seq);
    assert_null(doc_path(m, "caps.drop"));
    assert_int_equal(doc_len(seq), 100);
    assert_true(doc_int(doc_seq_at(seq, 99), &v));
    assert_int_equal(v, 99);
    assert_null(doc_seq_at(seq, 100));
    arena_free(a);
}

static void test_unknown_trace_tag_copy(void **state)
{
    (void)state;
    bh_arena *a = arena_new();
    bh_source *s = source_new("main.tf", "x = var.mode\n", 13);
    doc_node *u = doc_new_unknown(a, span_make(s, 4, 12), "var.mode");
    assert_int_equal(doc_kind_of(u), DOC_UNKNOWN);
    assert_string_equal(doc_text(u), "var.mode");
    assert_int_equal(doc_type_of(u), DOC_NULL);
    doc_node *c = doc_copy(a, u);
    assert_true(doc_add_trace(a, c, span_make(s, 0, 1), "from variable \"mode\""));
    assert_null(doc_trace_of(u));
    assert_string_equal(doc_trace_of(c)->note, "from variable \"mode\"");
    doc_node *r = doc_new_str(a, span_make(s, 0, 1), "AWS::Region");
    doc_set_tag(r, "!Ref");
    assert_string_equal(doc_tag(r), "!Ref");
    assert_true(doc_is_quoted(r));
    source_free(s);
    arena_free(a);
}

static void test_objects_and_results(void **state)
{
    (void)state;
    bh_arena *a = arena_new();
    bh_source *s = source_new("td.json", "{\n  \"user\": \"0\"\n}\n", 18);
    bh_objlist *l = objlist_new(a);
    for (int k = 0; k < 20; k++)
        assert_non_null(objlist_add(l, "aws/ecs/task-definition", "web", span_make(s, 0, 17),
                                    doc_new_map(a, span_make(s, 0, 17))));
    assert_int_equal(objlist_len(l), 20);
    assert_string_equal(objlist_at(l, 19)->name, "web");

    bh_results *r = results_new(), *r2 = results_new();
    bh_result *x = results_push(r2);
    x->policy = "b";
    x->status = ST_INCOMPLIANT;
    x->loc = results_loc(r2, span_make(s, 12, 15));
    x->object = "web";
    bh_result *y = results_push(r);
    y->policy = "a";
    y->loc = results_loc(r, span_make(s, 0, 1));
    y->object = "web";
    source_free(s);                               /* results outlive the source */
    assert_true(results_move(r, r2));
    assert_int_equal(results_len(r), 2);
    assert_int_equal(results_len(r2), 0);
    results_sort(r);
    assert_string_equal(results_at(r, 0)->policy, "a");
    assert_int_equal(results_at(r, 1)->loc.pos.line, 2);
    assert_int_equal(results_at(r, 1)->loc.pos.col, 11);
    assert_string_equal(results_at(r, 1)->loc.file, "td.json");
    size_t counts[ST_COUNT];
    results_count(r, counts);
    assert_int_equal(counts[ST_INCOMPLIANT], 1);
    assert_int_equal(counts[ST_COMPLIANT], 1);
    bh_status st;
    assert_true(status_parse("UNDETERMINED", &st));
    assert_int_equal(st, ST_UNDETERMINED);
    assert_false(status_parse("undetermined", &st));
    bh_severity sv;
    assert_true(severity_parse("high", &sv));
    assert_string_equal(severity_name(sv), "high");
    results_free(r);
    results_free(r2);
    arena_free(a);
}

static void test_fingerprint_ignores_line_and_indentation(void **state)
{
    (void)state;
    bh_result a = {0}, b = {0};
    a.policy = b.policy = "aws/ecs/task-definition-privileged";
    a.object_type = b.object_type = "aws/ecs/task-definition";
    a.object = b.object = "web";
    a.loc.file = b.loc.file = "td.json";
    a.loc.pos.line = 10;
    b.loc.pos.line = 42;                       /* the file shifted */
    a.line_text = "      \"privileged\": true,";
    b.line_text = "\t\"privileged\": true,  ";
    char fa[17], fb[17];
    result_fingerprint(&a, fa);
    result_fingerprint(&b, fb);
    assert_int_equal(strlen(fa), 16);
    assert_string_equal(fa, fb);
    b.object = "api";                          /* another object: another print */
    result_fingerprint(&b, fb);
    assert_string_not_equal(fa, fb);
    b.object = "web";
    b.line_text = "\"privileged\": false,";   /* the content changed */
    result_fingerprint(&b, fb);
    assert_string_not_equal(fa, fb);
}

/* Results equal in place, policy and object (one module reached through
 * two callers) sort by what differs, whatever order they arrive in. */
static void test_results_sort_total(void **state)
{
    (void)state;
    static const char *const msgs[] = {"b message", "a message", "c message"};
    const char *order[2][3];
    for (int pass = 0; pass < 2; pass++) {
        bh_results *r = results_new();
        for (int i = 0; i < 3; i++) {
            bh_result *x = results_push(r);
            x->policy = "p";
            x->object = "module.m.x";
            x->loc.file = "mod/main.tf";
            x->loc.pos = (bh_pos){3, 5};
            x->object_loc.file = "mod/main.tf";
            x->message = msgs[pass ? 2 - i : i];
        }
        results_sort(r);
        for (int i = 0; i < 3; i++)
            order[pass][i] = results_at(r, (size_t)i)->message;
        results_free(r);
    }
    for (int i = 0; i < 3; i++)
        assert_string_equal(order[0][i], order[1][i]);
    assert_string_equal(order[0][0], "a message");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_yaml11_booleans_and_nulls),
        cmocka_unit_test(test_yaml11_numbers_go_base0),
        cmocka_unit_test(test_build_and_read_map),
        cmocka_unit_test(test_unknown_trace_tag_copy),
        cmocka_unit_test(test_objects_and_results),
        cmocka_unit_test(test_results_sort_total),
        cmocka_unit_test(test_fingerprint_ignores_line_and_indentation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

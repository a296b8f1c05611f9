/* Unit tests: strbuf.c (the growable text buffer). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "strbuf.h"

static void test_put_grows_and_terminates(void **state)
{
    (void)state;
    strbuf b = {0};
    for (int i = 0; i < 1000; i++)
        assert_true(strbuf_puts(&b, "abc"));
    assert_int_equal(b.n, 3000);
    assert_int_equal(b.p[b.n], '\0');
    assert_memory_equal(b.p + 2997, "abc", 3);
    assert_true(strbuf_put(&b, "", 0));
    strbuf_free(&b);
    assert_null(b.p);
    assert_int_equal(b.n, 0);
}

static void test_max(void **state)
{
    (void)state;
    strbuf b = {0};
    b.max = 5;
    assert_true(strbuf_puts(&b, "abc"));
    assert_false(strbuf_puts(&b, "def"));     /* would pass max */
    assert_true(b.toolong);
    assert_false(strbuf_puts(&b, "x"));       /* sticky */
    assert_string_equal(b.p, "abc");
    strbuf_free(&b);
}

static void test_json(void **state)
{
    (void)state;
    strbuf b = {0};
    const char s[] = "a\"b\\c\n<&>\x01";
    assert_true(strbuf_put_json(&b, s, sizeof s - 1, false));
    assert_string_equal(b.p, "\"a\\\"b\\\\c\\n<&>\\u0001\"");
    b.n = 0;
    assert_true(strbuf_put_json(&b, s, sizeof s - 1, true));
    assert_string_equal(b.p, "\"a\\\"b\\\\c\\n\\u003c\\u0026\\u003e\\u0001\"");
    b.n = 0;
    assert_true(strbuf_put_json(&b, "", 0, true));
    assert_string_equal(b.p, "\"\"");
    strbuf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_put_grows_and_terminates),
        cmocka_unit_test(test_max),
        cmocka_unit_test(test_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

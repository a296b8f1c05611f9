/* Unit tests: report.c (JSON string escaping, report shapes). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

/* Run f into a memory stream; returns a malloc()ed NUL-terminated copy. */
static char *capture_string(const char *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    json_write_string(f, s);
    fclose(f);
    return buf;
}

static void test_json_string_escapes(void **state)
{
    (void)state;
    struct { const char *in, *out; } cases[] = {
        {"plain", "\"plain\""},
        {"", "\"\""},
        {"q\"b\\s", "\"q\\\"b\\\\s\""},
        {"a\nb\tc\rd", "\"a\\nb\\tc\\rd\""},
        {"\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\""},
        {"k\xc3\xa9 \xe2\x9c\x93", "\"k\xc3\xa9 \xe2\x9c\x93\""},   /* UTF-8 passes through */
        {"${NETWORK_MODE}", "\"${NETWORK_MODE}\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *got = capture_string(cases[i].in);
        assert_string_equal(got, cases[i].out);
        free(got);
    }
    char *got = capture_string(NULL);
    assert_string_equal(got, "\"\"");
    free(got);
}

static void test_empty_report_is_complete_json(void **state)
{
    (void)state;
    bh_results *r = results_new();
    bh_diags *d = diags_new();
    diags_add_file(d, DIAG_ERROR, "x.yaml", (bh_pos){3, 4}, "bad \"thing\"");
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    report_input in = {.results = r, .diags = d, .nfiles = 1};
    assert_true(report_json(f, &in));
    fclose(f);
    assert_non_null(strstr(buf, "\"version\": 1"));
    assert_non_null(strstr(buf, "\"results\": []"));
    assert_non_null(strstr(buf, "{\"file\": \"x.yaml\", \"line\": 3, \"column\": 4, "
                                "\"message\": \"bad \\\"thing\\\"\"}"));
    assert_non_null(strstr(buf, "\"errors\": 1, \"warnings\": 0}"));
    free(buf);
    results_free(r);
    diags_free(d);
}

static char *safe_string(const char *s, bool multiline)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    text_write_safe(f, s, multiline);
    fclose(f);
    return buf;
}

#define FFFD "\xef\xbf\xbd"

static void test_text_write_safe(void **state)
{
    (void)state;
    struct { const char *in, *out; } cases[] = {
        {"plain <&> text", "plain <&> text"},
        {"tab\tkept", "tab\tkept"},
        {"esc\x1b[31m bel\x07", "esc" FFFD "[31m bel" FFFD},
        {"line\nforged\r", "line" FFFD "forged" FFFD},
        {"del\x7f c1\xc2\x9b", "del" FFFD " c1" FFFD},          /* U+009B is CSI */
        {"k\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x90\xb3", "k\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x90\xb3"},
        {"cut\xe2\x9c", "cut" FFFD FFFD},                         /* each stray byte */
        {"over\xc0\xaf", "over" FFFD FFFD},                       /* overlong '/' */
        {"sur\xed\xa0\x80", "sur" FFFD FFFD FFFD},               /* U+D800 */
        {"nonchar\xef\xbf\xbf", "nonchar" FFFD},                 /* U+FFFF */
        {"big\xf4\x90\x80\x80", "big" FFFD FFFD FFFD FFFD},     /* above U+10FFFF */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *got = safe_string(cases[i].in, false);
        assert_string_equal(got, cases[i].out);
        free(got);
    }
    char *got = safe_string("a\nb\r\n", true);
    assert_string_equal(got, "a\nb\r\n");
    free(got);
    got = safe_string(NULL, false);
    assert_string_equal(got, "");
    free(got);
}

static void test_utf8_next(void **state)
{
    (void)state;
    uint32_t cp;
    assert_int_equal(utf8_next("A", &cp), 1);
    assert_int_equal(cp, 'A');
    assert_int_equal(utf8_next("\xc3\xa9", &cp), 2);
    assert_int_equal(cp, 0xE9);
    assert_int_equal(utf8_next("\xe2\x9c\x93", &cp), 3);
    assert_int_equal(cp, 0x2713);
    assert_int_equal(utf8_next("\xf0\x9f\x90\xb3", &cp), 4);
    assert_int_equal(cp, 0x1F433);
    assert_int_equal(utf8_next("\xe2", &cp), 1);        /* cut short by the NUL */
    assert_int_equal(cp, 0xFFFD);
    assert_int_equal(utf8_next("\x80", &cp), 1);
    assert_int_equal(cp, 0xFFFD);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_string_escapes),
        cmocka_unit_test(test_empty_report_is_complete_json),
        cmocka_unit_test(test_text_write_safe),
        cmocka_unit_test(test_utf8_next),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

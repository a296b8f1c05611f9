/* Unit tests: source.c (line table, columns, line text) and arena.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "arena.h"
#include "diag.h"
#include "source.h"

static bh_source *mk(const char *text)
{
    bh_source *s = source_new("f.yaml", text, strlen(text));
    assert_non_null(s);
    return s;
}

static void test_positions_lf_crlf_cr(void **state)
{
    (void)state;
    bh_source *s = mk("ab\ncd\r\nef\rgh");
    bh_pos p = source_pos(s, 0);
    assert_int_equal(p.line, 1);
    assert_int_equal(p.col, 1);
    p = source_pos(s, 4);            /* 'd' */
    assert_int_equal(p.line, 2);
    assert_int_equal(p.col, 2);
    p = source_pos(s, 7);            /* 'e' after \r\n */
    assert_int_equal(p.line, 3);
    assert_int_equal(p.col, 1);
    p = source_pos(s, 10);           /* 'g' after lone \r */
    assert_int_equal(p.line, 4);
    assert_int_equal(p.col, 1);
    p = source_pos(s, 12);           /* end of input */
    assert_int_equal(p.line, 4);
    assert_int_equal(p.col, 3);
    p = source_pos(s, 999);          /* clamped */
    assert_int_equal(p.line, 4);
    source_free(s);
}

static void test_columns_count_code_points(void **state)
{
    (void)state;
    bh_source *s = mk("k\xc3\xa9: v\n");   /* "ké: v": the value is byte 5, column 5 */
    bh_pos p = source_pos(s, 5);
    assert_int_equal(p.line, 1);
    assert_int_equal(p.col, 5);
    source_free(s);
}

static void test_line_text(void **state)
{
    (void)state;
    bh_source *s = mk("first\r\nsecond line\nthird");
    size_t len;
    const char *t = source_line_text(s, 9, &len);
    assert_int_equal(len, 11);
    assert_memory_equal(t, "second line", 11);
    t = source_line_text(s, 0, &len);
    assert_int_equal(len, 5);
    t = source_line_text(s, (uint32_t)source_len(s), &len);
    assert_int_equal(len, 5);
    assert_memory_equal(t, "third", 5);
    source_free(s);
}

static void test_empty_source(void **state)
{
    (void)state;
    bh_source *s = mk("");
    bh_pos p = source_pos(s, 0);
    assert_int_equal(p.line, 1);
    assert_int_equal(p.col, 1);
    assert_string_equal(source_data(s), "");
    source_free(s);
}

static void test_span_join(void **state)
{
    (void)state;
    bh_source *s = mk("abcdef");
    bh_span a = span_make(s, 1, 2), b = span_make(s, 4, 6), none = {0};
    bh_span j = span_join(a, b);
    assert_int_equal(j.start, 1);
    assert_int_equal(j.end, 6);
    assert_ptr_equal(span_join(none, b).src, s);
    assert_int_equal(span_join(a, none).start, 1);
    source_free(s);
}

static void test_arena_alloc_zeroed_aligned_and_big(void **state)
{
    (void)state;
    bh_arena *a = arena_new();
    assert_non_null(a);
    for (int i = 0; i < 1000; i++) {
        unsigned char *p = arena_alloc(a, (size_t)(i % 97) + 1);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % 16, 0);
        for (int k = 0; k < i % 97 + 1; k++)
            assert_int_equal(p[k], 0);
        memset(p, 0xAB, (size_t)(i % 97) + 1);
    }
    char *big = arena_alloc(a, 5u << 20);
    assert_non_null(big);
    big[(5u << 20) - 1] = 'x';
    char *s = arena_printf(a, "%s-%d", "policy", 42);
    assert_string_equal(s, "policy-42");
    char *g = arena_realloc(a, s, 10, 100);
    assert_string_equal(g, "policy-42");
    arena_free(a);
}

static void test_arena_limit_and_injected_failure(void **state)
{
    (void)state;
    bh_arena *a = arena_new();
    arena_set_limit(a, 1024);
    assert_non_null(arena_alloc(a, 512));
    assert_null(arena_alloc(a, 1024));
    arena_set_fail_after(2);
    assert_non_null(arena_alloc(a, 8));
    assert_null(arena_alloc(a, 8));
    assert_null(arena_alloc(a, 8));
    arena_set_fail_after(0);
    assert_non_null(arena_alloc(a, 8));
    arena_free(a);
}

static void test_diags_positions_and_move(void **state)
{
    (void)state;
    bh_source *s = mk("a: 1\nb: [\n");
    bh_diags *d = diags_new(), *e = diags_new();
    diags_add_ctx(d, DIAG_ERROR, span_make(s, 9, 9), span_make(s, 8, 9), "sequence started here",
                  "expected ']' before %s", "end of input");
    diags_add_file(e, DIAG_NOTE, "x.bin", (bh_pos){0, 0}, "skipped binary file");
    assert_int_equal(diags_count(d), 1);
    const bh_diag *g = diags_get(d, 0);
    assert_string_equal(g->file, "f.yaml");
    assert_int_equal(g->pos.line, 2);
    assert_int_equal(g->pos.col, 5);
    assert_int_equal(g->ctx_pos.line, 2);
    assert_int_equal(g->ctx_pos.col, 4);
    assert_string_equal(g->message, "expected ']' before end of input");
    source_free(s);                      /* diagnostics outlive their source */
    diags_move(d, e);
    assert_int_equal(diags_count(d), 2);
    assert_int_equal(diags_count(e), 0);
    assert_int_equal(diags_count_level(d, DIAG_NOTE), 1);
    assert_string_equal(diags_get(d, 0)->ctx_note, "sequence started here");
    diags_free(d);
    diags_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_positions_lf_crlf_cr),
        cmocka_unit_test(test_columns_count_code_points),
        cmocka_unit_test(test_line_text),
        cmocka_unit_test(test_empty_source),
        cmocka_unit_test(test_span_join),
        cmocka_unit_test(test_arena_alloc_zeroed_aligned_and_big),
        cmocka_unit_test(test_arena_limit_and_injected_failure),
        cmocka_unit_test(test_diags_positions_and_move),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

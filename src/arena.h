/*
 * arena.h - region allocator: everything parsed from one file (or one
 * Terraform module) lives in one arena and is released by one call.
 *
 * Ownership: the arena owns every block it hands out; nothing allocated
 * here may be passed to free().  Built with -DBH_ARENA_MALLOC (the sanitizer
 * build) every block is a separate malloc() so ASan sees each overflow and
 * use-after-free; the API is the same.
 *
 * Allocation failure is a value: arena_alloc() returns NULL and callers
 * turn that into a diagnostic.  arena_set_fail_after() makes the Nth
 * allocation fail, for failure-injection tests.
 */
#ifndef BH_ARENA_H
#define BH_ARENA_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct bh_arena bh_arena;

/* A new, empty arena; NULL when memory is exhausted. */
bh_arena *arena_new(void);

/* Release the arena and every block it handed out.  NULL is a no-op. */
void arena_free(bh_arena *a);

/* size bytes, zeroed, aligned for any type; NULL on failure or when the
 * arena's byte limit (arena_set_limit) would be exceeded. */
void *arena_alloc(bh_arena *a, size_t size);

/* Grow a block obtained from this arena; old contents are kept.  The old
 * block is abandoned, not reused (arenas never free early). */
void *arena_realloc(bh_arena *a, void *old, size_t old_size, size_t new_size);

/* NUL-terminated copy of s[0..n). */
char *arena_strndup(bh_arena *a, const char *s, size_t n);
char *arena_strdup(bh_arena *a, const char *s);

/* printf into the arena. */
char *arena_printf(bh_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *arena_vprintf(bh_arena *a, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* Run fn(arg) when the arena is freed, newest first, before its blocks
 * are released: for things that live as long as the arena but are not in
 * it (the bh_source of a Compose `.env` file that trace spans point into).
 * false on allocation failure (fn is then not registered: the caller
 * releases arg itself). */
bool arena_defer(bh_arena *a, void (*fn)(void *), void *arg);

/* Bytes handed out so far (for limits and memory accounting). */
size_t arena_used(const bh_arena *a);

/* Refuse allocations once arena_used() would pass limit (0: no limit). */
void arena_set_limit(bh_arena *a, size_t limit);

/* Failure injection, process-wide, for tests only: the nth allocation from
 * now on (1-based) and every later one fails.  0 turns it off. */
void arena_set_fail_after(unsigned long nth);

/* Allocations counted since the last arena_set_fail_after (when it is on):
 * a run that ends below nth never met the injected failure. */
unsigned long arena_injection_count(void);

#endif

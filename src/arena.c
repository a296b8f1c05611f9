/* arena.c - see arena.h.  Chunks double in size up to 1 MiB; a request
 * larger than a quarter chunk gets a chunk of its own so big strings never
 * waste the tail of a shared chunk. */
#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ALIGN 16u
#define FIRST_CHUNK 4096u
#define MAX_CHUNK (1u << 20)

struct chunk {
    struct chunk *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
};

/* A function to run when the arena is freed (arena_defer). */
struct deferred {
    struct deferred *next;
    void (*fn)(void *);
    void *arg;
};

struct bh_arena {
    struct chunk *head;
    struct deferred *deferred;     /* newest first */
    size_t next_size;
    size_t used;
    size_t limit;
};

static unsigned long fail_after;   /* 0: off */
static unsigned long alloc_count;

void arena_set_fail_after(unsigned long nth)
{
    fail_after = nth;
    alloc_count = 0;
}

unsigned long arena_injection_count(void) { return alloc_count; }

static int injected_failure(void)
{
    if (!fail_after)
        return 0;
    return ++alloc_count >= fail_after;
}

bh_arena *arena_new(void)
{
    if (injected_failure())
        return NULL;
    bh_arena *a = calloc(1, sizeof *a);
    if (a)
        a->next_size = FIRST_CHUNK;
    return a;
}

void arena_free(bh_arena *a)
{
    if (!a)
        return;
    for (struct deferred *d = a->deferred; d;) {
        struct deferred *next = d->next;
        d->fn(d->arg);
        free(d);
        d = next;
    }
    struct chunk *c = a->head;
    while (c) {
        struct chunk *next = c->next;
        free(c);
        c = next;
    }
    free(a);
}

bool arena_defer(bh_arena *a, void (*fn)(void *), void *arg)
{
    struct deferred *d = injected_failure() ? NULL : malloc(sizeof *d);
    if (!d)
        return false;
    d->fn = fn;
    d->arg = arg;
    d->next = a->deferred;
    a->deferred = d;
    return true;
}

size_t arena_used(const bh_arena *a) { return a->used; }
void arena_set_limit(bh_arena *a, size_t limit) { a->limit = limit; }

static struct chunk *new_chunk(size_t size)
{
    struct chunk *c = malloc(sizeof *c + size);
    if (!c)
        return NULL;
    c->size = size;
    c->used = 0;
    return c;
}

void *arena_alloc(bh_arena *a, size_t size)
{
    if (size == 0)
        size = 1;
    size_t rounded = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (rounded < size || injected_failure())
        return NULL;
    if (a->limit && a->used + rounded > a->limit)
        return NULL;
#ifdef BH_ARENA_MALLOC
    struct chunk *c = new_chunk(rounded);
    if (!c)
        return NULL;
    c->next = a->head;
    a->head = c;
    a->used += rounded;
    memset(c->data, 0, size);
    return c->data;
#else
    struct chunk *c = a->head;
    if (!c || c->size - c->used < rounded) {
        if (rounded > a->next_size / 4) {
            /* big block: its own chunk, linked behind the current one */
            struct chunk *big = new_chunk(rounded);
            if (!big)
                return NULL;
            big->used = rounded;
            if (c) {
                big->next = c->next;
                c->next = big;
            } else {
                big->next = NULL;
                a->head = big;
            }
            a->used += rounded;
            memset(big->data, 0, size);
            return big->data;
        }
        c = new_chunk(a->next_size);
        if (!c)
            return NULL;
        if (a->next_size < MAX_CHUNK)
            a->next_size *= 2;
        c->next = a->head;
        a->head = c;
    }
    void *p = c->data + c->used;
    c->used += rounded;
    a->used += rounded;
    memset(p, 0, size);
    return p;
#endif
}

void *arena_realloc(bh_arena *a, void *old, size_t old_size, size_t new_size)
{
    if (new_size <= old_size && old)
        return old;
    void *p = arena_alloc(a, new_size);
    if (p && old && old_size)
        memcpy(p, old, old_size);
    return p;
}

char *arena_strndup(bh_arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    if (p && n)
        memcpy(p, s, n);
    return p;
}

char *arena_strdup(bh_arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

char *arena_vprintf(bh_arena *a, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return NULL;
    char *p = arena_alloc(a, (size_t)n + 1);
    if (p)
        vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *arena_printf(bh_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = arena_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}

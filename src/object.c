/* object.c - see object.h. */
#include "object.h"

#include <string.h>

struct bh_objlist {
    bh_arena *arena;
    bh_object *v;
    size_t n, cap;
};

bh_objlist *objlist_new(bh_arena *a)
{
    bh_objlist *l = arena_alloc(a, sizeof *l);
    if (l)
        l->arena = a;
    return l;
}

bh_object *objlist_add(bh_objlist *l, const char *type, const char *name, bh_span span,
                       doc_node *root)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        bh_object *v = arena_realloc(l->arena, l->v, l->cap * sizeof *v, cap * sizeof *v);
        if (!v)
            return NULL;
        l->v = v;
        l->cap = cap;
    }
    char *nm = arena_strdup(l->arena, name ? name : "");
    if (!nm)
        return NULL;
    bh_object *o = &l->v[l->n++];
    o->type = type;
    o->name = nm;
    o->span = span;
    o->root = root;
    return o;
}

size_t objlist_len(const bh_objlist *l) { return l ? l->n : 0; }
bh_object *objlist_at(const bh_objlist *l, size_t i) { return l && i < l->n ? &l->v[i] : NULL; }

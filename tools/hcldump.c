/*
 * hcldump.c - bh-hcldump: print the structure of HCL files as JSON, in the
 * shape of HashiCorp's hcl2json, for the differential test against it
 * (tests/hcl2json/).
 *
 *   find DIR -name '*.tf' -print0 | bh-hcldump -
 *
 * One JSON line per file: {"file": PATH, "ok": true, "body": {...}} or
 * {"file": PATH, "ok": false, "error": MESSAGE}.  A body maps attribute
 * names to values and block types to lists of bodies, labels nesting as
 * objects ({"resource": {"aws_x": {"name": [{...}]}}}).  Literal values
 * (strings, numbers, bools, null, and tuples and objects of them) are JSON
 * values; any other expression is the string "${...}": the test compares
 * literals and structure, not how each side prints expressions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "discover.h"
#include "hcl.h"
#include "source.h"

static void put_str(const char *s, size_t n)
{
    putchar('"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c == '\n')
            fputs("\\n", stdout);
        else if (c == '\t')
            fputs("\\t", stdout);
        else if (c == '\r')
            fputs("\\r", stdout);
        else if (c < 0x20)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}

static void put_expr(const hcl_expr *e);

/* An object key; one that is an expression is "${key N}" (N: its index,
 * so two of them stay two keys). */
static void put_key(const hcl_expr *k, size_t i)
{
    if (k->kind == HCL_E_STRING)
        put_str(k->u.str.text, k->u.str.len);
    else if (k->kind == HCL_E_VAR)
        put_str(k->u.var.name, strlen(k->u.var.name));
    else
        printf("\"${key %zu}\"", i);
}

static void put_expr(const hcl_expr *e)
{
    switch (e->kind) {
    case HCL_E_STRING: put_str(e->u.str.text, e->u.str.len); return;
    case HCL_E_NUMBER: fwrite(e->u.number.text, 1, e->u.number.len, stdout); return;
    case HCL_E_BOOL: fputs(e->u.boolean ? "true" : "false", stdout); return;
    case HCL_E_NULL: fputs("null", stdout); return;
    case HCL_E_TUPLE:
        putchar('[');
        for (size_t i = 0; i < e->u.tuple.n; i++) {
            if (i)
                putchar(',');
            put_expr(e->u.tuple.items[i]);
        }
        putchar(']');
        return;
    case HCL_E_OBJECT:
        putchar('{');
        for (size_t i = 0; i < e->u.object.n; i++) {
            if (i)
                putchar(',');
            put_key(e->u.object.items[i].key, i);
            putchar(':');
            put_expr(e->u.object.items[i].value);
        }
        putchar('}');
        return;
    default: fputs("\"${expr}\"", stdout); return;
    }
}

static void put_body(const hcl_body *b);

/* The blocks of type `type` from item index i on, with the same first
 * labels as prefix (depth d): nested objects by label, lists of bodies. */
static void put_blocks(const hcl_body *b, const char *type, size_t depth, const hcl_item *like)
{
    bool any_deeper = false;
    for (size_t i = 0; i < b->n; i++) {
        const hcl_item *it = &b->items[i];
        if (it->kind != HCL_BLOCK || strcmp(it->name, type) != 0 || it->nlabels < depth)
            continue;
        bool same = true;
        for (size_t k = 0; k < depth && same; k++)
            same = strcmp(it->labels[k].text, like->labels[k].text) == 0;
        if (same && it->nlabels > depth)
            any_deeper = true;
    }
    if (!any_deeper) {
        putchar('[');
        bool first = true;
        for (size_t i = 0; i < b->n; i++) {
            const hcl_item *it = &b->items[i];
            if (it->kind != HCL_BLOCK || strcmp(it->name, type) != 0 || it->nlabels != depth)
                continue;
            bool same = true;
            for (size_t k = 0; k < depth && same; k++)
                same = strcmp(it->labels[k].text, like->labels[k].text) == 0;
            if (!same)
                continue;
            if (!first)
                putchar(',');
            first = false;
            put_body(it->body);
        }
        putchar(']');
        return;
    }
    putchar('{');
    bool first = true;
    for (size_t i = 0; i < b->n; i++) {
        const hcl_item *it = &b->items[i];
        if (it->kind != HCL_BLOCK || strcmp(it->name, type) != 0 || it->nlabels <= depth)
            continue;
        bool same = true, seen = false;
        for (size_t k = 0; k < depth && same; k++)
            same = strcmp(it->labels[k].text, like->labels[k].text) == 0;
        /* each label once, at its first block */
        for (size_t j = 0; same && j < i && !seen; j++) {
            const hcl_item *o = &b->items[j];
            if (o->kind != HCL_BLOCK || strcmp(o->name, type) != 0 || o->nlabels <= depth)
                continue;
            bool osame = true;
            for (size_t k = 0; k <= depth && osame; k++)
                osame = strcmp(o->labels[k].text, it->labels[k].text) == 0;
            seen = osame;
        }
        if (!same || seen)
            continue;
        if (!first)
            putchar(',');
        first = false;
        put_str(it->labels[depth].text, it->labels[depth].len);
        putchar(':');
        put_blocks(b, type, depth + 1, it);
    }
    putchar('}');
}

static void put_body(const hcl_body *b)
{
    putchar('{');
    bool first = true;
    for (size_t i = 0; i < b->n; i++) {
        const hcl_item *it = &b->items[i];
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = b->items[j].kind == it->kind && strcmp(b->items[j].name, it->name) == 0;
        if (seen)
            continue;
        if (!first)
            putchar(',');
        first = false;
        put_str(it->name, strlen(it->name));
        putchar(':');
        if (it->kind == HCL_ATTRIBUTE)
            put_expr(it->expr);
        else
            put_blocks(b, it->name, 0, it);
    }
    putchar('}');
}

static void dump(const char *path)
{
    bh_diags *d = diags_new();
    bh_source *src = discover_read(path, NULL, d);
    bh_arena *a = arena_new();
    hcl_file *f = src ? hcl_parse(src, a, NULL, d) : NULL;
    fputs("{\"file\":", stdout);
    put_str(path, strlen(path));
    if (f) {
        fputs(",\"ok\":true,\"body\":", stdout);
        put_body(f->body);
    } else {
        const char *msg = diags_count(d) ? diags_get(d, 0)->message : "?";
        fputs(",\"ok\":false,\"error\":", stdout);
        put_str(msg, strlen(msg));
    }
    fputs("}\n", stdout);
    arena_free(a);
    source_free(src);
    diags_free(d);
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "-") == 0) {
        char *line = NULL;
        size_t cap = 0;
        ssize_t n;
        while ((n = getdelim(&line, &cap, '\0', stdin)) > 0)
            dump(line);
        free(line);
        return 0;
    }
    for (int i = 1; i < argc; i++)
        dump(argv[i]);
    return 0;
}

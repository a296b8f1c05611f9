/* libFuzzer target: Terraform bytes -> an evaluated module (tfeval) -> the
 * Terraform adapter.  No scan roots, so file() and local modules read
 * nothing; a small step budget keeps each input fast. */
#include <stddef.h>
#include <stdint.h>

#include "adapter.h"
#include "tfeval.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool want_all(const char *type)
{
    (void)type;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bh_source *src = source_new("fuzz/main.tf", (const char *)data, size);
    bh_arena *a = arena_new();
    bh_diags *d = diags_new();
    bh_objlist *objs = a ? objlist_new(a) : NULL;
    tf_opts o = {0};
    o.max_steps = 20000;
    if (src && objs && d) {
        tf_module *m = tf_eval_module("fuzz", &src, 1, &o, want_all, a, d);
        if (m)
            adapt_tf(m, a, objs, d);
    }
    diags_free(d);
    arena_free(a);
    source_free(src);
    return 0;
}

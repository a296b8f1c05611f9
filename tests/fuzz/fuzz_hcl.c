/* libFuzzer target: HCL2 bytes -> a syntax tree (hcl_parse). */
#include <stddef.h>
#include <stdint.h>

#include "hcl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bh_source *src = source_new("fuzz.tf", (const char *)data, size);
    bh_arena *a = arena_new();
    bh_diags *d = diags_new();
    if (src && a && d)
        hcl_parse(src, a, NULL, d);
    diags_free(d);
    arena_free(a);
    source_free(src);
    return 0;
}

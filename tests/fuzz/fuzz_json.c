/* libFuzzer target: JSON bytes -> a document tree (json_parse). */
#include <stddef.h>
#include <stdint.h>

#include "json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bh_source *src = source_new("fuzz.json", (const char *)data, size);
    bh_arena *a = arena_new();
    bh_diags *d = diags_new();
    if (src && a && d)
        json_parse(src, a, NULL, d);
    diags_free(d);
    arena_free(a);
    source_free(src);
    return 0;
}

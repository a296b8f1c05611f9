/* libFuzzer target: YAML bytes -> document trees (bhyaml_parse). */
#include <stddef.h>
#include <stdint.h>

#include "bhyaml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bh_source *src = source_new("fuzz.yaml", (const char *)data, size);
    bh_arena *a = arena_new();
    bh_diags *d = diags_new();
    if (src && a && d) {
        doc_node **docs;
        bhyaml_limits lim = bhyaml_default_limits();
        lim.max_alias_nodes = 100000;
        bhyaml_parse(src, a, &lim, &docs, d);
    }
    diags_free(d);
    arena_free(a);
    source_free(src);
    return 0;
}

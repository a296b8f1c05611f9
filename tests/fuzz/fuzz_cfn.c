/* libFuzzer target: YAML bytes -> CloudFormation adapter (the intrinsic
 * resolver with its conditions, parameters and mappings). */
#include <stddef.h>
#include <stdint.h>

#include "adapter.h"
#include "bhyaml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bh_source *src = source_new("fuzz/template.yaml", (const char *)data, size);
    bh_arena *a = arena_new();
    bh_diags *d = diags_new();
    bh_objlist *objs = a ? objlist_new(a) : NULL;
    bhyaml_limits lim = bhyaml_default_limits();
    lim.max_alias_nodes = 100000;
    doc_node **docs = NULL;
    long n = src && objs && d ? bhyaml_parse(src, a, &lim, &docs, d) : -1;
    for (long i = 0; i < n; i++)
        adapt_cfn(docs[i], a, objs, d);
    diags_free(d);
    arena_free(a);
    source_free(src);
    return 0;
}

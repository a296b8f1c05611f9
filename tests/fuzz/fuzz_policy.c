/* libFuzzer target: bytes -> a policy folder -> the policy loader.  The
 * input is split at the first "\n%%\n" into policy.yaml and logic.yaml
 * (no split: both files get the whole input). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data, *cut = NULL;
    for (size_t i = 0; i + 4 <= size && !cut; i++)
        if (memcmp(s + i, "\n%%\n", 4) == 0)
            cut = s + i;
    size_t plen = cut ? (size_t)(cut - s) : size;
    const char *logic = cut ? cut + 4 : s;
    size_t llen = cut ? size - plen - 4 : size;
    bh_file files[] = {
        {"policies/fuzz/p/policy.yaml", s, plen, NULL, 0},
        {"policies/fuzz/p/logic.yaml", logic, llen, NULL, 0},
        {"policies/fuzz/p/description.md", "d", 1, NULL, 0},
        {"policies/fuzz/p/remediation.md", "r", 1, NULL, 0},
    };
    bh_catalog *c = catalog_new();
    bh_diags *d = diags_new();
    if (c && d)
        catalog_load_files(c, files, 4, d);
    diags_free(d);
    catalog_free(c);
    return 0;
}

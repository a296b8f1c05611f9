/* libFuzzer target: a policy expression, parsed, then evaluated as a
 * condition and as a value against a small fixed object (with an unknown). */
#include <stddef.h>
#include <stdint.h>

#include "expr.h"
#include "json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char object[] =
    "{\"networkMode\": \"host\", \"status\": \"ACTIVE\", \"cpu\": 256, \"ok\": true,"
    " \"containerDefinitions\": [{\"name\": \"web\", \"user\": \"0\", \"privileged\": true,"
    " \"linuxParameters\": {\"capabilities\": {\"add\": [\"SYS_ADMIN\", \"net_raw\"]}}},"
    " {\"name\": \"side\", \"environment\": [{\"name\": \"A\", \"value\": \"b\"}]}]}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bh_source *src = source_new("object.json", object, sizeof object - 1);
    bh_arena *a = arena_new(), *scratch = arena_new();
    bh_diags *d = diags_new();
    if (src && a && scratch && d) {
        doc_node *root = json_parse(src, a, NULL, d);
        if (root) {
            doc_map_put(a, root, "secret", doc_new_unknown(a, doc_span(root), "var.secret"));
            bh_expr *e = expr_parse(a, (const char *)data, size, (bh_span){0}, d);
            if (e) {
                expr_test(e, root, scratch);
                expr_render(scratch, expr_value(e, root, scratch));
                expr_release(e);
            }
        }
    }
    diags_free(d);
    arena_free(scratch);
    arena_free(a);
    source_free(src);
    return 0;
}

/* libFuzzer target, end to end: bytes -> scan (the first byte picks the
 * file name, so detection sends them to every reader) -> JSON report. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "report.h"
#include "scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

extern const bh_file bh_builtin_files[];
extern const size_t bh_builtin_nfiles;

static bh_catalog *catalog(void)
{
    static bh_catalog *c;
    if (!c) {
        c = catalog_new();
        bh_diags *d = diags_new();
        if (c && d)
            catalog_load_validated(c, bh_builtin_files, bh_builtin_nfiles, d);
        diags_free(d);
    }
    return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {"f.yaml", "f.json", "docker-compose.yml",
                                        "template.yaml", "task.json", "f.template"};
    if (size == 0)
        return 0;
    const char *name = names[data[0] % (sizeof names / sizeof *names)];
    bh_scan *s = scan_new(catalog(), NULL);
    if (!s)
        return 0;
    scan_buffer(s, name, (const char *)data + 1, size - 1);
    scan_finish(s);
    FILE *out = fopen("/dev/null", "w");
    if (out) {
        report_input in = {.results = scan_results(s), .diags = scan_diags(s), .nfiles = 1,
                           .catalog = catalog()};
        report_json(out, &in);
        fclose(out);
    }
    scan_free(s);
    return 0;
}

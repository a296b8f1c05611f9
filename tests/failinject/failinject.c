/*
 * failinject.c - allocation failures injected across whole scans.
 *
 *   failinject RUNS PATH...
 *
 * For each PATH (a file or a directory of fixtures): one clean scan counts
 * its arena allocations, then about RUNS scans fail the Nth allocation and
 * every later one, N spread over that count (1, 1 + stride, ...), each
 * run scanning, writing the JSON report to /dev/null and freeing
 * everything.  A run must end normally: no crash (the sanitizer build
 * turns any invalid access into one) and, in the ASan build, no leak
 * (LeakSanitizer checks at exit).  Prints the runs made per path.
 */
#include <stdio.h>
#include <stdlib.h>

#include "arena.h"
#include "policy.h"
#include "report.h"
#include "scan.h"

static void scan_once(const bh_catalog *c, const char *path, FILE *sink)
{
    bh_scan_opts o = {0};
    o.jobs = 1;              /* the injection counter is process-wide */
    bh_scan *s = scan_new(c, &o);
    if (!s)
        return;
    scan_paths(s, &path, 1);
    scan_finish(s);
    report_input in = {.results = scan_results(s), .diags = scan_diags(s),
                       .nfiles = scan_nfiles(s), .catalog = c};
    report_json(sink, &in);
    scan_free(s);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fputs("usage: failinject RUNS PATH...\n", stderr);
        return 2;
    }
    unsigned long runs = strtoul(argv[1], NULL, 10);
    bh_catalog *c = catalog_new();
    bh_diags *d = diags_new();
    FILE *sink = fopen("/dev/null", "w");
    if (!c || !d || !sink)
        return 2;
    catalog_load_validated(c, bh_builtin_files, bh_builtin_nfiles, d);
    for (int i = 2; i < argc; i++) {
        arena_set_fail_after((unsigned long)-1);     /* count only */
        scan_once(c, argv[i], sink);
        unsigned long total = arena_injection_count();
        unsigned long stride = total / (runs ? runs : 1) + 1, made = 0;
        for (unsigned long n = 1; n <= total; n += stride, made++) {
            arena_set_fail_after(n);
            scan_once(c, argv[i], sink);
        }
        arena_set_fail_after(0);
        printf("%s: %lu allocations, %lu runs with a failure injected\n", argv[i], total, made);
    }
    fclose(sink);
    diags_free(d);
    catalog_free(c);
    return 0;
}

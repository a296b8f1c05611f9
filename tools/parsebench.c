/*
 * parsebench.c - parse throughput per syntax, for bench/run.sh.
 *
 *   bh-parsebench FILE...
 *   find ... -print0 | bh-parsebench -      (NUL-separated names on stdin)
 *
 * Reads every file first (so I/O is not timed), then parses each with the
 * parser its name selects (YAML, JSON, HCL), building the full document
 * tree, and prints one line per syntax: files, bytes, seconds, MB/s,
 * parse errors.  A developer tool: it prints.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "detect.h"
#include "diag.h"
#include "discover.h"
#include "hcl.h"
#include "json.h"
#include "bhyaml.h"

enum { P_YAML, P_JSON, P_HCL, P_COUNT };
static const char *const names[P_COUNT] = {"yaml", "json", "hcl"};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int parser_for(const char *path)
{
    switch (detect_syntax(path, "", 0)) {
    case SYN_YAML: return P_YAML;
    case SYN_JSON: case SYN_TF_JSON: return P_JSON;
    case SYN_HCL: return P_HCL;
    default: return -1;
    }
}

/* Names from standard input, NUL-separated, as argv-like array. */
static char **read_names(size_t *n)
{
    size_t cap = 1024, len = 0, k = 0;
    char *buf = malloc(cap);
    int c;
    while (buf && (c = getchar()) != EOF) {
        if (len + 1 >= cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb) {
                free(buf);
                return NULL;
            }
            buf = nb;
        }
        buf[len++] = (char)c;
        k += c == 0;
    }
    if (!buf)
        return NULL;
    if (len && buf[len - 1] != 0) {
        buf[len++] = 0;
        k++;
    }
    char **v = malloc((k + 2) * sizeof *v);
    if (!v)
        return NULL;
    v[0] = "bh-parsebench";
    size_t i = 1;
    for (size_t off = 0; off < len; off += strlen(buf + off) + 1)
        v[i++] = buf + off;
    *n = k;
    return v;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "-") == 0) {
        size_t k;
        argv = read_names(&k);
        if (!argv)
            return 2;
        argc = (int)k + 1;
    }
    size_t n = (size_t)(argc - 1);
    bh_source **srcs = calloc(n ? n : 1, sizeof *srcs);
    bh_diags *d = diags_new();
    if (!srcs || !d)
        return 2;
    for (size_t i = 0; i < n; i++)
        if (parser_for(argv[i + 1]) >= 0)
            srcs[i] = discover_read(argv[i + 1], NULL, d);
    size_t files[P_COUNT] = {0}, bytes[P_COUNT] = {0}, errors[P_COUNT] = {0};
    double secs[P_COUNT] = {0};
    for (size_t i = 0; i < n; i++) {
        if (!srcs[i])
            continue;
        int p = parser_for(argv[i + 1]);
        bh_diags *pd = diags_new();
        bh_arena *a = arena_new();
        double t0 = now();
        bool ok;
        if (p == P_YAML) {
            doc_node **docs;
            ok = bhyaml_parse(srcs[i], a, NULL, &docs, pd) >= 0;
        } else if (p == P_JSON) {
            ok = json_parse(srcs[i], a, NULL, pd) != NULL;
        } else {
            ok = hcl_parse(srcs[i], a, NULL, pd) != NULL;
        }
        secs[p] += now() - t0;
        files[p]++;
        bytes[p] += source_len(srcs[i]);
        errors[p] += !ok;
        arena_free(a);
        diags_free(pd);
        source_free(srcs[i]);
    }
    printf("%-5s %8s %12s %9s %9s %7s\n", "parse", "files", "bytes", "seconds", "MB/s", "errors");
    for (int p = 0; p < P_COUNT; p++)
        if (files[p])
            printf("%-5s %8zu %12zu %9.4f %9.1f %7zu\n", names[p], files[p], bytes[p], secs[p],
                   secs[p] > 0 ? (double)bytes[p] / 1e6 / secs[p] : 0.0, errors[p]);
    free(srcs);
    diags_free(d);
    return 0;
}

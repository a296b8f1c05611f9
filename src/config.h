/*
 * config.h - the project configuration file, `.bulkhead.yaml`.
 *
 *     skip_policies: [k8s/pod/seccomp-not-set]
 *     exclude: [vendor]
 *     severity_overrides: {k8s/pod/host-port: high}
 *     suppressions:
 *       - policy: k8s/pod/host-network
 *         object: Deployment/monitoring/node-exporter   # name or fnmatch glob
 *         file: deploy/exporter.yaml             # optional glob
 *         reason: node exporter needs the host network
 *         until: 2027-01-01                     # optional
 *     fail_threshold: high
 *     no_inline_suppressions: true
 *
 * A config that does not read cleanly is refused whole: a YAML error, an
 * unknown key, a value of the wrong type, an unknown policy id, a
 * suppression without a reason or with a malformed date each give an
 * error diagnostic at its place, and the CLI stops with a usage error.
 * An expired config suppression is a warning and is not applied.
 *
 * Ownership: a bh_config owns everything it points to (one arena); it is
 * read-only once loaded and must outlive the results it suppressed.
 * Docs: docs/suppressions.md.
 */
#ifndef BH_CONFIG_H
#define BH_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "policy.h"
#include "result.h"
#include "source.h"

typedef struct config_override {
    const char *policy;
    bh_severity severity;
} config_override;

typedef struct config_suppression {
    const char *policy;
    const char *object;          /* name or fnmatch glob */
    const char *file;            /* fnmatch glob; NULL: any file */
    bool expired;                /* until is before today: not applied */
    bh_suppression s;            /* kind "config", reason, until, where */
} config_suppression;

typedef struct bh_config {
    const char *path;
    const char **skip_policies;
    size_t nskip_policies;
    const char **excludes;
    size_t nexcludes;
    config_override *overrides;
    size_t noverrides;
    config_suppression *suppressions;
    size_t nsuppressions;
    bool has_fail_threshold;
    bh_severity fail_threshold;
    bool no_inline_suppressions;
} bh_config;

/*
 * Read the config in src.  Policy ids are checked against cat (NULL: not
 * checked); today ("YYYY-MM-DD") decides which suppressions expired.  NULL
 * when the config is refused, after adding error diagnostics (warnings,
 * such as an expired suppression, may be added either way).
 */
bh_config *config_parse(const bh_source *src, const bh_catalog *cat, const char *today,
                        bh_diags *diags);

/* As config_parse, reading the file at path. */
bh_config *config_load(const char *path, const bh_catalog *cat, const char *today,
                       bh_diags *diags);

void config_free(bh_config *c);

/*
 * The config file for a scan of start (a file or a directory): the first
 * `.bulkhead.yaml` in start's directory or above it, stopping after the
 * filesystem root or a directory holding `.git`.  A malloc()ed path, or
 * NULL when there is none.
 */
char *config_find(const char *start);

/* Whether a config `file:` glob matches a displayed path: the whole path
 * or any trailing part of it starting after a '/'. */
bool config_path_matches(const char *glob, const char *path);

#endif

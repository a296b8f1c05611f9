/*
 * policy.h - the policy catalog: policies as folders of data, frameworks
 * as lists of controls, and the evaluation of policies over objects.
 *
 * The folder format is specified in docs/policy-format.md.  A policy is
 * found by glob (every `policy.yaml` below a policies directory), never
 * registered by hand; its id is its folder path below that directory.
 * Loading validates everything (descriptor, logic, expressions, templates)
 * and reports problems as `file:line:col` diagnostics; a malformed policy
 * is refused and the rest still load.
 *
 * The built-in catalog is the repository's policies/ and frameworks/,
 * validated and embedded at build time (tools/embed.c), loaded with
 * catalog_load_files().
 *
 * Ownership: the catalog owns its policies, frameworks and the sources
 * they were read from; results point at policy ids, so a catalog must
 * outlive the results evaluated with it.
 */
#ifndef BH_POLICY_H
#define BH_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "object.h"
#include "result.h"

typedef struct bh_catalog bh_catalog;
typedef struct bh_policy bh_policy;
typedef struct bh_framework bh_framework;

/* A file given by path and contents (the embedded catalog). */
typedef struct bh_file {
    const char *path;   /* relative: "policies/aws/ecs/x/policy.yaml" */
    const char *data;
    size_t len;
    const char *json;   /* the same document as JSON (built-in policy and framework
                         * YAML, converted at build time: JSON parses several times
                         * faster); NULL: parse data */
    size_t json_len;
} bh_file;

/* The built-in catalog: every file of policies/ and frameworks/, embedded
 * at build time by tools/embed.c (the generated catalog_data.c, linked
 * into the bulkhead binary only), sorted by path; followed by a
 * {NULL, NULL, 0} sentinel that bh_builtin_nfiles does not count. */
extern const bh_file bh_builtin_files[];
extern const size_t bh_builtin_nfiles;

bh_catalog *catalog_new(void);
void catalog_free(bh_catalog *c);

/*
 * Load every policy folder below dir (a folder holding policy.yaml) and
 * every framework file (*.yaml) below frameworks_dir (may be NULL).
 * Returns the number of policies loaded; problems go to diags as errors.
 * A policy id already in the catalog is an error (the new one is refused).
 */
size_t catalog_load_dir(bh_catalog *c, const char *dir, const char *frameworks_dir,
                        bh_diags *diags);

/* The same from in-memory files: paths "policies/<id>/<file>" and
 * "frameworks/<name>.yaml". */
size_t catalog_load_files(bh_catalog *c, const bh_file *files, size_t n, bh_diags *diags);

/* As catalog_load_files, for files validated already (the built-in
 * catalog, checked at build time): a policy's tests/expected.yaml is only
 * parsed when policy_expected() first asks for it, which keeps start-up
 * short. */
size_t catalog_load_validated(bh_catalog *c, const bh_file *files, size_t n, bh_diags *diags);

/* Check that every framework control names policies that exist; errors to
 * diags.  Returns false when any is missing. */
bool catalog_check_frameworks(const bh_catalog *c, bh_diags *diags);

size_t catalog_len(const bh_catalog *c);
const bh_policy *catalog_at(const bh_catalog *c, size_t i);   /* sorted by id */
const bh_policy *catalog_find(const bh_catalog *c, const char *id);

/* Enable only these policies (ids; NULL/0: all), then disable those.  An
 * unknown id is an error in diags; returns false then. */
bool catalog_select(bh_catalog *c, const char *const *only, size_t nonly,
                    const char *const *skip, size_t nskip, bh_diags *diags);
bool policy_enabled(const bh_policy *p);

/* Descriptor fields. */
const char *policy_id(const bh_policy *p);
const char *policy_name(const bh_policy *p);
const char *policy_contextual_name(const bh_policy *p);
const char *policy_summary(const bh_policy *p);        /* descriptor description */
const char *policy_input(const bh_policy *p);          /* object type */
bh_severity policy_severity(const bh_policy *p);
const char *policy_remediation(const bh_policy *p);    /* one-line remediation */
const char *policy_description_md(const bh_policy *p); /* description.md */
const char *policy_remediation_md(const bh_policy *p); /* remediation.md */
const char *policy_help_uri(const bh_policy *p);       /* NULL when none */
size_t policy_ncategories(const bh_policy *p);
const char *policy_category(const bh_policy *p, size_t i);
size_t policy_ntags(const bh_policy *p);
const char *policy_tag(const bh_policy *p, size_t i);
size_t policy_nsimilar(const bh_policy *p);
void policy_similar(const bh_policy *p, size_t i, const char **name, const char **url);
/* The folder the policy was loaded from ("" for built-ins) and its test
 * files (paths relative to the folder: "tests/expected.yaml", ...). */
const char *policy_dir(const bh_policy *p);
size_t policy_ntests(const bh_policy *p);
const bh_file *policy_test_file(const bh_policy *p, size_t i);

/* Frameworks. */
size_t catalog_nframeworks(const bh_catalog *c);
const bh_framework *catalog_framework(const bh_catalog *c, size_t i);
const bh_framework *catalog_find_framework(const bh_catalog *c, const char *id);
/* For "did you mean": the framework id nearest to id, when id looks like
 * a typo of it (an edit distance of at most a third of its length, or 2)
 * or a part of it; NULL when none does. */
const char *catalog_suggest_framework(const bh_catalog *c, const char *id);
const char *framework_id(const bh_framework *f);
const char *framework_name(const bh_framework *f);
const char *framework_url(const bh_framework *f);
size_t framework_ncontrols(const bh_framework *f);
const char *framework_control_id(const bh_framework *f, size_t i);
const char *framework_control_title(const bh_framework *f, size_t i);
bool framework_control_retired(const bh_framework *f, size_t i);
size_t framework_control_npolicies(const bh_framework *f, size_t i);
const char *framework_control_policy(const bh_framework *f, size_t i, size_t k);

/*
 * Evaluate every enabled policy whose input is obj->type against obj,
 * appending one result per policy to out.  Nothing else is written.
 */
void catalog_eval(const bh_catalog *c, const bh_object *obj, bh_results *out);

/* The same for one policy. */
void policy_eval(const bh_policy *p, const bh_object *obj, bh_results *out);

#endif

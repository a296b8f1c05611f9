/*
 * policytest.c - `bulkhead policies test` and `bulkhead policies new`: see
 * policytest.h.
 *
 * Each fixture is scanned on its own, in memory, with only the policy under
 * test, through the same pipeline as a real scan (scan.h): detection,
 * parsing, the adapter, evaluation.  The comparison pairs each expected
 * entry with a result of the same object (and status, line, message when
 * one fits), so a mismatch is reported as "expected X, got Y" rather than
 * as one missing and one unexpected result.
 */
#define _XOPEN_SOURCE 700     /* nftw */
#include "policytest.h"

#include <ftw.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "scan.h"

struct policytest_report {
    size_t nchecks;
    char **problems;
    size_t n, cap;
    bool oom;
};

static void problem(policytest_report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void problem(policytest_report *r, const char *fmt, ...)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 8;
        char **v = realloc(r->problems, cap * sizeof *v);
        if (!v) {
            r->oom = true;
            return;
        }
        r->problems = v;
        r->cap = cap;
    }
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    if (!s) {
        r->oom = true;
        return;
    }
    r->problems[r->n++] = s;
}

void policytest_free(policytest_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++)
        free(r->problems[i]);
    free(r->problems);
    free(r);
}

bool policytest_passed(const policytest_report *r) { return r->n == 0 && !r->oom; }
size_t policytest_nchecks(const policytest_report *r) { return r->nchecks; }
size_t policytest_nproblems(const policytest_report *r) { return r->n; }
const char *policytest_problem(const policytest_report *r, size_t i)
{
    return i < r->n ? r->problems[i] : NULL;
}

/* ---- comparing one fixture ------------------------------------------------ */

/* Whether entry x is about fixture `file`: named by it, or (a directory
 * fixture) by a file inside it. */
static bool about(const bh_expected *x, const char *file)
{
    size_t n = strlen(file);
    return strncmp(x->file, file, n) == 0 && (x->file[n] == '\0' || x->file[n] == '/');
}

/* Whether a result is in the file an entry names: a directory fixture's
 * results name files below its scanned copy, prefix. */
static bool in_file(const bh_expected *x, const bh_result *res, const char *scan_prefix)
{
    if (!scan_prefix || !strchr(x->file, '/'))
        return true;
    size_t n = strlen(scan_prefix);
    return strncmp(res->loc.file, scan_prefix, n) == 0 && res->loc.file[n] == '/' &&
           strcmp(res->loc.file + n + 1, x->file) == 0;
}

static bool entry_fits(const bh_expected *x, const bh_result *res, const char *prefix)
{
    return in_file(x, res, prefix) && strcmp(x->object, res->object) == 0 && x->status == res->status &&
           (!x->line || x->line == res->loc.pos.line) &&
           (!x->message || strstr(res->message, x->message));
}

/* "expected INCOMPLIANT at line 12 with a message containing "x"" */
static void describe_entry(const bh_expected *x, char *buf, size_t size)
{
    int n = snprintf(buf, size, "%s", status_name(x->status));
    if (x->line && n >= 0 && (size_t)n < size)
        n += snprintf(buf + n, size - (size_t)n, " at line %u", x->line);
    if (x->message && n >= 0 && (size_t)n < size)
        snprintf(buf + n, size - (size_t)n, " with a message containing \"%s\"", x->message);
}

static void compare_results(policytest_report *r, const char *file, const bh_expected *ex,
                            size_t nex, const bh_results *res, const char *prefix)
{
    size_t nres = results_len(res);
    bool *used = calloc(nres + 1, sizeof *used);
    if (!used) {
        r->oom = true;
        return;
    }
    /* first the entries that fit exactly, so a near miss does not take a
     * result another entry names */
    bool *done = calloc(nex + 1, sizeof *done);
    if (!done) {
        free(used);
        r->oom = true;
        return;
    }
    for (size_t k = 0; k < nex; k++) {
        const bh_expected *x = &ex[k];
        if (x->error || !about(x, file))
            continue;
        for (size_t i = 0; i < nres && !done[k]; i++)
            if (!used[i] && entry_fits(x, results_at(res, i), prefix))
                used[i] = done[k] = true;
    }
    char want[512];
    for (size_t k = 0; k < nex; k++) {
        const bh_expected *x = &ex[k];
        if (x->error || done[k] || !about(x, file))
            continue;
        describe_entry(x, want, sizeof want);
        size_t i = 0;
        while (i < nres && (used[i] || strcmp(results_at(res, i)->object, x->object) != 0))
            i++;
        if (i == nres) {
            problem(r, "%s: \"%s\": expected %s, got no result for this object", file,
                    x->object, want);
            continue;
        }
        const bh_result *got = results_at(res, i);
        used[i] = true;
        problem(r, "%s: \"%s\": expected %s, got %s at line %u: %s", file, x->object, want,
                status_name(got->status), got->loc.pos.line, got->message);
    }
    for (size_t i = 0; i < nres; i++) {
        if (used[i])
            continue;
        const bh_result *got = results_at(res, i);
        problem(r, "%s: \"%s\": unexpected %s at line %u: %s (no entry in tests/expected.yaml)",
                file, got->object, status_name(got->status), got->loc.pos.line, got->message);
    }
    free(used);
    free(done);
}

/* Error diagnostics of the scan: failures, unless an `error: true` entry
 * names the file; such an entry fails when no error fits it. */
static void compare_errors(policytest_report *r, const char *file, const bh_expected *ex,
                           size_t nex, const bh_diags *d)
{
    bool allowed = false;
    for (size_t k = 0; k < nex; k++) {
        const bh_expected *x = &ex[k];
        if (!x->error || !about(x, file))
            continue;
        allowed = true;
        bool found = false;
        for (size_t i = 0; i < diags_count(d) && !found; i++) {
            const bh_diag *g = diags_get(d, i);
            found = g->level == DIAG_ERROR && (!x->line || g->pos.line == x->line) &&
                    (!x->message || strstr(g->message, x->message));
        }
        if (!found && x->message)
            problem(r, "%s: expected an error%s with a message containing \"%s\", got none",
                    file, x->line ? " at that line" : "", x->message);
        else if (!found)
            problem(r, "%s: expected an error%s, got none", file, x->line ? " at that line" : "");
    }
    if (allowed)
        return;
    for (size_t i = 0; i < diags_count(d); i++) {
        const bh_diag *g = diags_get(d, i);
        if (g->level == DIAG_ERROR)
            problem(r, "%s:%u:%u: unexpected error: %s (an entry \"error: true\" for this file "
                       "in tests/expected.yaml allows it)",
                    file, g->pos.line, g->pos.col, g->message);
    }
}

/* ---- directory fixtures --------------------------------------------------
 * A directory below tests/ is one fixture (a Terraform module with its
 * tfvars, the files its file() reads, its local modules).  The files are
 * embedded in the catalog, so the runner writes them to a fresh temporary
 * directory, scans the copy there and removes it. */

/* The fixture a test file belongs to: its directory below tests/ ("tf-vars"
 * for "tests/tf-vars/main.tf"), or NULL for a file directly in tests/. */
static char *fixture_dir(const char *rel)
{
    const char *slash = strchr(rel, '/');
    return slash ? strndup(rel, (size_t)(slash - rel)) : NULL;
}

static bool write_file(const char *path, const char *data, size_t len)
{
    /* make the parent directories */
    char *dir = strdup(path);
    for (char *p = dir ? dir + 1 : NULL; p && *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(dir, 0700);
            *p = '/';
        }
    free(dir);
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    bool ok = fwrite(data, 1, len, f) == len;
    return fclose(f) == 0 && ok;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* Scan the files of fixture directory `dir` from a temporary copy. */
static void run_dir(policytest_report *r, const bh_catalog *c, const bh_policy *p,
                    const char *dir, const bh_expected *ex, size_t nex)
{
    char tmp[] = "/tmp/bulkhead-fixture-XXXXXX";   /* mkdtemp fills in the X's */
    if (!mkdtemp(tmp)) {
        problem(r, "%s: cannot make a temporary directory to scan it from", dir);
        return;
    }
    size_t n = strlen(dir);
    bool ok = true;
    for (size_t i = 0; ok && i < policy_ntests(p); i++) {
        const bh_file *f = policy_test_file(p, i);
        const char *rel = f->path + 6;
        if (strncmp(rel, dir, n) != 0 || rel[n] != '/')
            continue;
        char *path = malloc(strlen(tmp) + strlen(rel) + 2);
        if (path)
            sprintf(path, "%s/%s", tmp, rel);
        ok = path && write_file(path, f->data, f->len);
        free(path);
    }
    char *root = malloc(strlen(tmp) + n + 2);
    bh_scan *s = ok && root ? scan_new(c, NULL) : NULL;
    if (s) {
        sprintf(root, "%s/%s", tmp, dir);
        const char *paths[] = {root};
        scan_only_policy(s, p);
        scan_paths(s, paths, 1);
        scan_finish(s);
        compare_errors(r, dir, ex, nex, scan_diags(s));
        compare_results(r, dir, ex, nex, scan_results(s), tmp);
    } else {
        problem(r, "%s: cannot write the fixture to %s", dir, tmp);
    }
    scan_free(s);
    free(root);
    nftw(tmp, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

policytest_report *policytest_run(const bh_catalog *c, const bh_policy *p)
{
    policytest_report *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    size_t nex;
    const bh_expected *ex = policy_expected(p, &nex);
    r->nchecks = nex;
    bool has_expected = false;
    for (size_t i = 0; i < policy_ntests(p); i++)
        has_expected |= strcmp(policy_test_file(p, i)->path, "tests/expected.yaml") == 0;
    if (!has_expected)
        problem(r, "no tests/expected.yaml (every policy carries fixtures and their expected "
                   "results)");
    const char *base = *policy_dir(p) ? policy_dir(p) : policy_id(p);
    char *last_dir = NULL;
    for (size_t i = 0; i < policy_ntests(p) && !r->oom; i++) {
        const bh_file *f = policy_test_file(p, i);
        if (strcmp(f->path, "tests/expected.yaml") == 0)
            continue;
        const char *rel = strncmp(f->path, "tests/", 6) == 0 ? f->path + 6 : f->path;
        char *dir = fixture_dir(rel);
        if (dir) {
            /* test files are sorted: a directory's files are together */
            if (!last_dir || strcmp(last_dir, dir) != 0)
                run_dir(r, c, p, dir, ex, nex);
            free(last_dir);
            last_dir = dir;
            continue;
        }
        size_t plen = strlen(base) + strlen(f->path) + 2;
        char *path = malloc(plen);
        bh_scan *s = path ? scan_new(c, NULL) : NULL;
        if (!s) {
            free(path);
            r->oom = true;
            break;
        }
        snprintf(path, plen, "%s/%s", base, f->path);
        scan_only_policy(s, p);
        scan_buffer(s, path, f->data, f->len);
        scan_finish(s);
        compare_errors(r, rel, ex, nex, scan_diags(s));
        compare_results(r, rel, ex, nex, scan_results(s), NULL);
        scan_free(s);
        free(path);
    }
    free(last_dir);
    if (r->oom) {
        policytest_free(r);
        return NULL;
    }
    return r;
}

/* ---- scaffolding ------------------------------------------------------------ */

/* A fixture the scaffold can promise a result for, per input type. */
typedef struct fixture {
    const char *input, *file, *object, *data;
} fixture;

static const fixture fixtures[] = {
    {"k8s/pod", "compliant.yaml", "Pod/example",
     "# A pod the scaffolded logic finds COMPLIANT: replace it with real cases,\n"
     "# one file per situation (compliant, incompliant, inapplicable, ...).\n"
     "apiVersion: v1\n"
     "kind: Pod\n"
     "metadata:\n"
     "  name: example\n"
     "spec:\n"
     "  containers:\n"
     "    - name: app\n"
     "      image: nginx:1.27\n"},
    {"aws/ecs/task-definition", "compliant.json", "example",
     "{\n"
     "  \"family\": \"example\",\n"
     "  \"containerDefinitions\": [\n"
     "    {\"name\": \"app\", \"image\": \"nginx:1.27\", \"essential\": true}\n"
     "  ]\n"
     "}\n"},
};

static const char *const generic_fixture =
    "# A placeholder fixture: replace it with inputs that yield objects of the\n"
    "# policy's input type, and list their expected results in expected.yaml.\n";

/* Same rules as the loader: segments of letters, digits, '_', '-' (and '.'
 * where allow_dots, but no "." or ".." segment) separated by '/'. */
static bool valid_path_id(const char *s, bool allow_dots)
{
    const char *seg = s;
    for (const char *c = s;; c++) {
        if (*c == '/' || !*c) {
            size_t n = (size_t)(c - seg);
            if (n == 0 || (n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.'))
                return false;
            if (!*c)
                return true;
            seg = c + 1;
            continue;
        }
        bool ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                  (*c >= '0' && *c <= '9') || *c == '_' || *c == '-' || (allow_dots && *c == '.');
        if (!ok)
            return false;
    }
}

static bool write_text(const char *path, const char *text, bh_diags *d)
{
    FILE *fp = fopen(path, "wx");
    if (!fp) {
        diags_add_file(d, DIAG_ERROR, path, (bh_pos){0, 0}, "cannot create: %s", strerror(errno));
        return false;
    }
    bool ok = fputs(text, fp) >= 0;
    ok = (fclose(fp) == 0) && ok;
    if (!ok)
        diags_add_file(d, DIAG_ERROR, path, (bh_pos){0, 0}, "cannot write: %s", strerror(errno));
    return ok;
}

/* mkdir -p: every component of path that does not exist yet. */
static bool make_dirs(char *path, bh_diags *d)
{
    for (char *s = path + 1;; s++) {
        if (*s != '/' && *s)
            continue;
        char save = *s;
        *s = '\0';
        bool ok = mkdir(path, 0777) == 0 || errno == EEXIST;
        if (!ok) {
            diags_add_file(d, DIAG_ERROR, path, (bh_pos){0, 0}, "cannot create directory: %s",
                           strerror(errno));
            *s = save;
            return false;
        }
        *s = save;
        if (!save)
            return true;
    }
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
    va_list ap, ap2;
    va_start(ap, f);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, f, ap);
    va_end(ap);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s)
        vsnprintf(s, (size_t)n + 1, f, ap2);
    va_end(ap2);
    return s;
}

bool policy_scaffold(const char *policies_dir, const char *id, const char *input_type,
                     bh_diags *diags)
{
    if (!valid_path_id(id, true)) {
        diags_add_file(diags, DIAG_ERROR, "", (bh_pos){0, 0},
                       "invalid policy id \"%s\" (a folder path: letters, digits, '.', '_' and "
                       "'-' separated by '/')",
                       id);
        return false;
    }
    if (!valid_path_id(input_type, false)) {
        diags_add_file(diags, DIAG_ERROR, "", (bh_pos){0, 0},
                       "invalid input type \"%s\" (e.g. k8s/pod, aws/ecs/task-definition)",
                       input_type);
        return false;
    }
    const fixture *fx = NULL;
    for (size_t i = 0; i < sizeof fixtures / sizeof *fixtures && !fx; i++)
        if (strcmp(fixtures[i].input, input_type) == 0)
            fx = &fixtures[i];

    char *dir = fmt("%s/%s", policies_dir, id);
    char *tests = dir ? fmt("%s/tests", dir) : NULL;
    char *policy = fmt(
        "id: %s\n"
        "name: \"TODO: the full name, e.g. AWS ECS task definition shares the host PID "
        "namespace\"\n"
        "contextual_name: \"TODO: the name under an object, e.g. Shares the host PID "
        "namespace\"\n"
        "description: \"TODO: one sentence saying what is checked.\"\n"
        "type: security\n"
        "severity: medium\n"
        "categories: [todo]\n"
        "remediation: \"TODO: one line saying how to fix it.\"\n",
        id);
    char *logic = fmt(
        "input: %s\n"
        "# Conditions are evaluated in order; the first that matches decides.\n"
        "# Expressions and templates: docs/policy-format.md.\n"
        "conditions:\n"
        "  - status: INCOMPLIANT\n"
        "    when: todo == true\n"
        "    message: \"TODO: say what is wrong (todo is {todo})\"\n"
        "    remediation: \"TODO: say how to fix it\"\n"
        "otherwise:\n"
        "  status: COMPLIANT\n"
        "  message: \"TODO: say why the object is fine\"\n",
        input_type);
    char *desc = fmt("# TODO: %s\n\nWhat the policy checks, why it matters, and the cases it "
                     "decides (INAPPLICABLE, UNDETERMINED).\n",
                     id);
    char *rem = fmt("# TODO: how to fix it\n\nThe fix, as configuration for every source "
                    "format of `%s`.\n",
                    input_type);
    char *expected =
        fx ? fmt("# The expected result of every (file, object): docs/policy-format.md.\n"
                 "- file: %s\n"
                 "  object: %s\n"
                 "  status: COMPLIANT\n",
                 fx->file, fx->object)
           : fmt("# The expected result of every (file, object): docs/policy-format.md.\n"
                 "[]\n");
    char *fixture_path = tests ? fmt("%s/%s", tests, fx ? fx->file : "example.yaml") : NULL;
    char *paths[4] = {dir ? fmt("%s/policy.yaml", dir) : NULL,
                      dir ? fmt("%s/logic.yaml", dir) : NULL,
                      dir ? fmt("%s/description.md", dir) : NULL,
                      dir ? fmt("%s/remediation.md", dir) : NULL};
    char *expected_path = tests ? fmt("%s/expected.yaml", tests) : NULL;
    bool ok = dir && tests && policy && logic && desc && rem && expected && fixture_path &&
              paths[0] && paths[1] && paths[2] && paths[3] && expected_path;
    if (!ok) {
        diags_add_file(diags, DIAG_ERROR, "", (bh_pos){0, 0}, "out of memory");
    } else {
        struct stat st;
        if (stat(dir, &st) == 0) {
            diags_add_file(diags, DIAG_ERROR, dir, (bh_pos){0, 0},
                           "policy folder \"%s\" already exists", dir);
            ok = false;
        }
    }
    ok = ok && make_dirs(tests, diags);
    const char *texts[4] = {policy, logic, desc, rem};
    for (int i = 0; i < 4 && ok; i++)
        ok = write_text(paths[i], texts[i], diags);
    ok = ok && write_text(expected_path, expected, diags);
    ok = ok && write_text(fixture_path, fx ? fx->data : generic_fixture, diags);
    for (int i = 0; i < 4; i++)
        free(paths[i]);
    free(expected_path);
    free(fixture_path);
    free(dir);
    free(tests);
    free(policy);
    free(logic);
    free(desc);
    free(rem);
    free(expected);
    return ok;
}

/*
 * main.c - the bulkhead command line.  The only module that prints.
 *
 * Subcommands and their options are declarative tables with the help text
 * beside each entry; `--help` and the man page are generated from them.
 * Exit codes (docs/cli.md): 0 nothing incompliant, 1 some result
 * INCOMPLIANT, 2 usage or configuration error, 3 an input could not be
 * parsed (1 wins over 3).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "baseline.h"
#include "config.h"
#include "diag.h"
#include "policy.h"
#include "policytest.h"
#include "report.h"
#include "scan.h"
#include "suppress.h"
#include "tfeval.h"

enum { EXIT_CLEAN = 0, EXIT_INCOMPLIANT = 1, EXIT_USAGE = 2, EXIT_PARSE = 3 };

/* ---- options ------------------------------------------------------------ */

enum opt_id {
    OPT_HELP = 1, OPT_FORMAT, OPT_OUTPUT, OPT_EXCLUDE, OPT_FOLLOW, OPT_MAX_SIZE, OPT_POLICIES,
    OPT_POLICY, OPT_SKIP_POLICY, OPT_JOBS, OPT_ALL, OPT_INPUT, OPT_DIR, OPT_CFN_PARAM,
    OPT_CFN_PARAMS_FILE, OPT_VAR, OPT_VAR_FILE, OPT_CONFIG, OPT_NO_INLINE, OPT_BASELINE,
    OPT_CREATE_BASELINE,
    OPT_THRESHOLD, OPT_SOFT_FAIL, OPT_COLOR, OPT_FRAMEWORK, OPT_LIMIT
};

typedef struct opt_def {
    const char *name;      /* long name, without "--" */
    char short_name;       /* 0: none */
    const char *metavar;   /* NULL: a flag without a value */
    enum opt_id id;
    const char *help;
} opt_def;

#define OPT_END {NULL, 0, NULL, 0, NULL}

static const opt_def help_opt[] = {{"help", 'h', NULL, OPT_HELP, "show this help"}, OPT_END};

static const opt_def catalog_opts[] = {
    {"policies", 0, "DIR", OPT_POLICIES, "also load the policy folders below DIR (repeatable)"},
    {"help", 'h', NULL, OPT_HELP, "show this help"},
    OPT_END,
};

static const opt_def scan_opts[] = {
    {"format", 'f', "FORMAT", OPT_FORMAT,
     "report format: text (default), json, sarif, junit, markdown or html"},
    {"color", 0, "WHEN", OPT_COLOR, "text colour: auto (default: a terminal, no NO_COLOR), "
                                    "always or never"},
    {"framework", 0, "ID", OPT_FRAMEWORK,
     "roll results up per control of a framework (see frameworks list)"},
    {"output", 'o', "FILE", OPT_OUTPUT, "write the report to FILE instead of standard output"},
    {"all", 'a', NULL, OPT_ALL, "text: also list COMPLIANT and INAPPLICABLE results"},
    {"exclude", 'e', "GLOB", OPT_EXCLUDE, "skip paths matching GLOB (repeatable)"},
    {"follow-symlinks", 0, NULL, OPT_FOLLOW, "follow symbolic links (loops are detected)"},
    {"max-file-size", 0, "BYTES", OPT_MAX_SIZE, "skip larger files with an error (default 256 MiB)"},
    {"limit", 0, "NAME=N", OPT_LIMIT, "set a reader limit: yaml-depth, yaml-aliases, "
                                      "yaml-documents, json-depth, hcl-depth, tf-steps, "
                                      "tf-memory (bytes) (repeatable; docs/limits.md)"},
    {"policies", 0, "DIR", OPT_POLICIES, "also load the policy folders below DIR (repeatable)"},
    {"policy", 'p', "ID", OPT_POLICY, "evaluate only this policy (repeatable)"},
    {"skip-policy", 's', "ID", OPT_SKIP_POLICY, "do not evaluate this policy (repeatable)"},
    {"jobs", 'j', "N", OPT_JOBS, "worker threads (default: online cores)"},
    {"config", 0, "FILE", OPT_CONFIG, "config file (default: .bulkhead.yaml above the first PATH)"},
    {"no-inline-suppressions", 0, NULL, OPT_NO_INLINE, "do not apply bulkhead:ignore comments"},
    {"baseline", 0, "FILE", OPT_BASELINE, "report only results not recorded in this baseline"},
    {"create-baseline", 0, "FILE", OPT_CREATE_BASELINE, "record the current findings in FILE"},
    {"severity-threshold", 0, "LEVEL", OPT_THRESHOLD,
     "fail only on INCOMPLIANT results of LEVEL or above"},
    {"soft-fail", 0, NULL, OPT_SOFT_FAIL, "exit 0 even with INCOMPLIANT results"},
    {"cfn-param", 0, "KEY=VALUE", OPT_CFN_PARAM,
     "set a CloudFormation parameter (repeatable; last wins)"},
    {"cfn-params-file", 0, "FILE", OPT_CFN_PARAMS_FILE,
     "CloudFormation parameters from AWS CLI JSON (repeatable)"},
    {"var", 0, "NAME=VALUE", OPT_VAR,
     "set a Terraform root module variable (repeatable; last wins)"},
    {"var-file", 0, "FILE", OPT_VAR_FILE,
     "Terraform variables from a .tfvars or .tfvars.json file (repeatable)"},
    {"help", 'h', NULL, OPT_HELP, "show this help"},
    OPT_END,
};

static const opt_def new_opts[] = {
    {"input", 'i', "TYPE", OPT_INPUT, "object type the policy reads (default aws/ecs/task-definition)"},
    {"dir", 'd', "DIR", OPT_DIR, "policies directory to create it in (default: policies)"},
    {"help", 'h', NULL, OPT_HELP, "show this help"},
    OPT_END,
};

/* Everything the options of any subcommand can set. */
typedef struct cli {
    const char *format, *output, *input_type, *dir;
    const char **excludes, **policy_dirs, **only, **skip, **args;
    size_t nexcludes, npolicy_dirs, nonly, nskip, nargs;
    bool follow, all, help;
    size_t max_file_size;
    int jobs;
    cfn_params *cfn;           /* --cfn-param, --cfn-params-file, in order */
    tf_vars *tfvars;           /* --var, --var-file, in order */
    bh_diags *value_diags;     /* errors in those and the above, reported by the command */
    const char *config, *baseline, *create_baseline, *threshold, *color, *framework;
    bool no_inline, soft_fail;
    scan_limits limits;        /* --limit */
} cli;

__attribute__((format(printf, 1, 2))) static void usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("bulkhead: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'bulkhead --help'.\n", stderr);
}

static bool push(const char ***v, size_t *n, const char *s)
{
    const char **nv = realloc(*v, (*n + 1) * sizeof *nv);
    if (!nv)
        return false;
    nv[(*n)++] = s;
    *v = nv;
    return true;
}

static bool set_number(const char *name, const char *val, long long min, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(val, &end, 10);
    if (errno || *end || end == val || v < min) {
        fprintf(stderr, "bulkhead: option '--%s' needs a number of at least %lld, not '%s'\n",
                name, min, val);
        return false;
    }
    *out = v;
    return true;
}

static bool apply(cli *c, const opt_def *o, const char *val)
{
    long long num;
    switch (o->id) {
    case OPT_HELP: c->help = true; return true;
    case OPT_FORMAT: c->format = val; return true;
    case OPT_COLOR: c->color = val; return true;
    case OPT_LIMIT:
        if (!scan_limit_parse(&c->limits, val)) {
            usage_error("bad --limit '%s' (expected NAME=N, NAME one of yaml-depth, yaml-aliases, "
                        "yaml-documents, json-depth, hcl-depth, tf-steps, tf-memory)", val);
            return false;
        }
        return true;
    case OPT_FRAMEWORK: c->framework = val; return true;
    case OPT_OUTPUT: c->output = val; return true;
    case OPT_ALL: c->all = true; return true;
    case OPT_FOLLOW: c->follow = true; return true;
    case OPT_INPUT: c->input_type = val; return true;
    case OPT_DIR: c->dir = val; return true;
    case OPT_EXCLUDE: return push(&c->excludes, &c->nexcludes, val);
    case OPT_POLICIES: return push(&c->policy_dirs, &c->npolicy_dirs, val);
    case OPT_POLICY: return push(&c->only, &c->nonly, val);
    case OPT_SKIP_POLICY: return push(&c->skip, &c->nskip, val);
    case OPT_MAX_SIZE:
        if (!set_number(o->name, val, 1, &num))
            return false;
        c->max_file_size = (size_t)num;
        return true;
    case OPT_JOBS:
        if (!set_number(o->name, val, 0, &num) || num > 1024)
            return false;
        c->jobs = (int)num;
        return true;
    case OPT_CONFIG: c->config = val; return true;
    case OPT_NO_INLINE: c->no_inline = true; return true;
    case OPT_BASELINE: c->baseline = val; return true;
    case OPT_CREATE_BASELINE: c->create_baseline = val; return true;
    case OPT_THRESHOLD: c->threshold = val; return true;
    case OPT_SOFT_FAIL: c->soft_fail = true; return true;
    case OPT_CFN_PARAM:
    case OPT_CFN_PARAMS_FILE:
        if ((!c->cfn && !(c->cfn = cfn_params_new())) ||
            (!c->value_diags && !(c->value_diags = diags_new())))
            return false;
        if (o->id == OPT_CFN_PARAM)
            cfn_params_add_arg(c->cfn, val, c->value_diags);
        else
            cfn_params_load_file(c->cfn, val, c->value_diags);
        return true;
    case OPT_VAR:
    case OPT_VAR_FILE:
        if ((!c->tfvars && !(c->tfvars = tf_vars_new())) ||
            (!c->value_diags && !(c->value_diags = diags_new())))
            return false;
        if (o->id == OPT_VAR)
            tf_vars_add_arg(c->tfvars, val, c->value_diags);
        else
            tf_vars_add_file(c->tfvars, val, c->value_diags);
        return true;
    }
    return false;
}

/* getopt_long-like parsing against a table: --name=value, --name value,
 * -x value, -xvalue; "--" ends options.  false on a usage error. */
static bool parse_options(cli *c, const opt_def *opts, int argc, char **argv)
{
    bool only_args = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (only_args || a[0] != '-' || a[1] == '\0') {
            if (!push(&c->args, &c->nargs, a))
                return false;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_args = true;
            continue;
        }
        const opt_def *o = NULL;
        const char *val = NULL;
        if (a[1] == '-') {
            const char *name = a + 2, *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            for (const opt_def *p = opts; p->name; p++)
                if (strlen(p->name) == len && strncmp(p->name, name, len) == 0)
                    o = p;
            if (!o) {
                usage_error("unknown option '%s'", a);
                return false;
            }
            if (eq && !o->metavar) {
                usage_error("option '--%s' takes no value", o->name);
                return false;
            }
            val = eq ? eq + 1 : NULL;
        } else {
            for (const opt_def *p = opts; p->name; p++)
                if (p->short_name == a[1])
                    o = p;
            if (!o) {
                usage_error("unknown option '%s'", a);
                return false;
            }
            if (a[2] && o->metavar)
                val = a + 2;
            else if (a[2]) {
                usage_error("option '%s' takes no value", a);
                return false;
            }
        }
        if (o->metavar && !val) {
            if (i + 1 >= argc) {
                usage_error("option '--%s' needs a value", o->name);
                return false;
            }
            val = argv[++i];
        }
        if (!apply(c, o, val))
            return false;
    }
    return true;
}

static void cli_release(cli *c)
{
    free(c->excludes);
    free(c->policy_dirs);
    free(c->only);
    free(c->skip);
    free(c->args);
    cfn_params_free(c->cfn);
    tf_vars_free(c->tfvars);
    diags_free(c->value_diags);
}

/* ---- subcommands ---------------------------------------------------------- */

typedef int (*cmd_fn)(cli *c);

typedef struct cmd_def {
    const char *name;
    const char *args;      /* usage after the name */
    const opt_def *opts;
    cmd_fn run;
    const char *summary;
} cmd_def;

static void print_options(FILE *out, const opt_def *opts)
{
    for (const opt_def *o = opts; o->name; o++) {
        char left[64];
        snprintf(left, sizeof left, "%s%c%s--%s%s%s", o->short_name ? "-" : "",
                 o->short_name ? o->short_name : ' ', o->short_name ? ", " : "  ", o->name,
                 o->metavar ? " " : "", o->metavar ? o->metavar : "");
        fprintf(out, "  %-28s %s\n", o->short_name ? left : left + 2, o->help);
    }
}

static void print_diags(const bh_diags *d)
{
    static const char *const names[] = {"error", "warning", "note"};
    for (size_t i = 0; i < diags_count(d); i++) {
        const bh_diag *g = diags_get(d, i);
        if (g->pos.line)
            fprintf(stderr, "%s:%u:%u: %s: %s\n", g->file, g->pos.line, g->pos.col,
                    names[g->level], g->message);
        else
            fprintf(stderr, "%s%s%s: %s\n", g->file, *g->file ? ": " : "", names[g->level],
                    g->message);
        if (g->ctx_file && g->ctx_pos.line)
            fprintf(stderr, "%s:%u:%u: note: %s\n", g->ctx_file, g->ctx_pos.line, g->ctx_pos.col,
                    g->ctx_note);
    }
}

/* The built-in catalog plus --policies folders.  *config_errors is set
 * when a user policy was refused (it is reported, the rest loads). */
static bh_catalog *load_catalog(const cli *c, bool *config_errors)
{
    bh_catalog *cat = catalog_new();
    bh_diags *d = diags_new();
    if (!cat || !d) {
        fputs("bulkhead: out of memory\n", stderr);
        catalog_free(cat);
        diags_free(d);
        return NULL;
    }
    catalog_load_validated(cat, bh_builtin_files, bh_builtin_nfiles, d);
    for (size_t i = 0; i < c->npolicy_dirs; i++)
        catalog_load_dir(cat, c->policy_dirs[i], NULL, d);
    *config_errors = diags_count_level(d, DIAG_ERROR) > 0;
    print_diags(d);
    diags_free(d);
    return cat;
}

/* ---- what a scan accepts: config, suppressions, baseline, threshold ------
 * (docs/suppressions.md, docs/cli.md "Exit status") */

typedef struct acceptance {
    bh_config *config;         /* --config, or the .bulkhead.yaml found; may be NULL */
    bh_baseline *baseline;     /* --baseline; may be NULL */
    suppress_opts sup;
    bh_severity threshold;     /* INCOMPLIANT results below it do not fail the run */
    bh_diags *warnings;        /* the config's (expired suppressions), for the report */
} acceptance;

static void acceptance_release(acceptance *acc)
{
    config_free(acc->config);
    baseline_free(acc->baseline);
    diags_free(acc->warnings);
}

/* Read the config (adding its skip_policies and excludes to c), the
 * baseline and the threshold.  false on a usage error, reported. */
static bool acceptance_load(cli *c, const bh_catalog *cat, acceptance *acc)
{
    memset(acc, 0, sizeof *acc);
    acc->sup.catalog = cat;
    if (!suppress_today(acc->sup.today)) {
        usage_error("%s", "BH_TODAY must be a date written YYYY-MM-DD");
        return false;
    }
    if (c->baseline && c->create_baseline) {
        usage_error("%s", "--baseline and --create-baseline cannot be combined");
        return false;
    }
    if (c->threshold && !severity_parse(c->threshold, &acc->threshold)) {
        usage_error("unknown severity '%s' (expected low, medium, high or critical)",
                    c->threshold);
        return false;
    }
    bh_diags *d = diags_new();
    if (!d)
        return false;
    char *found = c->config ? NULL : config_find(c->nargs ? c->args[0] : ".");
    const char *path = c->config ? c->config : found;
    bool ok = true;
    if (path && !(acc->config = config_load(path, cat, acc->sup.today, d)))
        ok = false;
    free(found);
    if (ok && c->baseline && !(acc->baseline = baseline_load(c->baseline, d)))
        ok = false;
    const bh_config *cfg = acc->config;
    if (!ok) {
        print_diags(d);
        diags_free(d);
        acceptance_release(acc);
        return false;
    }
    acc->warnings = d;
    if (cfg) {
        for (size_t i = 0; i < cfg->nskip_policies; i++)
            ok = ok && push(&c->skip, &c->nskip, cfg->skip_policies[i]);
        for (size_t i = 0; i < cfg->nexcludes; i++)
            ok = ok && push(&c->excludes, &c->nexcludes, cfg->excludes[i]);
        if (!c->threshold && cfg->has_fail_threshold)
            acc->threshold = cfg->fail_threshold;
    }
    acc->sup.config = cfg;
    acc->sup.no_inline = c->no_inline || (cfg && cfg->no_inline_suppressions);
    if (!ok)
        acceptance_release(acc);
    return ok;
}

/* Whether some result fails the run: INCOMPLIANT, not suppressed, at or
 * above the threshold (baselined results are gone already). */
static bool run_fails(const bh_results *r, const acceptance *acc)
{
    for (size_t i = 0; i < results_len(r); i++) {
        const bh_result *res = results_at(r, i);
        if (res->status == ST_INCOMPLIANT && !res->suppression && res->severity >= acc->threshold)
            return true;
    }
    return false;
}

static bool write_baseline(const char *path, const bh_results *r)
{
    FILE *f = fopen(path, "w");
    bool ok = f && baseline_write(f, r);
    if (f)
        ok = fclose(f) == 0 && ok;
    if (!ok)
        fprintf(stderr, "bulkhead: cannot write the baseline '%s': %s\n", path,
                errno ? strerror(errno) : "write error");
    return ok;
}

/* The report formats of --format (the first is the default); the option's
 * help above lists them too. */
typedef bool report_writer(FILE *out, const report_input *in);

static const struct report_format {
    const char *name;
    report_writer *write;
} report_formats[] = {{"text", report_text},   {"json", report_json},
                      {"sarif", report_sarif}, {"junit", report_junit},
                      {"markdown", report_markdown}, {"html", report_html}};
#define NFORMATS (sizeof report_formats / sizeof *report_formats)

/* The writer of a format name; NULL (and a usage error listing the
 * formats) when there is none. */
static report_writer *find_format(const char *name)
{
    char list[128] = "";
    for (size_t i = 0; i < NFORMATS; i++) {
        if (strcmp(name, report_formats[i].name) == 0)
            return report_formats[i].write;
        const char *sep = i == 0 ? "" : i + 1 == NFORMATS ? " or " : ", ";
        size_t used = strlen(list);
        snprintf(list + used, sizeof list - used, "%s%s", sep, report_formats[i].name);
    }
    usage_error("unknown format '%s' (expected %s)", name, list);
    return NULL;
}

static int cmd_scan(cli *c)
{
    report_writer *write_report = find_format(c->format ? c->format : report_formats[0].name);
    if (!write_report)
        return EXIT_USAGE;
    if (c->color && strcmp(c->color, "auto") != 0 && strcmp(c->color, "always") != 0 &&
        strcmp(c->color, "never") != 0) {
        usage_error("unknown --color '%s' (expected auto, always or never)", c->color);
        return EXIT_USAGE;
    }
    if (c->value_diags) {
        print_diags(c->value_diags);
        if (diags_count_level(c->value_diags, DIAG_ERROR))
            return EXIT_USAGE;
    }
    bool config_errors = false;
    bh_catalog *cat = load_catalog(c, &config_errors);
    if (!cat)
        return EXIT_USAGE;
    acceptance acc;
    if (!acceptance_load(c, cat, &acc)) {
        catalog_free(cat);
        return EXIT_USAGE;
    }
    const bh_framework *fw = c->framework ? catalog_find_framework(cat, c->framework) : NULL;
    if (c->framework && !fw) {
        const char *near = catalog_suggest_framework(cat, c->framework);
        if (near)
            usage_error("unknown framework '%s' (did you mean '%s'? bulkhead frameworks list "
                        "shows them)", c->framework, near);
        else
            usage_error("unknown framework '%s' (bulkhead frameworks list shows them)",
                        c->framework);
        acceptance_release(&acc);
        catalog_free(cat);
        return EXIT_USAGE;
    }
    bh_diags *d = diags_new();
    if (!catalog_select(cat, c->only, c->nonly, c->skip, c->nskip, d)) {
        print_diags(d);
        diags_free(d);
        acceptance_release(&acc);
        catalog_free(cat);
        return EXIT_USAGE;
    }
    diags_free(d);

    bh_scan_opts so = {0};
    so.discover.excludes = c->excludes;
    so.discover.nexcludes = c->nexcludes;
    so.discover.follow_symlinks = c->follow;
    so.discover.max_file_size = c->max_file_size;
    so.jobs = c->jobs;
    so.cfn_params = c->cfn;
    so.tf_vars = c->tfvars;
    so.limits = c->limits;
    so.suppress = &acc.sup;
    bh_scan *s = scan_new(cat, &so);
    if (!s) {
        fputs("bulkhead: out of memory\n", stderr);
        acceptance_release(&acc);
        catalog_free(cat);
        return EXIT_USAGE;
    }
    static const char *const dot[] = {"."};
    scan_paths(s, c->nargs ? c->args : dot, c->nargs ? c->nargs : 1);
    scan_finish(s);
    diags_move(scan_diags(s), acc.warnings);
    size_t baselined = baseline_filter(acc.baseline, scan_results(s));
    bool baseline_ok = !c->create_baseline || write_baseline(c->create_baseline, scan_results(s));

    FILE *out = stdout;
    if (c->output && !(out = fopen(c->output, "w"))) {
        fprintf(stderr, "bulkhead: cannot write '%s': %s\n", c->output, strerror(errno));
        scan_free(s);
        acceptance_release(&acc);
        catalog_free(cat);
        return EXIT_USAGE;
    }
    if (out != stdout || !isatty(STDOUT_FILENO))
        setvbuf(out, NULL, _IOFBF, 1 << 20);   /* a report is megabytes: few writes */
    /* only this thread writes the report: stdio need not lock for each call */
    __fsetlocking(out, FSETLOCKING_BYCALLER);
    /* colour: asked for, or a terminal when NO_COLOR is not set (no-color.org) */
    bool color = c->color && strcmp(c->color, "always") == 0;
    if (!c->color || strcmp(c->color, "auto") == 0)
        color = out == stdout && isatty(STDOUT_FILENO) &&
                !(getenv("NO_COLOR") && *getenv("NO_COLOR"));
    report_input in = {.results = scan_results(s), .diags = scan_diags(s),
                       .nfiles = scan_nfiles(s), .show_all = c->all, .baselined = baselined,
                       .catalog = cat, .color = color, .framework = fw};
    bool ok = write_report(out, &in);
    if (out != stdout)
        ok = (fclose(out) == 0) && ok;
    else
        ok = (fflush(out) == 0) && ok;
    if (!ok)
        fprintf(stderr, "bulkhead: error writing the report\n");

    int rc = EXIT_CLEAN;
    if (!c->soft_fail && run_fails(scan_results(s), &acc))
        rc = EXIT_INCOMPLIANT;
    else if (config_errors || !ok || !baseline_ok)
        rc = EXIT_USAGE;
    else if (diags_count_level(scan_diags(s), DIAG_ERROR))
        rc = EXIT_PARSE;
    scan_free(s);
    acceptance_release(&acc);
    catalog_free(cat);
    return rc;
}

static int cmd_policies_list(cli *c)
{
    bool config_errors = false;
    bh_catalog *cat = load_catalog(c, &config_errors);
    if (!cat)
        return EXIT_USAGE;
    for (size_t i = 0; i < catalog_len(cat); i++) {
        const bh_policy *p = catalog_at(cat, i);
        printf("%-56s %-8s %s\n", policy_id(p), severity_name(policy_severity(p)),
               policy_name(p));
    }
    catalog_free(cat);
    return config_errors ? EXIT_USAGE : EXIT_CLEAN;
}

static void print_indented(const char *text)
{
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        printf("%s%.*s\n", len ? "  " : "", (int)len, p);
        p += len + (nl != NULL);
    }
}

static int cmd_policies_show(cli *c)
{
    if (c->nargs != 1) {
        usage_error("%s", "'policies show' takes one policy id");
        return EXIT_USAGE;
    }
    bool config_errors = false;
    bh_catalog *cat = load_catalog(c, &config_errors);
    if (!cat)
        return EXIT_USAGE;
    const bh_policy *p = catalog_find(cat, c->args[0]);
    if (!p) {
        fprintf(stderr, "bulkhead: no policy '%s' (see 'bulkhead policies list')\n", c->args[0]);
        catalog_free(cat);
        return EXIT_USAGE;
    }
    printf("%s\n  %s\n\n", policy_id(p), policy_name(p));
    printf("input:       %s\nseverity:    %s\n", policy_input(p), severity_name(policy_severity(p)));
    printf("categories: ");
    for (size_t i = 0; i < policy_ncategories(p); i++)
        printf(" %s", policy_category(p, i));
    printf("\ntags:       ");
    for (size_t i = 0; i < policy_ntags(p); i++)
        printf(" %s", policy_tag(p, i));
    printf("\nremediation: %s\n", policy_remediation(p));
    for (size_t f = 0; f < catalog_nframeworks(cat); f++) {
        const bh_framework *fw = catalog_framework(cat, f);
        for (size_t k = 0; k < framework_ncontrols(fw); k++)
            for (size_t j = 0; j < framework_control_npolicies(fw, k); j++)
                if (strcmp(framework_control_policy(fw, k, j), policy_id(p)) == 0)
                    printf("framework:   %s %s%s\n", framework_id(fw),
                           framework_control_id(fw, k),
                           framework_control_retired(fw, k) ? " (retired)" : "");
    }
    for (size_t i = 0; i < policy_nsimilar(p); i++) {
        const char *name, *url;
        policy_similar(p, i, &name, &url);
        printf("similar:     %s <%s>\n", name, url);
    }
    printf("\nDescription\n\n");
    print_indented(policy_description_md(p));
    printf("\nRemediation\n\n");
    print_indented(policy_remediation_md(p));
    catalog_free(cat);
    return EXIT_CLEAN;
}

static int cmd_policies_test(cli *c)
{
    bh_catalog *cat = catalog_new();
    bh_diags *d = diags_new();
    if (!cat || !d) {
        catalog_free(cat);
        diags_free(d);
        return EXIT_USAGE;
    }
    if (c->nargs)
        for (size_t i = 0; i < c->nargs; i++)
            catalog_load_dir(cat, c->args[i], NULL, d);
    else
        catalog_load_validated(cat, bh_builtin_files, bh_builtin_nfiles, d);
    bool load_errors = diags_count_level(d, DIAG_ERROR) > 0;
    print_diags(d);
    diags_free(d);

    size_t passed = 0, failed = 0;
    for (size_t i = 0; i < catalog_len(cat); i++) {
        const bh_policy *p = catalog_at(cat, i);
        policytest_report *rep = policytest_run(cat, p);
        if (!rep) {
            fputs("bulkhead: out of memory\n", stderr);
            catalog_free(cat);
            return EXIT_USAGE;
        }
        bool ok = policytest_passed(rep);
        printf("%s %s (%zu checks)\n", ok ? "PASS" : "FAIL", policy_id(p),
               policytest_nchecks(rep));
        for (size_t k = 0; k < policytest_nproblems(rep); k++)
            printf("  %s\n", policytest_problem(rep, k));
        ok ? passed++ : failed++;
        policytest_free(rep);
    }
    printf("%zu passed, %zu failed\n", passed, failed);
    catalog_free(cat);
    return failed || load_errors ? EXIT_INCOMPLIANT : EXIT_CLEAN;
}

static int cmd_policies_new(cli *c)
{
    if (c->nargs != 1) {
        usage_error("%s", "'policies new' takes one policy id");
        return EXIT_USAGE;
    }
    bh_diags *d = diags_new();
    if (!d)
        return EXIT_USAGE;
    const char *dir = c->dir ? c->dir : "policies";
    const char *input = c->input_type ? c->input_type : "aws/ecs/task-definition";
    bool ok = policy_scaffold(dir, c->args[0], input, d);
    print_diags(d);
    diags_free(d);
    if (ok)
        printf("created %s/%s\n", dir, c->args[0]);
    return ok ? EXIT_CLEAN : EXIT_USAGE;
}

static int cmd_frameworks_list(cli *c)
{
    bool config_errors = false;
    bh_catalog *cat = load_catalog(c, &config_errors);
    if (!cat)
        return EXIT_USAGE;
    for (size_t f = 0; f < catalog_nframeworks(cat); f++) {
        const bh_framework *fw = catalog_framework(cat, f);
        printf("%s  %s\n", framework_id(fw), framework_name(fw));
        for (size_t k = 0; k < framework_ncontrols(fw); k++) {
            printf("  %-8s %s%s\n", framework_control_id(fw, k), framework_control_title(fw, k),
                   framework_control_retired(fw, k) ? " (retired)" : "");
            for (size_t j = 0; j < framework_control_npolicies(fw, k); j++)
                printf("           %s\n", framework_control_policy(fw, k, j));
        }
    }
    catalog_free(cat);
    return EXIT_CLEAN;
}

static const cmd_def commands[] = {
    {"scan", "[PATH...]", scan_opts, cmd_scan,
     "scan files and directories (default: the current directory)"},
    {"policies list", "", catalog_opts, cmd_policies_list, "list the policies of the catalog"},
    {"policies show", "ID", catalog_opts, cmd_policies_show,
     "show a policy: metadata, frameworks, description, remediation"},
    {"policies test", "[DIR...]", help_opt, cmd_policies_test,
     "run the fixtures of the built-in policies, or of the policy folders below DIR"},
    {"policies new", "ID", new_opts, cmd_policies_new, "scaffold a new policy folder"},
    {"frameworks list", "", catalog_opts, cmd_frameworks_list,
     "list the frameworks and the policies behind each control"},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

/* The exit codes: a public contract (docs/cli.md). */
static const struct exit_code {
    int code;
    const char *meaning;
} exit_codes[] = {
    {EXIT_CLEAN, "no result fails the run"},
    {EXIT_INCOMPLIANT, "an INCOMPLIANT result fails the run (unsuppressed, at or above the threshold)"},
    {EXIT_USAGE, "usage or configuration error (option, policy id, config, baseline)"},
    {EXIT_PARSE, "an input could not be read or parsed, and no result fails the run"},
};
#define NEXIT_CODES (sizeof exit_codes / sizeof exit_codes[0])

static void print_help(FILE *out, const cmd_def *only)
{
    if (only) {
        fprintf(out, "usage: bulkhead %s [OPTIONS] %s\n\n%s\n\noptions:\n", only->name,
                only->args, only->summary);
        print_options(out, only->opts);
        return;
    }
    fputs("usage: bulkhead COMMAND [OPTIONS] [ARGS]\n\n"
          "bulkhead finds container-isolation misconfigurations in ECS task definitions,\n"
          "Kubernetes manifests, Compose files, CloudFormation and Terraform.\n\ncommands:\n",
          out);
    for (size_t i = 0; i < NCOMMANDS; i++) {
        char left[64];
        snprintf(left, sizeof left, "%s %s", commands[i].name, commands[i].args);
        fprintf(out, "  %-28s %s\n", left, commands[i].summary);
    }
    fputs("\n  --help, -h                   show this help (or a command's: bulkhead scan --help)\n"
          "  --version                    print the version\n\nexit status:\n",
          out);
    for (size_t i = 0; i < NEXIT_CODES; i++)
        fprintf(out, "  %d  %s\n", exit_codes[i].code, exit_codes[i].meaning);
}

/* ---- the man page ----------------------------------------------------------
 * `bulkhead --man` writes bulkhead(1) in roff from the same tables as
 * --help (the build installs it as bulkhead.1; tests/cli/cases/man.t
 * keeps it under review). */

/* Text for roff: backslashes and hyphens escaped, a leading . or ' made
 * literal. */
static void roff_text(FILE *out, const char *s)
{
    if (*s == '.' || *s == '\'')
        fputs("\\&", out);
    for (; *s; s++) {
        if (*s == '\\')
            fputs("\\e", out);
        else if (*s == '-')
            fputs("\\-", out);
        else
            fputc(*s, out);
        if (*s == '\n' && (s[1] == '.' || s[1] == '\''))
            fputs("\\&", out);
    }
}

static void man_options(FILE *out, const opt_def *opts)
{
    for (const opt_def *o = opts; o->name; o++) {
        fputs(".TP\n", out);
        if (o->short_name)
            fprintf(out, "\\fB\\-%c\\fR, ", o->short_name);
        fputs("\\fB\\-\\-", out);
        roff_text(out, o->name);
        fputs("\\fR", out);
        if (o->metavar) {
            fputs(" \\fI", out);
            roff_text(out, o->metavar);
            fputs("\\fR", out);
        }
        fputc('\n', out);
        roff_text(out, o->help);
        fputc('\n', out);
    }
}

static void print_man(FILE *out)
{
    fputs(".\\\" bulkhead(1), generated by `bulkhead --man` from the tables of src/main.c\n", out);
    fprintf(out, ".TH BULKHEAD 1 \"\" \"bulkhead %s\" \"User Commands\"\n", BH_VERSION);
    fputs(".SH NAME\nbulkhead \\- find container\\-isolation misconfigurations\n"
          ".SH SYNOPSIS\n.B bulkhead\n.I COMMAND\n.RI [ OPTIONS ]\n.RI [ ARGS ]\n"
          ".SH DESCRIPTION\n"
          "bulkhead finds container\\-isolation misconfigurations in ECS task definitions,\n"
          "Kubernetes manifests, Compose files, CloudFormation and Terraform.\n"
          ".SH COMMANDS\n",
          out);
    for (size_t i = 0; i < NCOMMANDS; i++) {
        fputs(".SS \"bulkhead ", out);
        roff_text(out, commands[i].name);
        if (*commands[i].args) {
            fputc(' ', out);
            roff_text(out, commands[i].args);
        }
        fputs("\"\n", out);
        roff_text(out, commands[i].summary);
        fputs(".\n", out);
        man_options(out, commands[i].opts);
    }
    fputs(".SH GLOBAL OPTIONS\n.TP\n\\fB\\-\\-help\\fR, \\fB\\-h\\fR\nshow the help "
          "(or a command's: bulkhead scan \\-\\-help)\n.TP\n\\fB\\-\\-version\\fR\n"
          "print the version\n.SH EXIT STATUS\n",
          out);
    for (size_t i = 0; i < NEXIT_CODES; i++) {
        fprintf(out, ".TP\n.B %d\n", exit_codes[i].code);
        roff_text(out, exit_codes[i].meaning);
        fputc('\n', out);
    }
    fputs(".SH FILES\n.TP\n.I .bulkhead.yaml\n"
          "the project configuration, found in the first PATH's directory or above it (up to a\n"
          "directory holding .git): skipped policies, excludes, severity overrides,\n"
          "suppressions, the failure threshold.\n"
          ".SH ENVIRONMENT\n.TP\n.B BH_TODAY\n"
          "the date (YYYY\\-MM\\-DD) suppressions expire against, instead of today.\n"
          ".SH SEE ALSO\n"
          "docs/cli.md, docs/suppressions.md, docs/json\\-report.md and\n"
          "docs/ci\\-integration.md in the bulkhead sources.\n",
          out);
}

/* The command named by the first one or two words of argv. */
static const cmd_def *find_command(int argc, char **argv, int *used)
{
    for (size_t i = 0; i < NCOMMANDS; i++) {
        const char *name = commands[i].name, *sp = strchr(name, ' ');
        if (!sp && argc >= 1 && strcmp(argv[0], name) == 0) {
            *used = 1;
            return &commands[i];
        }
        if (sp && argc >= 2 && strncmp(argv[0], name, (size_t)(sp - name)) == 0 &&
            argv[0][sp - name] == '\0' && strcmp(argv[1], sp + 1) == 0) {
            *used = 2;
            return &commands[i];
        }
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        print_help(argc < 2 ? stderr : stdout, NULL);
        return argc < 2 ? EXIT_USAGE : EXIT_CLEAN;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("bulkhead %s\n", BH_VERSION);
        return EXIT_CLEAN;
    }
    if (strcmp(argv[1], "--man") == 0) {     /* hidden: the build's man page */
        print_man(stdout);
        return fflush(stdout) == 0 ? EXIT_CLEAN : EXIT_USAGE;
    }
    int used = 0;
    const cmd_def *cmd = find_command(argc - 1, argv + 1, &used);
    if (!cmd) {
        usage_error("unknown command '%s'", argv[1]);
        return EXIT_USAGE;
    }
    cli c = {0};
    int rc;
    if (!parse_options(&c, cmd->opts, argc - 1 - used, argv + 1 + used))
        rc = EXIT_USAGE;
    else if (c.help) {
        print_help(stdout, cmd);
        rc = EXIT_CLEAN;
    } else
        rc = cmd->run(&c);
    cli_release(&c);
    return rc;
}

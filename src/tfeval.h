/*
 * tfeval.h - Terraform modules: the values that reach resources.
 *
 * A module is every .tf and .tf.json file of one directory.  tf_eval_module
 * parses them (HCL native syntax with hcl.h, JSON syntax with json.h),
 * collects the declarations (variables, locals, module calls, resources,
 * outputs) and evaluates, for every resource of a wanted type, each of its
 * instances (count, for_each) into a document tree (doc.h):
 *
 *   attributes   key -> value
 *   blocks       type -> list of mappings, tagged "!block" (a `dynamic`
 *                block is expanded; JSON syntax gives whatever the JSON
 *                has: a mapping or a list of mappings)
 *
 * Values: variables (root module: defaults < terraform.tfvars <
 * terraform.tfvars.json < *.auto.tfvars in name order < --var-file and
 * --var in command-line order; child modules: the caller's arguments <
 * defaults), locals, path.module/path.root, the expression language and
 * the functions around container definitions and workload specs (see
 * tffunc.c for the list), local module calls (`source = "./..."`,
 * evaluated with their inputs; their resources are addressed
 * module.NAME.TYPE.NAME) and their outputs.  Anything that cannot be known
 * without running Terraform (a variable with no value, a data source, a
 * resource attribute, a remote module's output, an unknown function) is a
 * DOC_UNKNOWN whose text is the expression and whose span is where it is
 * written.  A value taken from a variable or local is placed at the
 * reference and carries a trace to where it was defined.
 *
 * Strings produced by jsonencode() are the encoded value's tree tagged
 * "!json" (so positions survive to the container definitions); strings that
 * are exactly some source's bytes (a heredoc, a quoted literal without
 * escapes, a file read by file()) are tagged "!verbatim" and span those
 * bytes, so JSON in them can be parsed in place (json_parse_range).
 *
 * Never runs anything and never touches the network.  file() and
 * templatefile() read only regular files inside the scan roots (o->roots),
 * through discover_read (size limits, no FIFOs); anything else is an error
 * diagnostic and an unknown value.  Evaluation is bounded by a step budget
 * (a self-referencing local, an enormous `for`), a memory budget (the
 * module's arena) and a reference depth; a hit is an error on the module,
 * and values past it are unknown.
 *
 * Nothing here prints: problems are diagnostics.
 */
#ifndef BH_TFEVAL_H
#define BH_TFEVAL_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "discover.h"
#include "doc.h"
#include "source.h"

/* ---- values given on the command line (--var, --var-file) ------------- */

typedef struct tf_vars tf_vars;

tf_vars *tf_vars_new(void);
void tf_vars_free(tf_vars *v);
/* "NAME=VALUE"; false (with an error diagnostic) when malformed. */
bool tf_vars_add_arg(tf_vars *v, const char *arg, bh_diags *diags);
/* A .tfvars or .tfvars.json file, read and parsed now; false with an
 * error diagnostic when it cannot be. */
bool tf_vars_add_file(tf_vars *v, const char *path, bh_diags *diags);
size_t tf_vars_len(const tf_vars *v);

/* ---- evaluating a module ---------------------------------------------- */

typedef struct tf_opts {
    const tf_vars *vars;            /* NULL: none */
    const char *const *roots;       /* directories file() may read below; none: no reads */
    size_t nroots;
    const discover_opts *discover;  /* size limits for files read; NULL: defaults */
    unsigned long max_steps;        /* 0: the default (2,000,000) */
    size_t max_bytes;               /* memory of one module's evaluation; 0: 64 MiB */
    unsigned hcl_depth;             /* HCL nesting; 0: the parser's default (256) */
} tf_opts;

/* One instance of a resource. */
typedef struct tf_resource {
    const char *type;       /* "aws_ecs_task_definition" */
    const char *address;    /* "module.web.aws_ecs_task_definition.app[0]" */
    bh_span span;           /* the resource block */
    doc_node *body;         /* DOC_MAP, see above */
} tf_resource;

typedef struct tf_module tf_module;

/*
 * Evaluate the module in directory dir (as displayed: "infra/ecs") made of
 * srcs[0..n): its .tf, .tf.json, .tfvars and .tfvars.json files (sources
 * stay owned by the caller and must outlive the result).  Only resources
 * whose type wanted() accepts are evaluated.  Syntax and evaluation errors
 * are diagnostics; the rest of the module is still evaluated.  NULL only
 * when memory ran out.
 */
tf_module *tf_eval_module(const char *dir, bh_source *const *srcs, size_t n,
                          const tf_opts *o, bool (*wanted)(const char *type), bh_arena *a,
                          bh_diags *diags);

size_t tf_module_nresources(const tf_module *m);
const tf_resource *tf_module_resource(const tf_module *m, size_t i);

/* Every source read while evaluating, besides srcs: child modules' files,
 * files read by file() and templatefile() (for inline suppressions). */
size_t tf_module_nsources(const tf_module *m);
const bh_source *tf_module_source(const tf_module *m, size_t i);

/*
 * The JSON value in a string of the module (container_definitions), with
 * the positions of where its text really is: a jsonencode() tree as it
 * is; a verbatim string parsed in place; a rendered heredoc or template
 * file mapped back to its literal text and interpolations (placeholders of
 * unknown parts become those unknowns; an unknown with such a rendering
 * decodes too); another string parsed with every node at the string.
 * Unknowns and non-strings are returned as they are.  NULL with an error
 * diagnostic at the string when it is not JSON.
 */
doc_node *tf_decode_json(const tf_module *m, const doc_node *v, bh_arena *a, bh_diags *diags);

/*
 * The directories of the local modules that the module files in
 * srcs[0..n) call (`source = "./x"` or "../x", joined to dir and made
 * canonical lexically: "a/b/../c" is "a/c"), found by a quick look at the
 * text, not a parse.  The scanner evaluates such directories through
 * their callers, not on their own.  Appends malloc()ed strings to *out
 * (*nout entries, *out realloc()ed); false when memory ran out.
 */
bool tf_called_modules(const char *dir, bh_source *const *srcs, size_t n, char ***out,
                       size_t *nout);

/* "a/./b/../c" -> "a/c", "./x" -> "x", "" and "." -> "."; malloc()ed. */
char *tf_clean_path(const char *path);

#endif

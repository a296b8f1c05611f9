/*
 * hcl.h - HCL2 native syntax (Terraform .tf, .tfvars) into a syntax tree
 * with a span on every node.
 *
 * Written here: no C library parses HCL2 (docs/dependencies.md).  It
 * follows HashiCorp's "HCL Native Syntax Specification": bodies of
 * attributes and blocks; the full expression language (literals, quoted
 * and heredoc templates with interpolations, directives and strip markers,
 * tuples, objects, traversals, splats, function calls, operators,
 * conditionals, for expressions).  It only parses: the Terraform evaluator
 * walks this tree, so the tree keeps what evaluation needs (operators,
 * traversal steps, the splat placeholder) and what findings need (spans).
 *
 * Errors: parsing stops at the first syntax error, adds one error
 * diagnostic (what was expected, where, and where the enclosing construct
 * began) and returns NULL; no partial tree.  Nesting deeper than
 * hcl_limits.max_depth is such an error, never a stack overflow; long
 * operator and traversal chains count as nesting, so no returned tree is
 * deeper than the limit and a recursive walk of it is safe.
 * Duplicate attribute names in one body are an error, as in HCL.
 *
 * Comments are not in the tree.  Every comment of the file is kept, in
 * order, in hcl_file.comments; hcl_comments_before() and
 * hcl_comment_after() find the ones written above or beside a construct
 * (for inline suppressions).
 *
 * Ownership: everything returned lives in the arena passed in; strings are
 * NUL-terminated copies (their length is given too: decoded strings may
 * hold NUL bytes).  Spans point into src, which must outlive the tree.
 * Nothing here prints or exits.
 */
#ifndef BH_HCL_H
#define BH_HCL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"
#include "source.h"

typedef struct hcl_limits {
    unsigned max_depth;          /* nesting of expressions, blocks, templates; default 256 */
} hcl_limits;

hcl_limits hcl_default_limits(void);

/* ---- expressions ------------------------------------------------------ */

typedef enum hcl_expr_kind {
    HCL_E_NUMBER,       /* u.number: the text as written ("1.5e3"; "-1" when negated) */
    HCL_E_BOOL,         /* u.boolean */
    HCL_E_NULL,
    HCL_E_STRING,       /* u.str: a string with no interpolation or directive, decoded */
    HCL_E_TEMPLATE,     /* u.tmpl: parts to concatenate */
    HCL_E_TMPL_IF,      /* u.tif: %{if c}...%{else}...%{endif}, only as a template part */
    HCL_E_TMPL_FOR,     /* u.tfor: %{for k, v in c}...%{endfor}, only as a template part */
    HCL_E_TUPLE,        /* u.tuple: [a, b] */
    HCL_E_OBJECT,       /* u.object: {k = v, "k": v} */
    HCL_E_VAR,          /* u.var: a root name (var, local, aws_instance, each, ...) */
    HCL_E_ATTR,         /* u.attr: obj.name */
    HCL_E_INDEX,        /* u.index: coll[key], or legacy coll.0 (key is a NUMBER) */
    HCL_E_SPLAT,        /* u.splat: src[*].each or src.*.each */
    HCL_E_SPLAT_ITEM,   /* the placeholder for each element inside a splat's each */
    HCL_E_CALL,         /* u.call: f(args), f(args...) */
    HCL_E_COND,         /* u.cond: c ? a : b */
    HCL_E_UNARY,        /* u.unary: !x, -x */
    HCL_E_BINARY,       /* u.binary */
    HCL_E_PAREN,        /* u.paren: (x) -- kept: an object key (x) is an expression */
    HCL_E_FOR           /* u.forx: [for ...] and {for ...} */
} hcl_expr_kind;

typedef enum hcl_op {
    HCL_OP_OR, HCL_OP_AND,                         /* || && */
    HCL_OP_EQ, HCL_OP_NE,                          /* == != */
    HCL_OP_LT, HCL_OP_GT, HCL_OP_LE, HCL_OP_GE,    /* < > <= >= */
    HCL_OP_ADD, HCL_OP_SUB,                        /* + - */
    HCL_OP_MUL, HCL_OP_DIV, HCL_OP_MOD,            /* * / % */
    HCL_OP_NOT, HCL_OP_NEG                         /* unary ! - */
} hcl_op;

typedef enum hcl_str_style {
    HCL_STR_QUOTED,     /* "..." */
    HCL_STR_HEREDOC,    /* <<EOT or <<-EOT */
    HCL_STR_BARE,       /* an object key written as a bare identifier */
    HCL_STR_PART        /* a literal piece of a template, or a directive's branch */
} hcl_str_style;

/* Where a string or template came from. */
typedef struct hcl_strinfo {
    hcl_str_style style;
    bool flush;                  /* <<-: common leading spaces were removed */
    const char *delim;           /* heredoc delimiter ("EOT"), else NULL */
    /* The raw content: between the quotes, or a heredoc's lines (from the
     * line after the opener to the start of the closing marker's line,
     * last newline included).  For a HCL_E_STRING, verbatim says its
     * decoded text is exactly these bytes, so JSON in it can be parsed in
     * place with positions (json_parse_range).  A <<- heredoc is never
     * verbatim, but its raw content still differs only in leading spaces. */
    bh_span content;
    bool verbatim;
} hcl_strinfo;

typedef struct hcl_expr hcl_expr;

typedef struct hcl_obj_item {
    hcl_expr *key;               /* a bare `name` key is a HCL_STR_BARE string */
    hcl_expr *value;
    bool colon;                  /* written "k: v" rather than "k = v" */
} hcl_obj_item;

struct hcl_expr {
    hcl_expr_kind kind;
    bh_span span;
    union {
        struct { const char *text; size_t len; } number;
        bool boolean;
        struct { const char *text; size_t len; hcl_strinfo info; } str;
        /* parts: HCL_E_STRING pieces (style HCL_STR_PARTs), interpolated
         * expressions of any kind, HCL_E_TMPL_IF and HCL_E_TMPL_FOR.  Strip
         * markers (~) and <<- indentation are already applied to the
         * pieces.  A template of exactly one interpolation ("${x}") yields
         * x's value unconverted, as in HCL. */
        struct { hcl_expr **parts; size_t n; hcl_strinfo info; } tmpl;
        struct { hcl_expr *cond, *then_, *else_; } tif;  /* branches: TEMPLATEs; else_ may be NULL */
        struct {
            const char *key, *val;   /* key NULL for %{for v in c} */
            bh_span key_span, val_span;
            hcl_expr *coll, *body;   /* body: a TEMPLATE */
        } tfor;
        struct { hcl_expr **items; size_t n; } tuple;
        struct { hcl_obj_item *items; size_t n; } object;
        struct { const char *name; } var;
        struct { hcl_expr *obj; const char *name; bh_span name_span; } attr;
        struct { hcl_expr *coll, *key; bool legacy; } index;
        /* Evaluate source; unless it is null, make it a list (a non-list
         * becomes a one-element list); for every element bind item to it
         * and evaluate each (the element itself when each is NULL).  A [*]
         * splat takes the .name, .N and [k] steps that follow it into each;
         * a .* splat only .name and .N steps. */
        struct { hcl_expr *source, *each, *item; bool attr_only; } splat;
        struct {
            const char *name;        /* "jsonencode", "provider::aws::arn_parse" */
            bh_span name_span;
            hcl_expr **args;
            size_t n;
            bool expand;             /* last argument written with "..." */
        } call;
        struct { hcl_expr *cond, *then_, *else_; } cond;
        struct { hcl_op op; hcl_expr *operand; } unary;
        struct { hcl_op op; hcl_expr *lhs, *rhs; } binary;
        struct { hcl_expr *inner; } paren;
        struct {
            bool object;             /* {for ...} */
            const char *key, *val;   /* key NULL for "for v in c" */
            bh_span key_span, val_span;
            hcl_expr *coll;
            hcl_expr *key_expr;      /* object only: before "=>" */
            hcl_expr *val_expr;
            hcl_expr *cond;          /* "if c", or NULL */
            bool group;              /* object only: "..." after the value */
        } forx;
    } u;
};

/* ---- bodies ----------------------------------------------------------- */

typedef struct hcl_body hcl_body;

typedef struct hcl_label {
    const char *text;            /* decoded */
    size_t len;
    bool quoted;                 /* "x" rather than a bare identifier */
    bh_span span;                /* quotes included */
} hcl_label;

typedef enum hcl_item_kind { HCL_ATTRIBUTE, HCL_BLOCK } hcl_item_kind;

typedef struct hcl_item {
    hcl_item_kind kind;
    bh_span span;                /* attribute: name to end of value; block: type to "}" */
    const char *name;            /* attribute name or block type */
    bh_span name_span;
    hcl_expr *expr;              /* attribute value; NULL for blocks */
    hcl_label *labels;           /* blocks */
    size_t nlabels;
    hcl_body *body;              /* blocks */
    bh_span open, close;         /* blocks: the braces */
} hcl_item;

struct hcl_body {
    hcl_item *items;             /* in source order */
    size_t n;
    bh_span span;                /* the file, or a block's braces */
};

typedef struct hcl_comment {
    bh_span span;                /* markers included, the line ending not */
    const char *text;            /* after "#" or "//", or between the block
                                  * comment markers; points into the
                                  * source, not NUL-terminated */
    size_t len;
    bool block;                  /* a slash-star comment */
} hcl_comment;

typedef struct hcl_file {
    const bh_source *src;
    hcl_body *body;
    const hcl_comment *comments; /* every comment, in source order */
    size_t ncomments;
} hcl_file;

/* ---- parsing ---------------------------------------------------------- */

/* Parse src as an HCL file (a body).  NULL after adding an error
 * diagnostic.  lim may be NULL (defaults).  A leading UTF-8 BOM is
 * skipped; "\n" and "\r\n" end lines. */
hcl_file *hcl_parse(const bh_source *src, bh_arena *a, const hcl_limits *lim, bh_diags *diags);

/* Parse the whole of src as one expression (newlines around it allowed). */
hcl_expr *hcl_parse_expr(const bh_source *src, bh_arena *a, const hcl_limits *lim,
                         bh_diags *diags);

/* Parse the whole of src as a template, as templatefile() reads a file:
 * a HCL_E_STRING when it holds no interpolation or directive, else a
 * HCL_E_TEMPLATE.  Only "$${" and "%%{" are escapes. */
hcl_expr *hcl_parse_template(const bh_source *src, bh_arena *a, const hcl_limits *lim,
                             bh_diags *diags);

/* As the two above, over the bytes [start, end) of src only (an
 * expression or template embedded in another file: a .tf.json string),
 * spans still offsets into src. */
hcl_expr *hcl_parse_expr_range(const bh_source *src, uint32_t start, uint32_t end, bh_arena *a,
                               const hcl_limits *lim, bh_diags *diags);
hcl_expr *hcl_parse_template_range(const bh_source *src, uint32_t start, uint32_t end,
                                   bh_arena *a, const hcl_limits *lim, bh_diags *diags);

/* ---- reading ---------------------------------------------------------- */

/* The last attribute of body named name, or NULL. */
const hcl_item *hcl_body_attr(const hcl_body *body, const char *name);

/* The n-th block (0-based) of body of type type, or NULL. */
const hcl_item *hcl_body_block(const hcl_body *body, const char *type, size_t n);

/* The comments on their own lines directly above the line holding offset
 * (a run with no blank or code line between them and that line), first
 * to last; *n is their number (0: NULL returned). */
const hcl_comment *hcl_comments_before(const hcl_file *f, uint32_t offset, size_t *n);

/* The comment that begins on the line holding offset at or after offset,
 * or NULL: the trailing comment of "x = 1 # note". */
const hcl_comment *hcl_comment_after(const hcl_file *f, uint32_t offset);

/* The comments that belong to an item: those directly above it, and the
 * trailing one (on the attribute's last line after its value, or on the
 * block's header line after its "{").  *trailing may be set to NULL. */
const hcl_comment *hcl_item_comments(const hcl_file *f, const hcl_item *item, size_t *n,
                                     const hcl_comment **trailing);

/* "+", "&&", "!", ... */
const char *hcl_op_symbol(hcl_op op);

/* "number", "template", "function call", ... */
const char *hcl_expr_kind_name(hcl_expr_kind k);

/* The root variable of a traversal (var.x.y[0] -> "var"), walking
 * attribute, index and splat sources; NULL when e does not start with a
 * variable. */
const char *hcl_traversal_root(const hcl_expr *e);

#endif

/*
 * json.h - JSON (RFC 8259) into a document tree, positions on every node.
 *
 * Strings become DOC_STR scalars (escapes decoded to UTF-8, style
 * DOC_DOUBLE_QUOTED); numbers DOC_INT when they are integers that fit in 64
 * bits, else DOC_FLOAT; true/false DOC_BOOL; null DOC_NULL.  Duplicate keys
 * keep both pairs in the tree (doc_get finds the last, as most decoders do)
 * and add a warning.  A leading UTF-8 BOM is skipped.
 *
 * Errors say what was expected, where, and where the enclosing object or
 * array began.  Nesting depth is capped (an error, not a crash).  Written
 * here: no packaged library gives positions (docs/dependencies.md).
 */
#ifndef BH_JSON_H
#define BH_JSON_H

#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "doc.h"
#include "source.h"

typedef struct json_limits {
    unsigned max_depth;          /* default 512 */
} json_limits;

json_limits json_default_limits(void);

/* Parse the whole of src as one JSON value; NULL after adding an error
 * diagnostic.  limits may be NULL. */
doc_node *json_parse(const bh_source *src, bh_arena *a, const json_limits *limits,
                     bh_diags *diags);

/* Parse the bytes [start, end) of src as one JSON value (used for JSON
 * embedded in another file, e.g. a Terraform heredoc or string): spans
 * are offsets into src.  Only valid when those bytes are the JSON text
 * verbatim. */
doc_node *json_parse_range(const bh_source *src, uint32_t start, uint32_t end, bh_arena *a,
                           const json_limits *limits, bh_diags *diags);

#endif

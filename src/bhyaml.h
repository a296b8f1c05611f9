/*
 * bhyaml.h - YAML streams into document trees, on libyaml's event API.
 *
 * Every document of a stream becomes one tree.  Anchors and aliases are
 * resolved by sharing nodes (an alias is the anchored node itself, so the
 * tree may be a DAG); `<<` merge keys are applied (explicit keys win over
 * merged ones; a sequence of maps merges earlier-first-wins, as YAML 1.1
 * says).  Untagged plain scalars are typed by the YAML 1.1 table
 * (doc_resolve_yaml11); quoted scalars are strings; tags are kept verbatim
 * (`!Ref`, `!!str`, ...) and `!!str`/`!!int`/`!!bool`/`!!float`/`!!null`
 * decide the type.  Duplicate keys give a warning naming both places and
 * the last value wins, as in Kubernetes.
 *
 * Limits (each hit is an error diagnostic, never a crash): nesting depth,
 * and an alias-expansion budget that counts the nodes merge keys copy and
 * the nodes reachable through aliases, so a billion-laughs file is refused
 * in milliseconds.
 *
 * Spans are byte offsets (libyaml counts characters; we convert).
 */
#ifndef BH_BHYAML_H
#define BH_BHYAML_H

#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "doc.h"
#include "source.h"

typedef struct bhyaml_limits {
    unsigned max_depth;          /* default 512 */
    size_t max_alias_nodes;      /* default 1,000,000 */
    size_t max_documents;        /* default 10,000 */
} bhyaml_limits;

/* The default limits. */
bhyaml_limits bhyaml_default_limits(void);

/*
 * Parse all of src.  On success returns the number of documents (>= 0)
 * and stores an arena-allocated array of roots in *docs (an empty document
 * has a DOC_NULL scalar root).  On a syntax error or a limit hit returns -1
 * after adding an error diagnostic (where the problem is, plus the
 * construct it broke as context); documents before the error are not
 * returned.  Warnings (duplicate keys) go to diags too.  limits may be NULL.
 */
long bhyaml_parse(const bh_source *src, bh_arena *a, const bhyaml_limits *limits,
                  doc_node ***docs, bh_diags *diags);

/* As bhyaml_parse, for the bytes [start, end) of src only (one document
 * of a stream split by detect_yaml_next_document): spans stay offsets
 * into the whole source. */
long bhyaml_parse_range(const bh_source *src, uint32_t start, uint32_t end, bh_arena *a,
                        const bhyaml_limits *limits, doc_node ***docs, bh_diags *diags);

#endif

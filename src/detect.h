/*
 * detect.h - what a file is: its syntax (by name, then content) and, once
 * parsed, which kind of infrastructure document it holds.
 *
 * Kinds: CloudFormation (`AWSTemplateFormatVersion`, or `Resources` whose
 * entries have `Type: AWS::...`; YAML or JSON, CDK synth output included),
 * Kubernetes (documents with `apiVersion` and `kind`), Compose (`services`
 * mapping at the top, with a compose-like file name or service shape),
 * native ECS task definitions (`containerDefinitions`, `taskDefinition`
 * wrapping it, or a list of either), Terraform (`.tf`, `.tf.json`,
 * `.tfvars`) and Terraform plan JSON (`planned_values`/`resource_changes`
 * with `format_version`).  A file that is none of these is KIND_NONE: no
 * results and no error.
 */
#ifndef BH_DETECT_H
#define BH_DETECT_H

#include <stdbool.h>
#include <stddef.h>

#include "doc.h"

typedef enum bh_syntax {
    SYN_NONE,       /* not a file we read */
    SYN_YAML,
    SYN_JSON,
    SYN_HCL,        /* .tf, .tfvars */
    SYN_TF_JSON     /* .tf.json, .tfvars.json */
} bh_syntax;

typedef enum bh_kind {
    KIND_NONE,
    KIND_CLOUDFORMATION,
    KIND_KUBERNETES,
    KIND_COMPOSE,
    KIND_ECS,
    KIND_TERRAFORM,
    KIND_TFVARS,
    KIND_TF_PLAN
} bh_kind;

const char *kind_name(bh_kind k);   /* "cloudformation", ... */

/* The syntax to parse a file with, from its name and, for ambiguous names
 * (.template, no extension), its first bytes. */
bh_syntax detect_syntax(const char *path, const char *data, size_t len);

/* A cheap look at the bytes before parsing: false when the file cannot be
 * any kind we scan (a YAML file with none of the keys any kind needs), so
 * parsing it would be wasted work. */
bool detect_worth_parsing(bh_syntax syn, const char *data, size_t len);

/* The kind of one parsed document (for YAML streams, each document); path
 * helps with Compose names. */
bh_kind detect_document(const char *path, const doc_node *root);

/* ---- YAML streams, before parsing ------------------------------------
 * Most bytes of a cluster's YAML are documents no adapter reads
 * (CustomResourceDefinitions, ConfigMaps).  The scanner splits a stream at
 * its document markers and parses only the documents that may matter.
 * A marker is a line starting with "---" followed by a blank or the end
 * of the line: YAML forbids such a line inside any scalar, so the split is
 * exact.  A stream with directives (a line starting with "%") is never
 * split. */

/* Whether data may be split into documents (no directives). */
bool detect_yaml_splittable(const char *data, size_t len);

/* The next document of data from *pos: [*start, *end), the marker line
 * included; *pos moves past it.  false when no bytes are left. */
bool detect_yaml_next_document(const char *data, size_t len, size_t *pos, size_t *start,
                               size_t *end);

/* The kind of a Kubernetes document, read from its text: true when the
 * document has both `apiVersion:` and `kind:` at column 0, none of the top-
 * level keys of the other kinds, and a plain kind, which is stored in
 * [*kind, *kind + *klen). */
bool detect_yaml_k8s_kind(const char *doc, size_t len, const char **kind, size_t *klen);

#endif

/*
 * object.h - platform objects: what policies read.
 *
 * An adapter turns a parsed document (or an evaluated Terraform module)
 * into objects of a platform type ("aws/ecs/task-definition", "k8s/pod",
 * "compose/service", ...).  An object's root is a DOC_MAP in the platform's
 * API names (ECS `networkMode`, Kubernetes `hostNetwork`), whatever the
 * source format; leaf nodes keep the spans of the source values they were
 * built from, so a verdict points at the deciding key.  Fields computed by
 * an adapter (derived fields such as a container's `runsAsRoot`) are nodes
 * whose span is the value that decided them.
 *
 * Ownership: objects and their trees live in the arena of the list.
 */
#ifndef BH_OBJECT_H
#define BH_OBJECT_H

#include <stddef.h>

#include "arena.h"
#include "doc.h"
#include "source.h"

typedef struct bh_object {
    const char *type;   /* platform type; static string */
    const char *name;   /* e.g. "aws_ecs_task_definition.web", "Deployment/default/web" */
    bh_span span;       /* where the object is defined */
    doc_node *root;     /* DOC_MAP in API names */
} bh_object;

typedef struct bh_objlist bh_objlist;

bh_objlist *objlist_new(bh_arena *a);
/* Append an object (name copied); NULL on exhaustion. */
bh_object *objlist_add(bh_objlist *l, const char *type, const char *name, bh_span span,
                       doc_node *root);
size_t objlist_len(const bh_objlist *l);
bh_object *objlist_at(const bh_objlist *l, size_t i);

#endif

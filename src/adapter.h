/*
 * adapter.h - platform adapters: parsed documents into platform objects
 * (object.h).  One function per source kind, each in its own adapt_*.c.
 *
 * An adapter maps source names to the platform's API names, keeps the
 * source spans of every value it copies, and adds derived fields where a
 * platform fact needs code (docs/objects.md lists them).  An invalid
 * document (a workload whose pod spec is not a mapping) gives an error
 * diagnostic with its position and no object.  Adapters never print.
 */
#ifndef BH_ADAPTER_H
#define BH_ADAPTER_H

#include <stdbool.h>

#include "arena.h"
#include "diag.h"
#include "doc.h"
#include "object.h"

/* Native ECS task-definition JSON: the register-task-definition input
 * shape, the describe-task-definition output shape ({"taskDefinition":
 * {...}}) and lists of either.  Gives "aws/ecs/task-definition" objects. */
bool adapt_ecs(const doc_node *root, bh_arena *a, bh_objlist *out, bh_diags *diags);

#endif

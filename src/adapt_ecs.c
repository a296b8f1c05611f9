/*
 * adapt_ecs.c - native ECS JSON (or YAML) into aws/ecs/... objects.
 *
 * The shapes read, per object type (first match wins for a mapping):
 *
 *   task-definition   {"taskDefinition": {...}}        describe / register output
 *                     {"containerDefinitions": [...]}  register-task-definition input
 *   service           {"services": [...]}              describe-services output
 *                     {"service": {...}}               create-service output
 *                     {"serviceName": ...}             create-service input
 *   task-set          {"taskSets": [...]}, {"taskSet": {...}},
 *                     {"service": "...", "taskDefinition": "..."} (create-task-set input)
 *   cluster           {"clusters": [...]}, {"cluster": {...}}, {"clusterName": ...}
 *   capacity-provider {"capacityProviders": [{...}]}, {"capacityProvider": {...}},
 *                     {"name": ..., "autoScalingGroupProvider": {...}}
 *
 * and a top-level list of any of these.  The JSON already uses the API's
 * names, so keys are matched exactly (the AWS CLI rejects other
 * spellings); ecs_normalize() rebuilds each object's mapping, turning
 * `${VAR}` placeholders into unknowns, and the ecs_derive_* functions add
 * the derived fields (docs/objects.md).  Source nodes keep their spans.
 */
#include "adapter.h"

#include <string.h>

#include "platform.h"

static const unsigned native_flags = ECS_KEYS_EXACT | ECS_VALUES_PLACEHOLDERS;

typedef struct ecs_ctx {
    bh_arena *a;
    bh_objlist *out;
    bh_diags *diags;
    bool ok;
} ecs_ctx;

static bool is_kind(const doc_node *n, doc_kind k) { return n && doc_kind_of(n) == k; }


static void oom(ecs_ctx *x, const doc_node *at)
{
    diags_add(x->diags, DIAG_ERROR, doc_span(at), "out of memory adapting ECS objects");
    x->ok = false;
}

/* Whether a list-valued field holds a list of mappings (a placeholder for
 * the whole list is allowed: it becomes unknown).  Adds an error for the
 * first thing of the wrong shape. */
static bool check_list_of_maps(ecs_ctx *x, const doc_node *owner, const char *key,
                               const char *what)
{
    const doc_node *v = doc_get(owner, key);
    if (!v || is_kind(v, DOC_UNKNOWN) || (is_kind(v, DOC_SCALAR) && doc_type_of(v) == DOC_NULL))
        return true;
    if (is_kind(v, DOC_SCALAR) && doc_type_of(v) == DOC_STR &&
        platform_is_placeholder(doc_text(v), doc_text_len(v)))
        return true;
    if (!is_kind(v, DOC_SEQ)) {
        diags_add(x->diags, DIAG_ERROR, doc_span(v), "\"%s\" must be a list, not %s", key,
                  doc_describe(v));
        return false;
    }
    for (size_t i = 0; i < doc_len(v); i++) {
        const doc_node *item = doc_seq_at(v, i);
        if (!is_kind(item, DOC_MAP)) {
            diags_add(x->diags, DIAG_ERROR, doc_span(item), "%s %zu of \"%s\" must be a mapping, not %s",
                      what, i, key, doc_describe(item));
            return false;
        }
    }
    return true;
}

/* ---- object types ------------------------------------------------------ */

typedef struct ecs_type {
    const char *type;          /* platform object type */
    const char *unnamed;       /* name stem for an object without a name */
    const ecs_field *fields;
    const char *name_keys[3];  /* fields naming an object, first present wins */
    bool (*derive)(bh_arena *, doc_node *);
} ecs_type;

static const ecs_type td_type = {"aws/ecs/task-definition", "task-definition",
                                 ecs_task_definition_fields, {"family", NULL, NULL},
                                 ecs_derive_task_definition};
static const ecs_type service_type = {"aws/ecs/service", "service", ecs_service_fields,
                                      {"serviceName", "serviceArn", NULL}, ecs_derive_service};
static const ecs_type task_set_type = {"aws/ecs/task-set", "task-set", ecs_task_set_fields,
                                       {"id", "externalId", "taskSetArn"}, NULL};
static const ecs_type cluster_type = {"aws/ecs/cluster", "cluster", ecs_cluster_fields,
                                      {"clusterName", "clusterArn", NULL}, NULL};
static const ecs_type cp_type = {"aws/ecs/capacity-provider", "capacity-provider",
                                 ecs_capacity_provider_fields,
                                 {"name", "capacityProviderArn", NULL}, NULL};

/* The object's name: its naming field (a task definition's family, with
 * ":revision" when there is one), else the stem with the list index. */
static const char *object_name(ecs_ctx *x, const ecs_type *t, const doc_node *m, long index)
{
    for (int k = 0; k < 3 && t->name_keys[k]; k++) {
        const doc_node *n = doc_get(m, t->name_keys[k]);
        if ((is_kind(n, DOC_SCALAR) && doc_type_of(n) != DOC_NULL && doc_text_len(n) > 0) ||
            is_kind(n, DOC_UNKNOWN)) {
            const doc_node *rev = t == &td_type ? doc_get(m, "revision") : NULL;
            if (is_kind(rev, DOC_SCALAR) && doc_text_len(rev) > 0)
                return arena_printf(x->a, "%s:%s", doc_text(n), doc_text(rev));
            return doc_text(n);
        }
    }
    if (index >= 0)
        return arena_printf(x->a, "%s[%ld]", t->unnamed, index);
    return t->unnamed;
}

/* Shape checks before building: an object of the wrong shape is skipped
 * with an error. */
static bool check_shape(ecs_ctx *x, const ecs_type *t, const doc_node *m)
{
    if (t != &td_type)
        return true;
    return check_list_of_maps(x, m, "containerDefinitions", "container definition") &&
           check_list_of_maps(x, m, "volumes", "volume");
}

static void add_object(ecs_ctx *x, const ecs_type *t, const doc_node *m, long index)
{
    if (!is_kind(m, DOC_MAP)) {
        diags_add(x->diags, DIAG_ERROR, doc_span(m), "an ECS %s must be a mapping, not %s",
                  t->unnamed, doc_describe(m));
        x->ok = false;
        return;
    }
    if (!check_shape(x, t, m)) {
        x->ok = false;
        return;
    }
    doc_node *root = ecs_normalize(x->a, m, t->fields, native_flags);
    const char *name = object_name(x, t, m, index);
    if (!root || !name || (t->derive && !t->derive(x->a, root)) ||
        !objlist_add(x->out, t->type, name, doc_span(m), root))
        oom(x, m);
}

/* Every item of a describe-style list. */
static void add_list(ecs_ctx *x, const ecs_type *t, const doc_node *list)
{
    for (size_t i = 0; i < doc_len(list); i++)
        add_object(x, t, doc_seq_at(list, i), (long)i);
}

/* Whether v is a list whose items are all mappings (and not empty). */
static bool list_of_maps(const doc_node *v)
{
    if (!is_kind(v, DOC_SEQ) || doc_len(v) == 0)
        return false;
    for (size_t i = 0; i < doc_len(v); i++)
        if (!is_kind(doc_seq_at(v, i), DOC_MAP))
            return false;
    return true;
}

static bool is_text(const doc_node *n)
{
    return is_kind(n, DOC_UNKNOWN) || (is_kind(n, DOC_SCALAR) && doc_type_of(n) == DOC_STR);
}

/* Recognise one mapping; index is its position in a top-level list (-1:
 * not in a list).  Returns whether anything was recognised. */
static bool adapt_map(ecs_ctx *x, const doc_node *m, long index)
{
    const doc_node *v;
    if (is_kind(v = doc_get(m, "taskDefinition"), DOC_MAP)) {
        add_object(x, &td_type, v, index);
    } else if (doc_get(m, "containerDefinitions")) {
        add_object(x, &td_type, m, index);
    } else if (is_kind(v = doc_get(m, "services"), DOC_SEQ)) {
        add_list(x, &service_type, v);
    } else if (is_kind(v = doc_get(m, "service"), DOC_MAP)) {
        add_object(x, &service_type, v, index);
    } else if (doc_get(m, "serviceName")) {
        add_object(x, &service_type, m, index);
    } else if (is_kind(v = doc_get(m, "taskSets"), DOC_SEQ)) {
        add_list(x, &task_set_type, v);
    } else if (is_kind(v = doc_get(m, "taskSet"), DOC_MAP)) {
        add_object(x, &task_set_type, v, index);
    } else if (is_text(doc_get(m, "service")) && is_text(doc_get(m, "taskDefinition"))) {
        add_object(x, &task_set_type, m, index);
    } else if (is_kind(v = doc_get(m, "clusters"), DOC_SEQ)) {
        add_list(x, &cluster_type, v);
    } else if (is_kind(v = doc_get(m, "cluster"), DOC_MAP)) {
        add_object(x, &cluster_type, v, index);
    } else if (doc_get(m, "clusterName")) {
        add_object(x, &cluster_type, m, index);
    } else if (list_of_maps(v = doc_get(m, "capacityProviders"))) {
        add_list(x, &cp_type, v);
    } else if (is_kind(v = doc_get(m, "capacityProvider"), DOC_MAP)) {
        add_object(x, &cp_type, v, index);
    } else if (doc_get(m, "name") && doc_get(m, "autoScalingGroupProvider")) {
        add_object(x, &cp_type, m, index);
    } else {
        return false;
    }
    return true;
}

bool adapt_ecs(const doc_node *root, bh_arena *a, bh_objlist *out, bh_diags *diags)
{
    ecs_ctx x = {a, out, diags, true};
    if (!root)
        return true;
    if (is_kind(root, DOC_MAP)) {
        adapt_map(&x, root, -1);
    } else if (is_kind(root, DOC_SEQ)) {
        /* A list of task definitions (or of other ECS objects); items that
         * are none of them are left alone. */
        for (size_t i = 0; i < doc_len(root); i++) {
            const doc_node *item = doc_seq_at(root, i);
            if (is_kind(item, DOC_MAP))
                adapt_map(&x, item, (long)i);
        }
    }
    return x.ok;
}

/*
 * adapt_cfn.c - CloudFormation templates (YAML, JSON, CDK synth output)
 * into aws/ecs/... objects.
 *
 *   AWS::ECS::TaskDefinition    aws/ecs/task-definition
 *   AWS::ECS::Service           aws/ecs/service
 *   AWS::ECS::TaskSet           aws/ecs/task-set
 *   AWS::ECS::Cluster           aws/ecs/cluster
 *   AWS::ECS::CapacityProvider  aws/ecs/capacity-provider
 *
 * For each such resource: its `Condition` is evaluated (false: the
 * resource is not created, so no object; unknown: kept, decided), its
 * Properties are resolved by the intrinsic-function resolver (cfn.h), the
 * PascalCase keys are mapped to the ECS API's names by ecs_normalize(), the
 * string booleans CloudFormation accepts ("true", as every parameter value
 * is a string) become booleans, and the ecs_derive_* functions add the
 * derived fields, so the object has exactly the shape of native ECS JSON
 * (docs/objects.md).  The object is named by the resource's logical id;
 * its span is the resource.
 */
#include "adapter.h"

#include <string.h>
#include <strings.h>

#include "cfn.h"
#include "platform.h"

typedef struct cfn_type {
    const char *resource;      /* CloudFormation resource type */
    const char *type;          /* platform object type */
    const ecs_field *fields;
    bool (*derive)(bh_arena *, doc_node *);
} cfn_type;

static const cfn_type cfn_types[] = {
    {"AWS::ECS::TaskDefinition", "aws/ecs/task-definition", ecs_task_definition_fields,
     ecs_derive_task_definition},
    {"AWS::ECS::Service", "aws/ecs/service", ecs_service_fields, ecs_derive_service},
    {"AWS::ECS::TaskSet", "aws/ecs/task-set", ecs_task_set_fields, NULL},
    {"AWS::ECS::Cluster", "aws/ecs/cluster", ecs_cluster_fields, NULL},
    {"AWS::ECS::CapacityProvider", "aws/ecs/capacity-provider", ecs_capacity_provider_fields,
     NULL},
};
#define NTYPES (sizeof cfn_types / sizeof cfn_types[0])

/* API fields of boolean type: CloudFormation accepts "true"/"false"
 * strings for them (and a parameter's value is always a string). */
static const char *const bool_fields[] = {
    "privileged", "readonlyRootFilesystem", "essential", "disableNetworking", "interactive",
    "pseudoTerminal", "readOnly", "initProcessEnabled", "autoprovision",
    "enableFaultInjection", "enableECSManagedTags", "enableExecuteCommand", "enable",
    "rollback", "enabled", "cloudWatchEncryptionEnabled", "s3EncryptionEnabled",
    "configuredAtLaunch", NULL};

typedef struct cfn_ctx {
    bh_arena *a;
    bh_objlist *out;
    bh_diags *diags;
    const doc_node *root;
    const cfn_params *params;
    cfn_resolver *res;         /* made on the first ECS resource */
    bool ok;
} cfn_ctx;

static bool is_kind(const doc_node *n, doc_kind k) { return n && doc_kind_of(n) == k; }

static void oom(cfn_ctx *x, const doc_node *at)
{
    diags_add(x->diags, DIAG_ERROR, doc_span(at), "out of memory adapting CloudFormation");
    x->ok = false;
}

static bool is_bool_field(const char *name)
{
    for (const char *const *f = bool_fields; *f; f++)
        if (strcmp(*f, name) == 0)
            return true;
    return false;
}

/* Turn "true"/"false" strings (any case) of boolean fields into booleans,
 * in the maps ecs_normalize built (only those: other nodes may be the
 * template's).  The new node keeps the span and trace. */
static bool coerce_bools(bh_arena *a, doc_node *m, const ecs_field *table, int depth)
{
    if (!is_kind(m, DOC_MAP) || depth > 16)
        return true;
    for (size_t i = 0; i < doc_len(m); i++) {
        const doc_node *k = doc_map_key(m, i);
        doc_node *v = doc_map_val(m, i);
        const ecs_field *f = ecs_field_find(table, doc_text(k), doc_text_len(k), ECS_KEYS_EXACT);
        if (!f)
            continue;
        if (f->shape == ECS_OBJECT) {
            if (!coerce_bools(a, v, f->fields, depth + 1))
                return false;
        } else if (f->shape == ECS_OBJECT_LIST && is_kind(v, DOC_SEQ)) {
            for (size_t j = 0; j < doc_len(v); j++)
                if (!coerce_bools(a, doc_seq_at(v, j), f->fields, depth + 1))
                    return false;
        } else if (f->shape == ECS_VALUE && is_bool_field(f->name) && is_kind(v, DOC_SCALAR) &&
                   doc_type_of(v) == DOC_STR &&
                   (strcasecmp(doc_text(v), "true") == 0 ||
                    strcasecmp(doc_text(v), "false") == 0)) {
            doc_node *b = doc_new_bool(a, doc_span(v), strcasecmp(doc_text(v), "true") == 0);
            if (!b)
                return false;
            doc_set_trace(b, doc_trace_of(v));
            doc_map_set_val(m, i, b);
        }
    }
    return true;
}


/* A task definition's list fields must be lists of mappings (or unknown,
 * or lists with unknown items). */
static bool check_list(cfn_ctx *x, const doc_node *td, const char *key, const char *what,
                       const char *id)
{
    const doc_node *v = doc_get(td, key);
    if (!v || is_kind(v, DOC_UNKNOWN) || (is_kind(v, DOC_SCALAR) && doc_type_of(v) == DOC_NULL))
        return true;
    if (!is_kind(v, DOC_SEQ)) {
        diags_add(x->diags, DIAG_ERROR, doc_span(v), "\"%s\" of \"%s\" must be a list, not %s",
                  key, id, doc_describe(v));
        return false;
    }
    for (size_t i = 0; i < doc_len(v); i++) {
        const doc_node *item = doc_seq_at(v, i);
        if (!is_kind(item, DOC_MAP) && !is_kind(item, DOC_UNKNOWN)) {
            diags_add(x->diags, DIAG_ERROR, doc_span(item),
                      "%s %zu of \"%s\" must be a mapping, not %s", what, i, id,
                      doc_describe(item));
            return false;
        }
    }
    return true;
}

static void adapt_resource(cfn_ctx *x, const doc_node *idn, const doc_node *res,
                           const cfn_type *t)
{
    const char *id = doc_text(idn);
    if (!x->res && !(x->res = cfn_resolver_new(x->a, x->root, x->params, NULL, x->diags))) {
        oom(x, res);
        return;
    }
    if (cfn_resolver_failed(x->res))
        return;
    const doc_node *cond = doc_get(res, "Condition");
    if (cond && cfn_condition(x->res, cond, NULL) == CFN_FALSE)
        return;         /* not created */

    const doc_node *props = doc_get(res, "Properties");
    doc_node *v = NULL;
    if (props && !cfn_resolve(x->res, props, &v)) {
        x->ok = false;
        return;
    }
    if (is_kind(v, DOC_UNKNOWN)) {
        diags_add(x->diags, DIAG_WARNING, doc_span(v),
                  "the properties of \"%s\" are not known statically (%s); it is not checked",
                  id, doc_text(v));
        return;
    }
    if (v && !is_kind(v, DOC_MAP) && !(is_kind(v, DOC_SCALAR) && doc_type_of(v) == DOC_NULL)) {
        diags_add(x->diags, DIAG_ERROR, doc_span(v), "the properties of \"%s\" must be a "
                                                     "mapping, not %s", id, doc_describe(v));
        x->ok = false;
        return;
    }
    doc_node *root = is_kind(v, DOC_MAP) ? ecs_normalize(x->a, v, t->fields, ECS_KEYS_ANY_CASE)
                                         : doc_new_map(x->a, doc_span(res));
    if (!root || !coerce_bools(x->a, root, t->fields, 0)) {
        oom(x, res);
        return;
    }
    if (t->derive == ecs_derive_task_definition &&
        (!check_list(x, root, "containerDefinitions", "container definition", id) ||
         !check_list(x, root, "volumes", "volume", id))) {
        x->ok = false;
        return;
    }
    if ((t->derive && !t->derive(x->a, root)) ||
        !objlist_add(x->out, t->type, id, doc_span(res), root))
        oom(x, res);
}

bool adapt_cfn_with(const doc_node *root, const cfn_params *params, bh_arena *a,
                    bh_objlist *out, bh_diags *diags)
{
    cfn_ctx x = {a, out, diags, root, params, NULL, true};
    const doc_node *resources = doc_get(root, "Resources");
    if (!is_kind(resources, DOC_MAP))
        return true;
    for (size_t i = 0; i < doc_len(resources); i++) {
        const doc_node *id = doc_map_key(resources, i), *res = doc_map_val(resources, i);
        const doc_node *type = doc_get(res, "Type");
        if (!is_kind(type, DOC_SCALAR))
            continue;
        for (size_t k = 0; k < NTYPES; k++)
            if (doc_text_eq(type, cfn_types[k].resource)) {
                adapt_resource(&x, id, res, &cfn_types[k]);
                break;
            }
    }
    return x.ok;
}

bool adapt_cfn(const doc_node *root, bh_arena *a, bh_objlist *out, bh_diags *diags)
{
    return adapt_cfn_with(root, NULL, a, out, diags);
}

/*
 * adapt_tf.c - Terraform resources (evaluated modules and plan JSON) into
 * aws/ecs/... and k8s/pod objects.
 *
 * AWS provider: aws_ecs_task_definition, aws_ecs_service, aws_ecs_task_set,
 * aws_ecs_cluster and aws_ecs_capacity_provider.  Their snake_case
 * arguments are the API's fields (ecs_normalize with any case and no
 * underscores), except where the provider's shape differs from the API's:
 *
 *   container_definitions   a JSON string -> containerDefinitions (decoded
 *                           with positions, tf_decode_json; keys matched in
 *                           any case, as the provider decodes them)
 *   volume { host_path }    -> volumes[].host.sourcePath
 *   network_configuration   -> networkConfiguration.awsvpcConfiguration,
 *                           assign_public_ip true/false -> ENABLED/DISABLED
 *   setting, volume, ...    repeated blocks -> the API's plural lists
 *
 * Single nested blocks (a list of one mapping) become the API's objects.
 *
 * Kubernetes provider: kubernetes_pod, _deployment, _daemonset /
 * _daemon_set_v1, _stateful_set, _job, _cron_job, _replication_controller
 * (with and without _v1) become the manifest they stand for (blocks to
 * objects or lists, snake_case to camelCase, the provider's string
 * run_as_user to a number, its allow_privilege_escalation default of true
 * made explicit) and go through the Kubernetes adapter; kubernetes_manifest
 * gives its `manifest` as it is.  Objects are named by resource address.
 */
#include "adapter.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "platform.h"
#include "tfeval.h"

typedef struct tf_ctx_a {
    const tf_module *m;     /* NULL for plan JSON */
    bh_arena *a;
    bh_objlist *out;
    bh_diags *diags;
    bool ok;
} actx;

static bool is_kind(const doc_node *n, doc_kind k) { return n && doc_kind_of(n) == k; }

/* A block's single mapping: the first of a list, or the mapping itself
 * (JSON syntax); NULL for anything else. */
static const doc_node *single(const doc_node *v)
{
    if (is_kind(v, DOC_SEQ))
        v = doc_len(v) ? doc_seq_at(v, 0) : NULL;
    return is_kind(v, DOC_MAP) ? v : NULL;
}

/* A block's mappings as a list (a single mapping in JSON syntax too). */
static doc_node *as_list(bh_arena *a, const doc_node *v)
{
    if (is_kind(v, DOC_SEQ) || !is_kind(v, DOC_MAP))
        return (doc_node *)v;
    doc_node *s = doc_new_seq(a, doc_span(v));
    return s && doc_seq_append(a, s, (doc_node *)v) ? s : NULL;
}

/* ==================================================================== */
/* AWS ECS                                                                */
/* ==================================================================== */

static const unsigned tf_flags = ECS_KEYS_ANY_CASE | ECS_KEYS_IGNORE_UNDERSCORES |
                                 ECS_BLOCK_LISTS;

/* volume { host_path = "/x" } -> {host: {sourcePath: "/x"}} */
static doc_node *volume(bh_arena *a, const doc_node *v)
{
    if (!is_kind(v, DOC_MAP))
        return (doc_node *)v;
    doc_node *m = doc_new_map(a, doc_span(v));
    for (size_t i = 0; m && i < doc_len(v); i++) {
        doc_node *k = doc_map_key(v, i), *val = doc_map_val(v, i);
        if (doc_text_eq(k, "host_path")) {
            doc_node *host = doc_new_map(a, doc_span(val));
            doc_node *key = doc_new_str(a, doc_span(k), "host");
            if (!host || !key || !doc_map_put(a, host, "sourcePath", val) ||
                !doc_map_append(a, m, key, host))
                return NULL;
        } else if (!doc_map_append(a, m, k, val)) {
            return NULL;
        }
    }
    return m;
}

static doc_node *volumes(bh_arena *a, const doc_node *v)
{
    doc_node *l = as_list(a, v);
    if (!is_kind(l, DOC_SEQ))
        return l;
    doc_node *s = doc_new_seq(a, doc_span(l));
    for (size_t i = 0; s && i < doc_len(l); i++) {
        doc_node *item = volume(a, doc_seq_at(l, i));
        if (!item || !doc_seq_append(a, s, item))
            return NULL;
    }
    return s;
}

/* assign_public_ip = true -> "ENABLED" at the same place */
static doc_node *public_ip(bh_arena *a, const doc_node *v)
{
    bool b;
    if (doc_bool(v, &b) || (doc_type_of(v) == DOC_STR &&
                            (doc_text_eq(v, "true") || doc_text_eq(v, "false")))) {
        if (doc_type_of(v) == DOC_STR)
            b = doc_text_eq(v, "true");
        doc_node *s = doc_new_str(a, doc_span(v), b ? "ENABLED" : "DISABLED");
        if (s)
            doc_set_trace(s, doc_trace_of(v));
        return s;
    }
    return (doc_node *)v;
}

/* network_configuration { subnets, security_groups, assign_public_ip } ->
 * {awsvpcConfiguration: {...}} */
static doc_node *network_configuration(bh_arena *a, const doc_node *v)
{
    const doc_node *nc = single(v);
    if (!nc)
        return (doc_node *)v;
    doc_node *vpc = doc_new_map(a, doc_span(nc));
    for (size_t i = 0; vpc && i < doc_len(nc); i++) {
        doc_node *k = doc_map_key(nc, i), *val = doc_map_val(nc, i);
        if (doc_text_eq(k, "assign_public_ip"))
            val = public_ip(a, val);
        if (!val || !doc_map_append(a, vpc, k, val))
            return NULL;
    }
    doc_node *m = doc_new_map(a, doc_span(nc));
    return m && vpc && doc_map_put(a, m, "awsvpcConfiguration", vpc) ? m : NULL;
}

/* The provider's arguments whose API field has another name or shape. */
typedef doc_node *(*reshape_fn)(bh_arena *a, const doc_node *v);

static const struct rename {
    const char *tf, *api;
    reshape_fn reshape;
} renames[] = {
    {"volume", "volumes", volumes},
    {"network_configuration", "networkConfiguration", network_configuration},
    {"setting", "settings", NULL},
    {"inference_accelerator", "inferenceAccelerators", NULL},
    {"ordered_placement_strategy", "placementStrategy", NULL},
    {"placement_constraints", "placementConstraints", NULL},
    {"load_balancer", "loadBalancers", NULL},
    {"service_registries", "serviceRegistries", NULL},
    {"capacity_provider_strategy", "capacityProviderStrategy", NULL},
    {"tags", "tags", NULL},
    {NULL, NULL, NULL},
};

static bool oom(actx *x, bh_span at)
{
    diags_add(x->diags, DIAG_ERROR, at, "out of memory adapting Terraform resources");
    return x->ok = false;
}

/* The body in the API's shape (keys still the provider's where not
 * renamed), container_definitions left out: *containers gets it decoded. */
static doc_node *reshape(actx *x, const doc_node *body, doc_node **containers)
{
    doc_node *m = doc_new_map(x->a, doc_span(body));
    for (size_t i = 0; m && i < doc_len(body); i++) {
        doc_node *k = doc_map_key(body, i), *v = doc_map_val(body, i);
        if (doc_text_eq(k, "container_definitions") && containers) {
            *containers = tf_decode_json(x->m, v, x->a, x->diags);
            continue;
        }
        const struct rename *r = renames;
        while (r->tf && !doc_text_eq(k, r->tf))
            r++;
        if (r->tf) {
            v = r->reshape ? r->reshape(x->a, v) : as_list(x->a, v);
            k = doc_new_str(x->a, doc_span(k), r->api);
        }
        if (!k || !v || !doc_map_append(x->a, m, k, v))
            return NULL;
    }
    return m;
}

static doc_node *containers_api(actx *x, doc_node *defs)
{
    if (!is_kind(defs, DOC_SEQ)) {
        if (defs && !is_kind(defs, DOC_UNKNOWN))
            diags_add(x->diags, DIAG_ERROR, doc_span(defs),
                      "container_definitions must be a JSON list, not %s", doc_describe(defs));
        return is_kind(defs, DOC_UNKNOWN) ? defs : NULL;
    }
    doc_node *s = doc_new_seq(x->a, doc_span(defs));
    for (size_t i = 0; s && i < doc_len(defs); i++) {
        const doc_node *c = doc_seq_at(defs, i);
        doc_node *n = is_kind(c, DOC_MAP)
                          ? ecs_normalize(x->a, c, ecs_container_definition_fields,
                                          ECS_KEYS_ANY_CASE | ECS_BLOCK_LISTS)
                          : (doc_node *)c;
        if (!n || !doc_seq_append(x->a, s, n))
            return NULL;
    }
    return s;
}

static const struct ecs_res {
    const char *tf_type;
    const char *type;
    const ecs_field *fields;
    bool (*derive)(bh_arena *a, doc_node *root);
    bool td;
} ecs_res[] = {
    {"aws_ecs_task_definition", "aws/ecs/task-definition", ecs_task_definition_fields,
     ecs_derive_task_definition, true},
    {"aws_ecs_service", "aws/ecs/service", ecs_service_fields, ecs_derive_service, false},
    {"aws_ecs_task_set", "aws/ecs/task-set", ecs_task_set_fields, NULL, false},
    {"aws_ecs_cluster", "aws/ecs/cluster", ecs_cluster_fields, NULL, false},
    {"aws_ecs_capacity_provider", "aws/ecs/capacity-provider", ecs_capacity_provider_fields,
     NULL, false},
};

static void adapt_ecs_res(actx *x, const struct ecs_res *r, const char *address, bh_span at,
                          const doc_node *body)
{
    doc_node *defs = NULL;
    doc_node *m = reshape(x, body, r->td ? &defs : NULL);
    doc_node *root = m ? ecs_normalize(x->a, m, r->fields, tf_flags) : NULL;
    if (root && r->td) {
        doc_node *cs = defs ? containers_api(x, defs) : NULL;
        if (!cs && defs && !is_kind(defs, DOC_SEQ) && !is_kind(defs, DOC_UNKNOWN))
            return;   /* not a list: reported, no object */
        if (cs && !doc_map_put(x->a, root, "containerDefinitions", cs))
            root = NULL;
    }
    if (!root || (r->derive && !r->derive(x->a, root)) ||
        !objlist_add(x->out, r->type, address, at, root))
        oom(x, at);
}

/* ==================================================================== */
/* Kubernetes provider                                                    */
/* ==================================================================== */

/* Provider block names that are lists in the API (and their API names). */
static const char *const k8s_lists[][2] = {
    {"container", "containers"},
    {"init_container", "initContainers"},
    {"ephemeral_container", "ephemeralContainers"},
    {"volume", "volumes"},
    {"volume_mount", "volumeMounts"},
    {"volume_device", "volumeDevices"},
    {"port", "ports"},
    {"env", "env"},
    {"env_from", "envFrom"},
    {"sysctl", "sysctls"},
    {"toleration", "tolerations"},
    {"host_aliases", "hostAliases"},
    {"image_pull_secrets", "imagePullSecrets"},
    {"topology_spread_constraint", "topologySpreadConstraints"},
    {"readiness_gate", "readinessGates"},
    {"items", "items"},
    {NULL, NULL},
};

/* Names whose camelCase is not the plain conversion. */
static const char *const k8s_names[][2] = {
    {"host_pid", "hostPID"},
    {"host_ipc", "hostIPC"},
    {"se_linux_options", "seLinuxOptions"},
    {NULL, NULL},
};

/* Maps whose keys are the user's (never converted). */
static const char *const k8s_free_maps[] = {"labels", "annotations", "node_selector",
                                            "limits", "requests", "data", NULL};

/* The provider's booleans: Terraform converts "true" and "false" strings. */
static const char *const k8s_bools[] = {
    "host_network", "host_pid", "host_ipc", "privileged", "allow_privilege_escalation",
    "read_only_root_filesystem", "run_as_non_root", "host_process", "host_users",
    "share_process_namespace", "automount_service_account_token", "enable_service_links",
    "read_only", "stdin", "tty", NULL};

/* The provider's string-typed integers. */
static const char *const k8s_int_strings[] = {"run_as_user", "run_as_group", "fs_group", NULL};

static bool in_list(const char *const *l, const char *s)
{
    for (; *l; l++)
        if (strcmp(*l, s) == 0)
            return true;
    return false;
}

static const char *k8s_name(bh_arena *a, const char *tf, bool *is_list)
{
    *is_list = false;
    for (int i = 0; k8s_lists[i][0]; i++)
        if (strcmp(k8s_lists[i][0], tf) == 0) {
            *is_list = true;
            return k8s_lists[i][1];
        }
    for (int i = 0; k8s_names[i][0]; i++)
        if (strcmp(k8s_names[i][0], tf) == 0)
            return k8s_names[i][1];
    char *c = arena_strdup(a, tf);
    size_t o = 0;
    for (size_t i = 0; c && tf[i]; i++) {
        if (tf[i] == '_' && tf[i + 1]) {
            c[o++] = (char)toupper((unsigned char)tf[++i]);
        } else {
            c[o++] = tf[i];
        }
    }
    if (c)
        c[o] = '\0';
    return c;
}

/* What a mapping is, for the provider's defaults. */
typedef enum { R_OTHER, R_CONTAINER, R_CONTAINER_SC } role;

static bool is_container_key(const char *k)
{
    return strcmp(k, "container") == 0 || strcmp(k, "init_container") == 0 ||
           strcmp(k, "ephemeral_container") == 0;
}

static doc_node *k8s_value(actx *x, const char *key, const doc_node *v, unsigned depth,
                           role r);

/* A provider block (mapping) in the API's names. */
static doc_node *k8s_map(actx *x, const doc_node *m, unsigned depth, role r)
{
    if (depth > 64)
        return (doc_node *)m;
    doc_node *out = doc_new_map(x->a, doc_span(m));
    for (size_t i = 0; out && i < doc_len(m); i++) {
        doc_node *k = doc_map_key(m, i);
        const char *tf = doc_text(k);
        bool list;
        const char *api = k8s_name(x->a, tf, &list);
        doc_node *v = doc_map_val(m, i);
        if (!api)
            return NULL;
        if (!in_list(k8s_free_maps, tf))
            v = list ? as_list(x->a, v) : (doc_node *)v;
        /* a single nested block: a list of one mapping (HCL blocks; the JSON
         * syntax writes "spec": [{...}] or "spec": {...}) */
        if (!list && !in_list(k8s_free_maps, tf) && is_kind(v, DOC_SEQ) &&
            is_kind(single(v), DOC_MAP))
            v = (doc_node *)single(v);
        if (!v)
            continue;
        role cr = is_container_key(tf) ? R_CONTAINER
                  : r == R_CONTAINER && strcmp(tf, "security_context") == 0 ? R_CONTAINER_SC
                                                                           : R_OTHER;
        v = in_list(k8s_free_maps, tf) ? v : k8s_value(x, tf, v, depth + 1, cr);
        doc_node *key = v ? doc_new_str(x->a, doc_span(k), api) : NULL;
        if (!key || !doc_map_append(x->a, out, key, v))
            return NULL;
    }
    /* the provider sends allow_privilege_escalation = true when unset */
    if (out && r == R_CONTAINER_SC && !doc_get(m, "allow_privilege_escalation")) {
        doc_node *t = doc_new_bool(x->a, doc_span(m), true);
        if (!t || !doc_add_trace(x->a, t, doc_span(m), "the kubernetes provider's default "
                                                        "for allow_privilege_escalation") ||
            !doc_map_put(x->a, out, "allowPrivilegeEscalation", t))
            return NULL;
    }
    return out;
}

static doc_node *k8s_value(actx *x, const char *key, const doc_node *v, unsigned depth,
                           role r)
{
    if (is_kind(v, DOC_MAP))
        return k8s_map(x, v, depth, r);
    if (is_kind(v, DOC_SEQ)) {
        doc_node *s = doc_new_seq(x->a, doc_span(v));
        for (size_t i = 0; s && i < doc_len(v); i++) {
            doc_node *item = k8s_value(x, key, doc_seq_at(v, i), depth + 1, r);
            if (!item || !doc_seq_append(x->a, s, item))
                return NULL;
        }
        return s;
    }
    if (in_list(k8s_bools, key) && doc_type_of(v) == DOC_STR &&
        (doc_text_eq(v, "true") || doc_text_eq(v, "false"))) {
        doc_node *b = doc_new_bool(x->a, doc_span(v), doc_text_eq(v, "true"));
        if (b)
            doc_set_trace(b, doc_trace_of(v));
        return b;
    }
    int64_t n;
    if (in_list(k8s_int_strings, key) && doc_type_of(v) == DOC_STR && *doc_text(v)) {
        char *end;
        n = strtoll(doc_text(v), &end, 10);
        if (*end == '\0') {
            doc_node *i = doc_new_int(x->a, doc_span(v), n);
            if (i)
                doc_set_trace(i, doc_trace_of(v));
            return i;
        }
    }
    return (doc_node *)v;
}

static const struct k8s_res {
    const char *tf_type;    /* without _v1 */
    const char *kind;
} k8s_res[] = {
    {"kubernetes_pod", "Pod"},
    {"kubernetes_deployment", "Deployment"},
    {"kubernetes_daemonset", "DaemonSet"},
    {"kubernetes_daemon_set", "DaemonSet"},
    {"kubernetes_stateful_set", "StatefulSet"},
    {"kubernetes_job", "Job"},
    {"kubernetes_cron_job", "CronJob"},
    {"kubernetes_replication_controller", "ReplicationController"},
};

static const struct k8s_res *find_k8s(const char *type)
{
    for (size_t i = 0; i < sizeof k8s_res / sizeof *k8s_res; i++) {
        size_t n = strlen(k8s_res[i].tf_type);
        if (strncmp(type, k8s_res[i].tf_type, n) == 0 &&
            (type[n] == '\0' || strcmp(type + n, "_v1") == 0))
            return &k8s_res[i];
    }
    return NULL;
}

/* Run the Kubernetes adapter on doc and name what it made by address. */
static void k8s_adapt(actx *x, const doc_node *doc, const char *address)
{
    size_t before = objlist_len(x->out);
    if (!adapt_k8s(doc, x->a, x->out, x->diags))
        x->ok = false;
    for (size_t i = before; i < objlist_len(x->out); i++) {
        bh_object *o = objlist_at(x->out, i);
        o->name = objlist_len(x->out) - before > 1
                      ? arena_printf(x->a, "%s/%s", address, o->name)
                      : arena_strdup(x->a, address);
        if (!o->name)
            oom(x, o->span);
    }
}

static void adapt_k8s_res(actx *x, const struct k8s_res *r, const char *address, bh_span at,
                          const doc_node *body)
{
    doc_node *m = k8s_map(x, body, 0, R_OTHER);
    doc_node *kind = doc_new_str(x->a, at, r->kind);
    if (!m || !kind || !doc_map_put(x->a, m, "kind", kind) ||
        !doc_map_put(x->a, m, "apiVersion", doc_new_str(x->a, at, "v1")))
        return (void)oom(x, at);
    /* CronJob: the provider's job_template became jobTemplate already */
    k8s_adapt(x, m, address);
}

/* ==================================================================== */
/* The entry points                                                       */
/* ==================================================================== */

bool adapt_tf_wants(const char *type)
{
    for (size_t i = 0; i < sizeof ecs_res / sizeof *ecs_res; i++)
        if (strcmp(ecs_res[i].tf_type, type) == 0)
            return true;
    return find_k8s(type) || strcmp(type, "kubernetes_manifest") == 0;
}

static void adapt_resource(actx *x, const char *type, const char *address, bh_span at,
                           const doc_node *body)
{
    if (!is_kind(body, DOC_MAP))
        return;
    for (size_t i = 0; i < sizeof ecs_res / sizeof *ecs_res; i++)
        if (strcmp(ecs_res[i].tf_type, type) == 0)
            return adapt_ecs_res(x, &ecs_res[i], address, at, body);
    const struct k8s_res *k = find_k8s(type);
    if (k)
        return adapt_k8s_res(x, k, address, at, body);
    if (strcmp(type, "kubernetes_manifest") == 0) {
        const doc_node *man = doc_get(body, "manifest");
        if (is_kind(man, DOC_MAP))
            k8s_adapt(x, man, address);
    }
}

bool adapt_tf(const tf_module *m, bh_arena *a, bh_objlist *out, bh_diags *diags)
{
    actx x = {m, a, out, diags, true};
    for (size_t i = 0; i < tf_module_nresources(m); i++) {
        const tf_resource *r = tf_module_resource(m, i);
        adapt_resource(&x, r->type, r->address, r->span, r->body);
    }
    return x.ok;
}

/* ---- plan JSON ----------------------------------------------------------------
 * planned_values.root_module.resources[] {address, mode, type, values} and
 * child_modules[] (recursively); values Terraform knows only after apply
 * are missing there and `true` in resource_changes[].change.after_unknown:
 * those become unknowns. */

static doc_node *overlay_unknown(actx *x, const doc_node *v, const doc_node *unk, bh_span at,
                                 unsigned depth)
{
    bool b;
    if (doc_bool(unk, &b) && b) {
        doc_node *u = doc_new_unknown(x->a, v ? doc_span(v) : at, "(known after apply)");
        if (u)
            doc_add_trace(x->a, u, at, "the plan says this value is known only after apply");
        return u;
    }
    if (depth > 64 || !v)
        return (doc_node *)v;
    if (is_kind(unk, DOC_MAP) && is_kind(v, DOC_MAP)) {
        doc_node *m = doc_new_map(x->a, doc_span(v));
        for (size_t i = 0; m && i < doc_len(v); i++)
            if (!doc_map_append(x->a, m, doc_map_key(v, i), doc_map_val(v, i)))
                m = NULL;
        for (size_t i = 0; m && i < doc_len(unk); i++) {
            const char *k = doc_text(doc_map_key(unk, i));
            doc_node *nv = overlay_unknown(x, doc_get(v, k), doc_map_val(unk, i), at, depth + 1);
            if (nv && nv != doc_get(v, k) && !doc_map_put(x->a, m, k, nv))
                m = NULL;
        }
        return m;
    }
    if (is_kind(unk, DOC_SEQ) && is_kind(v, DOC_SEQ)) {
        doc_node *s = doc_new_seq(x->a, doc_span(v));
        for (size_t i = 0; s && i < doc_len(v); i++) {
            doc_node *item = doc_seq_at(v, i);
            if (i < doc_len(unk))
                item = overlay_unknown(x, item, doc_seq_at(unk, i), at, depth + 1);
            if (!item || !doc_seq_append(x->a, s, item))
                s = NULL;
        }
        return s;
    }
    return (doc_node *)v;
}

static const doc_node *after_unknown(const doc_node *plan, const doc_node *address)
{
    const doc_node *rc = doc_get(plan, "resource_changes");
    for (size_t i = 0; i < doc_len(rc); i++) {
        const doc_node *c = doc_seq_at(rc, i);
        const doc_node *a = doc_get(c, "address");
        if (a && doc_text_eq(a, doc_text(address)))
            return doc_path(c, "change.after_unknown");
    }
    return NULL;
}

static void plan_module(actx *x, const doc_node *plan, const doc_node *mod, unsigned depth)
{
    if (!is_kind(mod, DOC_MAP) || depth > 32)
        return;
    const doc_node *res = doc_get(mod, "resources");
    for (size_t i = 0; i < doc_len(res); i++) {
        const doc_node *r = doc_seq_at(res, i);
        const doc_node *type = doc_get(r, "type"), *addr = doc_get(r, "address");
        const doc_node *mode = doc_get(r, "mode"), *values = doc_get(r, "values");
        if (!type || !addr || (mode && !doc_text_eq(mode, "managed")) ||
            !adapt_tf_wants(doc_text(type)))
            continue;
        const doc_node *unk = after_unknown(plan, addr);
        doc_node *v = unk ? overlay_unknown(x, values, unk, doc_span(r), 0) : (doc_node *)values;
        adapt_resource(x, doc_text(type), doc_text(addr), doc_span(r), v);
    }
    const doc_node *kids = doc_get(mod, "child_modules");
    for (size_t i = 0; i < doc_len(kids); i++)
        plan_module(x, plan, doc_seq_at(kids, i), depth + 1);
}

bool adapt_tf_plan(const doc_node *root, bh_arena *a, bh_objlist *out, bh_diags *diags)
{
    actx x = {NULL, a, out, diags, true};
    plan_module(&x, root, doc_path(root, "planned_values.root_module"), 0);
    return x.ok;
}

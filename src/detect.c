/*
 * detect.c - file syntax from names, a cheap byte pre-filter, and the kind
 * of a parsed document.  See detect.h for the contract.
 *
 * The pre-filter (detect_worth_parsing) and the classifier
 * (detect_document) must agree: every key the classifier requires for some
 * kind is in the pre-filter's needle list, so a file the classifier would
 * recognise is never skipped unparsed.  Keep the two tables in step.
 *
 * Nothing here keeps state; all of it may run on several threads at once.
 */
#include "detect.h"

#include <string.h>
#include <strings.h>

const char *kind_name(bh_kind k)
{
    static const char *const names[] = {
        [KIND_NONE] = "none",
        [KIND_CLOUDFORMATION] = "cloudformation",
        [KIND_KUBERNETES] = "kubernetes",
        [KIND_COMPOSE] = "compose",
        [KIND_ECS] = "ecs",
        [KIND_TERRAFORM] = "terraform",
        [KIND_TFVARS] = "tfvars",
        [KIND_TF_PLAN] = "terraform-plan",
    };
    if ((unsigned)k < sizeof names / sizeof names[0] && names[k])
        return names[k];
    return "none";
}

/* ---- names ------------------------------------------------------------ */

static const char *base_name(const char *path)
{
    if (!path)
        return "";
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* Whether name ends with suffix (ASCII case-insensitively) after at least
 * one other byte: ".yaml" alone is a hidden file with no extension. */
static bool ends_with_ci(const char *name, const char *suffix)
{
    size_t n = strlen(name), k = strlen(suffix);
    return n > k && strcasecmp(name + n - k, suffix) == 0;
}

static bool starts_with_ci(const char *name, const char *prefix)
{
    return strncasecmp(name, prefix, strlen(prefix)) == 0;
}

/* Extensions, longest first where one ends another (".tf.json" before
 * ".json").  ".template" is decided by content. */
static const struct {
    const char *ext;
    bh_syntax syn;
} syntax_by_ext[] = {
    {".tfvars.json", SYN_TF_JSON},
    {".tf.json", SYN_TF_JSON},
    {".tfvars", SYN_HCL},
    {".tf", SYN_HCL},
    {".json", SYN_JSON},
    {".yaml", SYN_YAML},
    {".yml", SYN_YAML},
};

bh_syntax detect_syntax(const char *path, const char *data, size_t len)
{
    const char *name = base_name(path);
    for (size_t i = 0; i < sizeof syntax_by_ext / sizeof syntax_by_ext[0]; i++)
        if (ends_with_ci(name, syntax_by_ext[i].ext))
            return syntax_by_ext[i].syn;
    if (ends_with_ci(name, ".template")) {
        /* CloudFormation's old extension: JSON when the first byte after
         * a BOM and white space is '{', else YAML (also when empty, so a
         * caller asking by name alone still opens the file). */
        size_t i = 0;
        if (data && len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
            i = 3;
        while (data && i < len &&
               (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r'))
            i++;
        return data && i < len && data[i] == '{' ? SYN_JSON : SYN_YAML;
    }
    return SYN_NONE;
}

/* ---- the byte pre-filter ---------------------------------------------- */

/* Every key detect_document() requires for a YAML/JSON kind: a file that
 * holds none of them cannot be any kind we scan.  Most frequent first. */
static const char *const needles[] = {
    "apiVersion",               /* Kubernetes */
    "Resources",                /* CloudFormation */
    "AWSTemplateFormatVersion", /* CloudFormation (without Resources) */
    "Transform",                /* CloudFormation (SAM) */
    "service",                  /* Compose `services`; ECS services, task sets */
    "containerDefinitions",     /* ECS task definitions (taskDefinition wraps it) */
    "cluster",                  /* ECS clusters */
    "taskSet",                  /* ECS task sets */
    "capacityProvider",         /* ECS capacity providers */
    "autoScalingGroupProvider", /* ECS create-capacity-provider input */
    "format_version",           /* Terraform plan JSON */
};

/* Whether needle[0..k) occurs in data[0..len) (memmem is not in C17 or
 * POSIX 2008). */
static bool contains(const char *data, size_t len, const char *needle, size_t k)
{
    const char *p = data, *end = data + len;
    while ((size_t)(end - p) >= k) {
        p = memchr(p, needle[0], (size_t)(end - p) - k + 1);
        if (!p)
            return false;
        if (memcmp(p, needle, k) == 0)
            return true;
        p++;
    }
    return false;
}

bool detect_worth_parsing(bh_syntax syn, const char *data, size_t len)
{
    switch (syn) {
    case SYN_HCL:
    case SYN_TF_JSON:
        return true; /* named as Terraform: always read */
    case SYN_YAML:
    case SYN_JSON:
        break;
    default:
        return false;
    }
    if (!data)
        return false;
    for (size_t i = 0; i < sizeof needles / sizeof needles[0]; i++)
        if (contains(data, len, needles[i], strlen(needles[i])))
            return true;
    return false;
}

/* ---- documents -------------------------------------------------------- */

static bool is_kind(const doc_node *n, doc_kind k) { return n && doc_kind_of(n) == k; }

/* A scalar with non-empty text (a YAML null or "" is not a name). */
static bool is_text(const doc_node *n)
{
    return is_kind(n, DOC_SCALAR) && doc_type_of(n) != DOC_NULL && doc_text_len(n) > 0;
}

static bool text_starts(const doc_node *n, const char *prefix)
{
    return is_kind(n, DOC_SCALAR) && strncmp(doc_text(n), prefix, strlen(prefix)) == 0;
}

/* Whether map has any of the keys (a NULL-terminated list). */
static bool has_any_key(const doc_node *map, const char *const *keys)
{
    for (; *keys; keys++)
        if (doc_get(map, *keys))
            return true;
    return false;
}

/* Whether seq is a sequence with some mapping item holding one of keys. */
static bool seq_of_maps_with(const doc_node *seq, const char *const *keys)
{
    if (!is_kind(seq, DOC_SEQ))
        return false;
    for (size_t i = 0; i < doc_len(seq); i++)
        if (has_any_key(doc_seq_at(seq, i), keys))
            return true;
    return false;
}

/* CloudFormation: AWSTemplateFormatVersion, a SAM transform, or Resources
 * with some entry of `Type: AWS::...` (CDK output mixes in Custom::). */
static bool is_cloudformation(const doc_node *root)
{
    if (doc_get(root, "AWSTemplateFormatVersion"))
        return true;
    const doc_node *tr = doc_get(root, "Transform");
    if (text_starts(tr, "AWS::Serverless"))
        return true;
    for (size_t i = 0; is_kind(tr, DOC_SEQ) && i < doc_len(tr); i++)
        if (text_starts(doc_seq_at(tr, i), "AWS::Serverless"))
            return true;
    const doc_node *res = doc_get(root, "Resources");
    for (size_t i = 0; is_kind(res, DOC_MAP) && i < doc_len(res); i++)
        if (text_starts(doc_get(doc_map_val(res, i), "Type"), "AWS::"))
            return true;
    return false;
}

static bool is_kubernetes(const doc_node *root)
{
    return is_text(doc_get(root, "apiVersion")) && is_text(doc_get(root, "kind"));
}

static bool is_tf_plan(const doc_node *root)
{
    return doc_get(root, "format_version") &&
           (doc_get(root, "planned_values") || doc_get(root, "resource_changes"));
}

/* A native task definition: register-task-definition input (a sequence
 * of containerDefinitions) or describe-task-definition output wrapping it
 * in taskDefinition. */
static bool is_task_definition(const doc_node *n)
{
    if (!is_kind(n, DOC_MAP))
        return false;
    if (is_kind(doc_get(n, "containerDefinitions"), DOC_SEQ))
        return true;
    return is_kind(doc_get(doc_get(n, "taskDefinition"), "containerDefinitions"), DOC_SEQ);
}

/* A mapping in one of the native ECS JSON shapes adapt_ecs() reads (its
 * header lists them): task definitions, and the AWS CLI input and output
 * of services, task sets, clusters and capacity providers.  The bare
 * input shapes ({"clusterName": ...}, {"serviceName": ...}) need a second
 * ECS key, as those names alone are common in other configuration (Helm
 * values often carry a clusterName). */
static bool is_ecs_map(const doc_node *m)
{
    static const char *const service_keys[] = {"serviceName", "serviceArn", NULL};
    static const char *const service_input_keys[] = {
        "taskDefinition", "cluster", "desiredCount", "launchType", "loadBalancers",
        "networkConfiguration", "capacityProviderStrategy", "deploymentConfiguration", NULL};
    static const char *const taskset_keys[] = {"taskSetArn", NULL};
    static const char *const cluster_keys[] = {"clusterName", "clusterArn", NULL};
    static const char *const cluster_input_keys[] = {
        "capacityProviders", "defaultCapacityProviderStrategy", "settings", "configuration",
        "serviceConnectDefaults", NULL};
    static const char *const provider_keys[] = {"capacityProviderArn",
                                                "autoScalingGroupProvider", NULL};
    if (!is_kind(m, DOC_MAP))
        return false;
    if (is_task_definition(m))
        return true;
    /* describe-* output: lists */
    if (seq_of_maps_with(doc_get(m, "services"), service_keys) ||
        seq_of_maps_with(doc_get(m, "taskSets"), taskset_keys) ||
        seq_of_maps_with(doc_get(m, "clusters"), cluster_keys) ||
        seq_of_maps_with(doc_get(m, "capacityProviders"), provider_keys))
        return true;
    /* create-* output: one object */
    if (has_any_key(doc_get(m, "service"), service_keys) ||
        has_any_key(doc_get(m, "taskSet"), taskset_keys) ||
        has_any_key(doc_get(m, "cluster"), cluster_keys) ||
        has_any_key(doc_get(m, "capacityProvider"), provider_keys))
        return true;
    /* create-* input */
    if (is_text(doc_get(m, "serviceName")) && has_any_key(m, service_input_keys))
        return true;
    if (is_text(doc_get(m, "service")) && is_text(doc_get(m, "taskDefinition")))
        return true; /* create-task-set */
    if (is_text(doc_get(m, "clusterName")) && has_any_key(m, cluster_input_keys))
        return true;
    return is_text(doc_get(m, "name")) && is_kind(doc_get(m, "autoScalingGroupProvider"), DOC_MAP);
}

/* An ECS mapping, or a list holding at least one. */
static bool is_ecs(const doc_node *root)
{
    if (is_kind(root, DOC_SEQ)) {
        for (size_t i = 0; i < doc_len(root); i++)
            if (is_ecs_map(doc_seq_at(root, i)))
                return true;
        return false;
    }
    return is_ecs_map(root);
}

/* docker-compose*.y(a)ml, compose*.y(a)ml, *-compose.y(a)ml, *.compose.y(a)ml
 * (and *_compose.y(a)ml), ASCII case-insensitively. */
static bool compose_name(const char *path)
{
    const char *name = base_name(path);
    size_t n = strlen(name), ext;
    if (ends_with_ci(name, ".yml"))
        ext = 4;
    else if (ends_with_ci(name, ".yaml"))
        ext = 5;
    else
        return false;
    size_t stem = n - ext;
    if (starts_with_ci(name, "docker-compose") || starts_with_ci(name, "compose"))
        return true;
    static const char *const tails[] = {"-compose", ".compose", "_compose"};
    for (size_t i = 0; i < sizeof tails / sizeof tails[0]; i++) {
        size_t k = strlen(tails[i]);
        if (stem >= k && strncasecmp(name + stem - k, tails[i], k) == 0)
            return true;
    }
    return false;
}

/* Keys that make a mapping look like a Compose service. */
static const char *const service_shape_keys[] = {
    "image", "build", "ports", "volumes", "environment", "env_file", "network_mode",
    "command", "entrypoint", "depends_on", "container_name", "restart", "expose",
    "networks", "privileged", "cap_add", "healthcheck", "deploy", "extends", NULL,
};

/* A top-level `services` mapping whose values are mappings (a null value,
 * `web:` with nothing under it, is tolerated), with a compose-like file
 * name or some service of the usual shape. */
static bool is_compose(const char *path, const doc_node *root)
{
    const doc_node *svcs = doc_get(root, "services");
    if (!is_kind(svcs, DOC_MAP))
        return false;
    bool shaped = false;
    for (size_t i = 0; i < doc_len(svcs); i++) {
        const doc_node *s = doc_map_val(svcs, i);
        if (is_kind(s, DOC_SCALAR) && doc_type_of(s) == DOC_NULL)
            continue;
        if (!is_kind(s, DOC_MAP))
            return false;
        if (has_any_key(s, service_shape_keys))
            shaped = true;
    }
    return shaped || compose_name(path);
}

/* Terraform JSON syntax: a mapping with a top-level block type. */
static bool is_terraform_json(const doc_node *root)
{
    static const char *const blocks[] = {"resource", "variable", "module", "locals", "provider",
                                          "terraform", "output", "data", "moved", "import",
                                          "check", "removed", NULL};
    return is_kind(root, DOC_MAP) && has_any_key(root, blocks);
}

bh_kind detect_document(const char *path, const doc_node *root)
{
    /* Terraform by name first: those files are nothing else. */
    const char *name = base_name(path);
    if (ends_with_ci(name, ".tfvars") || ends_with_ci(name, ".tfvars.json"))
        return KIND_TFVARS;
    if (ends_with_ci(name, ".tf"))
        return KIND_TERRAFORM;
    if (ends_with_ci(name, ".tf.json"))
        return is_terraform_json(root) ? KIND_TERRAFORM : KIND_NONE;

    if (is_kind(root, DOC_SEQ))
        return is_ecs(root) ? KIND_ECS : KIND_NONE;
    if (!is_kind(root, DOC_MAP))
        return KIND_NONE;
    /* Most specific first: a template with `Resources` may also carry an
     * apiVersion-like key; a Kubernetes object may have `services`. */
    if (is_cloudformation(root))
        return KIND_CLOUDFORMATION;
    if (is_kubernetes(root))
        return KIND_KUBERNETES;
    if (is_tf_plan(root))
        return KIND_TF_PLAN;
    if (is_ecs(root))
        return KIND_ECS;
    if (is_compose(path, root))
        return KIND_COMPOSE;
    return KIND_NONE;
}

/* ---- YAML streams, before parsing -------------------------------------- */

/* Whether the line at data[i] (a line start) is a document marker. */
static bool is_marker(const char *data, size_t len, size_t i)
{
    if (len - i < 3 || memcmp(data + i, "---", 3) != 0)
        return false;
    return i + 3 == len || data[i + 3] == ' ' || data[i + 3] == '\t' || data[i + 3] == '\n' ||
           data[i + 3] == '\r';
}

/* The start of the line after the one holding data[i]. */
static size_t next_line(const char *data, size_t len, size_t i)
{
    const char *nl = memchr(data + i, '\n', len - i);
    return nl ? (size_t)(nl - data) + 1 : len;
}

bool detect_yaml_splittable(const char *data, size_t len)
{
    for (size_t i = 0; i < len; i = next_line(data, len, i))
        if (data[i] == '%')
            return false;
    return true;
}

bool detect_yaml_next_document(const char *data, size_t len, size_t *pos, size_t *start,
                               size_t *end)
{
    size_t i = *pos;
    if (i >= len)
        return false;
    *start = i;
    /* the first line may be this document's own marker */
    if (is_marker(data, len, i))
        i = next_line(data, len, i);
    while (i < len && !is_marker(data, len, i))
        i = next_line(data, len, i);
    *end = *pos = i;
    return true;
}

/* The value of a column-0 `key:` line starting at data[i], unquoted and
 * without a trailing comment; false when the line is not that key. */
static bool top_key_value(const char *data, size_t len, size_t i, const char *key,
                          const char **val, size_t *vlen)
{
    size_t k = strlen(key);
    if (len - i < k + 1 || memcmp(data + i, key, k) != 0 || data[i + k] != ':')
        return false;
    size_t a = i + k + 1, e = next_line(data, len, i);
    while (a < e && (data[a] == ' ' || data[a] == '\t'))
        a++;
    size_t b = a;
    while (b < e && data[b] != '\n' && data[b] != '\r' && data[b] != '#')
        b++;
    while (b > a && (data[b - 1] == ' ' || data[b - 1] == '\t'))
        b--;
    if (b - a >= 2 && (data[a] == '"' || data[a] == '\'') && data[b - 1] == data[a]) {
        a++;
        b--;
    }
    *val = data + a;
    *vlen = b - a;
    return true;
}

bool detect_yaml_k8s_kind(const char *doc, size_t len, const char **kind, size_t *klen)
{
    static const char *const others[] = {"services", "Resources", "AWSTemplateFormatVersion",
                                         "containerDefinitions", "taskDefinition", NULL};
    bool api = false;
    const char *v;
    size_t vl;
    *kind = NULL;
    for (size_t i = 0; i < len; i = next_line(doc, len, i)) {
        char c = doc[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
            continue;
        if (top_key_value(doc, len, i, "apiVersion", &v, &vl))
            api = true;
        else if (top_key_value(doc, len, i, "kind", &v, &vl)) {
            *kind = v;
            *klen = vl;
        } else
            for (const char *const *o = others; *o; o++)
                if (top_key_value(doc, len, i, *o, &v, &vl))
                    return false;
    }
    if (!api || !*kind || *klen == 0)
        return false;
    for (size_t i = 0; i < *klen; i++) {
        char c = (*kind)[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            return false;
    }
    return true;
}

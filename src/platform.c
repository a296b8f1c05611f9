/*
 * platform.c - see platform.h.
 *
 * Three parts: facts about values (placeholders, host paths and runtime
 * sockets, users, images, Fargate versions); the ECS API field tables and
 * the key normaliser they drive; and the derived fields of ECS objects.
 *
 * The derived fields follow one rule for positions: a derived node's span
 * is the source value that decided it (the `user` value, the mount point's
 * `sourceVolume`, the environment entry's `name`), or, when the decision
 * came from an absence (no `user`), the mapping the field was missing
 * from.  A decision that hangs on a value nobody knows yet is an unknown
 * node carrying that value's text and span, so the policy reports
 * UNDETERMINED at the right place.
 */
#include "platform.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

/* ==================================================================== */
/* Facts about values                                                     */
/* ==================================================================== */

static bool is_ident_start(char c) { return isalpha((unsigned char)c) || c == '_'; }
static bool is_ident_char(char c) { return isalnum((unsigned char)c) || c == '_'; }

bool platform_is_placeholder(const char *s, size_t len)
{
    if (!s || len < 2 || s[0] != '$')
        return false;
    if (s[1] == '{') {
        if (len < 4 || s[len - 1] != '}' || !is_ident_start(s[2]))
            return false;
        for (size_t i = 2; i < len - 1; i++)
            if (s[i] == '}' || s[i] == '{')
                return false;
        return true;
    }
    if (!is_ident_start(s[1]))
        return false;
    for (size_t i = 2; i < len; i++)
        if (!is_ident_char(s[i]))
            return false;
    return true;
}

static bool is_placeholder_node(const doc_node *n)
{
    return n && doc_kind_of(n) == DOC_SCALAR && doc_type_of(n) == DOC_STR &&
           platform_is_placeholder(doc_text(n), doc_text_len(n));
}

doc_node *platform_unplaceholder(bh_arena *a, const doc_node *v)
{
    switch (doc_kind_of(v)) {
    case DOC_SCALAR:
        if (is_placeholder_node(v))
            return doc_new_unknown(a, doc_span(v), doc_text(v));
        return (doc_node *)v;
    case DOC_UNKNOWN:
        return (doc_node *)v;
    case DOC_SEQ: {
        doc_node *s = doc_new_seq(a, doc_span(v));
        if (!s)
            return NULL;
        for (size_t i = 0; i < doc_len(v); i++) {
            doc_node *item = platform_unplaceholder(a, doc_seq_at(v, i));
            if (!item || !doc_seq_append(a, s, item))
                return NULL;
        }
        return s;
    }
    case DOC_MAP: {
        doc_node *m = doc_new_map(a, doc_span(v));
        if (!m)
            return NULL;
        for (size_t i = 0; i < doc_len(v); i++) {
            doc_node *val = platform_unplaceholder(a, doc_map_val(v, i));
            if (!val || !doc_map_append(a, m, doc_map_key(v, i), val))
                return NULL;
        }
        return m;
    }
    }
    return NULL;
}

/* ---- host paths and runtime sockets ----------------------------------- */

bool platform_normalize_host_path(const char *path, char *buf, size_t size)
{
    if (!path || path[0] != '/' || size < 2)
        return false;
    size_t n = 0;
    buf[n++] = '/';
    const char *p = path;
    while (*p) {
        while (*p == '/')
            p++;
        if (!*p)
            break;
        const char *seg = p;
        while (*p && *p != '/')
            p++;
        size_t sl = (size_t)(p - seg);
        if (sl == 1 && seg[0] == '.')
            continue;
        if (sl == 2 && seg[0] == '.' && seg[1] == '.') {
            while (n > 1 && buf[n - 1] != '/')
                n--;
            if (n > 1)
                n--;
            continue;
        }
        if (n + 1 + sl + 1 > size)
            return false;
        if (n > 1)
            buf[n++] = '/';
        memcpy(buf + n, seg, sl);
        n += sl;
    }
    buf[n] = '\0';
    /* /var/run is a symlink to /run: one spelling for both. */
    if (strncmp(buf, "/var/run", 8) == 0 && (buf[8] == '\0' || buf[8] == '/'))
        memmove(buf, buf + 4, n - 4 + 1);
    return true;
}

/* Runtime sockets, normalised; "*" is one all-digit segment (a UID). */
static const char *const runtime_sockets[] = {
    "/run/docker.sock",
    "/run/dockershim.sock",
    "/run/cri-dockerd.sock",
    "/run/containerd/containerd.sock",
    "/run/crio/crio.sock",
    "/run/podman/podman.sock",
    "/run/k3s/containerd/containerd.sock",
    "/run/docker/containerd/containerd.sock",
    "/run/docker/containerd/docker-containerd.sock",
    "/run/user/*/docker.sock",
    "/run/user/*/podman/podman.sock",
    NULL,
};

static bool all_digits(const char *s, size_t len)
{
    if (len == 0)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return true;
}

/* Whether the normalised path is pattern or a directory above it. */
static bool path_covers(const char *path, const char *pattern)
{
    const char *p = path + 1, *q = pattern + 1;
    for (;;) {
        if (*p == '\0')
            return true;              /* path ended on a segment boundary */
        if (*q == '\0')
            return false;             /* path goes below the socket */
        size_t pl = strcspn(p, "/"), ql = strcspn(q, "/");
        bool same = (ql == 1 && q[0] == '*') ? all_digits(p, pl)
                                             : (pl == ql && memcmp(p, q, pl) == 0);
        if (!same)
            return false;
        p += pl + (p[pl] == '/');
        q += ql + (q[ql] == '/');
    }
}

bool platform_is_runtime_socket_path(const char *path)
{
    if (!path)
        return false;
    if (strcasecmp(path, "\\\\.\\pipe\\docker_engine") == 0 ||
        strcasecmp(path, "//./pipe/docker_engine") == 0)
        return true;
    char buf[4096];
    if (!platform_normalize_host_path(path, buf, sizeof buf))
        return false;
    for (const char *const *s = runtime_sockets; *s; s++)
        if (path_covers(buf, *s))
            return true;
    return false;
}

/* ---- users ------------------------------------------------------------- */

/* Length of the part of an ECS user before the first ':' that is not
 * inside a ${...} placeholder. */
static size_t user_uid_len(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && s[i] != ':') {
        if (s[i] == '$' && i + 1 < len && s[i + 1] == '{') {
            const char *close = memchr(s + i, '}', len - i);
            if (!close)
                return len;
            i = (size_t)(close - s) + 1;
        } else {
            i++;
        }
    }
    return i;
}

plat_tri platform_ecs_user_is_root(const char *user, size_t len)
{
    if (!user || len == 0)
        return PLAT_YES;
    if (platform_is_placeholder(user, len))
        return PLAT_UNKNOWN;
    size_t ul = user_uid_len(user, len);
    if (ul == 0)
        return PLAT_YES;
    if (platform_is_placeholder(user, ul))
        return PLAT_UNKNOWN;
    if (ul == 4 && memcmp(user, "root", 4) == 0)
        return PLAT_YES;
    if (all_digits(user, ul)) {
        for (size_t i = 0; i < ul; i++)
            if (user[i] != '0')
                return PLAT_NO;
        return PLAT_YES;
    }
    return PLAT_NO;
}

plat_tri platform_ecs_user_is_windows_admin(const char *user, size_t len)
{
    if (!user || len == 0)
        return PLAT_YES;
    if (platform_is_placeholder(user, len))
        return PLAT_UNKNOWN;
    static const char admin[] = "ContainerAdministrator";
    return len == sizeof admin - 1 && strncasecmp(user, admin, len) == 0 ? PLAT_YES : PLAT_NO;
}

static bool contains_ci(const char *hay, const char *needle)
{
    size_t nl = strlen(needle);
    for (const char *p = hay; *p; p++)
        if (strncasecmp(p, needle, nl) == 0)
            return true;
    return false;
}

bool platform_is_windows_image(const char *image)
{
    if (!image)
        return false;
    return strncasecmp(image, "mcr.microsoft.com/windows", 25) == 0 ||
           strncasecmp(image, "mcr.microsoft.com/dotnet/framework/", 35) == 0 ||
           contains_ci(image, "windowsservercore") || contains_ci(image, "servercore") ||
           contains_ci(image, "nanoserver");
}

/* ---- Fargate ------------------------------------------------------------ */

plat_tri platform_fargate_version_outdated(const char *version, bool windows)
{
    if (!version)
        return PLAT_NO;
    size_t len = strlen(version);
    if (platform_is_placeholder(version, len))
        return PLAT_UNKNOWN;
    if (strcasecmp(version, "LATEST") == 0)
        return PLAT_NO;
    long part[3] = {0, 0, 0};
    const char *p = version;
    for (int k = 0; k < 3; k++) {
        if (!isdigit((unsigned char)*p))
            return PLAT_NO;
        long v = 0;
        while (isdigit((unsigned char)*p) && v < 100000)
            v = v * 10 + (*p++ - '0');
        part[k] = v;
        if (*p == '\0')
            break;
        if (*p != '.' || k == 2)
            return PLAT_NO;
        p++;
    }
    long min[3] = {1, windows ? 0 : 4, 0};
    for (int k = 0; k < 3; k++)
        if (part[k] != min[k])
            return part[k] < min[k] ? PLAT_YES : PLAT_NO;
    return PLAT_NO;
}

/* ==================================================================== */
/* ECS field tables                                                       */
/* ==================================================================== */

#define V(n) {n, ECS_VALUE, NULL, NULL}
#define O(n, t) {n, ECS_OBJECT, t, NULL}
#define L(n, t) {n, ECS_OBJECT_LIST, t, NULL}
#define F(n) {n, ECS_FREE_MAP, NULL, NULL}
#define END {NULL, ECS_VALUE, NULL, NULL}

static const ecs_field name_value[] = {V("name"), V("value"), END};
static const ecs_field name_value_from[] = {V("name"), V("valueFrom"), END};
static const ecs_field key_value[] = {V("key"), V("value"), END};
static const ecs_field value_type[] = {V("value"), V("type"), END};
static const ecs_field placement_constraint[] = {V("type"), V("expression"), END};
static const ecs_field placement_strategy[] = {V("type"), V("field"), END};
static const ecs_field cp_strategy[] = {V("capacityProvider"), V("weight"), V("base"), END};

/* ---- container definitions ---- */

static const ecs_field capabilities[] = {V("add"), V("drop"), END};
static const ecs_field device[] = {V("hostPath"), V("containerPath"), V("permissions"), END};
static const ecs_field tmpfs[] = {V("containerPath"), V("size"), V("mountOptions"), END};
static const ecs_field linux_parameters[] = {
    O("capabilities", capabilities), L("devices", device), V("initProcessEnabled"),
    V("sharedMemorySize"), L("tmpfs", tmpfs), V("maxSwap"), V("swappiness"), END};
static const ecs_field port_range[] = {V("containerPort"), V("hostPort"), V("protocol"),
                                       V("name"), V("appProtocol"), V("containerPortRange"),
                                       V("hostPortRange"), END};
static const ecs_field mount_point[] = {V("sourceVolume"), V("containerPath"), V("readOnly"),
                                        END};
static const ecs_field volume_from[] = {V("sourceContainer"), V("readOnly"), END};
static const ecs_field depends_on[] = {V("containerName"), V("condition"), END};
static const ecs_field extra_host[] = {V("hostname"), V("ipAddress"), END};
static const ecs_field ulimit[] = {V("name"), V("softLimit"), V("hardLimit"), END};
static const ecs_field log_configuration[] = {V("logDriver"), F("options"),
                                              L("secretOptions", name_value_from), END};
static const ecs_field health_check[] = {V("command"), V("interval"), V("timeout"),
                                         V("retries"), V("startPeriod"), END};
static const ecs_field system_control[] = {V("namespace"), V("value"), END};
static const ecs_field firelens[] = {V("type"), F("options"), END};
static const ecs_field repository_credentials[] = {V("credentialsParameter"), END};
static const ecs_field restart_policy[] = {V("enabled"), V("ignoredExitCodes"),
                                           V("restartAttemptPeriod"), END};

const ecs_field ecs_container_definition_fields[] = {
    V("name"), V("image"), O("repositoryCredentials", repository_credentials), V("cpu"),
    V("gpu"), V("memory"), V("memoryReservation"), V("links"), L("portMappings", port_range),
    V("essential"), O("restartPolicy", restart_policy), V("entryPoint"), V("command"),
    L("environment", name_value), L("environmentFiles", value_type),
    L("mountPoints", mount_point), L("volumesFrom", volume_from),
    O("linuxParameters", linux_parameters), L("secrets", name_value_from),
    L("dependsOn", depends_on), V("startTimeout"), V("stopTimeout"),
    V("versionConsistency"), V("hostname"), V("user"), V("workingDirectory"),
    V("disableNetworking"), V("privileged"), V("readonlyRootFilesystem"), V("dnsServers"),
    V("dnsSearchDomains"), L("extraHosts", extra_host), V("dockerSecurityOptions"),
    V("interactive"), V("pseudoTerminal"), F("dockerLabels"), L("ulimits", ulimit),
    O("logConfiguration", log_configuration), O("healthCheck", health_check),
    L("systemControls", system_control), L("resourceRequirements", value_type),
    O("firelensConfiguration", firelens), V("credentialSpecs"), END};

/* ---- task definitions ---- */

static const ecs_field host_volume[] = {V("sourcePath"), END};
static const ecs_field docker_volume[] = {V("scope"), V("autoprovision"), V("driver"),
                                          F("driverOpts"), F("labels"), END};
static const ecs_field efs_authorization[] = {V("accessPointId"), V("iam"), END};
static const ecs_field efs_volume[] = {V("fileSystemId"), V("rootDirectory"),
                                       V("transitEncryption"), V("transitEncryptionPort"),
                                       O("authorizationConfig", efs_authorization), END};
static const ecs_field fsx_authorization[] = {V("credentialsParameter"), V("domain"), END};
static const ecs_field fsx_volume[] = {V("fileSystemId"), V("rootDirectory"),
                                       O("authorizationConfig", fsx_authorization), END};
static const ecs_field volume[] = {
    V("name"), O("host", host_volume), V("configuredAtLaunch"),
    O("dockerVolumeConfiguration", docker_volume), O("efsVolumeConfiguration", efs_volume),
    O("fsxWindowsFileServerVolumeConfiguration", fsx_volume), END};
static const ecs_field proxy_configuration[] = {
    V("type"), V("containerName"),
    {"properties", ECS_OBJECT_LIST, name_value, "ProxyConfigurationProperties"}, END};
static const ecs_field inference_accelerator[] = {V("deviceName"), V("deviceType"), END};
static const ecs_field ephemeral_storage[] = {V("sizeInGiB"), END};
static const ecs_field runtime_platform[] = {V("cpuArchitecture"), V("operatingSystemFamily"),
                                             END};
static const ecs_field attribute[] = {V("name"), V("value"), V("targetType"), V("targetId"),
                                      END};

const ecs_field ecs_task_definition_fields[] = {
    V("taskDefinitionArn"), V("family"), V("revision"), V("status"), V("taskRoleArn"),
    V("executionRoleArn"), V("networkMode"),
    L("containerDefinitions", ecs_container_definition_fields), L("volumes", volume),
    L("placementConstraints", placement_constraint), V("requiresCompatibilities"),
    V("compatibilities"), L("requiresAttributes", attribute), V("cpu"), V("memory"),
    L("tags", key_value), V("pidMode"), V("ipcMode"),
    O("proxyConfiguration", proxy_configuration),
    L("inferenceAccelerators", inference_accelerator),
    O("ephemeralStorage", ephemeral_storage), O("runtimePlatform", runtime_platform),
    V("enableFaultInjection"), V("registeredAt"), V("deregisteredAt"), V("registeredBy"),
    V("deleteRequestedAt"), END};

/* ---- services and task sets ---- */

static const ecs_field awsvpc_configuration[] = {V("subnets"), V("securityGroups"),
                                                 V("assignPublicIp"), END};
static const ecs_field network_configuration[] = {
    O("awsvpcConfiguration", awsvpc_configuration), END};
static const ecs_field load_balancer[] = {V("targetGroupArn"), V("loadBalancerName"),
                                          V("containerName"), V("containerPort"), END};
static const ecs_field service_registry[] = {V("registryArn"), V("port"), V("containerName"),
                                             V("containerPort"), END};
static const ecs_field scale[] = {V("value"), V("unit"), END};
static const ecs_field deployment_circuit_breaker[] = {V("enable"), V("rollback"), END};
static const ecs_field deployment_configuration[] = {
    O("deploymentCircuitBreaker", deployment_circuit_breaker), V("maximumPercent"),
    V("minimumHealthyPercent"), V("alarms"), V("strategy"), V("bakeTimeInMinutes"),
    V("lifecycleHooks"), END};
static const ecs_field deployment_controller[] = {V("type"), END};

const ecs_field ecs_task_set_fields[] = {
    V("id"), V("taskSetArn"), V("serviceArn"), V("clusterArn"), V("service"), V("cluster"),
    V("startedBy"), V("externalId"), V("status"), V("taskDefinition"),
    V("computedDesiredCount"), V("pendingCount"), V("runningCount"), V("createdAt"),
    V("updatedAt"), V("launchType"), L("capacityProviderStrategy", cp_strategy),
    V("platformVersion"), V("platformFamily"),
    O("networkConfiguration", network_configuration), L("loadBalancers", load_balancer),
    L("serviceRegistries", service_registry), O("scale", scale), V("stabilityStatus"),
    V("stabilityStatusAt"), L("tags", key_value), V("fargateEphemeralStorage"),
    V("clientToken"), END};

const ecs_field ecs_service_fields[] = {
    V("serviceArn"), V("serviceName"), V("clusterArn"), V("cluster"),
    L("loadBalancers", load_balancer), L("serviceRegistries", service_registry),
    V("status"), V("desiredCount"), V("runningCount"), V("pendingCount"), V("launchType"),
    L("capacityProviderStrategy", cp_strategy), V("platformVersion"), V("platformFamily"),
    V("taskDefinition"), O("deploymentConfiguration", deployment_configuration),
    L("taskSets", ecs_task_set_fields), V("deployments"), V("roleArn"), V("role"),
    V("events"), V("createdAt"), L("placementConstraints", placement_constraint),
    L("placementStrategy", placement_strategy),
    O("networkConfiguration", network_configuration), V("healthCheckGracePeriodSeconds"),
    V("schedulingStrategy"), O("deploymentController", deployment_controller),
    L("tags", key_value), V("createdBy"), V("enableECSManagedTags"), V("propagateTags"),
    V("enableExecuteCommand"), V("availabilityZoneRebalancing"), V("clientToken"),
    V("serviceConnectConfiguration"), V("volumeConfigurations"),
    V("vpcLatticeConfigurations"), END};

/* ---- clusters and capacity providers ---- */

static const ecs_field exec_log_configuration[] = {
    V("cloudWatchLogGroupName"), V("cloudWatchEncryptionEnabled"), V("s3BucketName"),
    V("s3EncryptionEnabled"), V("s3KeyPrefix"), END};
static const ecs_field execute_command_configuration[] = {
    V("kmsKeyId"), V("logging"), O("logConfiguration", exec_log_configuration), END};
static const ecs_field cluster_configuration[] = {
    O("executeCommandConfiguration", execute_command_configuration),
    V("managedStorageConfiguration"), END};
static const ecs_field service_connect_defaults[] = {V("namespace"), END};

const ecs_field ecs_cluster_fields[] = {
    V("clusterArn"), V("clusterName"), O("configuration", cluster_configuration),
    V("status"), V("registeredContainerInstancesCount"), V("runningTasksCount"),
    V("pendingTasksCount"), V("activeServicesCount"), V("statistics"), L("tags", key_value),
    {"settings", ECS_OBJECT_LIST, name_value, "ClusterSettings"}, V("capacityProviders"),
    L("defaultCapacityProviderStrategy", cp_strategy), V("attachments"),
    V("attachmentsStatus"), O("serviceConnectDefaults", service_connect_defaults), END};

static const ecs_field managed_scaling[] = {V("status"), V("targetCapacity"),
                                            V("minimumScalingStepSize"),
                                            V("maximumScalingStepSize"),
                                            V("instanceWarmupPeriod"), END};
static const ecs_field asg_provider[] = {V("autoScalingGroupArn"),
                                         O("managedScaling", managed_scaling),
                                         V("managedTerminationProtection"),
                                         V("managedDraining"), END};

const ecs_field ecs_capacity_provider_fields[] = {
    V("capacityProviderArn"), V("name"), V("status"),
    O("autoScalingGroupProvider", asg_provider), V("updateStatus"),
    V("updateStatusReason"), L("tags", key_value), V("cluster"), V("type"), END};

#undef V
#undef O
#undef L
#undef F
#undef END

/* ==================================================================== */
/* The key normaliser                                                     */
/* ==================================================================== */

/* Whether key[0..len) spells name under flags. */
static bool key_matches(const char *name, const char *key, size_t len, unsigned flags)
{
    size_t i = 0, j = 0, nl = strlen(name);
    bool any_case = flags & ECS_KEYS_ANY_CASE;
    bool skip_us = flags & ECS_KEYS_IGNORE_UNDERSCORES;
    for (;;) {
        if (skip_us)
            while (j < len && key[j] == '_')
                j++;
        if (i == nl || j == len)
            return i == nl && j == len;
        char a = name[i], b = key[j];
        if (any_case ? tolower((unsigned char)a) != tolower((unsigned char)b) : a != b)
            return false;
        i++;
        j++;
    }
}

const ecs_field *ecs_field_find(const ecs_field *table, const char *key, size_t len,
                                unsigned flags)
{
    if (!table)
        return NULL;
    /* The exact spelling first, so that any-case matching never prefers a
     * different field that happens to fold to the same text. */
    for (const ecs_field *f = table; f->name; f++)
        if (strlen(f->name) == len && memcmp(f->name, key, len) == 0)
            return f;
    if (flags & (ECS_KEYS_ANY_CASE | ECS_KEYS_IGNORE_UNDERSCORES))
        for (const ecs_field *f = table; f->name; f++)
            if (key_matches(f->name, key, len, flags) ||
                (f->alias && key_matches(f->alias, key, len, flags)))
                return f;
    return NULL;
}

static doc_node *copy_value(bh_arena *a, const doc_node *v, unsigned flags)
{
    return (flags & ECS_VALUES_PLACEHOLDERS) ? platform_unplaceholder(a, v) : (doc_node *)v;
}

static doc_node *norm_map(bh_arena *a, const doc_node *map, const ecs_field *table,
                          unsigned flags);

static doc_node *norm_value(bh_arena *a, const doc_node *v, const ecs_field *f, unsigned flags)
{
    if (f && f->shape == ECS_OBJECT && (flags & ECS_BLOCK_LISTS) && doc_kind_of(v) == DOC_SEQ &&
        doc_len(v) >= 1 && doc_kind_of(doc_seq_at(v, 0)) == DOC_MAP)
        v = doc_seq_at(v, 0);
    if (f && f->shape == ECS_OBJECT && doc_kind_of(v) == DOC_MAP)
        return norm_map(a, v, f->fields, flags);
    if (f && f->shape == ECS_OBJECT_LIST && doc_kind_of(v) == DOC_SEQ) {
        doc_node *s = doc_new_seq(a, doc_span(v));
        if (!s)
            return NULL;
        for (size_t i = 0; i < doc_len(v); i++) {
            const doc_node *item = doc_seq_at(v, i);
            doc_node *c = doc_kind_of(item) == DOC_MAP ? norm_map(a, item, f->fields, flags)
                                                       : copy_value(a, item, flags);
            if (!c || !doc_seq_append(a, s, c))
                return NULL;
        }
        return s;
    }
    return copy_value(a, v, flags);
}

static doc_node *norm_map(bh_arena *a, const doc_node *map, const ecs_field *table,
                          unsigned flags)
{
    doc_node *m = doc_new_map(a, doc_span(map));
    if (!m)
        return NULL;
    for (size_t i = 0; i < doc_len(map); i++) {
        doc_node *k = doc_map_key(map, i);
        const ecs_field *f = NULL;
        if (doc_kind_of(k) == DOC_SCALAR)
            f = ecs_field_find(table, doc_text(k), doc_text_len(k), flags);
        doc_node *key = k;
        if (f && !doc_text_eq(k, f->name)) {
            key = doc_new_str(a, doc_span(k), f->name);
            if (!key)
                return NULL;
        }
        doc_node *val = norm_value(a, doc_map_val(map, i), f, flags);
        if (!val || !doc_map_append(a, m, key, val))
            return NULL;
    }
    return m;
}

doc_node *ecs_normalize(bh_arena *a, const doc_node *map, const ecs_field *table,
                        unsigned flags)
{
    if (!map)
        return NULL;
    if (doc_kind_of(map) != DOC_MAP)
        return copy_value(a, map, flags);
    return norm_map(a, map, table, flags);
}

/* ==================================================================== */
/* ECS derived fields                                                     */
/* ==================================================================== */

/* A known scalar's text, or NULL (missing, null, unknown, not a scalar). */
static const char *known_text(const doc_node *n)
{
    if (!n || doc_kind_of(n) != DOC_SCALAR || doc_type_of(n) == DOC_NULL)
        return NULL;
    return doc_text(n);
}

static bool is_unknown(const doc_node *n) { return n && doc_kind_of(n) == DOC_UNKNOWN; }

/* A derived three-valued field: a boolean at `at`, or an unknown naming
 * `why` (its text and span). */
static bool put_tri(bh_arena *a, doc_node *map, const char *key, plat_tri v, bh_span at,
                    const doc_node *why)
{
    doc_node *n;
    if (v == PLAT_UNKNOWN)
        n = doc_new_unknown(a, why ? doc_span(why) : at, why ? doc_text(why) : key);
    else
        n = doc_new_bool(a, at, v == PLAT_YES);
    if (n && why)
        doc_set_trace(n, doc_trace_of(why));   /* where the deciding value came from */
    return n && doc_map_put(a, map, key, n);
}

/* ---- the operating system ---- */

/* The first node hinting that a task without runtimePlatform runs Windows:
 * a Windows container image, a Windows-only user, or a placement
 * constraint on attribute:ecs.os-type == windows. */
static const doc_node *windows_hint(const doc_node *td)
{
    const doc_node *cs = doc_get(td, "containerDefinitions");
    for (size_t i = 0; i < doc_len(cs); i++) {
        const doc_node *c = doc_seq_at(cs, i);
        const doc_node *image = doc_get(c, "image");
        if (platform_is_windows_image(known_text(image)))
            return image;
        const doc_node *user = doc_get(c, "user");
        const char *u = known_text(user);
        if (u && (strcasecmp(u, "ContainerAdministrator") == 0 ||
                  strcasecmp(u, "ContainerUser") == 0))
            return user;
    }
    const doc_node *pcs = doc_get(td, "placementConstraints");
    for (size_t i = 0; i < doc_len(pcs); i++) {
        const doc_node *e = doc_get(doc_seq_at(pcs, i), "expression");
        const char *t = known_text(e);
        if (t && contains_ci(t, "ecs.os-type") && contains_ci(t, "windows"))
            return e;
    }
    return NULL;
}

static bool derive_os(bh_arena *a, doc_node *td)
{
    const doc_node *rp = doc_get(td, "runtimePlatform");
    const doc_node *os = doc_get(rp, "operatingSystemFamily");
    plat_tri win;
    bh_span at;
    if (is_unknown(os)) {
        win = PLAT_UNKNOWN;
        at = doc_span(os);
    } else if (known_text(os)) {
        win = strncasecmp(known_text(os), "WINDOWS", 7) == 0 ? PLAT_YES : PLAT_NO;
        at = doc_span(os);
    } else {
        const doc_node *hint = windows_hint(td);
        win = hint ? PLAT_YES : PLAT_NO;
        at = hint ? doc_span(hint) : doc_span(rp && doc_kind_of(rp) == DOC_MAP ? rp : td);
    }
    plat_tri lin = win == PLAT_UNKNOWN ? PLAT_UNKNOWN : win == PLAT_YES ? PLAT_NO : PLAT_YES;
    return put_tri(a, td, "isWindows", win, at, os) && put_tri(a, td, "isLinux", lin, at, os);
}

/* ---- users ---- */

static bool derive_users(bh_arena *a, doc_node *c)
{
    const doc_node *user = doc_get(c, "user");
    bh_span at = doc_span(c);
    plat_tri root, admin;
    if (!user || (doc_kind_of(user) == DOC_SCALAR && doc_type_of(user) == DOC_NULL)) {
        root = admin = PLAT_YES;
        if (user)
            at = doc_span(user);
    } else if (is_unknown(user)) {
        root = admin = PLAT_UNKNOWN;
    } else if (doc_kind_of(user) == DOC_SCALAR) {
        at = doc_span(user);
        root = platform_ecs_user_is_root(doc_text(user), doc_text_len(user));
        admin = platform_ecs_user_is_windows_admin(doc_text(user), doc_text_len(user));
    } else {
        return true;      /* not a user the API takes: no verdict to derive */
    }
    return put_tri(a, c, "runsAsRoot", root, at, user) &&
           put_tri(a, c, "runsAsAdministrator", admin, at, user);
}

/* ---- secrets in the environment ---- */

static bool secret_env_name(const char *name)
{
    static const char *const exact[] = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
                                        "ECS_ENGINE_AUTH_DATA", NULL};
    static const char *const parts[] = {"PASSWORD", "SECRET", "TOKEN", "API_KEY",
                                        "ACCESS_KEY", NULL};
    for (const char *const *e = exact; *e; e++)
        if (strcasecmp(name, *e) == 0)
            return true;
    for (const char *const *p = parts; *p; p++)
        if (contains_ci(name, *p))
            return true;
    return false;
}

/* Whether an environment value is a literal that would expose a secret:
 * known, not empty, and not a reference (a Secrets Manager or SSM ARN, a
 * CloudFormation dynamic reference). */
static bool literal_secret_value(const doc_node *v)
{
    const char *t = known_text(v);
    if (!t || !*t)
        return false;
    return strncmp(t, "arn:aws:secretsmanager:", 23) != 0 && strncmp(t, "arn:aws:ssm:", 12) != 0 &&
           strstr(t, "{{resolve:") == NULL;
}

static bool derive_secret_env(bh_arena *a, doc_node *c)
{
    const doc_node *env = doc_get(c, "environment");
    doc_node *names = doc_new_seq(a, doc_span(env ? env : c));
    if (!names)
        return false;
    const doc_node *first = NULL, *unknown = NULL;
    if (is_unknown(env))
        unknown = env;
    for (size_t i = 0; i < doc_len(env) && doc_kind_of(env) == DOC_SEQ; i++) {
        const doc_node *e = doc_seq_at(env, i);
        const doc_node *name = doc_get(e, "name");
        if (!literal_secret_value(doc_get(e, "value")))
            continue;
        if (is_unknown(name)) {
            if (!unknown)
                unknown = name;
        } else if (known_text(name) && secret_env_name(known_text(name))) {
            if (!doc_seq_append(a, names, (doc_node *)name))
                return false;
            if (!first)
                first = name;
        }
    }
    plat_tri v = first ? PLAT_YES : unknown ? PLAT_UNKNOWN : PLAT_NO;
    bh_span at = first ? doc_span(first) : doc_span(env && !is_unknown(env) ? env : c);
    return doc_map_put(a, c, "secretEnvironment", names) &&
           put_tri(a, c, "hasSecretEnvironment", v, at, unknown);
}

/* ---- runtime sockets ---- */

typedef struct sock_volume {
    const doc_node *name;   /* the volume's name node (may be unknown or NULL) */
    const doc_node *path;   /* host.sourcePath */
    plat_tri socket;
} sock_volume;

static plat_tri classify_volume(const doc_node *vol, const doc_node **path)
{
    *path = doc_path(vol, "host.sourcePath");
    if (is_unknown(*path))
        return PLAT_UNKNOWN;
    const char *t = known_text(*path);
    return t && platform_is_runtime_socket_path(t) ? PLAT_YES : PLAT_NO;
}

static bool derive_sockets(bh_arena *a, doc_node *c, const sock_volume *vols, size_t nvols,
                           const doc_node *volumes)
{
    const doc_node *mps = doc_get(c, "mountPoints");
    doc_node *hits = doc_new_seq(a, doc_span(mps ? mps : c));
    doc_node *maybe = doc_new_seq(a, doc_span(c));
    if (!hits || !maybe)
        return false;
    const doc_node *first = NULL, *unknown = NULL;
    bool any_candidate = false;
    for (size_t k = 0; k < nvols; k++)
        any_candidate |= vols[k].socket != PLAT_NO;
    if (is_unknown(volumes) && doc_len(mps) > 0)
        unknown = volumes;
    if (is_unknown(mps) && (any_candidate || is_unknown(volumes)))
        unknown = mps;
    for (size_t i = 0; i < doc_len(mps) && doc_kind_of(mps) == DOC_SEQ; i++) {
        const doc_node *sv = doc_get(doc_seq_at(mps, i), "sourceVolume");
        if (!sv)
            continue;
        for (size_t k = 0; k < nvols; k++) {
            if (vols[k].socket == PLAT_NO)
                continue;
            bool maybe_same = is_unknown(sv) || is_unknown(vols[k].name);
            if (!maybe_same && !(known_text(sv) && known_text(vols[k].name) &&
                                 strcmp(known_text(sv), known_text(vols[k].name)) == 0))
                continue;
            if (vols[k].socket == PLAT_YES && !maybe_same) {
                doc_node *item = doc_new_str(a, doc_span(sv), doc_text(vols[k].path));
                if (!item || !doc_seq_append(a, hits, item))
                    return false;
                if (!first)
                    first = sv;
            } else {
                const doc_node *why = is_unknown(sv)             ? sv
                                      : is_unknown(vols[k].name) ? vols[k].name
                                                                 : vols[k].path;
                doc_node *item = doc_new_unknown(a, doc_span(why), doc_text(why));
                if (!item || !doc_seq_append(a, maybe, item))
                    return false;
                if (!unknown)
                    unknown = why;
            }
        }
    }
    for (size_t i = 0; i < doc_len(maybe); i++)
        if (!doc_seq_append(a, hits, doc_seq_at(maybe, i)))
            return false;
    plat_tri v = first ? PLAT_YES : unknown ? PLAT_UNKNOWN : PLAT_NO;
    bh_span at = first ? doc_span(first) : doc_span(c);
    return doc_map_put(a, c, "runtimeSocketMounts", hits) &&
           put_tri(a, c, "mountsRuntimeSocket", v, at, unknown);
}

bool ecs_derive_task_definition(bh_arena *a, doc_node *td)
{
    if (!derive_os(a, td))
        return false;
    const doc_node *volumes = doc_get(td, "volumes");
    size_t nvols = doc_kind_of(volumes ? volumes : td) == DOC_SEQ ? doc_len(volumes) : 0;
    sock_volume *vols = nvols ? arena_alloc(a, nvols * sizeof *vols) : NULL;
    if (nvols && !vols)
        return false;
    for (size_t k = 0; k < nvols; k++) {
        const doc_node *v = doc_seq_at(volumes, k);
        vols[k].name = doc_get(v, "name");
        vols[k].socket = classify_volume(v, &vols[k].path);
    }
    const doc_node *cs = doc_get(td, "containerDefinitions");
    for (size_t i = 0; cs && doc_kind_of(cs) == DOC_SEQ && i < doc_len(cs); i++) {
        doc_node *c = doc_seq_at(cs, i);
        if (doc_kind_of(c) != DOC_MAP)
            continue;
        if (!derive_users(a, c) || !derive_secret_env(a, c) ||
            !derive_sockets(a, c, vols, nvols, volumes))
            return false;
    }
    return true;
}

/* ---- services ---- */

bool ecs_derive_service(bh_arena *a, doc_node *svc)
{
    /* isFargate: the launch type, else a Fargate capacity provider. */
    const doc_node *lt = doc_get(svc, "launchType");
    plat_tri fargate = PLAT_NO;
    const doc_node *why = NULL;
    bh_span at = doc_span(svc);
    if (is_unknown(lt)) {
        fargate = PLAT_UNKNOWN;
        why = lt;
    } else if (known_text(lt)) {
        fargate = strcmp(known_text(lt), "FARGATE") == 0 ? PLAT_YES : PLAT_NO;
        at = doc_span(lt);
    } else {
        const doc_node *st = doc_get(svc, "capacityProviderStrategy");
        for (size_t i = 0; i < doc_len(st) && doc_kind_of(st) == DOC_SEQ; i++) {
            const doc_node *cp = doc_get(doc_seq_at(st, i), "capacityProvider");
            if (is_unknown(cp) && !why) {
                fargate = PLAT_UNKNOWN;
                why = cp;
            } else if (known_text(cp) && strncmp(known_text(cp), "FARGATE", 7) == 0) {
                fargate = PLAT_YES;
                at = doc_span(cp);
                break;
            }
        }
    }
    if (!put_tri(a, svc, "isFargate", fargate, at, why))
        return false;

    const doc_node *pf = doc_get(svc, "platformFamily");
    plat_tri win = is_unknown(pf) ? PLAT_UNKNOWN
                   : known_text(pf) && strncasecmp(known_text(pf), "WINDOWS", 7) == 0
                       ? PLAT_YES
                       : PLAT_NO;
    if (!put_tri(a, svc, "isWindows", win, pf ? doc_span(pf) : doc_span(svc), pf))
        return false;

    const doc_node *pv = doc_get(svc, "platformVersion");
    if (!pv)
        return true;
    plat_tri old;
    const doc_node *owhy = pv;
    if (is_unknown(pv)) {
        old = PLAT_UNKNOWN;
    } else if (!known_text(pv)) {
        return true;
    } else {
        plat_tri on_linux = platform_fargate_version_outdated(known_text(pv), false);
        plat_tri on_windows = platform_fargate_version_outdated(known_text(pv), true);
        old = win == PLAT_YES ? on_windows : win == PLAT_NO ? on_linux
              : on_linux == on_windows ? on_linux : PLAT_UNKNOWN;
        if (old == PLAT_UNKNOWN && win == PLAT_UNKNOWN)
            owhy = pf;
    }
    return put_tri(a, svc, "platformVersionOutdated", old, doc_span(pv), owhy);
}

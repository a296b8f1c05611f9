/* Unit tests: adapt_ecs.c (shapes, names, derived fields, placeholders,
 * invalid shapes) and the platform facts of platform.c (ECS users, runtime
 * sockets, placeholders, the key normaliser, Fargate versions).
 *
 * Inputs are written as JSON and read by a small reader below that builds
 * doc trees with real spans, so that positions can be checked without
 * depending on the JSON module. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "adapter.h"
#include "platform.h"

/* ---- a small JSON reader for test inputs ------------------------------ */

typedef struct tj {
    bh_arena *a;
    const bh_source *src;
    const char *s;
    uint32_t i;
} tj;

static void tj_ws(tj *p)
{
    while (isspace((unsigned char)p->s[p->i]))
        p->i++;
}

static doc_node *tj_value(tj *p);

static doc_node *tj_string(tj *p)
{
    uint32_t start = p->i++;
    char buf[512];
    size_t n = 0;
    while (p->s[p->i] != '"') {
        char c = p->s[p->i++];
        if (c == '\\')
            c = p->s[p->i++];
        assert_true(n < sizeof buf - 1);
        buf[n++] = c;
    }
    p->i++;
    return doc_new_scalar(p->a, span_make(p->src, start, p->i), buf, n, DOC_STR,
                          DOC_DOUBLE_QUOTED);
}

static doc_node *tj_value(tj *p)
{
    tj_ws(p);
    uint32_t start = p->i;
    char c = p->s[p->i];
    if (c == '{') {
        doc_node *m = doc_new_map(p->a, span_make(p->src, start, start));
        p->i++;
        tj_ws(p);
        while (p->s[p->i] != '}') {
            doc_node *k = tj_string(p);
            tj_ws(p);
            assert_int_equal(p->s[p->i++], ':');
            doc_node *v = tj_value(p);
            assert_true(doc_map_append(p->a, m, k, v));
            tj_ws(p);
            if (p->s[p->i] == ',')
                p->i++;
            tj_ws(p);
        }
        p->i++;
        doc_set_span(m, span_make(p->src, start, p->i));
        return m;
    }
    if (c == '[') {
        doc_node *s = doc_new_seq(p->a, span_make(p->src, start, start));
        p->i++;
        tj_ws(p);
        while (p->s[p->i] != ']') {
            assert_true(doc_seq_append(p->a, s, tj_value(p)));
            tj_ws(p);
            if (p->s[p->i] == ',')
                p->i++;
            tj_ws(p);
        }
        p->i++;
        doc_set_span(s, span_make(p->src, start, p->i));
        return s;
    }
    if (c == '"')
        return tj_string(p);
    if (strncmp(p->s + p->i, "true", 4) == 0 || strncmp(p->s + p->i, "false", 5) == 0) {
        bool b = c == 't';
        p->i += b ? 4 : 5;
        return doc_new_bool(p->a, span_make(p->src, start, p->i), b);
    }
    if (strncmp(p->s + p->i, "null", 4) == 0) {
        p->i += 4;
        return doc_new_scalar(p->a, span_make(p->src, start, p->i), "null", 4, DOC_NULL,
                              DOC_PLAIN);
    }
    char *end;
    long long v = strtoll(p->s + p->i, &end, 10);
    assert_true(end > p->s + p->i);
    p->i = (uint32_t)(end - p->s);
    return doc_new_int(p->a, span_make(p->src, start, p->i), v);
}

/* One test's world: a source, an arena, the objects and diagnostics. */
typedef struct world {
    bh_source *src;
    bh_arena *a;
    bh_objlist *objs;
    bh_diags *diags;
    bool ok;
} world;

static world *adapt(const char *json)
{
    world *w = calloc(1, sizeof *w);
    assert_non_null(w);
    w->src = source_new("test.json", json, strlen(json));
    w->a = arena_new();
    w->objs = objlist_new(w->a);
    w->diags = diags_new();
    tj p = {w->a, w->src, source_data(w->src), 0};
    doc_node *root = tj_value(&p);
    w->ok = adapt_ecs(root, w->a, w->objs, w->diags);
    return w;
}

static void release(world *w)
{
    diags_free(w->diags);
    arena_free(w->a);
    source_free(w->src);
    free(w);
}

static const bh_object *obj(world *w, size_t i)
{
    assert_true(i < objlist_len(w->objs));
    return objlist_at(w->objs, i);
}

static doc_node *container(const bh_object *o, size_t i)
{
    doc_node *c = doc_seq_at(doc_get(o->root, "containerDefinitions"), i);
    assert_non_null(c);
    return c;
}

static uint32_t line_of(const doc_node *n)
{
    bh_span sp = doc_span(n);
    return source_pos(sp.src, sp.start).line;
}

static void assert_bool_field(const doc_node *m, const char *key, bool want)
{
    bool b = !want;
    const doc_node *n = doc_get(m, key);
    assert_non_null(n);
    assert_true(doc_bool(n, &b));
    assert_int_equal(b, want);
}

static void assert_unknown_field(const doc_node *m, const char *key, const char *text)
{
    const doc_node *n = doc_get(m, key);
    assert_non_null(n);
    assert_int_equal(doc_kind_of(n), DOC_UNKNOWN);
    assert_string_equal(doc_text(n), text);
}

/* ---- platform facts ------------------------------------------------------ */

static plat_tri user_root(const char *u) { return platform_ecs_user_is_root(u, u ? strlen(u) : 0); }

static void test_ecs_user_root_rule(void **state)
{
    (void)state;
    assert_int_equal(user_root("root"), PLAT_YES);
    assert_int_equal(user_root("0"), PLAT_YES);
    assert_int_equal(user_root("00"), PLAT_YES);
    assert_int_equal(user_root("0:1000"), PLAT_YES);
    assert_int_equal(user_root("root:staff"), PLAT_YES);
    assert_int_equal(user_root(NULL), PLAT_YES);
    assert_int_equal(user_root(""), PLAT_YES);
    assert_int_equal(user_root(":1000"), PLAT_YES);
    assert_int_equal(user_root("1000:0"), PLAT_NO);
    assert_int_equal(user_root("nobody"), PLAT_NO);
    assert_int_equal(user_root("app"), PLAT_NO);
    assert_int_equal(user_root("10"), PLAT_NO);
    assert_int_equal(user_root("ROOT"), PLAT_NO);
    assert_int_equal(user_root("rooter"), PLAT_NO);
    assert_int_equal(user_root("${U}"), PLAT_UNKNOWN);
    assert_int_equal(user_root("$U"), PLAT_UNKNOWN);
    assert_int_equal(user_root("${UID}:1000"), PLAT_UNKNOWN);
    assert_int_equal(user_root("${U:-0}"), PLAT_UNKNOWN);
    assert_int_equal(user_root("1000:${GID}"), PLAT_NO);
}

static void test_windows_admin_rule(void **state)
{
    (void)state;
    assert_int_equal(platform_ecs_user_is_windows_admin(NULL, 0), PLAT_YES);
    assert_int_equal(platform_ecs_user_is_windows_admin("", 0), PLAT_YES);
    assert_int_equal(platform_ecs_user_is_windows_admin("containeradministrator", 22), PLAT_YES);
    assert_int_equal(platform_ecs_user_is_windows_admin("ContainerUser", 13), PLAT_NO);
    assert_int_equal(platform_ecs_user_is_windows_admin("${USER}", 7), PLAT_UNKNOWN);
    assert_true(platform_is_windows_image("mcr.microsoft.com/windows/servercore:ltsc2019"));
    assert_true(platform_is_windows_image("mcr.microsoft.com/dotnet/framework/aspnet:4.8"));
    assert_true(platform_is_windows_image("me/app:1.0-nanoserver-1809"));
    assert_false(platform_is_windows_image("nginx:1.27"));
    assert_false(platform_is_windows_image(NULL));
}

static void test_placeholders(void **state)
{
    (void)state;
    static const char *const yes[] = {"${NETWORK_MODE}", "$NETWORK_MODE", "${A:-host}", "$_x1",
                                      NULL};
    static const char *const no[] = {"host", "$", "${}", "${1X}", "$1", "app:${TAG}",
                                     "${A}${B}", "${A}x", "$A-b", "{{ x }}", "", NULL};
    for (const char *const *s = yes; *s; s++)
        assert_true(platform_is_placeholder(*s, strlen(*s)));
    for (const char *const *s = no; *s; s++)
        assert_false(platform_is_placeholder(*s, strlen(*s)));
}

static void test_host_path_normalisation(void **state)
{
    (void)state;
    char buf[64];
    assert_true(platform_normalize_host_path("//var//run/./docker.sock/", buf, sizeof buf));
    assert_string_equal(buf, "/run/docker.sock");
    assert_true(platform_normalize_host_path("/var/lib/../run/x", buf, sizeof buf));
    assert_string_equal(buf, "/run/x");
    assert_true(platform_normalize_host_path("/..", buf, sizeof buf));
    assert_string_equal(buf, "/");
    assert_true(platform_normalize_host_path("/var/running", buf, sizeof buf));
    assert_string_equal(buf, "/var/running");
    assert_false(platform_normalize_host_path("docker.sock", buf, sizeof buf));
    assert_false(platform_normalize_host_path("/a/very/long/path/that/does/not/fit/in/sixteen",
                                              buf, 16));
}

static void test_runtime_socket_paths(void **state)
{
    (void)state;
    static const char *const yes[] = {
        "/var/run/docker.sock", "/run/docker.sock", "//var/run//docker.sock",
        "/var/run/docker.sock/", "/run/containerd/containerd.sock",
        "/var/run/containerd/containerd.sock", "/run/crio/crio.sock",
        "/run/podman/podman.sock", "/var/run/cri-dockerd.sock", "/run/user/1000/docker.sock",
        "/run/user/1000/podman/podman.sock", "/", "/run", "/var/run", "/var/run/",
        "/var/run/docker", "/run/containerd", "/run/user", "/run/user/0",
        "/run/k3s/containerd/containerd.sock", "\\\\.\\pipe\\docker_engine", NULL};
    static const char *const no[] = {
        "/var/lib/docker", "/var/log", "/run/secrets", "/etc/docker.sock",
        "/run/user/alice/docker.sock", "/var/run/docker.sock.bak", "docker.sock", "",
        "/var", "/home/user/docker.sock", NULL};
    for (const char *const *s = yes; *s; s++)
        if (!platform_is_runtime_socket_path(*s))
            fail_msg("expected a runtime socket: %s", *s);
    for (const char *const *s = no; *s; s++)
        if (platform_is_runtime_socket_path(*s))
            fail_msg("not a runtime socket: %s", *s);
    assert_false(platform_is_runtime_socket_path(NULL));
}

static void test_fargate_versions(void **state)
{
    (void)state;
    assert_int_equal(platform_fargate_version_outdated("1.3.0", false), PLAT_YES);
    assert_int_equal(platform_fargate_version_outdated("1.4.0", false), PLAT_NO);
    assert_int_equal(platform_fargate_version_outdated("1.4", false), PLAT_NO);
    assert_int_equal(platform_fargate_version_outdated("1.10.0", false), PLAT_NO);
    assert_int_equal(platform_fargate_version_outdated("LATEST", false), PLAT_NO);
    assert_int_equal(platform_fargate_version_outdated("1.0.0", true), PLAT_NO);
    assert_int_equal(platform_fargate_version_outdated("1.3.0", true), PLAT_NO);
    assert_int_equal(platform_fargate_version_outdated("0.9.0", true), PLAT_YES);
    assert_int_equal(platform_fargate_version_outdated("${PV}", false), PLAT_UNKNOWN);
    assert_int_equal(platform_fargate_version_outdated("bogus", false), PLAT_NO);
}

static void test_normalise_keys_any_case(void **state)
{
    (void)state;
    world *w = adapt("[]");
    const char *cfn =
        "{\"Family\": \"x\", \"NetworkMode\": \"host\", \"ContainerDefinitions\": [{\"Name\": \"a\","
        " \"Privileged\": true, \"ReadonlyRootFilesystem\": false, \"LinuxParameters\":"
        " {\"Capabilities\": {\"Add\": [\"SYS_ADMIN\"]}}, \"DockerLabels\": {\"MyLabel\": \"v\"}}],"
        " \"Volumes\": [{\"Name\": \"v\", \"Host\": {\"SourcePath\": \"/\"},"
        " \"EFSVolumeConfiguration\": {\"FilesystemId\": \"fs\", \"TransitEncryption\": \"ENABLED\"}}],"
        " \"ProxyConfiguration\": {\"ProxyConfigurationProperties\": [{\"Name\": \"n\"}]},"
        " \"RuntimePlatform\": {\"OperatingSystemFamily\": \"${OS}\"}, \"Custom\": 1}";
    bh_source *src = source_new("cfn.json", cfn, strlen(cfn));
    tj p = {w->a, src, source_data(src), 0};
    doc_node *in = tj_value(&p);
    doc_node *td = ecs_normalize(w->a, in, ecs_task_definition_fields,
                                 ECS_KEYS_ANY_CASE | ECS_VALUES_PLACEHOLDERS);
    assert_non_null(td);
    assert_true(doc_text_eq(doc_get(td, "networkMode"), "host"));
    assert_true(doc_text_eq(doc_get(td, "family"), "x"));
    doc_node *c = doc_seq_at(doc_get(td, "containerDefinitions"), 0);
    assert_non_null(doc_get(c, "privileged"));
    assert_non_null(doc_get(c, "readonlyRootFilesystem"));
    assert_true(doc_text_eq(doc_seq_at(doc_path(c, "linuxParameters.capabilities.add"), 0),
                            "SYS_ADMIN"));
    assert_non_null(doc_path(c, "dockerLabels.MyLabel"));     /* user keys kept */
    doc_node *v = doc_seq_at(doc_get(td, "volumes"), 0);
    assert_true(doc_text_eq(doc_path(v, "host.sourcePath"), "/"));
    assert_true(doc_text_eq(doc_path(v, "efsVolumeConfiguration.transitEncryption"), "ENABLED"));
    assert_non_null(doc_path(v, "efsVolumeConfiguration.fileSystemId"));
    assert_non_null(doc_path(td, "proxyConfiguration.properties"));
    assert_int_equal(doc_kind_of(doc_path(td, "runtimePlatform.operatingSystemFamily")),
                     DOC_UNKNOWN);
    assert_non_null(doc_get(td, "Custom"));                    /* unknown keys kept */
    /* A renamed key keeps the original key's span. */
    doc_node *key = doc_map_key(td, 1);
    assert_string_equal(doc_text(key), "networkMode");
    assert_int_equal(doc_span(key).start, doc_span(doc_map_key(in, 1)).start);
    /* Exact matching leaves PascalCase alone. */
    doc_node *exact = ecs_normalize(w->a, in, ecs_task_definition_fields, ECS_KEYS_EXACT);
    assert_null(doc_get(exact, "networkMode"));
    assert_non_null(doc_get(exact, "NetworkMode"));
    source_free(src);
    release(w);
}

static void test_normalise_snake_case(void **state)
{
    (void)state;
    assert_non_null(ecs_field_find(ecs_task_definition_fields, "network_mode", 12,
                                   ECS_KEYS_IGNORE_UNDERSCORES | ECS_KEYS_ANY_CASE));
    assert_null(ecs_field_find(ecs_task_definition_fields, "network_mode", 12, ECS_KEYS_EXACT));
    const ecs_field *f = ecs_field_find(ecs_cluster_fields, "ClusterSettings", 15,
                                        ECS_KEYS_ANY_CASE);
    assert_non_null(f);
    assert_string_equal(f->name, "settings");
    assert_null(ecs_field_find(ecs_task_definition_fields, "networkModes", 12,
                               ECS_KEYS_ANY_CASE));
}

/* ---- task definitions ---------------------------------------------------- */

static void test_register_input_shape(void **state)
{
    (void)state;
    world *w = adapt("{\n"
                     "  \"family\": \"web\",\n"
                     "  \"networkMode\": \"host\",\n"
                     "  \"containerDefinitions\": [\n"
                     "    { \"name\": \"a\", \"user\": \"0\" }\n"
                     "  ]\n"
                     "}\n");
    assert_true(w->ok);
    assert_int_equal(objlist_len(w->objs), 1);
    const bh_object *o = obj(w, 0);
    assert_string_equal(o->type, "aws/ecs/task-definition");
    assert_string_equal(o->name, "web");
    assert_int_equal(o->span.start, 0);
    assert_true(doc_text_eq(doc_get(o->root, "networkMode"), "host"));
    doc_node *c = container(o, 0);
    assert_bool_field(c, "runsAsRoot", true);
    assert_int_equal(line_of(doc_get(c, "runsAsRoot")), 5);
    assert_int_equal(diags_count(w->diags), 0);
    release(w);
}

static void test_describe_shape_and_names(void **state)
{
    (void)state;
    world *w = adapt("{\"taskDefinition\": {\"family\": \"legacy\", \"revision\": 3,"
                     " \"status\": \"INACTIVE\", \"containerDefinitions\": []}}");
    assert_int_equal(objlist_len(w->objs), 1);
    assert_string_equal(obj(w, 0)->name, "legacy:3");
    assert_true(doc_text_eq(doc_get(obj(w, 0)->root, "status"), "INACTIVE"));
    /* The object's span is the task definition mapping, not the wrapper. */
    assert_int_equal(obj(w, 0)->span.start, 19);
    release(w);

    w = adapt("[{\"containerDefinitions\": []}, {\"taskDefinition\": {\"family\": \"b\","
              " \"containerDefinitions\": []}}, {\"family\": \"c\", \"containerDefinitions\": []},"
              " 42, {\"unrelated\": true}]");
    assert_true(w->ok);
    assert_int_equal(objlist_len(w->objs), 3);
    assert_string_equal(obj(w, 0)->name, "task-definition[0]");
    assert_string_equal(obj(w, 1)->name, "b");
    assert_string_equal(obj(w, 2)->name, "c");
    release(w);

    w = adapt("{\"containerDefinitions\": []}");
    assert_string_equal(obj(w, 0)->name, "task-definition");
    release(w);
}

static void test_runs_as_root_values(void **state)
{
    (void)state;
    world *w = adapt("{\"containerDefinitions\": [\n"
                     "{\"name\": \"root\", \"user\": \"root\"},\n"
                     "{\"name\": \"zero\", \"user\": \"0\"},\n"
                     "{\"name\": \"zerozero\", \"user\": \"00\"},\n"
                     "{\"name\": \"zero-group\", \"user\": \"0:1000\"},\n"
                     "{\"name\": \"root-staff\", \"user\": \"root:staff\"},\n"
                     "{\"name\": \"group-zero\", \"user\": \"1000:0\"},\n"
                     "{\"name\": \"nobody\", \"user\": \"nobody\"},\n"
                     "{\"name\": \"unset\"},\n"
                     "{\"name\": \"empty\", \"user\": \"\"},\n"
                     "{\"name\": \"templated\", \"user\": \"${U}\"}\n"
                     "]}");
    const bh_object *o = obj(w, 0);
    static const int want[] = {1, 1, 1, 1, 1, 0, 0, 1, 1, -1};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        doc_node *c = container(o, i);
        if (want[i] < 0)
            assert_unknown_field(c, "runsAsRoot", "${U}");
        else
            assert_bool_field(c, "runsAsRoot", want[i] == 1);
        /* Placed on the user value, or on the container when unset. */
        assert_int_equal(line_of(doc_get(c, "runsAsRoot")), i + 2);
    }
    /* The unset user is placed at the container mapping itself. */
    assert_int_equal(doc_span(doc_get(container(o, 7), "runsAsRoot")).start,
                     doc_span(container(o, 7)).start);
    assert_int_equal(doc_span(doc_get(container(o, 0), "runsAsRoot")).start,
                     doc_span(doc_get(container(o, 0), "user")).start);
    /* The templated user itself is an unknown too. */
    assert_int_equal(doc_kind_of(doc_get(container(o, 9), "user")), DOC_UNKNOWN);
    release(w);
}

static void test_placeholders_become_unknown(void **state)
{
    (void)state;
    world *w = adapt("{\"family\": \"worker\", \"networkMode\": \"${NETWORK_MODE}\","
                     " \"pidMode\": \"$PID_MODE\", \"containerDefinitions\": [{\"name\": \"w\","
                     " \"image\": \"worker:${IMAGE_TAG}\", \"privileged\": \"${PRIV}\","
                     " \"command\": [\"run\", \"${ARG}\"]}]}");
    const bh_object *o = obj(w, 0);
    doc_node *nm = doc_get(o->root, "networkMode");
    assert_int_equal(doc_kind_of(nm), DOC_UNKNOWN);
    assert_string_equal(doc_text(nm), "${NETWORK_MODE}");
    assert_true(doc_span(nm).end > doc_span(nm).start);
    assert_int_equal(doc_kind_of(doc_get(o->root, "pidMode")), DOC_UNKNOWN);
    doc_node *c = container(o, 0);
    assert_int_equal(doc_kind_of(doc_get(c, "image")), DOC_SCALAR);  /* embedded: a string */
    assert_int_equal(doc_kind_of(doc_get(c, "privileged")), DOC_UNKNOWN);
    assert_int_equal(doc_kind_of(doc_seq_at(doc_get(c, "command"), 1)), DOC_UNKNOWN);
    release(w);

    /* A placeholder for the whole container list: unknown, not an error. */
    w = adapt("{\"family\": \"t\", \"containerDefinitions\": \"${CONTAINERS}\"}");
    assert_true(w->ok);
    assert_int_equal(diags_count(w->diags), 0);
    assert_int_equal(doc_kind_of(doc_get(obj(w, 0)->root, "containerDefinitions")), DOC_UNKNOWN);
    release(w);
}

static void test_operating_system(void **state)
{
    (void)state;
    world *w = adapt(
        "[{\"family\": \"l\", \"runtimePlatform\": {\"operatingSystemFamily\": \"LINUX\"},"
        "  \"containerDefinitions\": []},"
        " {\"family\": \"w\", \"runtimePlatform\": {\"operatingSystemFamily\": "
        "\"WINDOWS_SERVER_2022_CORE\"}, \"containerDefinitions\": []},"
        " {\"family\": \"unset\", \"containerDefinitions\": [{\"image\": \"nginx\"}]},"
        " {\"family\": \"hint-image\", \"containerDefinitions\": [{\"image\":"
        " \"mcr.microsoft.com/windows/servercore/iis\"}]},"
        " {\"family\": \"hint-user\", \"containerDefinitions\": [{\"user\": \"ContainerAdministrator\"}]},"
        " {\"family\": \"hint-placement\", \"containerDefinitions\": [], \"placementConstraints\":"
        " [{\"type\": \"memberOf\", \"expression\": \"attribute:ecs.os-type == windows\"}]},"
        " {\"family\": \"templated\", \"runtimePlatform\": {\"operatingSystemFamily\": \"${OS}\"},"
        "  \"containerDefinitions\": []}]");
    assert_int_equal(objlist_len(w->objs), 7);
    static const int win[] = {0, 1, 0, 1, 1, 1, -1};
    for (size_t i = 0; i < 7; i++) {
        const doc_node *td = obj(w, i)->root;
        if (win[i] < 0) {
            assert_unknown_field(td, "isWindows", "${OS}");
            assert_unknown_field(td, "isLinux", "${OS}");
        } else {
            assert_bool_field(td, "isWindows", win[i] == 1);
            assert_bool_field(td, "isLinux", win[i] == 0);
        }
    }
    /* The hint is where isWindows points. */
    const doc_node *c = container(obj(w, 3), 0);
    assert_int_equal(doc_span(doc_get(obj(w, 3)->root, "isWindows")).start,
                     doc_span(doc_get(c, "image")).start);
    assert_bool_field(container(obj(w, 4), 0), "runsAsAdministrator", true);
    assert_bool_field(container(obj(w, 4), 0), "runsAsRoot", false);
    assert_bool_field(container(obj(w, 2), 0), "runsAsAdministrator", true);
    release(w);
}

static void test_runtime_socket_mounts(void **state)
{
    (void)state;
    world *w = adapt("{\"family\": \"s\", \"containerDefinitions\": [\n"
                     "{\"name\": \"a\", \"mountPoints\": [\n"
                     "  {\"sourceVolume\": \"data\", \"containerPath\": \"/data\"},\n"
                     "  {\"sourceVolume\": \"sock\", \"containerPath\": \"/var/run/docker.sock\"}]},\n"
                     "{\"name\": \"b\", \"mountPoints\": [{\"sourceVolume\": \"run\", \"containerPath\": \"/h\"}]},\n"
                     "{\"name\": \"c\", \"mountPoints\": [{\"sourceVolume\": \"data\", \"containerPath\": \"/d\"}]},\n"
                     "{\"name\": \"d\"},\n"
                     "{\"name\": \"e\", \"mountPoints\": [{\"sourceVolume\": \"tpl\", \"containerPath\": \"/t\"}]},\n"
                     "{\"name\": \"f\", \"mountPoints\": [{\"sourceVolume\": \"${VOL}\", \"containerPath\": \"/t\"}]}\n"
                     "], \"volumes\": [\n"
                     "  {\"name\": \"data\", \"host\": {\"sourcePath\": \"/srv/data\"}},\n"
                     "  {\"name\": \"sock\", \"host\": {\"sourcePath\": \"//var/run//docker.sock/\"}},\n"
                     "  {\"name\": \"run\", \"host\": {\"sourcePath\": \"/var/run\"}},\n"
                     "  {\"name\": \"tpl\", \"host\": {\"sourcePath\": \"${SOCK}\"}},\n"
                     "  {\"name\": \"empty\"}\n"
                     "]}");
    const bh_object *o = obj(w, 0);
    doc_node *a = container(o, 0);
    assert_bool_field(a, "mountsRuntimeSocket", true);
    assert_int_equal(line_of(doc_get(a, "mountsRuntimeSocket")), 4);
    doc_node *list = doc_get(a, "runtimeSocketMounts");
    assert_int_equal(doc_len(list), 1);
    assert_string_equal(doc_text(doc_seq_at(list, 0)), "//var/run//docker.sock/");
    assert_bool_field(container(o, 1), "mountsRuntimeSocket", true);
    assert_bool_field(container(o, 2), "mountsRuntimeSocket", false);
    assert_bool_field(container(o, 3), "mountsRuntimeSocket", false);
    assert_int_equal(doc_len(doc_get(container(o, 3), "runtimeSocketMounts")), 0);
    assert_unknown_field(container(o, 4), "mountsRuntimeSocket", "${SOCK}");
    assert_unknown_field(container(o, 5), "mountsRuntimeSocket", "${VOL}");
    release(w);
}

static void test_secret_environment(void **state)
{
    (void)state;
    world *w = adapt("{\"family\": \"e\", \"containerDefinitions\": [\n"
                     "{\"name\": \"a\", \"environment\": [\n"
                     "  {\"name\": \"LOG_LEVEL\", \"value\": \"debug\"},\n"
                     "  {\"name\": \"db_password\", \"value\": \"hunter2\"},\n"
                     "  {\"name\": \"AWS_ACCESS_KEY_ID\", \"value\": \"AKIA\"}]},\n"
                     "{\"name\": \"b\", \"environment\": [\n"
                     "  {\"name\": \"API_TOKEN\", \"value\": \"${API_TOKEN}\"},\n"
                     "  {\"name\": \"DB_SECRET\", \"value\": \"arn:aws:secretsmanager:eu-west-1:1:secret:x\"},\n"
                     "  {\"name\": \"EMPTY_SECRET\", \"value\": \"\"},\n"
                     "  {\"name\": \"NO_VALUE_TOKEN\"}]},\n"
                     "{\"name\": \"c\", \"environment\": [{\"name\": \"${N}\", \"value\": \"x\"}]},\n"
                     "{\"name\": \"d\"}\n"
                     "]}");
    const bh_object *o = obj(w, 0);
    doc_node *a = container(o, 0);
    assert_bool_field(a, "hasSecretEnvironment", true);
    assert_int_equal(line_of(doc_get(a, "hasSecretEnvironment")), 4);
    doc_node *names = doc_get(a, "secretEnvironment");
    assert_int_equal(doc_len(names), 2);
    assert_string_equal(doc_text(doc_seq_at(names, 0)), "db_password");
    assert_string_equal(doc_text(doc_seq_at(names, 1)), "AWS_ACCESS_KEY_ID");
    assert_bool_field(container(o, 1), "hasSecretEnvironment", false);
    assert_unknown_field(container(o, 2), "hasSecretEnvironment", "${N}");
    assert_bool_field(container(o, 3), "hasSecretEnvironment", false);
    release(w);
}

/* ---- other object types --------------------------------------------------- */

static void test_services_and_friends(void **state)
{
    (void)state;
    world *w = adapt("{\"services\": [{\"serviceName\": \"web\", \"launchType\": \"FARGATE\","
                     " \"platformVersion\": \"1.3.0\", \"networkConfiguration\": {\"awsvpcConfiguration\":"
                     " {\"assignPublicIp\": \"ENABLED\"}}}, {\"launchType\": \"EC2\"}]}");
    assert_int_equal(objlist_len(w->objs), 2);
    const bh_object *o = obj(w, 0);
    assert_string_equal(o->type, "aws/ecs/service");
    assert_string_equal(o->name, "web");
    assert_true(doc_text_eq(doc_path(o->root, "networkConfiguration.awsvpcConfiguration.assignPublicIp"),
                            "ENABLED"));
    assert_bool_field(o->root, "isFargate", true);
    assert_bool_field(o->root, "platformVersionOutdated", true);
    assert_string_equal(obj(w, 1)->name, "service[1]");
    assert_bool_field(obj(w, 1)->root, "isFargate", false);
    assert_null(doc_get(obj(w, 1)->root, "platformVersionOutdated"));
    release(w);

    w = adapt("{\"serviceName\": \"api\", \"cluster\": \"c\", \"taskDefinition\": \"api:1\","
              " \"capacityProviderStrategy\": [{\"capacityProvider\": \"FARGATE_SPOT\"}],"
              " \"platformVersion\": \"${PV}\"}");
    assert_string_equal(obj(w, 0)->name, "api");
    assert_bool_field(obj(w, 0)->root, "isFargate", true);
    assert_unknown_field(obj(w, 0)->root, "platformVersionOutdated", "${PV}");
    release(w);

    w = adapt("{\"service\": {\"serviceName\": \"created\"}}");
    assert_string_equal(obj(w, 0)->type, "aws/ecs/service");
    assert_string_equal(obj(w, 0)->name, "created");
    release(w);

    w = adapt("{\"taskSets\": [{\"id\": \"ecs-svc/123\", \"networkConfiguration\":"
              " {\"awsvpcConfiguration\": {\"assignPublicIp\": \"DISABLED\"}}}]}");
    assert_string_equal(obj(w, 0)->type, "aws/ecs/task-set");
    assert_string_equal(obj(w, 0)->name, "ecs-svc/123");
    release(w);

    w = adapt("{\"service\": \"web\", \"cluster\": \"c\", \"taskDefinition\": \"web:3\","
              " \"externalId\": \"blue\"}");
    assert_string_equal(obj(w, 0)->type, "aws/ecs/task-set");
    assert_string_equal(obj(w, 0)->name, "blue");
    release(w);

    w = adapt("{\"clusters\": [{\"clusterName\": \"prod\", \"settings\": [{\"name\":"
              " \"containerInsights\", \"value\": \"enabled\"}]}]}");
    assert_string_equal(obj(w, 0)->type, "aws/ecs/cluster");
    assert_string_equal(obj(w, 0)->name, "prod");
    release(w);

    w = adapt("{\"clusterName\": \"dev\", \"capacityProviders\": [\"FARGATE\"]}");
    assert_int_equal(objlist_len(w->objs), 1);
    assert_string_equal(obj(w, 0)->type, "aws/ecs/cluster");
    release(w);

    w = adapt("{\"capacityProviders\": [{\"name\": \"FARGATE\"}, {\"name\": \"asg\","
              " \"autoScalingGroupProvider\": {\"managedTerminationProtection\": \"ENABLED\"}}]}");
    assert_int_equal(objlist_len(w->objs), 2);
    assert_string_equal(obj(w, 1)->type, "aws/ecs/capacity-provider");
    assert_string_equal(obj(w, 1)->name, "asg");
    release(w);

    w = adapt("{\"name\": \"cp\", \"autoScalingGroupProvider\": {\"autoScalingGroupArn\": \"arn\"}}");
    assert_string_equal(obj(w, 0)->type, "aws/ecs/capacity-provider");
    release(w);
}

/* ---- invalid shapes --------------------------------------------------------- */

static void test_invalid_shapes(void **state)
{
    (void)state;
    world *w = adapt("{\"family\": \"bad\",\n \"containerDefinitions\": {\"name\": \"x\"}}");
    assert_false(w->ok);
    assert_int_equal(objlist_len(w->objs), 0);
    assert_int_equal(diags_count_level(w->diags, DIAG_ERROR), 1);
    const bh_diag *d = diags_get(w->diags, 0);
    assert_int_equal(d->pos.line, 2);
    assert_non_null(strstr(d->message, "\"containerDefinitions\" must be a list, not a mapping"));
    release(w);

    w = adapt("[{\"family\": \"ok\", \"containerDefinitions\": []},\n"
              " {\"family\": \"bad\", \"containerDefinitions\": [{\"name\": \"a\"},\n \"oops\"]}]");
    assert_false(w->ok);
    assert_int_equal(objlist_len(w->objs), 1);
    assert_string_equal(obj(w, 0)->name, "ok");
    d = diags_get(w->diags, 0);
    assert_int_equal(d->pos.line, 3);
    assert_non_null(strstr(d->message, "container definition 1"));
    release(w);

    w = adapt("{\"containerDefinitions\": [], \"volumes\": \"nope\"}");
    assert_int_equal(objlist_len(w->objs), 0);
    assert_int_equal(diags_count(w->diags), 1);
    release(w);

    w = adapt("{\"services\": [\"web\"]}");
    assert_int_equal(objlist_len(w->objs), 0);
    assert_int_equal(diags_count(w->diags), 1);
    release(w);

    /* Not ECS at all: nothing, no error. */
    w = adapt("{\"apiVersion\": \"v1\"}");
    assert_true(w->ok);
    assert_int_equal(objlist_len(w->objs), 0);
    assert_int_equal(diags_count(w->diags), 0);
    release(w);
}

static void test_out_of_memory_is_a_diagnostic(void **state)
{
    (void)state;
    const char *json = "{\"family\": \"f\", \"containerDefinitions\": [{\"name\": \"a\","
                       " \"environment\": [{\"name\": \"TOKEN\", \"value\": \"x\"}]}],"
                       " \"volumes\": [{\"name\": \"v\", \"host\": {\"sourcePath\": \"/\"}}]}";
    for (unsigned long n = 1; n < 200; n++) {
        bh_source *src = source_new("oom.json", json, strlen(json));
        bh_arena *a = arena_new();
        bh_objlist *objs = objlist_new(a);
        bh_diags *diags = diags_new();
        tj p = {a, src, source_data(src), 0};
        doc_node *root = tj_value(&p);
        arena_set_fail_after(n);
        bool ok = adapt_ecs(root, a, objs, diags);
        arena_set_fail_after(0);
        if (!ok)
            assert_true(diags_count(diags) > 0);
        diags_free(diags);
        arena_free(a);
        source_free(src);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ecs_user_root_rule),
        cmocka_unit_test(test_windows_admin_rule),
        cmocka_unit_test(test_placeholders),
        cmocka_unit_test(test_host_path_normalisation),
        cmocka_unit_test(test_runtime_socket_paths),
        cmocka_unit_test(test_fargate_versions),
        cmocka_unit_test(test_normalise_keys_any_case),
        cmocka_unit_test(test_normalise_snake_case),
        cmocka_unit_test(test_register_input_shape),
        cmocka_unit_test(test_describe_shape_and_names),
        cmocka_unit_test(test_runs_as_root_values),
        cmocka_unit_test(test_placeholders_become_unknown),
        cmocka_unit_test(test_operating_system),
        cmocka_unit_test(test_runtime_socket_mounts),
        cmocka_unit_test(test_secret_environment),
        cmocka_unit_test(test_services_and_friends),
        cmocka_unit_test(test_invalid_shapes),
        cmocka_unit_test(test_out_of_memory_is_a_diagnostic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

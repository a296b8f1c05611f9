/* Unit tests: adapt_k8s.c (Kubernetes manifests into k8s/pod objects). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "adapter.h"
#include "arena.h"
#include "diag.h"
#include "doc.h"
#include "object.h"
#include "source.h"
#include "bhyaml.h"

/* One parsed and adapted YAML stream. */
typedef struct fx {
    bh_source *src;
    bh_arena *a;
    bh_diags *diags;
    bh_objlist *objs;
    doc_node **docs;
    long ndocs;
    bool ok;
} fx;

static fx *fx_new(const char *yaml)
{
    fx *f = test_calloc(1, sizeof *f);
    f->src = source_new("test.yaml", yaml, strlen(yaml));
    f->a = arena_new();
    f->diags = diags_new();
    f->objs = objlist_new(f->a);
    assert_non_null(f->src);
    assert_non_null(f->objs);
    f->ndocs = bhyaml_parse(f->src, f->a, NULL, &f->docs, f->diags);
    assert_true(f->ndocs >= 0);
    assert_int_equal(diags_count_level(f->diags, DIAG_ERROR), 0);
    f->ok = true;
    for (long i = 0; i < f->ndocs; i++)
        f->ok &= adapt_k8s(f->docs[i], f->a, f->objs, f->diags);
    return f;
}

static void fx_free(fx *f)
{
    arena_free(f->a);
    diags_free(f->diags);
    source_free(f->src);
    test_free(f);
}

static uint32_t line_of(const fx *f, const doc_node *n)
{
    assert_non_null(n);
    return source_pos(f->src, doc_span(n).start).line;
}

static const bh_object *obj(const fx *f, size_t i)
{
    assert_true(i < objlist_len(f->objs));
    return objlist_at(f->objs, i);
}

/* The i-th item of allContainers of object o. */
static const doc_node *ctr(const bh_object *o, size_t i)
{
    const doc_node *all = doc_get(o->root, "allContainers");
    assert_non_null(all);
    assert_true(i < doc_len(all));
    return doc_seq_at(all, i);
}

static bool get_bool(const doc_node *map, const char *key)
{
    bool b = false;
    assert_true(doc_bool(doc_get(map, key), &b));
    return b;
}

/* ---- sources and names -------------------------------------------------- */

static void test_pod_object(void **state)
{
    (void)state;
    fx *f = fx_new("apiVersion: v1\n"
                   "kind: Pod\n"
                   "metadata:\n"
                   "  name: web\n"
                   "spec:\n"
                   "  hostNetwork: true\n"
                   "  containers:\n"
                   "    - name: app\n"
                   "      image: nginx\n");
    assert_true(f->ok);
    assert_int_equal(objlist_len(f->objs), 1);
    const bh_object *o = obj(f, 0);
    assert_string_equal(o->type, "k8s/pod");
    assert_string_equal(o->name, "Pod/web");
    assert_int_equal(source_pos(f->src, o->span.start).line, 1);
    assert_true(get_bool(o->root, "hostNetwork"));
    assert_int_equal(line_of(f, doc_get(o->root, "hostNetwork")), 6);
    assert_int_equal(doc_len(doc_get(o->root, "allContainers")), 1);
    assert_string_equal(doc_text(doc_get(ctr(o, 0), "image")), "nginx");
    assert_string_equal(doc_text(doc_path(o->root, "metadata.name")), "web");
    assert_int_equal(diags_count(f->diags), 0);
    fx_free(f);
}

static void test_names_with_and_without_namespace(void **state)
{
    (void)state;
    fx *f = fx_new("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"
                   "spec: {template: {spec: {containers: [{name: a}]}}}\n"
                   "---\n"
                   "apiVersion: apps/v1\nkind: Deployment\n"
                   "metadata: {name: web, namespace: prod}\n"
                   "spec: {template: {spec: {containers: [{name: a}]}}}\n"
                   "---\n"
                   "apiVersion: batch/v1\nkind: Job\nmetadata: {generateName: backup-}\n"
                   "spec: {template: {spec: {containers: [{name: a}]}}}\n"
                   "---\n"
                   "apiVersion: v1\nkind: Pod\nspec: {containers: [{name: a}]}\n");
    assert_int_equal(objlist_len(f->objs), 4);
    assert_string_equal(obj(f, 0)->name, "Deployment/web");
    assert_string_equal(obj(f, 1)->name, "Deployment/prod/web");
    assert_string_equal(obj(f, 2)->name, "Job/backup-*");
    assert_string_equal(obj(f, 3)->name, "Pod/(unnamed)");
    fx_free(f);
}

static void test_every_workload_kind(void **state)
{
    (void)state;
    static const char *const kinds[] = {"Deployment", "ReplicaSet", "ReplicationController",
                                        "StatefulSet", "DaemonSet", "Job", "DeploymentConfig"};
    char buf[4096];
    size_t n = 0;
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n,
                              "---\napiVersion: x/v1\nkind: %s\nmetadata: {name: w%zu}\n"
                              "spec:\n  template:\n    spec:\n      hostPID: true\n"
                              "      containers: [{name: c}]\n",
                              kinds[i], i);
    n += (size_t)snprintf(buf + n, sizeof buf - n,
                          "---\napiVersion: v1\nkind: PodTemplate\nmetadata: {name: t}\n"
                          "template:\n  spec:\n    hostPID: true\n    containers: [{name: c}]\n"
                          "---\napiVersion: batch/v1\nkind: CronJob\nmetadata: {name: cj}\n"
                          "spec:\n  schedule: '* * * * *'\n  jobTemplate:\n    spec:\n"
                          "      template:\n        spec:\n          hostPID: true\n"
                          "          containers: [{name: c}]\n"
                          "---\napiVersion: v1\nkind: Service\nmetadata: {name: svc}\n"
                          "spec: {ports: [{port: 80}]}\n"
                          "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n"
                          "data: {spec: x}\n");
    assert_true(n < sizeof buf);
    fx *f = fx_new(buf);
    assert_int_equal(objlist_len(f->objs), sizeof kinds / sizeof *kinds + 2);
    for (size_t i = 0; i < objlist_len(f->objs); i++) {
        assert_true(get_bool(obj(f, i)->root, "hostPID"));
        assert_int_equal(doc_len(doc_get(obj(f, i)->root, "allContainers")), 1);
    }
    assert_string_equal(obj(f, 6)->name, "DeploymentConfig/w6");
    assert_string_equal(obj(f, 7)->name, "PodTemplate/t");
    assert_string_equal(obj(f, 8)->name, "CronJob/cj");
    assert_int_equal(diags_count(f->diags), 0);
    fx_free(f);
}

static void test_lists(void **state)
{
    (void)state;
    fx *f = fx_new("apiVersion: v1\n"
                   "kind: List\n"
                   "items:\n"
                   "  - apiVersion: v1\n"
                   "    kind: Pod\n"
                   "    metadata: {name: one}\n"
                   "    spec: {containers: [{name: a}]}\n"
                   "  - apiVersion: v1\n"
                   "    kind: List\n"
                   "    items:\n"
                   "      - apiVersion: apps/v1\n"
                   "        kind: Deployment\n"
                   "        metadata: {name: two, namespace: ns}\n"
                   "        spec: {template: {spec: {containers: [{name: a}]}}}\n"
                   "  - apiVersion: v1\n"
                   "    kind: Service\n"
                   "    metadata: {name: svc}\n"
                   "---\n"
                   "apiVersion: v1\n"
                   "kind: PodList\n"
                   "items:\n"
                   "  - metadata: {name: three}\n"
                   "    spec: {containers: [{name: a}]}\n");
    assert_int_equal(objlist_len(f->objs), 3);
    assert_string_equal(obj(f, 0)->name, "Pod/one");
    assert_int_equal(source_pos(f->src, obj(f, 0)->span.start).line, 4);
    assert_string_equal(obj(f, 1)->name, "Deployment/ns/two");
    assert_string_equal(obj(f, 2)->name, "Pod/three");
    fx_free(f);
}

/* ---- containers ----------------------------------------------------------- */

static void test_all_containers_order_and_kind(void **state)
{
    (void)state;
    fx *f = fx_new("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
                   "  ephemeralContainers: [{name: e}]\n"
                   "  containers: [{name: c1}, {name: c2}]\n"
                   "  initContainers: [{name: i}]\n");
    const bh_object *o = obj(f, 0);
    static const char *const names[] = {"c1", "c2", "i", "e"};
    static const char *const lists[] = {"containers", "containers", "initContainers",
                                        "ephemeralContainers"};
    assert_int_equal(doc_len(doc_get(o->root, "allContainers")), 4);
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(doc_text(doc_get(ctr(o, i), "name")), names[i]);
        assert_string_equal(doc_text(doc_get(ctr(o, i), "kind")), lists[i]);
    }
    /* The per-list copies carry the derived fields too. */
    const doc_node *init0 = doc_seq_at(doc_get(o->root, "initContainers"), 0);
    assert_non_null(doc_get(init0, "runsAsRoot"));
    /* The parsed document is not modified. */
    const doc_node *orig = doc_seq_at(doc_path(f->docs[0], "spec.containers"), 0);
    assert_null(doc_get(orig, "runsAsRoot"));
    assert_null(doc_get(f->docs[0], "allContainers"));
    fx_free(f);
}

/* runsAsRoot for pod/container runAsUser and runAsNonRoot combinations: the
 * value and the line of the deciding node. */
static void test_runs_as_root_precedence(void **state)
{
    (void)state;
    static const struct {
        const char *pod_sc, *ctr_sc;
        bool root;
        uint32_t line;   /* 0: the container's line */
        const char *user, *nonroot;  /* effective values, NULL when absent */
    } cases[] = {
        {"{}", "{}", true, 0, NULL, NULL},
        {"{runAsUser: 0}", "{}", true, 6, "0", NULL},
        {"{runAsUser: 0}", "{runAsUser: 1000}", false, 10, "1000", NULL},
        {"{runAsUser: 1000}", "{runAsUser: 0}", true, 10, "0", NULL},
        {"{runAsNonRoot: true}", "{}", false, 6, NULL, "true"},
        {"{runAsNonRoot: true}", "{runAsNonRoot: false}", true, 10, NULL, "false"},
        {"{runAsNonRoot: false}", "{}", true, 6, NULL, "false"},
        {"{runAsUser: 1000, runAsNonRoot: false}", "{}", false, 6, "1000", "false"},
        {"{runAsNonRoot: true}", "{runAsUser: 0}", true, 10, "0", "true"},
        {"{}", "{runAsNonRoot: yes}", false, 10, NULL, "yes"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char buf[512];
        snprintf(buf, sizeof buf,
                 "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
                 "  securityContext:\n"
                 "    %s\n"
                 "  containers:\n"
                 "    - name: app\n"
                 "      securityContext:\n"
                 "        %s\n",
                 cases[i].pod_sc, cases[i].ctr_sc);
        fx *f = fx_new(buf);
        const doc_node *c = ctr(obj(f, 0), 0);
        assert_int_equal(get_bool(c, "runsAsRoot"), cases[i].root);
        assert_int_equal(line_of(f, doc_get(c, "runsAsRoot")), cases[i].line ? cases[i].line : 8);
        if (cases[i].user)
            assert_string_equal(doc_text(doc_get(c, "effectiveRunAsUser")), cases[i].user);
        else
            assert_null(doc_get(c, "effectiveRunAsUser"));
        if (cases[i].nonroot)
            assert_string_equal(doc_text(doc_get(c, "effectiveRunAsNonRoot")), cases[i].nonroot);
        else
            assert_null(doc_get(c, "effectiveRunAsNonRoot"));
        fx_free(f);
    }
}

static void test_effective_seccomp(void **state)
{
    (void)state;
    fx *f = fx_new("apiVersion: v1\nkind: Pod\n"
                   "metadata:\n"
                   "  name: p\n"
                   "  annotations:\n"
                   "    seccomp.security.alpha.kubernetes.io/pod: runtime/default\n"
                   "spec:\n"
                   "  securityContext:\n"
                   "    seccompProfile: {type: Unconfined}\n"
                   "  containers:\n"
                   "    - name: a\n"
                   "    - name: b\n"
                   "      securityContext:\n"
                   "        seccompProfile: {type: RuntimeDefault}\n"
                   "---\n"
                   "apiVersion: v1\nkind: Pod\n"
                   "metadata:\n"
                   "  name: q\n"
                   "  annotations:\n"
                   "    seccomp.security.alpha.kubernetes.io/pod: runtime/default\n"
                   "spec:\n"
                   "  containers: [{name: a}]\n");
    const bh_object *o = obj(f, 0);
    assert_string_equal(doc_text(doc_get(ctr(o, 0), "effectiveSeccompType")), "Unconfined");
    assert_int_equal(line_of(f, doc_get(ctr(o, 0), "effectiveSeccompType")), 9);
    assert_string_equal(doc_text(doc_get(ctr(o, 1), "effectiveSeccompType")), "RuntimeDefault");
    assert_int_equal(line_of(f, doc_get(ctr(o, 1), "effectiveSeccompType")), 14);
    /* The deprecated annotation is ignored. */
    assert_null(doc_get(ctr(obj(f, 1), 0), "effectiveSeccompType"));
    fx_free(f);
}

static void test_effective_apparmor(void **state)
{
    (void)state;
    fx *f = fx_new("apiVersion: apps/v1\n"
                   "kind: Deployment\n"
                   "metadata:\n"
                   "  name: web\n"
                   "  annotations:\n"
                   "    container.apparmor.security.beta.kubernetes.io/d: unconfined\n"
                   "    owner: team-a\n"
                   "spec:\n"
                   "  template:\n"
                   "    metadata:\n"
                   "      annotations:\n"
                   "        container.apparmor.security.beta.kubernetes.io/a: unconfined\n"
                   "        container.apparmor.security.beta.kubernetes.io/b: localhost/prof\n"
                   "        container.apparmor.security.beta.kubernetes.io/c: unconfined\n"
                   "        owner: team-b\n"
                   "    spec:\n"
                   "      securityContext:\n"
                   "        appArmorProfile: {type: RuntimeDefault}\n"
                   "      containers:\n"
                   "        - name: a\n"
                   "        - name: b\n"
                   "        - name: c\n"
                   "          securityContext:\n"
                   "            appArmorProfile: {type: Localhost, localhostProfile: x}\n"
                   "        - name: d\n");
    const bh_object *o = obj(f, 0);
    assert_string_equal(doc_text(doc_get(ctr(o, 0), "effectiveAppArmorType")), "Unconfined");
    assert_int_equal(line_of(f, doc_get(ctr(o, 0), "effectiveAppArmorType")), 12);
    assert_string_equal(doc_text(doc_get(ctr(o, 1), "effectiveAppArmorType")), "Localhost");
    /* The container's field wins over the annotation. */
    assert_string_equal(doc_text(doc_get(ctr(o, 2), "effectiveAppArmorType")), "Localhost");
    assert_int_equal(line_of(f, doc_get(ctr(o, 2), "effectiveAppArmorType")), 24);
    /* The workload's own annotations never reach the pod: the pod's field. */
    assert_string_equal(doc_text(doc_get(ctr(o, 3), "effectiveAppArmorType")), "RuntimeDefault");
    assert_int_equal(line_of(f, doc_get(ctr(o, 3), "effectiveAppArmorType")), 18);
    /* metadata: merged, the template's annotations winning. */
    const doc_node *ann = doc_path(o->root, "metadata.annotations");
    assert_string_equal(doc_text(doc_get(ann, "owner")), "team-b");
    assert_non_null(doc_get(ann, "container.apparmor.security.beta.kubernetes.io/d"));
    assert_string_equal(doc_text(doc_path(o->root, "metadata.name")), "web");
    fx_free(f);
}

static void test_privileged_and_escalation(void **state)
{
    (void)state;
    fx *f = fx_new("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
                   "  containers:\n"
                   "    - name: plain\n"
                   "    - name: priv\n"
                   "      securityContext:\n"
                   "        privileged: yes\n"
                   "    - name: sysadmin\n"
                   "      securityContext:\n"
                   "        capabilities:\n"
                   "          add: [CHOWN, cap_sys_admin]\n"
                   "    - name: explicit\n"
                   "      securityContext:\n"
                   "        allowPrivilegeEscalation: false\n");
    const bh_object *o = obj(f, 0);
    assert_false(get_bool(ctr(o, 0), "privileged"));
    assert_int_equal(line_of(f, doc_get(ctr(o, 0), "privileged")), 6);
    assert_null(doc_get(ctr(o, 0), "allowPrivilegeEscalation"));

    assert_true(get_bool(ctr(o, 1), "privileged"));
    assert_true(get_bool(ctr(o, 1), "allowPrivilegeEscalation"));
    assert_int_equal(line_of(f, doc_get(ctr(o, 1), "allowPrivilegeEscalation")), 9);

    assert_true(get_bool(ctr(o, 2), "allowPrivilegeEscalation"));
    assert_int_equal(line_of(f, doc_get(ctr(o, 2), "allowPrivilegeEscalation")), 13);

    assert_false(get_bool(ctr(o, 3), "allowPrivilegeEscalation"));
    assert_int_equal(line_of(f, doc_get(ctr(o, 3), "allowPrivilegeEscalation")), 16);
    fx_free(f);
}

static void test_host_process_and_volumes(void **state)
{
    (void)state;
    fx *f = fx_new("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
                   "  securityContext:\n"
                   "    windowsOptions: {hostProcess: true}\n"
                   "  containers:\n"
                   "    - name: a\n"
                   "    - name: b\n"
                   "      securityContext: {windowsOptions: {hostProcess: false}}\n"
                   "  volumes:\n"
                   "    - name: sock\n"
                   "      hostPath:\n"
                   "        path: //var/run/docker.sock/\n"
                   "    - name: logs\n"
                   "      hostPath: {path: /var/log}\n"
                   "    - name: cfg\n"
                   "      configMap: {name: x}\n"
                   "    - name: bare\n");
    const bh_object *o = obj(f, 0);
    assert_true(get_bool(ctr(o, 0), "effectiveHostProcess"));
    assert_int_equal(line_of(f, doc_get(ctr(o, 0), "effectiveHostProcess")), 6);
    assert_false(get_bool(ctr(o, 1), "effectiveHostProcess"));

    const doc_node *vols = doc_get(o->root, "volumes");
    assert_int_equal(doc_len(vols), 4);
    assert_string_equal(doc_text(doc_get(doc_seq_at(vols, 0), "volumeType")), "hostPath");
    assert_int_equal(line_of(f, doc_get(doc_seq_at(vols, 0), "volumeType")), 13);
    assert_true(get_bool(doc_seq_at(vols, 0), "runtimeSocket"));
    assert_int_equal(line_of(f, doc_get(doc_seq_at(vols, 0), "runtimeSocket")), 14);
    assert_false(get_bool(doc_seq_at(vols, 1), "runtimeSocket"));
    assert_string_equal(doc_text(doc_get(doc_seq_at(vols, 2), "volumeType")), "configMap");
    assert_null(doc_get(doc_seq_at(vols, 2), "runtimeSocket"));
    assert_null(doc_get(doc_seq_at(vols, 3), "volumeType"));
    fx_free(f);
}

static void test_sysctl_canonical_names(void **state)
{
    (void)state;
    fx *f = fx_new("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
                   "  securityContext:\n"
                   "    sysctls:\n"
                   "      - {name: net.ipv4.tcp_syncookies, value: '1'}\n"
                   "      - {name: net/ipv4/conf/eth0.100/forwarding, value: '1'}\n"
                   "  containers: [{name: a}]\n");
    const doc_node *s = doc_path(obj(f, 0)->root, "securityContext.sysctls");
    assert_int_equal(doc_len(s), 2);
    assert_string_equal(doc_text(doc_get(doc_seq_at(s, 0), "canonicalName")),
                        "net.ipv4.tcp_syncookies");
    assert_string_equal(doc_text(doc_get(doc_seq_at(s, 1), "canonicalName")),
                        "net.ipv4.conf.eth0/100.forwarding");
    assert_int_equal(line_of(f, doc_get(doc_seq_at(s, 1), "canonicalName")), 8);
    fx_free(f);
}

/* ---- invalid manifests ------------------------------------------------------ */

static void test_yaml11_plain_booleans(void **state)
{
    (void)state;
    fx *f = fx_new("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
                   "  hostNetwork: yes\n  hostPID: On\n  hostIPC: n\n"
                   "  containers: [{name: a}]\n");
    const bh_object *o = obj(f, 0);
    assert_true(get_bool(o->root, "hostNetwork"));
    assert_true(get_bool(o->root, "hostPID"));
    assert_false(get_bool(o->root, "hostIPC"));
    assert_int_equal(diags_count(f->diags), 0);
    fx_free(f);
}

static void test_quoted_booleans_are_invalid(void **state)
{
    (void)state;
    fx *f = fx_new("apiVersion: v1\n"
                   "kind: Pod\n"
                   "metadata: {name: p}\n"
                   "spec:\n"
                   "  hostNetwork: \"true\"\n"
                   "  hostPID: 1\n"
                   "  securityContext:\n"
                   "    runAsNonRoot: 'true'\n"
                   "    runAsUser: \"0\"\n"
                   "  containers:\n"
                   "    - name: a\n"
                   "      securityContext:\n"
                   "        privileged: \"true\"\n"
                   "        readOnlyRootFilesystem: true\n"
                   "        windowsOptions: {hostProcess: \"false\"}\n");
    assert_true(f->ok);
    assert_int_equal(objlist_len(f->objs), 1);
    static const struct {
        uint32_t line;
        const char *msg;
    } want[] = {
        {5, "invalid value \"true\" for boolean field \"hostNetwork\": a quoted string, not a "
            "boolean"},
        {6, "invalid value \"1\" for boolean field \"hostPID\": an integer, not a boolean"},
        {8, "invalid value \"true\" for boolean field \"runAsNonRoot\": a quoted string, not a "
            "boolean"},
        {9, "invalid value \"0\" for integer field \"runAsUser\": a quoted string, not an "
            "integer"},
        {13, "invalid value \"true\" for boolean field \"privileged\": a quoted string, not a "
             "boolean"},
        {15, "invalid value \"false\" for boolean field \"hostProcess\": a quoted string, not a "
             "boolean"},
    };
    assert_int_equal(diags_count(f->diags), sizeof want / sizeof *want);
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        const bh_diag *d = diags_get(f->diags, i);
        assert_int_equal(d->level, DIAG_ERROR);
        assert_string_equal(d->file, "test.yaml");
        assert_int_equal(d->pos.line, want[i].line);
        assert_string_equal(d->message, want[i].msg);
    }
    /* The invalid fields are left out; the rest is evaluated as usual. */
    const bh_object *o = obj(f, 0);
    assert_null(doc_get(o->root, "hostNetwork"));
    assert_null(doc_get(o->root, "hostPID"));
    assert_null(doc_path(o->root, "securityContext.runAsNonRoot"));
    assert_null(doc_path(o->root, "securityContext.runAsUser"));
    const doc_node *c = ctr(o, 0);
    assert_false(get_bool(c, "privileged"));
    assert_null(doc_path(c, "securityContext.privileged"));
    assert_true(get_bool(doc_get(c, "securityContext"), "readOnlyRootFilesystem"));
    assert_null(doc_path(c, "securityContext.windowsOptions.hostProcess"));
    assert_true(get_bool(c, "runsAsRoot"));
    fx_free(f);
}

static void test_spec_not_a_mapping(void **state)
{
    (void)state;
    fx *f = fx_new("apiVersion: v1\n"
                   "kind: Pod\n"
                   "metadata: {name: p}\n"
                   "spec:\n"
                   "  - containers: []\n"
                   "---\n"
                   "apiVersion: apps/v1\n"
                   "kind: Deployment\n"
                   "metadata: {name: web}\n"
                   "spec:\n"
                   "  template:\n"
                   "    spec: nope\n"
                   "---\n"
                   "apiVersion: apps/v1\n"
                   "kind: Deployment\n"
                   "metadata: {name: other}\n"
                   "spec:\n"
                   "  template: [1, 2]\n"
                   "---\n"
                   "apiVersion: apps/v1\n"
                   "kind: Deployment\n"
                   "metadata: {name: patch}\n"
                   "spec:\n"
                   "  replicas: 3\n");
    assert_int_equal(objlist_len(f->objs), 0);
    assert_int_equal(diags_count(f->diags), 3);
    const bh_diag *d = diags_get(f->diags, 0);
    assert_int_equal(d->level, DIAG_ERROR);
    assert_int_equal(d->pos.line, 5);
    assert_string_equal(d->message, "pod spec \"spec\" of Pod \"p\" is a list, not a mapping");
    d = diags_get(f->diags, 1);
    assert_int_equal(d->pos.line, 12);
    assert_string_equal(d->message,
                        "pod spec \"spec.template.spec\" of Deployment \"web\" is a string, not a "
                        "mapping");
    d = diags_get(f->diags, 2);
    assert_int_equal(d->pos.line, 18);
    assert_string_equal(d->message,
                        "\"spec.template\" of Deployment \"other\" is a list, not a mapping");
    fx_free(f);
}

static void test_bad_container_lists(void **state)
{
    (void)state;
    fx *f = fx_new("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
                   "  initContainers: {name: x}\n"
                   "  containers:\n"
                   "    - just-a-string\n"
                   "    - name: ok\n"
                   "  securityContext: [1]\n");
    assert_int_equal(objlist_len(f->objs), 1);
    assert_int_equal(diags_count_level(f->diags, DIAG_ERROR), 3);
    assert_int_equal(doc_len(doc_get(obj(f, 0)->root, "allContainers")), 1);
    assert_string_equal(doc_text(doc_get(ctr(obj(f, 0), 0), "name")), "ok");
    fx_free(f);
}

static void test_not_kubernetes(void **state)
{
    (void)state;
    fx *f = fx_new("- 1\n- 2\n---\nfoo: bar\n---\nkind: Pod\nspec: {containers: []}\n");
    /* A Pod without apiVersion still reads (detection decides what reaches
     * the adapter); scalars and lists give nothing. */
    assert_int_equal(objlist_len(f->objs), 1);
    assert_int_equal(diags_count(f->diags), 0);
    fx_free(f);
}

/* Allocation failure anywhere: false or a complete result, never a crash. */
static void test_out_of_memory(void **state)
{
    (void)state;
    static const char yaml[] =
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: n}\n"
        "spec:\n  template:\n    metadata: {annotations: {a: b}}\n    spec:\n"
        "      hostNetwork: \"true\"\n"
        "      securityContext: {runAsUser: 0, seccompProfile: {type: RuntimeDefault}}\n"
        "      containers:\n        - name: a\n          securityContext: {privileged: true}\n"
        "      initContainers: [{name: b}]\n"
        "      volumes: [{name: v, hostPath: {path: /run}}]\n";
    bool completed = false;
    for (unsigned long n = 1; n < 400 && !completed; n++) {
        bh_source *src = source_new("oom.yaml", yaml, sizeof yaml - 1);
        bh_arena *a = arena_new();
        bh_diags *diags = diags_new();
        bh_objlist *objs = objlist_new(a);
        doc_node **docs = NULL;
        long nd = bhyaml_parse(src, a, NULL, &docs, diags);
        assert_int_equal(nd, 1);
        arena_set_fail_after(n);
        bool ok = adapt_k8s(docs[0], a, objs, diags);
        arena_set_fail_after(0);
        if (ok) {
            completed = true;
            assert_int_equal(objlist_len(objs), 1);
        }
        diags_free(diags);
        arena_free(a);
        source_free(src);
    }
    assert_true(completed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pod_object),
        cmocka_unit_test(test_names_with_and_without_namespace),
        cmocka_unit_test(test_every_workload_kind),
        cmocka_unit_test(test_lists),
        cmocka_unit_test(test_all_containers_order_and_kind),
        cmocka_unit_test(test_runs_as_root_precedence),
        cmocka_unit_test(test_effective_seccomp),
        cmocka_unit_test(test_effective_apparmor),
        cmocka_unit_test(test_privileged_and_escalation),
        cmocka_unit_test(test_host_process_and_volumes),
        cmocka_unit_test(test_sysctl_canonical_names),
        cmocka_unit_test(test_yaml11_plain_booleans),
        cmocka_unit_test(test_quoted_booleans_are_invalid),
        cmocka_unit_test(test_spec_not_a_mapping),
        cmocka_unit_test(test_bad_container_lists),
        cmocka_unit_test(test_not_kubernetes),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

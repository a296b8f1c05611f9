/*
 * adapt_k8s.c - Kubernetes manifests into "k8s/pod" objects.
 *
 * A Kubernetes document names its kind; each workload kind keeps its pod
 * spec at a fixed path (Pod: `spec`, Deployment and friends:
 * `spec.template.spec`, CronJob: `spec.jobTemplate.spec.template.spec`,
 * PodTemplate: `template.spec`).  `kind: List` (and the API's typed lists,
 * `PodList`, `DeploymentList`, ...) holds more documents in `items`.
 *
 * The object's root is a fresh map: the pod spec's own pairs (API names
 * already), with the containers rebuilt to carry derived fields, plus
 * `allContainers` (containers, initContainers and ephemeralContainers in
 * one list) and `metadata` (the workload's metadata with the pod
 * template's merged over it).  Nothing of the parsed document is modified:
 * the tree may be a DAG (YAML aliases), so every changed map is a copy.
 *
 * Derived fields are what a policy expression cannot compute itself,
 * because an `each` step sees only the current container: which
 * securityContext value wins (container over pod), whether the container
 * runs as root, the effective seccomp and AppArmor profile.  Each derived
 * node's span is the value that decided it, so a verdict points there.
 *
 * Kubernetes reads YAML 1.1, so a plain `yes` is already a boolean.  A
 * quoted "true" (or a number) in a boolean field is a string the API
 * server rejects: the field gets an error diagnostic at its value and is
 * left out of the object, which is otherwise evaluated as usual (decided;
 * docs/objects.md).  A pod spec that is not a mapping gives an error and
 * no object.  docs/objects.md ("k8s/pod") is the reference for all this.
 */
#include "adapter.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "platform.h"

/* Lists nested deeper than this (a List in a List in ...) are not read. */
#define K8S_MAX_LIST_DEPTH 8

typedef struct k8s_ctx {
    bh_arena *a;
    bh_objlist *out;
    bh_diags *diags;
    bool oom;
} k8s_ctx;

/* Where each workload kind keeps its pod spec and the pod's metadata
 * (NULL: the document's own metadata). */
static const struct workload {
    const char *kind;
    const char *spec;
    const char *meta;
} workloads[] = {
    {"Pod", "spec", NULL},
    {"Deployment", "spec.template.spec", "spec.template.metadata"},
    {"ReplicaSet", "spec.template.spec", "spec.template.metadata"},
    {"ReplicationController", "spec.template.spec", "spec.template.metadata"},
    {"StatefulSet", "spec.template.spec", "spec.template.metadata"},
    {"DaemonSet", "spec.template.spec", "spec.template.metadata"},
    {"Job", "spec.template.spec", "spec.template.metadata"},
    {"DeploymentConfig", "spec.template.spec", "spec.template.metadata"},
    {"PodTemplate", "template.spec", "template.metadata"},
    {"CronJob", "spec.jobTemplate.spec.template.spec", "spec.jobTemplate.spec.template.metadata"},
};

/* The container lists of a pod spec, in the order allContainers keeps. */
static const char *const container_lists[] = {"containers", "initContainers",
                                              "ephemeralContainers"};

/* Boolean and integer fields checked for values the API would reject. */
static const char *const pod_bools[] = {"hostNetwork", "hostPID", "hostIPC", "hostUsers", NULL};
static const char *const pod_sc_bools[] = {"runAsNonRoot", NULL};
static const char *const ctr_sc_bools[] = {"privileged", "allowPrivilegeEscalation",
                                           "readOnlyRootFilesystem", "runAsNonRoot", NULL};
static const char *const sc_ints[] = {"runAsUser", "runAsGroup", NULL};
static const char *const win_bools[] = {"hostProcess", NULL};
static const char *const none[] = {NULL};

/* ---- small helpers ----------------------------------------------------- */

static bool in_list(const char *const *list, const doc_node *key)
{
    for (size_t i = 0; list[i]; i++)
        if (doc_text_eq(key, list[i]))
            return true;
    return false;
}

static bool is_null(const doc_node *n)
{
    return !n || (doc_kind_of(n) == DOC_SCALAR && doc_type_of(n) == DOC_NULL);
}

static bool is_unknown(const doc_node *n) { return n && doc_kind_of(n) == DOC_UNKNOWN; }


static void oom_check(k8s_ctx *k, const void *p)
{
    if (!p)
        k->oom = true;
}

static doc_node *new_str(k8s_ctx *k, bh_span at, const char *s)
{
    doc_node *n = doc_new_str(k->a, at, s);
    oom_check(k, n);
    return n;
}

static doc_node *new_bool(k8s_ctx *k, bh_span at, bool v)
{
    doc_node *n = doc_new_bool(k->a, at, v);
    oom_check(k, n);
    return n;
}

static void put(k8s_ctx *k, doc_node *map, const char *key, doc_node *val)
{
    if (!map || !val)
        return;
    if (!doc_map_put(k->a, map, key, val))
        k->oom = true;
}

/* A string field's text, or NULL when it is not a string scalar. */
static const char *str_field(const doc_node *map, const char *key)
{
    const doc_node *v = doc_get(map, key);
    return v && doc_kind_of(v) == DOC_SCALAR && doc_type_of(v) == DOC_STR ? doc_text(v) : NULL;
}

/* ---- checking typed fields --------------------------------------------- */

/* Whether v is usable in a boolean field: a boolean, null, or unknown.
 * Anything else gets an error diagnostic at v. */
static bool check_bool(k8s_ctx *k, const doc_node *key, const doc_node *v)
{
    if (is_null(v) || is_unknown(v) || doc_bool(v, NULL))
        return true;
    if (doc_kind_of(v) == DOC_SCALAR)
        diags_add(k->diags, DIAG_ERROR, doc_span(v),
                  "invalid value \"%s\" for boolean field \"%s\": %s, not a boolean",
                  doc_text(v), doc_text(key), doc_describe(v));
    else
        diags_add(k->diags, DIAG_ERROR, doc_span(v),
                  "invalid value for boolean field \"%s\": %s, not a boolean", doc_text(key),
                  doc_describe(v));
    return false;
}

static bool check_int(k8s_ctx *k, const doc_node *key, const doc_node *v)
{
    if (is_null(v) || is_unknown(v) || doc_int(v, NULL))
        return true;
    if (doc_kind_of(v) == DOC_SCALAR)
        diags_add(k->diags, DIAG_ERROR, doc_span(v),
                  "invalid value \"%s\" for integer field \"%s\": %s, not an integer",
                  doc_text(v), doc_text(key), doc_describe(v));
    else
        diags_add(k->diags, DIAG_ERROR, doc_span(v),
                  "invalid value for integer field \"%s\": %s, not an integer", doc_text(key),
                  doc_describe(v));
    return false;
}

/* A map whose value must be a mapping (securityContext): true when it is
 * one, null or unknown; an error diagnostic otherwise. */
static bool check_map(k8s_ctx *k, const doc_node *key, const doc_node *v)
{
    if (is_null(v) || is_unknown(v) || doc_kind_of(v) == DOC_MAP)
        return true;
    diags_add(k->diags, DIAG_ERROR, doc_span(v), "invalid value for field \"%s\": %s, not a mapping",
              doc_text(key), doc_describe(v));
    return false;
}

/*
 * A copy of map m (a new map with the same pairs) without the pairs of
 * bools[] / ints[] whose values the API would reject (each reported).
 * NULL when m is not a map.
 */
static doc_node *copy_checked(k8s_ctx *k, const doc_node *m, const char *const *bools,
                              const char *const *ints)
{
    if (!m || doc_kind_of(m) != DOC_MAP)
        return NULL;
    doc_node *c = doc_new_map(k->a, doc_span(m));
    if (!c) {
        k->oom = true;
        return NULL;
    }
    for (size_t i = 0; i < doc_len(m); i++) {
        doc_node *key = doc_map_key(m, i), *v = doc_map_val(m, i);
        if (in_list(bools, key) && !check_bool(k, key, v))
            continue;
        if (in_list(ints, key) && !check_int(k, key, v))
            continue;
        if (!doc_map_append(k->a, c, key, v))
            k->oom = true;
    }
    return c;
}

/*
 * A checked copy of a securityContext (pod or container level), its
 * windowsOptions checked too.  NULL when absent, null or not a mapping
 * (the last reported).
 */
static doc_node *copy_security_context(k8s_ctx *k, const doc_node *holder, const char *const *bools)
{
    long i = doc_map_find(holder, "securityContext", strlen("securityContext"));
    if (i < 0)
        return NULL;
    doc_node *sc = doc_map_val(holder, (size_t)i);
    if (!check_map(k, doc_map_key(holder, (size_t)i), sc) || doc_kind_of(sc) != DOC_MAP)
        return NULL;
    doc_node *c = copy_checked(k, sc, bools, sc_ints);
    long w = doc_map_find(sc, "windowsOptions", strlen("windowsOptions"));
    if (c && w >= 0) {
        doc_node *wo = doc_map_val(sc, (size_t)w);
        if (!check_map(k, doc_map_key(sc, (size_t)w), wo))
            put(k, c, "windowsOptions", doc_new_map(k->a, doc_span(wo)));
        else if (doc_kind_of(wo) == DOC_MAP)
            put(k, c, "windowsOptions", copy_checked(k, wo, win_bools, none));
    }
    return c;
}

/* ---- derived fields ----------------------------------------------------- */

/* The first of two optional values that is set (not null). */
static doc_node *first_set(doc_node *a, doc_node *b) { return !is_null(a) ? a : !is_null(b) ? b : NULL; }

/* An unknown standing for a derived value that depends on unknown v. */
static doc_node *unknown_from(k8s_ctx *k, const doc_node *v)
{
    doc_node *n = doc_new_unknown(k->a, doc_span(v), doc_text(v));
    oom_check(k, n);
    return n;
}

/*
 * runsAsRoot, by the catalog's rule: the effective runAsUser (container
 * over pod) is 0: true; no runAsUser and the effective runAsNonRoot is not
 * true: true; otherwise false.  The node's span is the deciding value, or
 * the container when nothing is set.
 */
static doc_node *derive_runs_as_root(k8s_ctx *k, const doc_node *ctr, doc_node *user,
                                     doc_node *nonroot)
{
    if (user) {
        int64_t uid;
        if (is_unknown(user))
            return unknown_from(k, user);
        return new_bool(k, doc_span(user), doc_int(user, &uid) && uid == 0);
    }
    if (nonroot) {
        bool b = false;
        if (is_unknown(nonroot))
            return unknown_from(k, nonroot);
        doc_bool(nonroot, &b);
        return new_bool(k, doc_span(nonroot), !b);
    }
    return new_bool(k, doc_span(ctr), true);
}

/* AppArmor annotation values in the names of the appArmorProfile field. */
static doc_node *apparmor_from_annotation(k8s_ctx *k, doc_node *v)
{
    if (!v || doc_kind_of(v) != DOC_SCALAR)
        return v;
    const char *t = doc_text(v);
    if (strcmp(t, "unconfined") == 0)
        return new_str(k, doc_span(v), "Unconfined");
    if (strcmp(t, "runtime/default") == 0)
        return new_str(k, doc_span(v), "RuntimeDefault");
    if (strncmp(t, "localhost/", 10) == 0)
        return new_str(k, doc_span(v), "Localhost");
    return v;
}

/* Whether a capability name means cap (any case, with or without CAP_). */
static bool cap_is(const doc_node *n, const char *cap)
{
    if (!n || doc_kind_of(n) != DOC_SCALAR)
        return false;
    const char *t = doc_text(n);
    if (strncasecmp(t, "CAP_", 4) == 0)
        t += 4;
    return strcasecmp(t, cap) == 0;
}

/*
 * The container's copy with its derived fields.  list is the container
 * list it came from, psc the pod's checked securityContext (may be NULL),
 * annotations the pod's annotations (may be NULL).
 */
static doc_node *derive_container(k8s_ctx *k, doc_node *ctr, const char *list,
                                  const doc_node *psc, const doc_node *annotations)
{
    doc_node *c = copy_checked(k, ctr, none, none);
    if (!c)
        return NULL;
    bh_span at = doc_span(ctr);
    doc_node *csc = copy_security_context(k, ctr, ctr_sc_bools);
    if (csc)
        put(k, c, "securityContext", csc);
    else if (doc_get(c, "securityContext"))
        put(k, c, "securityContext", doc_new_map(k->a, at));   /* invalid: dropped */

    put(k, c, "kind", new_str(k, at, list));

    doc_node *user = first_set(doc_get(csc, "runAsUser"), doc_get(psc, "runAsUser"));
    doc_node *nonroot = first_set(doc_get(csc, "runAsNonRoot"), doc_get(psc, "runAsNonRoot"));
    if (user)
        put(k, c, "effectiveRunAsUser", user);
    if (nonroot)
        put(k, c, "effectiveRunAsNonRoot", nonroot);
    put(k, c, "runsAsRoot", derive_runs_as_root(k, ctr, user, nonroot));

    doc_node *seccomp = first_set(doc_path(csc, "seccompProfile.type"),
                                  doc_path(psc, "seccompProfile.type"));
    if (seccomp)
        put(k, c, "effectiveSeccompType", seccomp);

    doc_node *apparmor = doc_path(csc, "appArmorProfile.type");
    const char *name = str_field(ctr, "name");
    if (is_null(apparmor) && name && annotations) {
        char *key = arena_printf(k->a, "container.apparmor.security.beta.kubernetes.io/%s", name);
        oom_check(k, key);
        if (key)
            apparmor = apparmor_from_annotation(k, doc_get(annotations, key));
    }
    apparmor = first_set(apparmor, doc_path(psc, "appArmorProfile.type"));
    if (apparmor)
        put(k, c, "effectiveAppArmorType", apparmor);

    doc_node *priv = doc_get(csc, "privileged");
    bool is_priv = false;
    if (!is_null(priv) && (doc_bool(priv, &is_priv) || is_unknown(priv)))
        put(k, c, "privileged", priv);
    else
        put(k, c, "privileged", new_bool(k, at, false));

    /* allowPrivilegeEscalation: explicit value; else always true for a
     * privileged container or one adding CAP_SYS_ADMIN; else absent. */
    doc_node *ape = doc_get(csc, "allowPrivilegeEscalation");
    if (is_null(ape)) {
        ape = NULL;
        if (is_priv) {
            ape = new_bool(k, doc_span(priv), true);
        } else {
            const doc_node *add = doc_path(csc, "capabilities.add");
            for (size_t i = 0; !ape && i < doc_len(add); i++)
                if (doc_kind_of(add) == DOC_SEQ && cap_is(doc_seq_at(add, i), "SYS_ADMIN"))
                    ape = new_bool(k, doc_span(doc_seq_at(add, i)), true);
        }
    }
    if (ape)
        put(k, c, "allowPrivilegeEscalation", ape);

    doc_node *hp = first_set(doc_path(csc, "windowsOptions.hostProcess"),
                             doc_path(psc, "windowsOptions.hostProcess"));
    if (hp)
        put(k, c, "effectiveHostProcess", hp);
    return c;
}

/* The volume's copy with volumeType (its source key: "hostPath", ...) and,
 * for a hostPath, runtimeSocket (whether the path is or holds a container
 * runtime socket). */
static doc_node *derive_volume(k8s_ctx *k, doc_node *vol)
{
    doc_node *c = copy_checked(k, vol, none, none);
    if (!c)
        return NULL;
    for (size_t i = 0; i < doc_len(vol); i++) {
        doc_node *key = doc_map_key(vol, i);
        if (!doc_text_eq(key, "name")) {
            doc_node *t = doc_new_str(k->a, doc_span(key), doc_text(key));
            oom_check(k, t);
            put(k, c, "volumeType", t);
            break;
        }
    }
    doc_node *path = doc_path(vol, "hostPath.path");
    if (path && doc_kind_of(path) == DOC_SCALAR && doc_type_of(path) == DOC_STR)
        put(k, c, "runtimeSocket",
            new_bool(k, doc_span(path),
                     platform_is_runtime_socket_path(doc_text(path))));
    else if (is_unknown(path))
        put(k, c, "runtimeSocket", unknown_from(k, path));
    return c;
}

/* A sysctl's copy with canonicalName: the name in dotted form, as the
 * kubelet normalises it (when the first separator is '/', slashes and dots
 * swap: "net/ipv4/conf/eth0.1/x" is "net.ipv4.conf.eth0/1.x"). */
static doc_node *derive_sysctl(k8s_ctx *k, doc_node *item)
{
    doc_node *c = copy_checked(k, item, none, none);
    doc_node *name = doc_get(item, "name");
    if (!c || !name || doc_kind_of(name) != DOC_SCALAR || doc_type_of(name) != DOC_STR)
        return c;
    char *t = arena_strndup(k->a, doc_text(name), doc_text_len(name));
    oom_check(k, t);
    if (!t)
        return c;
    size_t first = strcspn(t, "./");
    if (t[first] == '/')
        for (char *p = t; *p; p++)
            *p = *p == '/' ? '.' : *p == '.' ? '/' : *p;
    doc_node *n = doc_wrap_scalar(k->a, doc_span(name), t, doc_text_len(name), DOC_STR,
                                  doc_style_of(name));
    oom_check(k, n);
    put(k, c, "canonicalName", n);
    return c;
}

/* ---- metadata ----------------------------------------------------------- */

/* A new map: the pairs of base, then those of over replacing them. */
static doc_node *merge_maps(k8s_ctx *k, const doc_node *base, const doc_node *over, bh_span at)
{
    doc_node *m = doc_new_map(k->a, at);
    oom_check(k, m);
    const doc_node *srcs[2] = {base, over};
    for (size_t s = 0; m && s < 2; s++) {
        if (!srcs[s] || doc_kind_of(srcs[s]) != DOC_MAP)
            continue;
        for (size_t i = 0; i < doc_len(srcs[s]); i++) {
            doc_node *key = doc_map_key(srcs[s], i);
            if (doc_kind_of(key) == DOC_SCALAR)
                put(k, m, doc_text(key), doc_map_val(srcs[s], i));
        }
    }
    return m;
}

/* The workload's metadata with the pod template's over it; annotations
 * and labels merged key by key (the template's win). */
static doc_node *merge_metadata(k8s_ctx *k, const doc_node *wmeta, const doc_node *pmeta,
                                bh_span at)
{
    if (pmeta == wmeta || !pmeta || doc_kind_of(pmeta) != DOC_MAP)
        pmeta = NULL;
    doc_node *m = merge_maps(k, wmeta, pmeta, wmeta && doc_kind_of(wmeta) == DOC_MAP ? doc_span(wmeta) : at);
    if (!m || !pmeta)
        return m;
    static const char *const merged[] = {"annotations", "labels"};
    for (size_t i = 0; i < 2; i++) {
        doc_node *w = doc_get(wmeta, merged[i]), *p = doc_get(pmeta, merged[i]);
        if (w && p && doc_kind_of(w) == DOC_MAP && doc_kind_of(p) == DOC_MAP)
            put(k, m, merged[i], merge_maps(k, w, p, doc_span(p)));
    }
    return m;
}

/* ---- pod spec ----------------------------------------------------------- */

/* The object root built from a pod spec map. */
static doc_node *build_pod(k8s_ctx *k, const doc_node *spec, const doc_node *wmeta,
                           const doc_node *pmeta, bh_span at)
{
    doc_node *root = copy_checked(k, spec, pod_bools, none);
    if (!root)
        return NULL;
    doc_node *psc = copy_security_context(k, spec, pod_sc_bools);
    doc_node *sysctls = doc_get(psc, "sysctls");
    if (sysctls && doc_kind_of(sysctls) == DOC_SEQ) {
        doc_node *ns = doc_new_seq(k->a, doc_span(sysctls));
        oom_check(k, ns);
        for (size_t j = 0; ns && j < doc_len(sysctls); j++) {
            doc_node *it = doc_seq_at(sysctls, j);
            doc_node *d = doc_kind_of(it) == DOC_MAP ? derive_sysctl(k, it) : it;
            if (d && !doc_seq_append(k->a, ns, d))
                k->oom = true;
        }
        put(k, psc, "sysctls", ns);
    }
    if (psc)
        put(k, root, "securityContext", psc);
    else if (doc_get(root, "securityContext"))
        put(k, root, "securityContext", doc_new_map(k->a, doc_span(spec)));

    /* AppArmor annotations are read by the kubelet from the pod itself,
     * so only the pod's (template's) annotations decide. */
    const doc_node *annotations = doc_get(pmeta ? pmeta : wmeta, "annotations");
    if (annotations && doc_kind_of(annotations) != DOC_MAP)
        annotations = NULL;

    doc_node *all = doc_new_seq(k->a, doc_span(spec));
    oom_check(k, all);
    for (size_t l = 0; all && l < sizeof container_lists / sizeof *container_lists; l++) {
        long i = doc_map_find(spec, container_lists[l], strlen(container_lists[l]));
        if (i < 0)
            continue;
        doc_node *key = doc_map_key(spec, (size_t)i), *list = doc_map_val(spec, (size_t)i);
        if (is_null(list) || is_unknown(list))
            continue;
        if (doc_kind_of(list) != DOC_SEQ) {
            diags_add(k->diags, DIAG_ERROR, doc_span(list),
                      "invalid value for field \"%s\": %s, not a list of containers",
                      doc_text(key), doc_describe(list));
            continue;
        }
        doc_node *nl = doc_new_seq(k->a, doc_span(list));
        oom_check(k, nl);
        for (size_t j = 0; nl && j < doc_len(list); j++) {
            doc_node *ctr = doc_seq_at(list, j);
            if (doc_kind_of(ctr) != DOC_MAP) {
                diags_add(k->diags, DIAG_ERROR, doc_span(ctr),
                          "invalid item %zu of \"%s\": %s, not a container mapping", j,
                          container_lists[l], doc_describe(ctr));
                continue;
            }
            doc_node *dc = derive_container(k, ctr, container_lists[l], psc, annotations);
            if (dc && (!doc_seq_append(k->a, nl, dc) || !doc_seq_append(k->a, all, dc)))
                k->oom = true;
        }
        put(k, root, container_lists[l], nl);
    }
    put(k, root, "allContainers", all);

    doc_node *vols = doc_get(spec, "volumes");
    if (vols && doc_kind_of(vols) == DOC_SEQ) {
        doc_node *nv = doc_new_seq(k->a, doc_span(vols));
        oom_check(k, nv);
        for (size_t j = 0; nv && j < doc_len(vols); j++) {
            doc_node *v = doc_seq_at(vols, j);
            doc_node *dv = doc_kind_of(v) == DOC_MAP ? derive_volume(k, v) : v;
            if (dv && !doc_seq_append(k->a, nv, dv))
                k->oom = true;
        }
        put(k, root, "volumes", nv);
    }

    put(k, root, "metadata", merge_metadata(k, wmeta, pmeta, at));
    return root;
}

/* ---- documents ---------------------------------------------------------- */

static const struct workload *find_workload(const char *kind)
{
    for (size_t i = 0; kind && i < sizeof workloads / sizeof *workloads; i++)
        if (strcmp(workloads[i].kind, kind) == 0)
            return &workloads[i];
    return NULL;
}

/*
 * Follow a dotted path of mappings from doc.  NULL when a step is missing
 * or null (a partial manifest: no object) or unknown; NULL after an error
 * diagnostic when a step is not a mapping.
 */
static const doc_node *walk(k8s_ctx *k, const doc_node *doc, const char *dotted,
                            const char *kind, const char *name, bool is_spec)
{
    const doc_node *cur = doc;
    const char *p = dotted;
    while (*p) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        long i = doc_map_find(cur, p, n);
        if (i < 0)
            return NULL;
        const doc_node *v = doc_map_val(cur, (size_t)i);
        if (is_null(v) || is_unknown(v))
            return NULL;
        if (doc_kind_of(v) != DOC_MAP) {
            size_t upto = (size_t)(p - dotted) + n;
            diags_add(k->diags, DIAG_ERROR, doc_span(v),
                      "%s\"%.*s\" of %s \"%s\" is %s, not a mapping",
                      is_spec && !dot ? "pod spec " : "", (int)upto, dotted, kind, name,
                      doc_describe(v));
            return NULL;
        }
        cur = v;
        p = dot ? dot + 1 : p + n;
    }
    return cur;
}

static void adapt_doc(k8s_ctx *k, const doc_node *doc, const char *implied_kind, unsigned depth);

static void adapt_list(k8s_ctx *k, const doc_node *doc, const char *kind, unsigned depth)
{
    const doc_node *items = doc_get(doc, "items");
    if (!items || doc_kind_of(items) != DOC_SEQ)
        return;
    if (depth >= K8S_MAX_LIST_DEPTH) {
        diags_add(k->diags, DIAG_ERROR, doc_span(doc),
                  "a %s nested more than %d lists deep is not read", kind, K8S_MAX_LIST_DEPTH);
        return;
    }
    /* Typed lists (PodList) leave kind out of their items: imply it. */
    size_t klen = strlen(kind) - 4;
    char *implied = klen ? arena_strndup(k->a, kind, klen) : NULL;
    for (size_t i = 0; i < doc_len(items); i++) {
        const doc_node *it = doc_seq_at(items, i);
        if (doc_kind_of(it) == DOC_MAP)
            adapt_doc(k, it, implied, depth + 1);
    }
}

static void adapt_doc(k8s_ctx *k, const doc_node *doc, const char *implied_kind, unsigned depth)
{
    const char *kind = str_field(doc, "kind");
    if (!kind)
        kind = implied_kind;
    if (!kind)
        return;
    size_t klen = strlen(kind);
    if (klen >= 4 && strcmp(kind + klen - 4, "List") == 0) {
        adapt_list(k, doc, kind, depth);
        return;
    }
    const struct workload *w = find_workload(kind);
    if (!w)
        return;

    const doc_node *wmeta = doc_get(doc, "metadata");
    const char *name = str_field(wmeta, "name");
    const char *ns = str_field(wmeta, "namespace");
    if (!name || !*name) {
        const char *gen = str_field(wmeta, "generateName");
        name = gen && *gen ? arena_printf(k->a, "%s*", gen) : "(unnamed)";
    }
    const char *oname = ns && *ns ? arena_printf(k->a, "%s/%s/%s", kind, ns, name)
                                  : arena_printf(k->a, "%s/%s", kind, name);
    if (!name || !oname) {
        k->oom = true;
        return;
    }

    const doc_node *spec = walk(k, doc, w->spec, kind, name, true);
    if (!spec)
        return;
    const doc_node *pmeta = w->meta ? doc_path(doc, w->meta) : NULL;
    doc_node *root = build_pod(k, spec, wmeta, pmeta, doc_span(doc));
    if (!root || k->oom)
        return;
    if (!objlist_add(k->out, "k8s/pod", oname, doc_span(doc), root))
        k->oom = true;
}

bool adapt_k8s(const doc_node *root, bh_arena *a, bh_objlist *out, bh_diags *diags)
{
    k8s_ctx k = {a, out, diags, false};
    if (root && doc_kind_of(root) == DOC_MAP)
        adapt_doc(&k, root, NULL, 0);
    if (k.oom)
        diags_add(diags, DIAG_ERROR, root ? doc_span(root) : (bh_span){0},
                  "out of memory while reading the Kubernetes manifest");
    return !k.oom;
}

bool adapt_k8s_reads_kind(const char *kind, size_t len)
{
    if (len >= 4 && memcmp(kind + len - 4, "List", 4) == 0)
        len -= 4;                     /* List, or a typed list: its items' kind */
    if (len == 0)
        return true;
    for (size_t i = 0; i < sizeof workloads / sizeof *workloads; i++)
        if (strlen(workloads[i].kind) == len && memcmp(workloads[i].kind, kind, len) == 0)
            return true;
    return false;
}

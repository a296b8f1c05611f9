/*
 * platform.h - platform facts shared by the adapters, kept in one place so
 * that every source format (native JSON, CloudFormation, Terraform,
 * Kubernetes, Compose) reads them the same way:
 *
 *   - CI template placeholders (`${VAR}`, `$VAR`): values that are not known
 *     until envsubst runs;
 *   - container-runtime sockets on the host (docker, containerd, cri-o,
 *     podman) and the directories that hold them;
 *   - who is root (or ContainerAdministrator) in an ECS `user`;
 *   - Windows hints and Fargate platform versions;
 *   - the ECS API's field names as tables, and a key normaliser driven by
 *     them, so that an adapter reading PascalCase (CloudFormation),
 *     any-case (Terraform's container_definitions) or snake_case keys
 *     builds the same object shape as native ECS JSON;
 *   - the derived fields of ECS objects (docs/objects.md lists them).
 *
 * Nothing here prints.  Functions that build nodes allocate in the arena
 * given and return NULL (or false) only when it is exhausted.
 */
#ifndef BH_PLATFORM_H
#define BH_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "doc.h"

/* Three-valued answers: a fact that a placeholder hides is PLAT_UNKNOWN. */
typedef enum plat_tri { PLAT_NO, PLAT_YES, PLAT_UNKNOWN } plat_tri;

/* ---- template placeholders ------------------------------------------- */

/* Whether s[0..len) is exactly one placeholder as envsubst and shells
 * write them: `${NAME}` (also `${NAME:-default}` and the like: anything up
 * to a single closing brace that ends the text) or `$NAME` (NAME a shell
 * identifier).  A placeholder inside longer text ("app:${TAG}") is not. */
bool platform_is_placeholder(const char *s, size_t len);

/* A copy of v in which every string scalar that is exactly a placeholder
 * has become an unknown node (same span, the placeholder as its text).
 * Mappings and sequences are rebuilt; other scalars are shared. */
doc_node *platform_unplaceholder(bh_arena *a, const doc_node *v);

/* ---- host paths and container-runtime sockets ------------------------ */

/* Normalise an absolute host path into buf: "//" collapsed, "." dropped,
 * ".." resolved, no trailing "/", and "/var/run" spelled "/run" (a symlink
 * on every current distribution).  false when path is not absolute or the
 * result does not fit. */
bool platform_normalize_host_path(const char *path, char *buf, size_t size);

/* Whether a host path, once normalised, is a container-runtime socket
 * (docker.sock, containerd/containerd.sock, crio/crio.sock,
 * podman/podman.sock, cri-dockerd.sock, dockershim.sock, k3s's
 * containerd, rootless docker and podman under /run/user/UID, the Windows
 * pipe \\.\pipe\docker_engine) or a directory that holds one ("/", "/run",
 * "/var/run", "/run/containerd", "/var/run/docker", ...). */
bool platform_is_runtime_socket_path(const char *path);

/* ---- ECS users ----------------------------------------------------------- */

/* Whether an ECS container `user` runs as root.  Only the part before the
 * first ':' counts: `root` or all digits equal to 0 (`0`, `00`) is root,
 * with any group (`0:1000`, `root:staff`); `1000:0` is not.  Unset (NULL)
 * or empty means the image's user: root.  A placeholder as that part
 * (`${UID}`, `${UID}:1000`) is unknown. */
plat_tri platform_ecs_user_is_root(const char *user, size_t len);

/* Whether an ECS container `user` on Windows is the administrator: unset
 * (NULL), empty, or `ContainerAdministrator` in any case.  A placeholder
 * is unknown. */
plat_tri platform_ecs_user_is_windows_admin(const char *user, size_t len);

/* Whether a container image reference names a Windows image:
 * mcr.microsoft.com/windows... and mcr.microsoft.com/dotnet/framework/..., or
 * any image whose name contains "windowsservercore", "servercore" or
 * "nanoserver" (any case). */
bool platform_is_windows_image(const char *image);

/* ---- Fargate ------------------------------------------------------------- */

/* Whether an explicit Fargate platform version is older than the oldest
 * supported one: 1.4.0 on Linux, 1.0.0 on Windows.  `LATEST` is not; a
 * placeholder is unknown; text that is not a version is not (the API
 * rejects it). */
plat_tri platform_fargate_version_outdated(const char *version, bool windows);

/* ---- ECS field tables and the key normaliser --------------------------- */

typedef enum ecs_shape {
    ECS_VALUE,        /* a scalar or a list of scalars: copied */
    ECS_OBJECT,       /* a mapping with the fields of `fields` */
    ECS_OBJECT_LIST,  /* a list of such mappings */
    ECS_FREE_MAP      /* a mapping whose keys are the user's (options, labels) */
} ecs_shape;

typedef struct ecs_field {
    const char *name;                /* the API spelling; NULL ends a table */
    ecs_shape shape;
    const struct ecs_field *fields;  /* ECS_OBJECT, ECS_OBJECT_LIST */
    const char *alias;               /* a spelling that differs by more than case
                                      * (CloudFormation ProxyConfigurationProperties) */
} ecs_field;

/* The API's fields of each object type (RegisterTaskDefinition,
 * CreateService/Service, CreateTaskSet/TaskSet, CreateCluster/Cluster,
 * CreateCapacityProvider/CapacityProvider). */
extern const ecs_field ecs_task_definition_fields[];
extern const ecs_field ecs_container_definition_fields[];
extern const ecs_field ecs_service_fields[];
extern const ecs_field ecs_task_set_fields[];
extern const ecs_field ecs_cluster_fields[];
extern const ecs_field ecs_capacity_provider_fields[];

enum {
    ECS_KEYS_EXACT = 0,               /* native JSON: the CLI rejects other spellings */
    ECS_KEYS_ANY_CASE = 1 << 0,       /* CloudFormation PascalCase, Terraform's decoder */
    ECS_KEYS_IGNORE_UNDERSCORES = 1 << 1, /* snake_case: network_mode is networkMode */
    ECS_VALUES_PLACEHOLDERS = 1 << 2, /* placeholder strings become unknowns */
    ECS_BLOCK_LISTS = 1 << 3          /* Terraform: an object field given as a list of one
                                       * mapping (a nested block) is that mapping */
};

/* Look a key up in a field table under flags; NULL when it is not one. */
const ecs_field *ecs_field_find(const ecs_field *table, const char *key, size_t len,
                                unsigned flags);

/*
 * A copy of the mapping `map` whose keys are spelled as the API spells
 * them (keys of free maps and unknown keys are kept as written), values
 * copied recursively (placeholders made unknown with
 * ECS_VALUES_PLACEHOLDERS).  Every source node keeps its span: a renamed
 * key gets the original key's span.  A value of the wrong shape (a string
 * where a list belongs) is copied as it is; adapters check shapes.  When
 * map is not a mapping it is copied as a value.  NULL on exhaustion.
 */
doc_node *ecs_normalize(bh_arena *a, const doc_node *map, const ecs_field *table,
                        unsigned flags);

/* ---- ECS derived fields (docs/objects.md) ------------------------------- */

/*
 * Add the derived fields to a task definition in the API shape, in place
 * (the mapping and its container and volume mappings must be the
 * adapter's own, e.g. from ecs_normalize): isWindows and isLinux on the
 * task; runsAsRoot, runsAsAdministrator, mountsRuntimeSocket,
 * runtimeSocketMounts, hasSecretEnvironment and secretEnvironment on each
 * container.  false on exhaustion.
 */
bool ecs_derive_task_definition(bh_arena *a, doc_node *td);

/* Services: isFargate, isWindows, platformVersionOutdated. */
bool ecs_derive_service(bh_arena *a, doc_node *svc);

#endif

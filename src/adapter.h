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

/* Native ECS JSON (or YAML): task definitions in the
 * register-task-definition input shape, the describe-task-definition
 * output shape ({"taskDefinition": {...}}) and lists of either, giving
 * "aws/ecs/task-definition" objects; and the describe-* output and
 * create-* input shapes of services, task sets, clusters and capacity
 * providers, giving "aws/ecs/service", "aws/ecs/task-set",
 * "aws/ecs/cluster" and "aws/ecs/capacity-provider" objects.  Values that
 * are exactly a `${VAR}` / `$VAR` placeholder become unknowns.  A task
 * definition of the wrong shape (containerDefinitions not a list, a
 * container not a mapping) is skipped with an error.  Returns false when
 * some object was skipped. */
bool adapt_ecs(const doc_node *root, bh_arena *a, bh_objlist *out, bh_diags *diags);

/* Kubernetes manifests (one YAML/JSON document; `kind: List` and typed
 * lists read recursively): the pod spec of every workload kind as a
 * "k8s/pod" object, named Kind/name or Kind/namespace/name, with derived
 * fields (allContainers, runsAsRoot, effective* ...; docs/objects.md).
 * Invalid fields (a quoted "true" in a boolean field) and pod specs that
 * are not mappings give error diagnostics.  false on exhaustion. */
bool adapt_k8s(const doc_node *root, bh_arena *a, bh_objlist *out, bh_diags *diags);

/* Whether the Kubernetes adapter reads documents of this kind (a workload,
 * `List`, or a typed list of workloads): the scanner skips parsing the
 * others (CustomResourceDefinitions are most of a cluster's YAML). */
bool adapt_k8s_reads_kind(const char *kind, size_t len);

struct cfn_params;

/* CloudFormation templates (YAML or JSON; CDK synth output): every
 * AWS::ECS::TaskDefinition, Service, TaskSet, Cluster and CapacityProvider
 * resource as the aws/ecs/... object of the native shape, named by its
 * logical id.  Intrinsic functions are resolved (cfn.h) from the
 * parameters' defaults, or from params when given (may be NULL); values
 * that cannot be known become unknowns.  A resource whose Condition is
 * false gives no object; an unknown Condition keeps it.  false when some
 * resource was skipped with an error. */
bool adapt_cfn(const doc_node *root, bh_arena *a, bh_objlist *out, bh_diags *diags);
bool adapt_cfn_with(const doc_node *root, const struct cfn_params *params, bh_arena *a,
                    bh_objlist *out, bh_diags *diags);

/* Docker Compose files: every `services.<name>` as a "compose/service"
 * object named "services.<name>", after YAML anchors and merges (the
 * reader), `${VAR}` interpolation from the `.env` file beside the compose
 * file (found from the root's span; the process environment is never
 * read: unresolved variables become unknowns), `extends` within the file,
 * and compose-go's string-to-boolean casts; with derived fields
 * (effectiveNetworkMode, runsAsRoot, capAdd, mounts, noNewPrivileges, ...;
 * docs/objects.md).  Invalid values (`privileged: "1"`) give error
 * diagnostics and are left out.  false on exhaustion. */
bool adapt_compose(const doc_node *root, bh_arena *a, bh_objlist *out, bh_diags *diags);

struct tf_module;

/* Terraform: the resources of an evaluated module (tfeval.h) of the types
 * adapt_tf_wants() accepts -- aws_ecs_task_definition, _service,
 * _task_set, _cluster, _capacity_provider into the aws/ecs/... objects,
 * the kubernetes provider's workload resources and kubernetes_manifest
 * into k8s/pod objects -- named by resource address
 * ("module.web.aws_ecs_task_definition.app[0]").  adapt_tf_plan reads the
 * same resources from `terraform show -json` output (planned_values, with
 * resource_changes' after_unknown as unknowns).  false when some resource
 * was skipped with an error. */
bool adapt_tf_wants(const char *type);
bool adapt_tf(const struct tf_module *m, bh_arena *a, bh_objlist *out, bh_diags *diags);
bool adapt_tf_plan(const doc_node *root, bh_arena *a, bh_objlist *out, bh_diags *diags);

#endif

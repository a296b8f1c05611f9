/* Unit tests: adapt_tf.c (Terraform resources and plan JSON into objects). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "adapter.h"
#include "json.h"
#include "tfeval.h"

typedef struct fx {
    bh_source *src;
    bh_arena *a;
    bh_diags *d;
    bh_objlist *objs;
} fx;

/* Evaluate one .tf text as a module and adapt it. */
static void adapt_text(fx *f, const char *text)
{
    f->src = source_new("main.tf", text, strlen(text));
    f->a = arena_new();
    f->d = diags_new();
    f->objs = objlist_new(f->a);
    tf_module *m = tf_eval_module(".", &f->src, 1, NULL, adapt_tf_wants, f->a, f->d);
    assert_non_null(m);
    assert_true(adapt_tf(m, f->a, f->objs, f->d));
}

static void fx_free(fx *f)
{
    diags_free(f->d);
    arena_free(f->a);
    source_free(f->src);
}

static void test_service_public_ip(void **state)
{
    (void)state;
    fx f;
    adapt_text(&f, "resource \"aws_ecs_service\" \"s\" {\n"
                   "  name = \"s\"\n"
                   "  network_configuration {\n"
                   "    subnets          = [\"a\"]\n"
                   "    assign_public_ip = true\n"
                   "  }\n"
                   "}\n");
    assert_int_equal(objlist_len(f.objs), 1);
    const bh_object *o = objlist_at(f.objs, 0);
    assert_string_equal(o->type, "aws/ecs/service");
    assert_string_equal(o->name, "aws_ecs_service.s");
    const doc_node *ip = doc_path(o->root, "networkConfiguration.awsvpcConfiguration.assignPublicIp");
    assert_non_null(ip);
    assert_string_equal(doc_text(ip), "ENABLED");
    assert_int_equal(source_pos(f.src, doc_span(ip).start).line, 5);   /* the `true` */
    fx_free(&f);
}

static void test_task_definition_shapes(void **state)
{
    (void)state;
    fx f;
    adapt_text(&f, "resource \"aws_ecs_task_definition\" \"t\" {\n"
                   "  family       = \"t\"\n"
                   "  network_mode = \"host\"\n"
                   "  container_definitions = jsonencode([{ Name = \"c\", PRIVILEGED = true }])\n"
                   "  volume {\n"
                   "    name      = \"sock\"\n"
                   "    host_path = \"/var/run/docker.sock\"\n"
                   "  }\n"
                   "  runtime_platform {\n"
                   "    operating_system_family = \"LINUX\"\n"
                   "  }\n"
                   "}\n");
    const bh_object *o = objlist_at(f.objs, 0);
    assert_string_equal(doc_text(doc_get(o->root, "networkMode")), "host");
    const doc_node *c = doc_seq_at(doc_get(o->root, "containerDefinitions"), 0);
    assert_string_equal(doc_text(doc_get(c, "name")), "c");          /* any case */
    bool b;
    assert_true(doc_bool(doc_get(c, "privileged"), &b) && b);
    const doc_node *v = doc_seq_at(doc_get(o->root, "volumes"), 0);
    assert_string_equal(doc_text(doc_path(v, "host.sourcePath")), "/var/run/docker.sock");
    assert_string_equal(doc_text(doc_path(o->root, "runtimePlatform.operatingSystemFamily")),
                        "LINUX");                                     /* block -> object */
    fx_free(&f);
}

static void test_kubernetes_names(void **state)
{
    (void)state;
    fx f;
    adapt_text(&f, "resource \"kubernetes_pod_v1\" \"p\" {\n"
                   "  metadata { name = \"p\" }\n"
                   "  spec {\n"
                   "    host_pid = \"true\"\n"
                   "    container {\n"
                   "      name  = \"c\"\n"
                   "      image = \"x\"\n"
                   "      security_context { run_as_user = \"0\" }\n"
                   "    }\n"
                   "  }\n"
                   "}\n");
    assert_int_equal(objlist_len(f.objs), 1);
    const bh_object *o = objlist_at(f.objs, 0);
    assert_string_equal(o->type, "k8s/pod");
    assert_string_equal(o->name, "kubernetes_pod_v1.p");
    bool b;
    assert_true(doc_bool(doc_get(o->root, "hostPID"), &b) && b);     /* host_pid, "true" */
    const doc_node *c = doc_seq_at(doc_get(o->root, "containers"), 0);
    int64_t uid;
    assert_true(doc_int(doc_path(c, "securityContext.runAsUser"), &uid) && uid == 0);
    /* the provider's default when security_context leaves it out */
    assert_true(doc_bool(doc_path(c, "securityContext.allowPrivilegeEscalation"), &b) && b);
    fx_free(&f);
}

static void test_plan_after_unknown(void **state)
{
    (void)state;
    const char *plan =
        "{\"format_version\": \"1.2\", \"planned_values\": {\"root_module\": {\"resources\": [\n"
        " {\"address\": \"aws_ecs_task_definition.t\", \"mode\": \"managed\",\n"
        "  \"type\": \"aws_ecs_task_definition\", \"name\": \"t\",\n"
        "  \"values\": {\"family\": \"t\", \"container_definitions\": \"[]\"}}]}},\n"
        " \"resource_changes\": [{\"address\": \"aws_ecs_task_definition.t\",\n"
        "  \"change\": {\"after_unknown\": {\"network_mode\": true}}}]}\n";
    bh_source *src = source_new("plan.json", plan, strlen(plan));
    bh_arena *a = arena_new();
    bh_diags *d = diags_new();
    bh_objlist *objs = objlist_new(a);
    doc_node *root = json_parse(src, a, NULL, d);
    assert_non_null(root);
    assert_true(adapt_tf_plan(root, a, objs, d));
    assert_int_equal(objlist_len(objs), 1);
    const doc_node *nm = doc_get(objlist_at(objs, 0)->root, "networkMode");
    assert_int_equal(doc_kind_of(nm), DOC_UNKNOWN);
    diags_free(d);
    arena_free(a);
    source_free(src);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_service_public_ip),
        cmocka_unit_test(test_task_definition_shapes),
        cmocka_unit_test(test_kubernetes_names),
        cmocka_unit_test(test_plan_after_unknown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests: detect.c (syntax by name and content, the byte pre-filter,
 * document kinds).  Documents are built with the doc.h constructors from a
 * compact JSON-like notation by a small reader below, so each case reads
 * like the file it stands for. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "detect.h"
#include "doc.h"

/* ---- a tiny JSON reader onto doc.h (test input only, trusted) --------- */

typedef struct rd {
    const char *p;
    bh_arena *a;
} rd;

static const bh_span nospan = {NULL, 0, 0};

static void ws(rd *r)
{
    while (*r->p == ' ' || *r->p == '\n' || *r->p == '\t')
        r->p++;
}

static doc_node *value(rd *r);

static doc_node *string(rd *r)
{
    assert_int_equal(*r->p, '"');
    const char *s = ++r->p;
    while (*r->p != '"')
        r->p++;
    doc_node *n = doc_new_scalar(r->a, nospan, s, (size_t)(r->p - s), DOC_STR, DOC_DOUBLE_QUOTED);
    r->p++;
    return n;
}

static doc_node *value(rd *r)
{
    ws(r);
    doc_node *n;
    if (*r->p == '{') {
        r->p++;
        n = doc_new_map(r->a, nospan);
        for (ws(r); *r->p != '}'; ws(r)) {
            doc_node *k = string(r);
            ws(r);
            assert_int_equal(*r->p++, ':');
            assert_true(doc_map_append(r->a, n, k, value(r)));
            ws(r);
            if (*r->p == ',')
                r->p++;
        }
        r->p++;
    } else if (*r->p == '[') {
        r->p++;
        n = doc_new_seq(r->a, nospan);
        for (ws(r); *r->p != ']'; ws(r)) {
            assert_true(doc_seq_append(r->a, n, value(r)));
            ws(r);
            if (*r->p == ',')
                r->p++;
        }
        r->p++;
    } else if (*r->p == '"') {
        n = string(r);
    } else if (strncmp(r->p, "null", 4) == 0) {
        r->p += 4;
        n = doc_new_scalar(r->a, nospan, "", 0, DOC_NULL, DOC_PLAIN);
    } else if (strncmp(r->p, "true", 4) == 0) {
        r->p += 4;
        n = doc_new_bool(r->a, nospan, true);
    } else {
        char *end;
        long v = strtol(r->p, &end, 10);
        assert_true(end != r->p);
        r->p = end;
        n = doc_new_int(r->a, nospan, v);
    }
    assert_non_null(n);
    return n;
}

/* The kind detect_document gives the document json under the name path. */
static bh_kind kind_of(const char *path, const char *json)
{
    bh_arena *a = arena_new();
    assert_non_null(a);
    rd r = {json, a};
    doc_node *root = value(&r);
    ws(&r);
    assert_int_equal(*r.p, '\0');
    bh_kind k = detect_document(path, root);
    arena_free(a);
    return k;
}

#define assert_kind(path, json, want) assert_string_equal(kind_name(kind_of(path, json)), want)

/* ---- names ------------------------------------------------------------- */

static void test_kind_names(void **state)
{
    (void)state;
    assert_string_equal(kind_name(KIND_NONE), "none");
    assert_string_equal(kind_name(KIND_CLOUDFORMATION), "cloudformation");
    assert_string_equal(kind_name(KIND_KUBERNETES), "kubernetes");
    assert_string_equal(kind_name(KIND_COMPOSE), "compose");
    assert_string_equal(kind_name(KIND_ECS), "ecs");
    assert_string_equal(kind_name(KIND_TERRAFORM), "terraform");
    assert_string_equal(kind_name(KIND_TFVARS), "tfvars");
    assert_string_equal(kind_name(KIND_TF_PLAN), "terraform-plan");
    assert_string_equal(kind_name((bh_kind)99), "none");
}

static void test_syntax_by_name(void **state)
{
    (void)state;
    static const struct {
        const char *path;
        bh_syntax want;
    } cases[] = {
        {"main.tf", SYN_HCL},
        {"prod.tfvars", SYN_HCL},
        {"terraform.tfvars.json", SYN_TF_JSON},
        {"cdk.tf.json", SYN_TF_JSON},
        {"dir/Main.TF", SYN_HCL},
        {"X.Tf.Json", SYN_TF_JSON},
        {"task.json", SYN_JSON},
        {"plan.JSON", SYN_JSON},
        {"deploy.yaml", SYN_YAML},
        {"a/b/compose.YML", SYN_YAML},
        {"x.yml", SYN_YAML},
        {"Dockerfile", SYN_NONE},
        {"README.md", SYN_NONE},
        {"main.go", SYN_NONE},
        {".env", SYN_NONE},
        {"prod.env", SYN_NONE},
        {"Makefile", SYN_NONE},
        {"x.json5", SYN_NONE},
        {"x.yaml.bak", SYN_NONE},
        {"x.tftest", SYN_NONE},
        {".yaml", SYN_NONE},       /* a hidden file with no extension */
        {"dir.yaml/notes", SYN_NONE},
        {"dir.json/main.tf", SYN_HCL},
        {"", SYN_NONE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bh_syntax got = detect_syntax(cases[i].path, "", 0);
        if (got != cases[i].want)
            fail_msg("detect_syntax(\"%s\") = %d, want %d", cases[i].path, got, cases[i].want);
    }
    /* content does not override a decisive name */
    assert_int_equal(detect_syntax("x.yaml", "{\"a\": 1}", 8), SYN_YAML);
    assert_int_equal(detect_syntax("x.json", "a: 1", 4), SYN_JSON);
}

static void test_syntax_template_sniffed(void **state)
{
    (void)state;
    const char *json = "\n  \t{\"AWSTemplateFormatVersion\": \"2010-09-09\"}";
    assert_int_equal(detect_syntax("vpc.template", json, strlen(json)), SYN_JSON);
    const char *bom = "\xEF\xBB\xBF {}";
    assert_int_equal(detect_syntax("vpc.TEMPLATE", bom, strlen(bom)), SYN_JSON);
    const char *yaml = "# comment {\nAWSTemplateFormatVersion: '2010-09-09'\n";
    assert_int_equal(detect_syntax("vpc.template", yaml, strlen(yaml)), SYN_YAML);
    /* unknown content (asked by name alone, or empty): YAML, so it is read */
    assert_int_equal(detect_syntax("vpc.template", "", 0), SYN_YAML);
    assert_int_equal(detect_syntax("vpc.template", NULL, 0), SYN_YAML);
    assert_int_equal(detect_syntax("vpc.template", "   ", 3), SYN_YAML);
}

/* ---- pre-filter -------------------------------------------------------- */

static bool worth(bh_syntax syn, const char *text)
{
    return detect_worth_parsing(syn, text, strlen(text));
}

static void test_worth_parsing(void **state)
{
    (void)state;
    /* Terraform by name: always; not a file we read: never */
    assert_true(worth(SYN_HCL, ""));
    assert_true(worth(SYN_TF_JSON, "{}"));
    assert_false(worth(SYN_NONE, "apiVersion: v1\n"));
    assert_false(detect_worth_parsing(SYN_YAML, NULL, 0));

    /* application config, package manifests, CI files: skipped */
    assert_false(worth(SYN_YAML, "server:\n  port: 8080\nlogging: debug\n"));
    assert_false(worth(SYN_JSON, "{\"name\": \"app\", \"version\": \"1.0.0\"}"));
    assert_false(worth(SYN_YAML, "on: push\njobs:\n  build:\n    runs-on: ubuntu\n"));
    assert_false(worth(SYN_YAML, ""));

    /* each key some kind needs */
    static const char *const keep[] = {
        "apiVersion: v1\nkind: Pod\n",
        "AWSTemplateFormatVersion: '2010-09-09'\n",
        "Resources:\n  B:\n    Type: AWS::S3::Bucket\n",
        "Transform: AWS::Serverless-2016-10-31\n",
        "services:\n  web:\n    image: nginx\n",
        "{\"family\": \"x\", \"containerDefinitions\": []}",
        "{\"taskDefinition\": {\"containerDefinitions\": []}}",
        "{\"clusters\": [{\"clusterName\": \"c\"}]}",
        "{\"taskSets\": []}",
        "{\"capacityProviders\": []}",
        "{\"cluster\": {\"clusterArn\": \"a\"}}",
        "{\"name\": \"cp\", \"autoScalingGroupProvider\": {}}",
        "{\"format_version\": \"1.2\", \"planned_values\": {}}",
        "{\"services\": [{\"serviceName\": \"s\"}]}",
    };
    for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++)
        if (!worth(i % 2 ? SYN_JSON : SYN_YAML, keep[i]))
            fail_msg("skipped: %s", keep[i]);

    /* the needle at the very end, and cut one byte short */
    assert_true(worth(SYN_YAML, "x: 1\napiVersion"));
    assert_false(detect_worth_parsing(SYN_YAML, "x: 1\napiVersion", 14));
    /* case matters: keys are case-sensitive in every format we read */
    assert_false(worth(SYN_YAML, "apiversion: v1\nSERVICES: {}\n"));
}

/* ---- document kinds ---------------------------------------------------- */

static void test_cloudformation(void **state)
{
    (void)state;
    assert_kind("t.yaml", "{\"AWSTemplateFormatVersion\": \"2010-09-09\"}", "cloudformation");
    assert_kind("t.json",
                "{\"Resources\": {\"Q\": {\"Type\": \"Custom::X\"},"
                " \"B\": {\"Type\": \"AWS::S3::Bucket\"}}}",
                "cloudformation");
    assert_kind("sam.yaml", "{\"Transform\": \"AWS::Serverless-2016-10-31\"}", "cloudformation");
    assert_kind("sam.yaml", "{\"Transform\": [\"AWS::LanguageExtensions\", \"AWS::Serverless-2016-10-31\"]}",
                "cloudformation");
    /* Resources without an AWS:: type is not enough */
    assert_kind("r.yaml", "{\"Resources\": {\"Q\": {\"Type\": \"Custom::X\"}}}", "none");
    assert_kind("r.yaml", "{\"Resources\": {\"cpu\": \"100m\"}}", "none");
    assert_kind("r.yaml", "{\"Resources\": [\"AWS::S3::Bucket\"]}", "none");
    assert_kind("r.yaml", "{\"Transform\": \"AWS::Include\"}", "none");
    /* CloudFormation is decided before Kubernetes */
    assert_kind("t.yaml",
                "{\"apiVersion\": \"v1\", \"kind\": \"Template\","
                " \"AWSTemplateFormatVersion\": \"2010-09-09\"}",
                "cloudformation");
}

static void test_kubernetes(void **state)
{
    (void)state;
    assert_kind("pod.yaml", "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"spec\": {}}",
                "kubernetes");
    assert_kind("k.json", "{\"kind\": \"List\", \"apiVersion\": \"v1\", \"items\": []}",
                "kubernetes");
    assert_kind("kustomization.yaml",
                "{\"apiVersion\": \"kustomize.config.k8s.io/v1beta1\", \"kind\": \"Kustomization\"}",
                "kubernetes");
    /* both must be non-empty scalars */
    assert_kind("x.yaml", "{\"apiVersion\": \"v1\"}", "none");
    assert_kind("x.yaml", "{\"apiVersion\": \"v1\", \"kind\": null}", "none");
    assert_kind("x.yaml", "{\"apiVersion\": \"v1\", \"kind\": \"\"}", "none");
    assert_kind("x.yaml", "{\"apiVersion\": \"v1\", \"kind\": {\"a\": \"b\"}}", "none");
    assert_kind("x.yaml", "{\"apiVersion\": [\"v1\"], \"kind\": \"Pod\"}", "none");
    /* a Kubernetes object with a `services` key stays Kubernetes */
    assert_kind("docker-compose.yaml",
                "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\","
                " \"services\": {\"web\": {\"image\": \"x\"}}}",
                "kubernetes");
}

static void test_compose(void **state)
{
    (void)state;
    const char *shaped = "{\"services\": {\"web\": {\"image\": \"nginx\"}, \"db\": null}}";
    const char *bare = "{\"version\": \"3\", \"services\": {\"web\": {\"labels\": {}}}}";
    /* a service of the usual shape: any name */
    assert_kind("stack.yml", shaped, "compose");
    assert_kind("jibri.yml", "{\"services\": {\"jibri\": {\"environment\": [\"A=1\"]}}}", "compose");
    /* no usual keys: only with a compose-like name */
    static const char *const names[] = {
        "docker-compose.yml", "docker-compose.override.yaml", "compose.yaml",
        "compose.prod.yml",   "dir/web-compose.yml",          "app.compose.yaml",
        "DOCKER-COMPOSE.YML", "x_compose.yml",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (kind_of(names[i], bare) != KIND_COMPOSE)
            fail_msg("%s not compose", names[i]);
    assert_kind("stack.yml", bare, "none");
    assert_kind("compose.json", bare, "none");   /* a compose name needs .yml/.yaml */
    assert_kind("composer.json", bare, "none");
    assert_kind("docker-compose.yml", "{\"services\": {}}", "compose");
    /* not a mapping of mappings */
    assert_kind("docker-compose.yml", "{\"services\": {\"web\": \"nginx\"}}", "none");
    assert_kind("docker-compose.yml", "{\"services\": [\"docker:dind\"]}", "none");
    assert_kind("docker-compose.yml", "{\"web\": {\"image\": \"nginx\"}}", "none"); /* v1 */
    /* GitLab CI's services list, app config with a services map of strings */
    assert_kind(".gitlab-ci.yml", "{\"test\": {\"services\": [\"postgres\"]}}", "none");
    assert_kind("config.yaml", "{\"services\": {\"auth\": {\"url\": \"http://x\"}}}", "none");
}

static void test_ecs(void **state)
{
    (void)state;
    const char *reg = "{\"family\": \"web\", \"containerDefinitions\": [{\"name\": \"a\"}]}";
    assert_kind("task.json", reg, "ecs");
    assert_kind("td.json",
                "{\"taskDefinition\": {\"family\": \"web\", \"containerDefinitions\": []},"
                " \"tags\": []}",
                "ecs");
    assert_kind("list.json",
                "[{\"family\": \"a\", \"containerDefinitions\": []},"
                " {\"taskDefinition\": {\"containerDefinitions\": []}}]",
                "ecs");
    assert_kind("list.json", "[1, {\"x\": 2}, {\"containerDefinitions\": []}]", "ecs");
    /* describe shapes */
    assert_kind("svc.json", "{\"services\": [{\"serviceName\": \"s\"}], \"failures\": []}", "ecs");
    assert_kind("svc.json", "{\"services\": [{\"serviceArn\": \"arn:aws:ecs:...\"}]}", "ecs");
    assert_kind("c.json", "{\"clusters\": [{\"clusterArn\": \"arn\", \"clusterName\": \"c\"}]}",
                "ecs");
    assert_kind("ts.json", "{\"taskSets\": [{\"taskSetArn\": \"arn\", \"id\": \"ecs-svc/1\"}]}",
                "ecs");
    assert_kind("cp.json",
                "{\"capacityProviders\": [{\"capacityProviderArn\": \"arn\", \"name\": \"cp\"}]}",
                "ecs");
    /* near misses */
    assert_kind("task.json", "{\"containerDefinitions\": \"[...]\"}", "none");
    assert_kind("td.json", "{\"taskDefinition\": \"arn:aws:ecs:...:task-definition/web:3\"}",
                "none");
    /* create-* output and input shapes (as adapt_ecs reads them) */
    assert_kind("s.json", "{\"service\": {\"serviceArn\": \"arn\", \"serviceName\": \"s\"}}",
                "ecs");
    assert_kind("s.json",
                "{\"cluster\": \"c\", \"serviceName\": \"s\", \"taskDefinition\": \"web:3\"}",
                "ecs");
    assert_kind("ts.json", "{\"taskSet\": {\"taskSetArn\": \"arn\"}}", "ecs");
    assert_kind("ts.json", "{\"service\": \"s\", \"cluster\": \"c\", \"taskDefinition\": \"web:3\"}",
                "ecs");
    assert_kind("c.json", "{\"cluster\": {\"clusterArn\": \"arn\"}}", "ecs");
    assert_kind("cc.json", "{\"clusterName\": \"c\", \"capacityProviders\": [\"FARGATE\"]}",
                "ecs");
    assert_kind("cp.json", "{\"capacityProvider\": {\"autoScalingGroupProvider\": {}}}", "ecs");
    assert_kind("cp.json", "{\"name\": \"cp\", \"autoScalingGroupProvider\": {\"autoScalingGroupArn\": \"a\"}}",
                "ecs");
    assert_kind("mixed.json", "[{\"x\": 1}, {\"clusters\": [{\"clusterName\": \"c\"}]}]", "ecs");
    /* the bare names alone are common elsewhere (Helm values, app config) */
    assert_kind("values.yaml", "{\"clusterName\": \"my-cluster\", \"region\": \"eu-west-1\"}",
                "none");
    assert_kind("values.yaml", "{\"serviceName\": \"api\", \"port\": 80}", "none");
    assert_kind("app.yaml", "{\"service\": {\"name\": \"api\", \"port\": 80}}", "none");
    assert_kind("eks.json", "{\"cluster\": {\"name\": \"c\", \"arn\": \"arn\"}}", "none");
    assert_kind("ts.json", "{\"service\": \"s\"}", "none");
    assert_kind("c.json", "{\"clusters\": [\"a\", \"b\"]}", "none");
    assert_kind("c.json", "{\"clusters\": []}", "none");
    assert_kind("defs.json", "[{\"name\": \"web\", \"image\": \"nginx\", \"essential\": true}]",
                "none");
    assert_kind("l.json", "[]", "none");
}

static void test_tf_plan_and_terraform(void **state)
{
    (void)state;
    assert_kind("plan.json",
                "{\"format_version\": \"1.2\", \"terraform_version\": \"1.9.0\","
                " \"planned_values\": {}, \"resource_changes\": []}",
                "terraform-plan");
    assert_kind("plan.json", "{\"format_version\": \"1.0\", \"resource_changes\": []}",
                "terraform-plan");
    assert_kind("state.json", "{\"format_version\": \"1.0\", \"values\": {}}", "none");
    assert_kind("x.json", "{\"planned_values\": {}}", "none");

    /* Terraform by name; the root does not matter for HCL */
    assert_int_equal(detect_document("main.tf", NULL), KIND_TERRAFORM);
    assert_int_equal(detect_document("m/Prod.TFVARS", NULL), KIND_TFVARS);
    assert_kind("x.tfvars.json", "{\"region\": \"eu-west-1\"}", "tfvars");
    assert_kind("cdk.tf.json", "{\"resource\": {\"aws_ecs_task_definition\": {}}}", "terraform");
    assert_kind("cdk.tf.json", "{\"//\": {}, \"terraform\": {}}", "terraform");
    assert_kind("odd.tf.json", "{\"region\": \"eu-west-1\"}", "none");
    /* a .tf.json is only ever Terraform: any other shape is none */
    assert_kind("k.tf.json", "{\"apiVersion\": \"v1\", \"kind\": \"Pod\"}", "none");
}

static void test_other_roots(void **state)
{
    (void)state;
    assert_int_equal(detect_document("x.yaml", NULL), KIND_NONE);
    assert_int_equal(detect_document(NULL, NULL), KIND_NONE);
    assert_kind("x.yaml", "\"just a string\"", "none");
    assert_kind("x.yaml", "42", "none");
    assert_kind("x.yaml", "{}", "none");
    assert_kind("package.json", "{\"name\": \"app\", \"dependencies\": {}}", "none");
}

/* Split a stream; returns the number of documents, texts into out. */
static size_t split(const char *data, char out[][64], size_t max)
{
    size_t len = strlen(data), pos = 0, start, end, n = 0;
    while (n < max && detect_yaml_next_document(data, len, &pos, &start, &end)) {
        assert_true(end - start < 64);
        memcpy(out[n], data + start, end - start);
        out[n++][end - start] = '\0';
    }
    return n;
}

static void test_yaml_split_at_markers_only(void **state)
{
    (void)state;
    char d[8][64];
    assert_int_equal(split("a: 1\n---\nb: 2\n--- # c\nc: 3\n---", d, 8), 4);
    assert_string_equal(d[0], "a: 1\n");
    assert_string_equal(d[1], "---\nb: 2\n");
    assert_string_equal(d[2], "--- # c\nc: 3\n");
    assert_string_equal(d[3], "---");
    /* "----", " ---" and "---x" are not markers */
    assert_int_equal(split("a: |\n ---\n----\n---x: 1\n", d, 8), 1);
    assert_int_equal(split("---\r\na: 1\r\n---\r\nb: 2\r\n", d, 8), 2);
    assert_int_equal(split("", d, 8), 0);
    assert_true(detect_yaml_splittable("a: 1\n---\nb: %x\n", 16));
    assert_false(detect_yaml_splittable("%YAML 1.1\n---\na: 1\n", 20));
}

static void assert_k8s_kind(const char *doc, const char *want)
{
    const char *k;
    size_t kl;
    bool got = detect_yaml_k8s_kind(doc, strlen(doc), &k, &kl);
    if (!want) {
        assert_false(got);
        return;
    }
    assert_true(got);
    assert_int_equal(kl, strlen(want));
    assert_memory_equal(k, want, kl);
}

static void test_yaml_k8s_kind_from_text(void **state)
{
    (void)state;
    assert_k8s_kind("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n",
                    "CustomResourceDefinition");
    assert_k8s_kind("---\nkind: \"ConfigMap\"  # c\napiVersion: v1\n", "ConfigMap");
    assert_k8s_kind("apiVersion: v1\nkind: 'Pod'\r\nspec: {}\n", "Pod");
    assert_k8s_kind("kind: ConfigMap\n", NULL);                      /* no apiVersion */
    assert_k8s_kind("apiVersion: v1\n  kind: Pod\n", NULL);          /* not column 0 */
    assert_k8s_kind("{apiVersion: v1, kind: Pod}\n", NULL);           /* flow: parse it */
    assert_k8s_kind("apiVersion: v1\nkind: Pod\nservices: {}\n", NULL); /* maybe Compose */
    assert_k8s_kind("apiVersion: v1\nkind: ${KIND}\n", NULL);        /* not a plain kind */
    assert_k8s_kind("apiVersion: v1\nkinds: Pod\n", NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kind_names),
        cmocka_unit_test(test_syntax_by_name),
        cmocka_unit_test(test_syntax_template_sniffed),
        cmocka_unit_test(test_worth_parsing),
        cmocka_unit_test(test_cloudformation),
        cmocka_unit_test(test_kubernetes),
        cmocka_unit_test(test_compose),
        cmocka_unit_test(test_ecs),
        cmocka_unit_test(test_tf_plan_and_terraform),
        cmocka_unit_test(test_other_roots),
        cmocka_unit_test(test_yaml_split_at_markers_only),
        cmocka_unit_test(test_yaml_k8s_kind_from_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests: cfn.c (the CloudFormation intrinsic-function resolver and
 * parameter values) and adapt_cfn.c (resources into aws/ecs objects).
 *
 * Templates are written as YAML (short-form tags arrive as doc tags) or
 * JSON (long forms) and read by the real parsers, so spans and lines are
 * the ones a scan reports. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adapter.h"
#include "bhyaml.h"
#include "cfn.h"
#include "json.h"

/* ---- fixtures ------------------------------------------------------------ */

typedef struct fx {
    bh_source *src;
    bh_arena *a;
    bh_diags *diags;
    doc_node *root;
    cfn_params *params;
    cfn_resolver *r;
} fx;

static fx *fx_parse(const char *text, bool json, const cfn_limits *lim)
{
    fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->src = source_new(json ? "t.json" : "t.yaml", text, strlen(text));
    f->a = arena_new();
    f->diags = diags_new();
    f->params = cfn_params_new();
    if (json) {
        f->root = json_parse(f->src, f->a, NULL, f->diags);
    } else {
        doc_node **docs = NULL;
        assert_int_equal(bhyaml_parse(f->src, f->a, NULL, &docs, f->diags), 1);
        f->root = docs[0];
    }
    assert_non_null(f->root);
    f->r = cfn_resolver_new(f->a, f->root, f->params, lim, f->diags);
    assert_non_null(f->r);
    return f;
}

static fx *fx_yaml(const char *text) { return fx_parse(text, false, NULL); }

/* Start again with the parameters given so far. */
static void fx_reset(fx *f)
{
    f->r = cfn_resolver_new(f->a, f->root, f->params, NULL, f->diags);
    assert_non_null(f->r);
}

static void fx_free(fx *f)
{
    cfn_params_free(f->params);
    diags_free(f->diags);
    arena_free(f->a);
    source_free(f->src);
    free(f);
}

/* Resolve the top-level key `key` of the template. */
static doc_node *res(fx *f, const char *key)
{
    const doc_node *v = doc_get(f->root, key);
    assert_non_null(v);
    doc_node *out = NULL;
    assert_true(cfn_resolve(f->r, v, &out));
    return out;
}

static unsigned line_of(bh_span sp) { return source_pos(sp.src, sp.start).line; }
static unsigned line(const doc_node *n) { return line_of(doc_span(n)); }

static void assert_str(const doc_node *n, const char *text)
{
    assert_non_null(n);
    assert_int_equal(doc_kind_of(n), DOC_SCALAR);
    assert_string_equal(doc_text(n), text);
}

static void assert_unknown(const doc_node *n, const char *text)
{
    assert_non_null(n);
    assert_int_equal(doc_kind_of(n), DOC_UNKNOWN);
    assert_string_equal(doc_text(n), text);
}

/* Whether some trace entry of n has this note (at this line, if nonzero). */
static bool has_trace(const doc_node *n, const char *note, unsigned at_line)
{
    for (const doc_trace *t = doc_trace_of(n); t; t = t->next)
        if (t->note && strcmp(t->note, note) == 0 &&
            (!at_line || (t->at.src && line_of(t->at) == at_line)))
            return true;
    return false;
}

static bool has_diag(const fx *f, diag_level level, const char *needle)
{
    for (size_t i = 0; i < diags_count(f->diags); i++) {
        const bh_diag *d = diags_get(f->diags, i);
        if (d->level == level && strstr(d->message, needle))
            return true;
    }
    return false;
}

static const char params_yaml[] =
    "Parameters:\n"                          /* 1 */
    "  Mode:\n"                              /* 2 */
    "    Type: String\n"                     /* 3 */
    "    Default: host\n"                    /* 4 */
    "  NoDefault:\n"                         /* 5 */
    "    Type: String\n"                     /* 6 */
    "  Caps:\n"                              /* 7 */
    "    Type: CommaDelimitedList\n"         /* 8 */
    "    Default: SYS_ADMIN,NET_RAW\n"       /* 9 */
    "  Ami:\n"                               /* 10 */
    "    Type: AWS::SSM::Parameter::Value<String>\n" /* 11 */
    "    Default: /aws/service/ecs/ami\n"    /* 12 */
    "Resources:\n"                           /* 13 */
    "  Role: {Type: AWS::IAM::Role}\n";      /* 14 */

static fx *fx_params(const char *rest)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s%s", params_yaml, rest);
    return fx_yaml(buf);
}

/* ---- Ref ------------------------------------------------------------------- */

static void test_ref_default_both_forms(void **state)
{
    (void)state;
    fx *f = fx_params("Short: !Ref Mode\n"             /* 15 */
                      "Long: {Ref: Mode}\n");          /* 16 */
    doc_node *s = res(f, "Short"), *l = res(f, "Long");
    assert_str(s, "host");
    assert_str(l, "host");
    /* the span is the place of use, the trace points at the Default */
    assert_int_equal(line(s), 15);
    assert_int_equal(line(l), 16);
    assert_true(has_trace(s, "from parameter \"Mode\" default", 4));
    assert_true(has_trace(l, "from parameter \"Mode\" default", 4));
    assert_int_equal(diags_count(f->diags), 0);
    fx_free(f);
}

static void test_ref_unknowns(void **state)
{
    (void)state;
    fx *f = fx_params("A: !Ref NoDefault\n"            /* 15 */
                      "B: {Ref: NoDefault}\n"
                      "C: !Ref Role\n"
                      "D: {Ref: Role}\n"
                      "E: !Ref Undefined\n"
                      "F: !Ref Ami\n");
    doc_node *a = res(f, "A");
    assert_unknown(a, "!Ref NoDefault");
    assert_int_equal(line(a), 15);
    assert_true(has_trace(a, "parameter \"NoDefault\" has no default", 0));
    assert_unknown(res(f, "B"), "Ref NoDefault");
    assert_unknown(res(f, "C"), "!Ref Role");
    assert_unknown(res(f, "D"), "Ref Role");
    assert_unknown(res(f, "E"), "!Ref Undefined");
    /* an SSM parameter's Default is the parameter's name, not its value */
    assert_unknown(res(f, "F"), "!Ref Ami");
    fx_free(f);
}

static void test_ref_list_parameter(void **state)
{
    (void)state;
    fx *f = fx_params("A: !Ref Caps\n");
    doc_node *a = res(f, "A");
    assert_int_equal(doc_kind_of(a), DOC_SEQ);
    assert_int_equal(doc_len(a), 2);
    assert_str(doc_seq_at(a, 0), "SYS_ADMIN");
    assert_str(doc_seq_at(a, 1), "NET_RAW");
    assert_int_equal(line(doc_seq_at(a, 1)), 15);
    assert_true(has_trace(doc_seq_at(a, 0), "from parameter \"Caps\" default", 9));
    fx_free(f);
}

static void test_pseudo_parameters(void **state)
{
    (void)state;
    fx *f = fx_yaml("P: !Ref AWS::Partition\n"
                    "U: {Ref: AWS::URLSuffix}\n"
                    "R: !Ref AWS::Region\n"
                    "A: {Ref: AWS::AccountId}\n"
                    "S: !Ref AWS::StackName\n"
                    "Map: {keep: 1, gone: !Ref AWS::NoValue, gone2: {Ref: AWS::NoValue}}\n"
                    "List: [a, !Ref AWS::NoValue, b]\n");
    assert_str(res(f, "P"), "aws");
    assert_str(res(f, "U"), "amazonaws.com");
    assert_unknown(res(f, "R"), "!Ref AWS::Region");
    assert_unknown(res(f, "A"), "Ref AWS::AccountId");
    assert_unknown(res(f, "S"), "!Ref AWS::StackName");
    doc_node *m = res(f, "Map");
    assert_int_equal(doc_len(m), 1);
    assert_non_null(doc_get(m, "keep"));
    doc_node *l = res(f, "List");
    assert_int_equal(doc_len(l), 2);
    assert_str(doc_seq_at(l, 1), "b");
    /* given values */
    assert_true(cfn_params_add_arg(f->params, "AWS::Region=eu-west-1", f->diags));
    fx_reset(f);
    doc_node *r = res(f, "R");
    assert_str(r, "eu-west-1");
    assert_true(has_trace(r, "from --cfn-param AWS::Region", 0));
    /* NoValue at the top */
    doc_node *out = (doc_node *)1;
    const doc_node *nv = doc_get(doc_get(f->root, "Map"), "gone");
    assert_true(cfn_resolve(f->r, nv, &out));
    assert_null(out);
    fx_free(f);
}

/* ---- parameter values given --------------------------------------------- */

static void test_params_precedence(void **state)
{
    (void)state;
    fx *f = fx_params("A: !Ref Mode\nB: !Ref NoDefault\nC: !Ref Caps\nD: !Ref Ami\n");
    assert_true(cfn_params_add_arg(f->params, "Mode=awsvpc", f->diags));
    assert_true(cfn_params_add_arg(f->params, "Mode=bridge", f->diags));   /* last wins */
    assert_true(cfn_params_add_arg(f->params, "NoDefault=", f->diags));    /* empty */
    assert_true(cfn_params_add_arg(f->params, "Caps=ALL", f->diags));
    assert_true(cfn_params_add_arg(f->params, "Ami=/x", f->diags));
    assert_true(cfn_params_add_arg(f->params, "NotInTemplate=1", f->diags));
    assert_int_equal(cfn_params_len(f->params), 6);
    fx_reset(f);
    doc_node *a = res(f, "A");
    assert_str(a, "bridge");
    assert_int_equal(line(a), 15);
    assert_true(has_trace(a, "from --cfn-param Mode", 0));
    assert_false(has_trace(a, "from parameter \"Mode\" default", 0));
    assert_str(res(f, "B"), "");
    doc_node *c = res(f, "C");
    assert_int_equal(doc_len(c), 1);
    assert_str(doc_seq_at(c, 0), "ALL");
    assert_unknown(res(f, "D"), "!Ref Ami");
    fx_free(f);
}

static void test_params_bad_arg(void **state)
{
    (void)state;
    cfn_params *p = cfn_params_new();
    bh_diags *d = diags_new();
    assert_false(cfn_params_add_arg(p, "Mode", d));
    assert_false(cfn_params_add_arg(p, "=x", d));
    assert_int_equal(diags_count_level(d, DIAG_ERROR), 2);
    assert_non_null(strstr(diags_get(d, 0)->message, "KEY=VALUE"));
    assert_int_equal(cfn_params_len(p), 0);
    assert_false(cfn_params_load_file(p, "/nonexistent/params.json", d));
    diags_free(d);
    cfn_params_free(p);
}

static char *write_temp(const char *text)
{
    char *path = strdup("/tmp/bh-cfn-params-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

static void test_params_file(void **state)
{
    (void)state;
    fx *f = fx_params("A: !Ref Mode\nB: !Ref NoDefault\n");
    char *p1 = write_temp("[\n"
                          "  {\"ParameterKey\": \"Mode\", \"ParameterValue\": \"none\"},\n"
                          "  {\"ParameterKey\": \"NoDefault\", \"UsePreviousValue\": true}\n"
                          "]\n");
    assert_true(cfn_params_load_file(f->params, p1, f->diags));
    assert_int_equal(cfn_params_len(f->params), 1);
    fx_reset(f);
    doc_node *a = res(f, "A");
    assert_str(a, "none");
    assert_true(has_trace(a, "from --cfn-params-file Mode", 2));   /* line 2 of the file */
    assert_unknown(res(f, "B"), "!Ref NoDefault");
    /* the CodePipeline shape, and a later --cfn-param wins over the file */
    char *p2 = write_temp("{\"Parameters\": {\"Mode\": \"bridge\"}}");
    assert_true(cfn_params_load_file(f->params, p2, f->diags));
    assert_true(cfn_params_add_arg(f->params, "Mode=host", f->diags));
    fx_reset(f);
    assert_str(res(f, "A"), "host");
    /* another shape is refused */
    char *p3 = write_temp("{\"Mode\": \"x\"}");
    assert_false(cfn_params_load_file(f->params, p3, f->diags));
    assert_true(has_diag(f, DIAG_ERROR, "ParameterKey"));
    unlink(p1);
    unlink(p2);
    unlink(p3);
    free(p1);
    free(p2);
    free(p3);
    fx_free(f);
}

/* ---- conditions and Fn::If ------------------------------------------------ */

static const char conds_yaml[] =
    "Parameters:\n"
    "  Env: {Type: String, Default: prod}\n"
    "  Free: {Type: String}\n"
    "Conditions:\n"
    "  IsProd: !Equals [!Ref Env, prod]\n"                 /* 5 */
    "  IsDev: {\"Fn::Equals\": [{Ref: Env}, dev]}\n"
    "  NotProd: !Not [!Condition IsProd]\n"
    "  NotDev: {\"Fn::Not\": [{Condition: IsDev}]}\n"
    "  Both: !And [!Condition IsProd, !Condition NotDev]\n"
    "  Either: {\"Fn::Or\": [{Condition: IsDev}, {Condition: NotProd}]}\n"
    "  FreeIsX: !Equals [!Ref Free, x]\n"
    "  AndFalse: !And [!Condition IsDev, !Condition FreeIsX]\n"
    "  OrTrue: !Or [!Condition FreeIsX, !Condition IsProd]\n"
    "  AndUnknown: !And [!Condition IsProd, !Condition FreeIsX]\n"
    "  Region: !Equals [!Ref AWS::Region, us-east-1]\n";

static cfn_truth cond(fx *f, const char *name)
{
    doc_node *n = doc_new_str(f->a, doc_span(f->root), name);
    return cfn_condition(f->r, n, NULL);
}

static void test_conditions(void **state)
{
    (void)state;
    fx *f = fx_yaml(conds_yaml);
    assert_int_equal(cond(f, "IsProd"), CFN_TRUE);
    assert_int_equal(cond(f, "IsDev"), CFN_FALSE);
    assert_int_equal(cond(f, "NotProd"), CFN_FALSE);
    assert_int_equal(cond(f, "NotDev"), CFN_TRUE);
    assert_int_equal(cond(f, "Both"), CFN_TRUE);
    assert_int_equal(cond(f, "Either"), CFN_FALSE);
    assert_int_equal(cond(f, "FreeIsX"), CFN_UNKNOWN);
    assert_int_equal(cond(f, "AndFalse"), CFN_FALSE);      /* decided without Free */
    assert_int_equal(cond(f, "OrTrue"), CFN_TRUE);
    assert_int_equal(cond(f, "AndUnknown"), CFN_UNKNOWN);
    assert_int_equal(cond(f, "Region"), CFN_UNKNOWN);
    const doc_node *cause = NULL;
    doc_node *n = doc_new_str(f->a, doc_span(f->root), "AndUnknown");
    assert_int_equal(cfn_condition(f->r, n, &cause), CFN_UNKNOWN);
    assert_unknown(cause, "!Ref Free");
    assert_int_equal(diags_count(f->diags), 0);
    /* the parameter changes the answer */
    assert_true(cfn_params_add_arg(f->params, "Env=dev", f->diags));
    assert_true(cfn_params_add_arg(f->params, "Free=x", f->diags));
    fx_reset(f);
    assert_int_equal(cond(f, "IsProd"), CFN_FALSE);
    assert_int_equal(cond(f, "Either"), CFN_TRUE);
    assert_int_equal(cond(f, "AndUnknown"), CFN_FALSE);
    assert_int_equal(cond(f, "FreeIsX"), CFN_TRUE);
    /* an undefined condition is an error */
    assert_int_equal(cond(f, "Nope"), CFN_UNKNOWN);
    assert_true(has_diag(f, DIAG_ERROR, "condition \"Nope\" is not defined"));
    fx_free(f);
}

static void test_if_both_forms(void **state)
{
    (void)state;
    char buf[4096];
    snprintf(buf, sizeof buf, "%s%s", conds_yaml,
             "S: !If [IsProd, host, awsvpc]\n"                          /* 16 */
             "L: {\"Fn::If\": [IsDev, host, awsvpc]}\n"                 /* 17 */
             "U: !If [FreeIsX, host, awsvpc]\n"                         /* 18 */
             "N: {a: !If [IsProd, !Ref AWS::NoValue, 1], b: 2}\n"
             "Nested: !If [IsProd, !If [IsDev, a, !Sub '${Env}-b'], c]\n");
    fx *f = fx_yaml(buf);
    doc_node *s = res(f, "S");
    assert_str(s, "host");
    assert_int_equal(line(s), 16);
    assert_true(has_trace(s, "condition \"IsProd\" is true", 16));
    assert_str(res(f, "L"), "awsvpc");
    doc_node *u = res(f, "U");
    assert_unknown(u, "!If FreeIsX (depends on !Ref Free)");
    assert_int_equal(line(u), 18);
    doc_node *n = res(f, "N");
    assert_int_equal(doc_len(n), 1);
    assert_null(doc_get(n, "a"));
    assert_str(res(f, "Nested"), "prod-b");
    fx_free(f);
}

/* ---- Fn::Sub, Join, Select, Split, FindInMap, Base64, Length --------------- */

static void test_sub(void **state)
{
    (void)state;
    fx *f = fx_yaml("Parameters:\n"
                    "  Env: {Type: String, Default: prod}\n"
                    "Resources:\n"
                    "  Role: {Type: AWS::IAM::Role}\n"
                    "A: !Sub '${Env}-web-${AWS::Partition}'\n"                   /* 5 */
                    "B: {\"Fn::Sub\": \"x-${Env}\"}\n"
                    "C: !Sub ['${Name}:${Env}', {Name: !Ref Env}]\n"
                    "D: {\"Fn::Sub\": [\"${Name}\", {Name: lit}]}\n"
                    "E: !Sub '${!Literal}-${Env}'\n"
                    "F: !Sub '${AWS::Region}-x'\n"
                    "G: !Sub '${Role.Arn}'\n"
                    "H: !Sub 'arn:${Role}'\n"
                    "I: !Sub 'no vars'\n");
    doc_node *a = res(f, "A");
    assert_str(a, "prod-web-aws");
    assert_int_equal(line(a), 5);
    assert_true(has_trace(a, "from parameter \"Env\" default", 2));
    assert_str(res(f, "B"), "x-prod");
    assert_str(res(f, "C"), "prod:prod");
    assert_str(res(f, "D"), "lit");
    assert_str(res(f, "E"), "${Literal}-prod");
    assert_unknown(res(f, "F"), "!Sub ${AWS::Region}-x");
    assert_unknown(res(f, "G"), "!Sub ${Role.Arn}");
    assert_unknown(res(f, "H"), "!Sub arn:${Role}");
    assert_str(res(f, "I"), "no vars");
    assert_int_equal(diags_count(f->diags), 0);
    fx_free(f);
}

static void test_join_select_split(void **state)
{
    (void)state;
    fx *f = fx_yaml("Parameters:\n"
                    "  Env: {Type: String, Default: prod}\n"
                    "  List: {Type: CommaDelimitedList, Default: 'a,b,c'}\n"
                    "J1: !Join ['-', [x, !Ref Env, 3]]\n"
                    "J2: {\"Fn::Join\": [\"\", [a, b]]}\n"
                    "J3: !Join [',', !Ref List]\n"
                    "J4: !Join ['', [!Ref AWS::AccountId, .dkr]]\n"
                    "S1: !Select [1, [host, awsvpc]]\n"
                    "S2: {\"Fn::Select\": [\"2\", {Ref: List}]}\n"
                    "S3: !Select [0, !Split [':', 'host:x']]\n"
                    "S4: !Select [0, !GetAZs '']\n"
                    "P1: !Split [',', 'SYS_ADMIN,NET_RAW']\n"
                    "P2: {\"Fn::Split\": [\"|\", {\"Fn::Join\": [\"|\", [a, b]]}]}\n"
                    "Bad: !Select [5, [a]]\n");
    assert_str(res(f, "J1"), "x-prod-3");
    assert_str(res(f, "J2"), "ab");
    assert_str(res(f, "J3"), "a,b,c");
    assert_unknown(res(f, "J4"), "!Join [\"\", [!Ref AWS::AccountId, .dkr]]");
    doc_node *s1 = res(f, "S1");
    assert_str(s1, "awsvpc");
    assert_int_equal(line(s1), 8);
    assert_str(res(f, "S2"), "c");
    assert_str(res(f, "S3"), "host");
    assert_unknown(res(f, "S4"), "!Select [0, !GetAZs \"\"]");
    doc_node *p1 = res(f, "P1");
    assert_int_equal(doc_len(p1), 2);
    assert_str(doc_seq_at(p1, 1), "NET_RAW");
    doc_node *p2 = res(f, "P2");
    assert_int_equal(doc_len(p2), 2);
    assert_str(doc_seq_at(p2, 0), "a");
    assert_int_equal(diags_count(f->diags), 0);
    assert_int_equal(doc_kind_of(res(f, "Bad")), DOC_UNKNOWN);
    assert_true(has_diag(f, DIAG_ERROR, "out of range"));
    fx_free(f);
}

static void test_find_in_map(void **state)
{
    (void)state;
    fx *f = fx_yaml("Parameters:\n"
                    "  Env: {Type: String, Default: prod}\n"
                    "Mappings:\n"
                    "  Modes:\n"
                    "    prod: {Net: host, Caps: [ALL]}\n"                 /* 5 */
                    "    dev: {Net: bridge}\n"
                    "A: !FindInMap [Modes, !Ref Env, Net]\n"               /* 7 */
                    "B: {\"Fn::FindInMap\": [Modes, dev, Net]}\n"
                    "C: !FindInMap [Modes, prod, Caps]\n"
                    "D: !FindInMap [Modes, !Ref AWS::Region, Net]\n"
                    "E: !FindInMap [Modes, test, Net, {DefaultValue: awsvpc}]\n"
                    "F: !FindInMap [Modes, test, Net]\n");
    doc_node *a = res(f, "A");
    assert_str(a, "host");
    assert_int_equal(line(a), 7);
    assert_true(has_trace(a, "from mapping \"Modes\" \"prod\" \"Net\"", 5));
    assert_str(res(f, "B"), "bridge");
    doc_node *c = res(f, "C");
    assert_int_equal(doc_kind_of(c), DOC_SEQ);
    assert_str(doc_seq_at(c, 0), "ALL");
    assert_unknown(res(f, "D"), "!FindInMap [Modes, !Ref AWS::Region, Net]");
    assert_str(res(f, "E"), "awsvpc");
    assert_int_equal(diags_count(f->diags), 0);
    assert_int_equal(doc_kind_of(res(f, "F")), DOC_UNKNOWN);
    assert_true(has_diag(f, DIAG_ERROR, "mapping \"Modes\" has no key \"test\""));
    fx_free(f);
}

static void test_base64_length(void **state)
{
    (void)state;
    fx *f = fx_yaml("Parameters:\n"
                    "  Env: {Type: String, Default: prod}\n"
                    "A: !Base64 {\"Fn::Sub\": \"echo ${Env}\"}\n"
                    "B: {\"Fn::Base64\": plain}\n"
                    "C: !Length [a, b, c]\n"
                    "D: {\"Fn::Length\": !Split [',', 'a,b']}\n");
    assert_str(res(f, "A"), "echo prod");
    assert_str(res(f, "B"), "plain");
    int64_t n;
    assert_true(doc_int(res(f, "C"), &n));
    assert_int_equal(n, 3);
    assert_true(doc_int(res(f, "D"), &n));
    assert_int_equal(n, 2);
    fx_free(f);
}

static void test_opaque_functions(void **state)
{
    (void)state;
    fx *f = fx_yaml("A: !GetAtt Role.Arn\n"                                /* 1 */
                    "B: {\"Fn::GetAtt\": [Role, Arn]}\n"
                    "C: !ImportValue shared-mode\n"
                    "D: {\"Fn::ImportValue\": {\"Fn::Sub\": \"${AWS::StackName}-mode\"}}\n"
                    "E: !GetAZs ''\n"
                    "F: {\"Fn::Cidr\": [10.0.0.0/16, 4, 8]}\n"
                    "G: {\"Fn::Transform\": {Name: AWS::Include}}\n"
                    "H: !ImportValue {\"Fn::Sub\": \"${AWS::StackName}-x\"}\n"
                    "I: {\"Fn::GetAZs\": {Ref: AWS::Region}}\n"
                    "J: !Cidr [10.0.0.0/16, 4, 8]\n"
                    "K: !Transform {Name: AWS::Include}\n");
    doc_node *a = res(f, "A");
    assert_unknown(a, "!GetAtt Role.Arn");
    assert_int_equal(line(a), 1);
    assert_unknown(res(f, "B"), "Fn::GetAtt Role.Arn");
    assert_unknown(res(f, "C"), "!ImportValue shared-mode");
    assert_unknown(res(f, "D"), "Fn::ImportValue Fn::Sub ${AWS::StackName}-mode");
    assert_unknown(res(f, "E"), "!GetAZs \"\"");
    assert_unknown(res(f, "F"), "Fn::Cidr [10.0.0.0/16, 4, 8]");
    assert_unknown(res(f, "G"), "Fn::Transform {Name: AWS::Include}");
    assert_unknown(res(f, "H"), "!ImportValue Fn::Sub ${AWS::StackName}-x");
    assert_unknown(res(f, "I"), "Fn::GetAZs Ref AWS::Region");
    assert_unknown(res(f, "J"), "!Cidr [10.0.0.0/16, 4, 8]");
    assert_unknown(res(f, "K"), "!Transform {Name: AWS::Include}");
    assert_int_equal(diags_count(f->diags), 0);
    fx_free(f);
}

static void test_json_long_forms(void **state)
{
    (void)state;
    fx *f = fx_parse("{\"Parameters\": {\"Mode\": {\"Type\": \"String\", \"Default\": \"host\"}},\n"
                     " \"Conditions\": {\"C\": {\"Fn::Equals\": [{\"Ref\": \"Mode\"}, \"host\"]}},\n"
                     " \"V\": {\"Fn::If\": [\"C\", {\"Fn::Join\": [\"\", [\"a\", {\"Ref\": \"Mode\"}]]},"
                     " \"x\"]}}\n",
                     true, NULL);
    assert_str(res(f, "V"), "ahost");
    fx_free(f);
}

/* ---- hostile templates ------------------------------------------------------ */

static void test_condition_cycle(void **state)
{
    (void)state;
    fx *f = fx_yaml("Conditions:\n"
                    "  A: !Condition B\n"
                    "  B: !And [!Condition A, !Condition A]\n"
                    "  Self: {\"Fn::Not\": [{Condition: Self}]}\n"
                    "V: !If [A, x, y]\n");
    assert_int_equal(cond(f, "Self"), CFN_UNKNOWN);
    assert_true(has_diag(f, DIAG_ERROR, "condition \"Self\" depends on itself"));
    assert_int_equal(doc_kind_of(res(f, "V")), DOC_UNKNOWN);
    assert_true(has_diag(f, DIAG_ERROR, "depends on itself"));
    fx_free(f);
}

static void test_depth_cap(void **state)
{
    (void)state;
    enum { N = 400 };
    char *buf = malloc(N * 16 + 64);
    size_t n = (size_t)sprintf(buf, "V: ");
    for (int i = 0; i < N; i++)
        n += (size_t)sprintf(buf + n, "{\"Fn::Base64\": ");
    n += (size_t)sprintf(buf + n, "x");
    for (int i = 0; i < N; i++)
        buf[n++] = '}';
    buf[n++] = '\n';
    buf[n] = '\0';
    fx *f = fx_yaml(buf);
    doc_node *out = (doc_node *)1;
    assert_false(cfn_resolve(f->r, doc_get(f->root, "V"), &out));
    assert_null(out);
    assert_true(cfn_resolver_failed(f->r));
    assert_true(has_diag(f, DIAG_ERROR, "nested deeper than"));
    /* a failed resolver refuses at once */
    assert_false(cfn_resolve(f->r, doc_get(f->root, "V"), &out));
    assert_int_equal(diags_count_level(f->diags, DIAG_ERROR), 1);
    free(buf);
    fx_free(f);
}

static void test_step_budget(void **state)
{
    (void)state;
    /* conditions fanning out: each refers to the next twice (memoised, so
     * linear), and a long list under a tiny budget */
    cfn_limits lim = {50, 256};
    fx *f = fx_parse("V: [a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, t, u, v, w,"
                     " x, y, z, a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, t,"
                     " u, v, w, x, y, z]\n",
                     false, &lim);
    doc_node *out;
    assert_false(cfn_resolve(f->r, doc_get(f->root, "V"), &out));
    assert_true(has_diag(f, DIAG_ERROR, "steps"));
    fx_free(f);

    static char buf[16384];
    size_t n = (size_t)sprintf(buf, "Conditions:\n");
    for (int i = 0; i < 60; i++)
        n += (size_t)sprintf(buf + n, "  C%d: !Or [!Condition C%d, !Condition C%d]\n", i, i + 1,
                             i + 1);
    sprintf(buf + n, "  C60: !Equals [a, b]\n");     /* 2^60 paths without memoising */
    f = fx_yaml(buf);
    assert_int_equal(cond(f, "C0"), CFN_FALSE);
    assert_int_equal(diags_count(f->diags), 0);
    fx_free(f);
}

/* ---- the adapter -------------------------------------------------------------- */

typedef struct afx {
    fx *f;
    bh_objlist *objs;
    bool ok;
} afx;

static afx adapt(const char *text, bool json, const cfn_params *params)
{
    afx x = {fx_parse(text, json, NULL), NULL, false};
    x.objs = objlist_new(x.f->a);
    x.ok = adapt_cfn_with(x.f->root, params, x.f->a, x.objs, x.f->diags);
    return x;
}

static const bh_object *find_obj(const afx *x, const char *name)
{
    for (size_t i = 0; i < objlist_len(x->objs); i++)
        if (strcmp(objlist_at(x->objs, i)->name, name) == 0)
            return objlist_at(x->objs, i);
    return NULL;
}

static const char template_yaml[] =
    "AWSTemplateFormatVersion: '2010-09-09'\n"
    "Parameters:\n"
    "  Mode: {Type: String, Default: host}\n"
    "  Free: {Type: String}\n"
    "  Priv: {Type: String, Default: 'true', AllowedValues: ['true', 'false']}\n"
    "Conditions:\n"
    "  Never: !Equals [a, b]\n"
    "  Maybe: !Equals [!Ref Free, x]\n"
    "Resources:\n"
    "  TaskDef:\n"
    "    Type: AWS::ECS::TaskDefinition\n"
    "    Properties:\n"
    "      NetworkMode: !Ref Mode\n"                                 /* 13 */
    "      RuntimePlatform: {OperatingSystemFamily: LINUX}\n"
    "      Volumes:\n"
    "        - Name: sock\n"
    "          Host: {SourcePath: /var/run/docker.sock}\n"
    "        - Name: efs\n"
    "          EFSVolumeConfiguration: {FilesystemId: fs-1, TransitEncryption: DISABLED}\n"
    "      ContainerDefinitions:\n"
    "        - Name: web\n"
    "          Image: nginx\n"
    "          User: !Ref Free\n"
    "          Privileged: !Ref Priv\n"                              /* 24 */
    "          ReadonlyRootFilesystem: 'false'\n"
    "          MountPoints: [{SourceVolume: sock, ContainerPath: /s}]\n"
    "          LinuxParameters: {Capabilities: {Add: [SYS_ADMIN]}}\n"
    "          LogConfiguration: {LogDriver: awslogs, Options: {awslogs-group: G}}\n"
    "          Environment: [{Name: DB_PASSWORD, Value: hunter2}]\n"
    "  Skipped:\n"
    "    Type: AWS::ECS::TaskDefinition\n"
    "    Condition: Never\n"
    "    Properties: {ContainerDefinitions: [{Name: a}]}\n"
    "  Kept:\n"
    "    Type: AWS::ECS::Cluster\n"
    "    Condition: Maybe\n"
    "    Properties:\n"
    "      ClusterSettings: [{Name: containerInsights, Value: enabled}]\n"
    "  Svc:\n"
    "    Type: AWS::ECS::Service\n"
    "    Properties:\n"
    "      TaskDefinition: !Ref TaskDef\n"
    "      LaunchType: FARGATE\n"
    "      PlatformVersion: 1.3.0\n"
    "      NetworkConfiguration:\n"
    "        AwsvpcConfiguration: {AssignPublicIp: ENABLED, Subnets: [!ImportValue s]}\n"
    "  Set:\n"
    "    Type: AWS::ECS::TaskSet\n"
    "    Properties: {Service: !Ref Svc, Cluster: c, TaskDefinition: !Ref TaskDef,\n"
    "                 NetworkConfiguration: {AwsvpcConfiguration: {AssignPublicIp: !GetAtt X.Y}}}\n"
    "  Cp:\n"
    "    Type: AWS::ECS::CapacityProvider\n"
    "    Properties:\n"
    "      AutoScalingGroupProvider: {AutoScalingGroupArn: asg, ManagedTerminationProtection: ENABLED}\n"
    "  Other: {Type: AWS::S3::Bucket}\n";

static void test_adapter_objects(void **state)
{
    (void)state;
    afx x = adapt(template_yaml, false, NULL);
    assert_true(x.ok);
    assert_int_equal(diags_count(x.f->diags), 0);
    assert_int_equal(objlist_len(x.objs), 5);
    assert_null(find_obj(&x, "Skipped"));                /* its Condition is false */
    const bh_object *td = find_obj(&x, "TaskDef");
    assert_non_null(td);
    assert_string_equal(td->type, "aws/ecs/task-definition");
    assert_int_equal(line_of(td->span), 11);
    const doc_node *nm = doc_get(td->root, "networkMode");
    assert_str(nm, "host");
    assert_int_equal(line(nm), 13);
    assert_true(has_trace(nm, "from parameter \"Mode\" default", 3));
    assert_str(doc_path(td->root, "runtimePlatform.operatingSystemFamily"), "LINUX");
    const doc_node *vols = doc_get(td->root, "volumes");
    assert_str(doc_path(doc_seq_at(vols, 0), "host.sourcePath"), "/var/run/docker.sock");
    assert_str(doc_path(doc_seq_at(vols, 1), "efsVolumeConfiguration.transitEncryption"),
               "DISABLED");
    assert_str(doc_path(doc_seq_at(vols, 1), "efsVolumeConfiguration.fileSystemId"), "fs-1");
    const doc_node *c = doc_seq_at(doc_get(td->root, "containerDefinitions"), 0);
    bool b;
    /* "true" from a parameter, 'false' quoted: CloudFormation booleans */
    assert_true(doc_bool(doc_get(c, "privileged"), &b) && b);
    assert_int_equal(line(doc_get(c, "privileged")), 24);
    assert_true(has_trace(doc_get(c, "privileged"), "from parameter \"Priv\" default", 5));
    assert_true(doc_bool(doc_get(c, "readonlyRootFilesystem"), &b) && !b);
    assert_unknown(doc_get(c, "user"), "!Ref Free");
    assert_int_equal(doc_kind_of(doc_get(c, "runsAsRoot")), DOC_UNKNOWN);
    assert_true(doc_bool(doc_get(c, "mountsRuntimeSocket"), &b) && b);
    assert_true(doc_bool(doc_get(c, "hasSecretEnvironment"), &b) && b);
    assert_str(doc_seq_at(doc_path(c, "linuxParameters.capabilities.add"), 0), "SYS_ADMIN");
    assert_str(doc_path(c, "logConfiguration.logDriver"), "awslogs");
    assert_non_null(doc_path(c, "logConfiguration.options"));
    assert_true(doc_bool(doc_get(td->root, "isLinux"), &b) && b);

    const bh_object *cl = find_obj(&x, "Kept");          /* unknown Condition: kept */
    assert_non_null(cl);
    assert_string_equal(cl->type, "aws/ecs/cluster");
    assert_str(doc_get(doc_seq_at(doc_get(cl->root, "settings"), 0), "value"), "enabled");

    const bh_object *svc = find_obj(&x, "Svc");
    assert_string_equal(svc->type, "aws/ecs/service");
    assert_str(doc_path(svc->root, "networkConfiguration.awsvpcConfiguration.assignPublicIp"),
               "ENABLED");
    assert_unknown(doc_get(svc->root, "taskDefinition"), "!Ref TaskDef");
    assert_true(doc_bool(doc_get(svc->root, "isFargate"), &b) && b);
    assert_true(doc_bool(doc_get(svc->root, "platformVersionOutdated"), &b) && b);

    const bh_object *ts = find_obj(&x, "Set");
    assert_string_equal(ts->type, "aws/ecs/task-set");
    assert_unknown(doc_path(ts->root, "networkConfiguration.awsvpcConfiguration.assignPublicIp"),
                   "!GetAtt X.Y");
    const bh_object *cp = find_obj(&x, "Cp");
    assert_string_equal(cp->type, "aws/ecs/capacity-provider");
    assert_str(doc_path(cp->root, "autoScalingGroupProvider.managedTerminationProtection"),
               "ENABLED");
    fx_free(x.f);
}

static void test_adapter_params(void **state)
{
    (void)state;
    cfn_params *p = cfn_params_new();
    bh_diags *d = diags_new();
    assert_true(cfn_params_add_arg(p, "Mode=awsvpc", d));
    assert_true(cfn_params_add_arg(p, "Free=x", d));      /* Maybe becomes true */
    assert_true(cfn_params_add_arg(p, "Priv=false", d));
    afx x = adapt(template_yaml, false, p);
    const bh_object *td = find_obj(&x, "TaskDef");
    const doc_node *nm = doc_get(td->root, "networkMode");
    assert_str(nm, "awsvpc");
    assert_int_equal(line(nm), 13);
    assert_true(has_trace(nm, "from --cfn-param Mode", 0));
    const doc_node *c = doc_seq_at(doc_get(td->root, "containerDefinitions"), 0);
    bool b;
    assert_true(doc_bool(doc_get(c, "privileged"), &b) && !b);
    assert_str(doc_get(c, "user"), "x");
    assert_non_null(find_obj(&x, "Kept"));
    fx_free(x.f);
    diags_free(d);
    cfn_params_free(p);
}

static void test_adapter_json_and_cdk(void **state)
{
    (void)state;
    afx x = adapt("{\n"
                  " \"Resources\": {\n"
                  "  \"WebTaskDef1A2B3C\": {\n"
                  "   \"Type\": \"AWS::ECS::TaskDefinition\",\n"
                  "   \"Properties\": {\n"
                  "    \"NetworkMode\": {\"Fn::If\": [\"UseHost\", \"host\", \"awsvpc\"]},\n"
                  "    \"ContainerDefinitions\": [{\"Name\": \"web\", \"Image\": {\"Fn::Join\": [\"\", "
                  "[{\"Ref\": \"AWS::AccountId\"}, \".dkr.ecr/app\"]]}, \"Essential\": true}]\n"
                  "   },\n"
                  "   \"Metadata\": {\"aws:cdk:path\": \"App/Web/TaskDef/Resource\"}\n"
                  "  }\n"
                  " },\n"
                  " \"Conditions\": {\"UseHost\": {\"Fn::Equals\": [\"1\", \"1\"]}}\n"
                  "}\n",
                  true, NULL);
    assert_true(x.ok);
    assert_int_equal(objlist_len(x.objs), 1);
    const bh_object *td = objlist_at(x.objs, 0);
    assert_string_equal(td->name, "WebTaskDef1A2B3C");
    assert_str(doc_get(td->root, "networkMode"), "host");
    assert_int_equal(line(doc_get(td->root, "networkMode")), 6);
    const doc_node *c = doc_seq_at(doc_get(td->root, "containerDefinitions"), 0);
    assert_unknown(doc_get(c, "image"), "Fn::Join [\"\", [Ref AWS::AccountId, .dkr.ecr/app]]");
    fx_free(x.f);
}

static void test_adapter_invalid(void **state)
{
    (void)state;
    afx x = adapt("Parameters: {Free: {Type: String}}\n"
                  "Conditions: {C: !Equals [!Ref Free, x]}\n"
                  "Resources:\n"
                  "  Bad: {Type: AWS::ECS::TaskDefinition, Properties: {ContainerDefinitions: web}}\n"
                  "  Whole: {Type: AWS::ECS::TaskDefinition, Properties: !If [C, {}, {}]}\n"
                  "  NoProps: {Type: AWS::ECS::Cluster}\n"
                  "  Items: {Type: AWS::ECS::TaskDefinition,\n"
                  "          Properties: {ContainerDefinitions: [!If [C, {Name: a}, !Ref AWS::NoValue]]}}\n",
                  false, NULL);
    assert_false(x.ok);
    assert_null(find_obj(&x, "Bad"));
    assert_true(has_diag(x.f, DIAG_ERROR, "\"containerDefinitions\" of \"Bad\" must be a list"));
    assert_null(find_obj(&x, "Whole"));
    assert_true(has_diag(x.f, DIAG_WARNING, "the properties of \"Whole\" are not known"));
    const bh_object *np = find_obj(&x, "NoProps");
    assert_non_null(np);
    assert_int_equal(doc_kind_of(np->root), DOC_MAP);
    const bh_object *it = find_obj(&x, "Items");
    assert_non_null(it);
    assert_int_equal(doc_kind_of(doc_seq_at(doc_get(it->root, "containerDefinitions"), 0)),
                     DOC_UNKNOWN);
    fx_free(x.f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ref_default_both_forms),
        cmocka_unit_test(test_ref_unknowns),
        cmocka_unit_test(test_ref_list_parameter),
        cmocka_unit_test(test_pseudo_parameters),
        cmocka_unit_test(test_params_precedence),
        cmocka_unit_test(test_params_bad_arg),
        cmocka_unit_test(test_params_file),
        cmocka_unit_test(test_conditions),
        cmocka_unit_test(test_if_both_forms),
        cmocka_unit_test(test_sub),
        cmocka_unit_test(test_join_select_split),
        cmocka_unit_test(test_find_in_map),
        cmocka_unit_test(test_base64_length),
        cmocka_unit_test(test_opaque_functions),
        cmocka_unit_test(test_json_long_forms),
        cmocka_unit_test(test_condition_cycle),
        cmocka_unit_test(test_depth_cap),
        cmocka_unit_test(test_step_budget),
        cmocka_unit_test(test_adapter_objects),
        cmocka_unit_test(test_adapter_params),
        cmocka_unit_test(test_adapter_json_and_cdk),
        cmocka_unit_test(test_adapter_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * cfn.h - CloudFormation intrinsic functions: a template's values as the
 * stack would see them, as far as they can be known without deploying.
 *
 * The resolver reads one template (its Parameters, Mappings and
 * Conditions) and turns a value tree that may hold intrinsic functions,
 * in the long form ({"Fn::If": [...]}, {"Ref": "X"}) or as YAML short-form
 * tags (!If [...], !Ref X, !Sub "...", !GetAtt A.B), into plain values:
 *
 *   Ref            a parameter: the value given (cfn_params), else its
 *                  Default, else unknown.  List types (CommaDelimitedList,
 *                  List<...>) become lists.  SSM parameter types
 *                  (AWS::SSM::Parameter::Value<...>) are always unknown: the
 *                  value named is the parameter's name, not its value.
 *                  Pseudo parameters: AWS::NoValue removes the key or item;
 *                  AWS::Partition is "aws" and AWS::URLSuffix
 *                  "amazonaws.com"; AWS::Region, AWS::AccountId,
 *                  AWS::StackName, ... are unknown unless given.  A Ref to
 *                  a resource (or to a name the template does not define)
 *                  is unknown ("Ref LogicalId").
 *   Fn::If         with the condition evaluated (Fn::Equals, Fn::And,
 *                  Fn::Or, Fn::Not, Condition) from parameter values; a
 *                  condition that depends on an unknown makes the If
 *                  unknown.
 *   Fn::Sub        both forms (string; [string, variables]): ${Param},
 *                  ${AWS::Region}, ${!Literal}; ${Res.Attr} is unknown.
 *   Fn::Join, Fn::Select, Fn::Split, Fn::FindInMap (with the
 *                  LanguageExtensions DefaultValue), Fn::Length.
 *   Fn::Base64     the inner value unencoded (decided: no policy reads an
 *                  encoded field, and the plain text is what a reader of a
 *                  finding wants to see).
 *   Fn::GetAtt, Fn::ImportValue, Fn::GetAZs, Fn::Cidr, Fn::Transform,
 *   Fn::ToJsonString
 *                  unknown, with the expression as text ("Fn::GetAtt
 *                  Role.Arn", "!GetAtt Role.Arn").
 *
 * Positions: a resolved value takes the span of the place it is used (the
 * `!Ref Mode` node), and a trace entry points at where the value came
 * from: the parameter's Default (`from parameter "Mode" default`), a
 * --cfn-param (`from --cfn-param Mode`, no position), a parameter file
 * entry, or a Mappings entry.  An unknown keeps the span of its intrinsic.
 *
 * Limits: every resolution step counts against a budget and nesting
 * against a depth cap (cfn_limits); conditions that refer to each other in
 * a loop are an error.  Each is an error diagnostic, never a crash or a
 * hang.
 *
 * Ownership: cfn_params are malloc-owned and read-only once built (scan
 * workers share them); a resolver and everything it builds live in the
 * arena given.  Nothing here prints.
 */
#ifndef BH_CFN_H
#define BH_CFN_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "doc.h"

/* ---- parameter values from the command line ---------------------------- */

typedef struct cfn_params cfn_params;

cfn_params *cfn_params_new(void);
void cfn_params_free(cfn_params *p);

/* Add one `KEY=VALUE` (--cfn-param; the value may be empty, KEY may be a
 * pseudo parameter such as AWS::Region).  false with an error diagnostic
 * when there is no '=' or KEY is empty, or on exhaustion. */
bool cfn_params_add_arg(cfn_params *p, const char *arg, bh_diags *diags);

/* Add every entry of a parameter file (--cfn-params-file) in the AWS CLI
 * shape, [{"ParameterKey": "K", "ParameterValue": "V"}, ...] (entries with
 * UsePreviousValue and no value are skipped), or the CodePipeline template
 * configuration shape {"Parameters": {"K": "V"}}.  Values keep their
 * position in the file for traces.  false with an error diagnostic when
 * the file cannot be read or has another shape. */
bool cfn_params_load_file(cfn_params *p, const char *path, bh_diags *diags);

/* Number of values given.  When a key is given more than once, the last
 * one wins (command-line order). */
size_t cfn_params_len(const cfn_params *p);

/* ---- the resolver ------------------------------------------------------ */

typedef struct cfn_limits {
    size_t max_steps;      /* resolution steps per template; default 1,000,000 */
    unsigned max_depth;    /* nesting of values and conditions; default 256 */
} cfn_limits;

cfn_limits cfn_default_limits(void);

typedef struct cfn_resolver cfn_resolver;

typedef enum cfn_truth { CFN_FALSE, CFN_TRUE, CFN_UNKNOWN } cfn_truth;

/* A resolver for the template whose root mapping is root.  params and
 * limits may be NULL.  NULL on exhaustion. */
cfn_resolver *cfn_resolver_new(bh_arena *a, const doc_node *root, const cfn_params *params,
                               const cfn_limits *limits, bh_diags *diags);

/*
 * Resolve the value v: a new tree (plain subtrees may be shared with the
 * template, which is never modified) without intrinsics, unknown nodes
 * where a value cannot be known.  *out is NULL when v is AWS::NoValue.
 * false when the budget or depth cap was hit, or on exhaustion (an error
 * diagnostic was added; *out is NULL).
 */
bool cfn_resolve(cfn_resolver *r, const doc_node *v, doc_node **out);

/* The value of the condition named by the scalar name (a resource's
 * `Condition:`).  An undefined name, a cycle or a limit hit adds an error
 * and gives CFN_UNKNOWN.  When the answer is CFN_UNKNOWN and cause is not
 * NULL, *cause is the unknown it depends on (or NULL). */
cfn_truth cfn_condition(cfn_resolver *r, const doc_node *name, const doc_node **cause);

/* Whether a limit was hit (the template's values are incomplete). */
bool cfn_resolver_failed(const cfn_resolver *r);

#endif

#!/usr/bin/env bash
# After `cdk deploy` in .github/workflows/release.yml: checks from the outside that the release of stack
# HybridCi finished whole. CloudFormation already waited for every CodeDeploy canary (a rolled-back canary
# fails the deploy); this catches what a green `cdk deploy` cannot show: a stack left in another state, a
# canary failed or stopped since DEPLOY_STARTED (epoch seconds), an alias still splitting traffic.
# Read-only calls: cloudformation:DescribeStacks, cloudformation:ListStackResources, codedeploy:ListDeployments,
# lambda:GetAlias (the deploy role's own policy, docs/deploy.md).
set -euo pipefail
STACK="${STACK:-HybridCi}"
: "${DEPLOY_STARTED:?DEPLOY_STARTED (epoch seconds when the deploy began) is not set}"

status="$(aws cloudformation describe-stacks --stack-name "$STACK" --query 'Stacks[0].StackStatus' --output text)"
if [[ "$status" != CREATE_COMPLETE && "$status" != UPDATE_COMPLETE ]]; then
  echo "stack $STACK is $status, not CREATE_COMPLETE or UPDATE_COMPLETE" >&2
  exit 1
fi

resources() {  # physical ids of the stack's resources of type $1, one a line
  aws cloudformation list-stack-resources --stack-name "$STACK" --output text \
    --query "StackResourceSummaries[?ResourceType=='$1'].PhysicalResourceId" | tr '\t' '\n'
}

for application in $(resources AWS::CodeDeploy::Application); do
  bad="$(aws deploy list-deployments --application-name "$application" --include-only-statuses Failed Stopped \
    --create-time-range "start=$DEPLOY_STARTED" --query 'length(deployments)' --output text)"
  if [[ "$bad" != 0 ]]; then
    echo "$bad CodeDeploy deployment(s) of $application failed or stopped since the deploy began" >&2
    exit 1
  fi
done

# An alias ARN ends in :<alias name>; the function is everything before it. JSON for the weights: text output
# would print a map on a line of its own, where a one-line read would miss it.
for alias in $(resources AWS::Lambda::Alias); do
  lambda_function="${alias%:*}" alias_name="${alias##*:}"
  weights="$(aws lambda get-alias --function-name "$lambda_function" --name "$alias_name" \
    --query 'RoutingConfig.AdditionalVersionWeights' --output json | tr -d ' \n')"
  version="$(aws lambda get-alias --function-name "$lambda_function" --name "$alias_name" --query FunctionVersion --output text)"
  if [[ "$weights" != null && "$weights" != '{}' ]]; then
    echo "$alias still splits traffic beyond version $version: $weights" >&2
    exit 1
  fi
  echo "$alias -> version $version"
done

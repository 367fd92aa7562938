package io.hybridci.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import io.hybridci.topology.FunctionSpec;
import io.hybridci.topology.QueueSpec;
import io.hybridci.topology.SecretSpec;
import io.hybridci.topology.QueueSpec.QueueRole;
import io.hybridci.topology.Topology;
import io.hybridci.topology.Trigger.RotationTrigger;
import io.hybridci.topology.Trigger.StreamTrigger;
import software.amazon.awscdk.Annotations;
import software.constructs.IConstruct;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The cdk-nag AwsSolutions findings we accept, each with its reason, scoped to the resources it
 * concerns (never stack-wide), so a new finding elsewhere still fails {@code NagTest} and synth.
 */
final class NagSuppressions {

    private NagSuppressions() {
    }

    static void apply(HybridCiStack stack, HttpEndpoints http, Release release, DashboardHosting dashboard,
                      UserSignIn signIn) {
        Topology topology = stack.topology();
        for (FunctionSpec spec : topology.functions()) {
            IConstruct role = stack.functions().function(spec.name()).getRole();
            suppress(role, "AwsSolutions-IAM5",
                    "grant*ReadData/WriteData on the state table covers its GSIs (gsi1, gsi2), whose ARNs are "
                            + "<table>/index/<name>: the functions query them; no other table is reachable.",
                    "/^Resource::<Tables[A-Za-z0-9]+\\.Arn>\\/index\\/\\*$/g");
            if (!spec.triggersOf(StreamTrigger.class).isEmpty()) {
                suppress(role, "AwsSolutions-IAM5",
                        "dynamodb:ListStreams, added by the stream event-source mapping, has no resource-level "
                                + "permission in IAM; the stream itself is granted by ARN.",
                        "Resource::*");
            }
            if (!spec.triggersOf(RotationTrigger.class).isEmpty()) {
                suppress(role, "AwsSolutions-IAM5",
                        "secretsmanager:GetRandomPassword, added by the rotation schedule, has no resource-level "
                                + "permission in IAM; the rotated secrets themselves are granted by ARN.",
                        "Resource::*");
            }
            // The warning says to publish a version; every function publishes one (currentVersion,
            // behind the alias), so the warning is acknowledged rather than silenced blindly.
            Annotations.of(stack.functions().function(spec.name())).acknowledgeWarning(
                    "@aws-cdk/aws-lambda:snapStartRequirePublish", "each function publishes its current version behind alias live");
        }
        for (QueueSpec spec : topology.queues()) {
            if (spec.role() == QueueRole.FAILURE_DESTINATION) {
                suppress(stack.queues().queue(spec.name()), "AwsSolutions-SQS3",
                        "This queue is itself the on-failure destination of a stream mapping (a dead-letter queue "
                                + "in all but name); cdk-nag only recognises SQS redrive targets as DLQs.", null);
            }
        }
        suppress(stack.queues().queue(Topology.BUS_TARGETS_DLQ), "AwsSolutions-SQS3",
                "This queue is itself the dead-letter queue of the EventBridge rule targets; cdk-nag only "
                        + "recognises SQS redrive targets as DLQs.", null);
        for (IConstruct route : http.selfAuthenticatedRoutes()) {
            suppress(route, "AwsSolutions-APIG4",
                    "Webhook and agent routes authenticate inside their function, where the secret is: GitHub's HMAC "
                            + "over the raw body (an authorizer cannot see the body) and agent session tokens. The user "
                            + "routes (/api/v1) have the JWT authorizer.", null);
        }
        dashboard(stack, dashboard, signIn);
        suppress(release, "AwsSolutions-IAM4",
                "AWSCodeDeployRoleForLambdaLimited is AWS's minimal service role for Lambda canaries (update the "
                        + "alias, invoke hooks); AWS keeps it in step with what CodeDeploy calls.",
                "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited");
        Set<String> rotated = topology.functions().stream()
                .flatMap(function -> function.triggersOf(RotationTrigger.class).stream())
                .map(RotationTrigger::secretName).collect(Collectors.toSet());
        for (SecretSpec spec : topology.secrets()) {
            if (!rotated.contains(spec.name())) {
                suppress(stack.secrets().secret(spec.name()), "AwsSolutions-SMG4",
                        "Not rotated by Hybrid CI: its value is held or issued outside AWS (the admin token by people "
                                + "using the dashboard and CLI, GitHub credentials by GitHub), and an unattended rotation "
                                + "would invalidate it with no channel to hand over the new value; docs/deploy.md says how "
                                + "to rotate it by hand.", null);
            }
        }
        suppress(stack.tables().table(Topology.LOGS_TABLE), "AwsSolutions-DDB3",
                "Job logs are the bulk of the data, expire by TTL and can be regenerated by re-running a build; "
                        + "point-in-time recovery would cost more than they are worth. state and audit have it.", null);
    }

    /** The dashboard's hosting and sign-in (issue 7). */
    private static void dashboard(HybridCiStack stack, DashboardHosting dashboard, UserSignIn signIn) {
        suppress(dashboard.bucket(), "AwsSolutions-S1",
                "Only CloudFront reads this bucket (Origin Access Control) and only a deployment writes it; the files "
                        + "are the repository's dashboard/public, so access logs would record nothing worth their cost.", null);
        suppress(dashboard.distribution(), "AwsSolutions-CFR1",
                "The dashboard is for the team wherever it works; every call needs a signed-in user, so a geo "
                        + "restriction would add nothing but lock out travelling engineers.", null);
        suppress(dashboard.distribution(), "AwsSolutions-CFR2",
                "No WAF: a web ACL costs at least $5 a month plus per request against a $0-idle design; the API "
                        + "behind it is throttled and every user route needs a valid JWT.", null);
        suppress(dashboard.distribution(), "AwsSolutions-CFR3",
                "No CloudFront access logs: standard logs need an ACL-enabled bucket; every API call is already in the "
                        + "HTTP API's access log and every user action in the audit trail.", null);
        suppress(dashboard.distribution(), "AwsSolutions-CFR4",
                "The default *.cloudfront.net certificate cannot pin a minimum TLS version; viewers still negotiate "
                        + "TLS 1.2+ in practice. Use a custom domain and ACM certificate (TLSv1.2_2021) to enforce it.", null);
        suppress(signIn.pool(), "AwsSolutions-COG2",
                "MFA is optional (TOTP) as issue 7 asks: people are created by an admin, there is no self sign-up; "
                        + "an admin can switch the pool to required MFA when the team has enrolled.", null);
        suppress(signIn.pool(), "AwsSolutions-COG3",
                "Threat protection (advanced security) needs the Plus feature plan, priced per monthly active user; "
                        + "without self sign-up and with strong passwords the Essentials plan is the proportionate choice.", null);
        // BucketDeployment's handler is one Lambda per stack, a sibling of our constructs, named by CDK.
        for (IConstruct child : stack.getNode().getChildren()) {
            if (child.getNode().getId().startsWith("Custom::CDKBucketDeployment")) {
                suppress(child, "AwsSolutions-IAM4",
                        "CDK's BucketDeployment handler uses AWSLambdaBasicExecutionRole for its own log group only; "
                                + "it runs at deploy time and has no other managed policy.", null);
                suppress(child, "AwsSolutions-IAM5",
                        "CDK's BucketDeployment handler reads the asset objects and writes/deletes the dashboard bucket's "
                                + "objects (bucket/*) and creates the CloudFront invalidation; CDK generates these grants.", null);
                suppress(child, "AwsSolutions-L1",
                        "CDK's BucketDeployment handler runtime is chosen and updated by aws-cdk-lib, not by us; it runs "
                                + "only during a deployment.", null);
            }
        }
    }

    private static void suppress(IConstruct construct, String id, String reason, String appliesTo) {
        NagPackSuppression.Builder suppression = NagPackSuppression.builder().id(id).reason(reason);
        if (appliesTo != null) {
            suppression.appliesTo(List.of(appliesTo.startsWith("/")
                    ? RegexAppliesTo.builder().regex(appliesTo).build()
                    : appliesTo));
        }
        io.github.cdklabs.cdknag.NagSuppressions.addResourceSuppressions(construct, List.of(suppression.build()), true);
    }
}

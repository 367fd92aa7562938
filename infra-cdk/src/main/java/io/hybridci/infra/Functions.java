package io.hybridci.infra;

import io.hybridci.topology.Access;
import io.hybridci.topology.DeadLetterSource;
import io.hybridci.topology.EnvironmentNames;
import io.hybridci.topology.FunctionSpec;
import io.hybridci.topology.Topology;
import io.hybridci.topology.Trigger.SqsTrigger;
import io.hybridci.topology.Trigger.StreamTrigger;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.events.EventBus;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.StartingPosition;
import software.amazon.awscdk.services.lambda.eventsources.DynamoEventSource;
import software.amazon.awscdk.services.lambda.eventsources.SqsDlq;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.constructs.Construct;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;

/**
 * Every function of the topology: Java 25 on arm64 (about 20 % cheaper per GB-second than x86 and
 * as fast for this code), SnapStart on published versions (a Java cold start is mostly SDK client
 * construction, which the snapshot skips), an alias {@value #ALIAS} that every trigger invokes so
 * CodeDeploy can shift it, memory and timeout from {@link FunctionSpec}.
 *
 * <p>Permissions come only from the function's {@link Access} set, each turned into one
 * {@code grant*} call, and from its triggers' event-source mappings. Each function has its own
 * role and its own log group: the role carries no AWS-managed policy, only writes to that group.
 * The environment is exactly {@link EnvironmentNames#requiredBy}, checked at synth.
 */
public final class Functions extends Construct {

    /** The alias every trigger invokes and CodeDeploy shifts. */
    public static final String ALIAS = "live";

    /** Function logs are operational; the audit trail lives in DynamoDB. A month covers an incident. */
    static final RetentionDays LOG_RETENTION = RetentionDays.ONE_MONTH;

    private final Map<String, Function> functions = new LinkedHashMap<>();
    private final Map<String, Alias> aliases = new LinkedHashMap<>();

    /** The resources a function's access can name. */
    public record Resources(DataTables tables, Queues queues, EventBus bus, Secrets secrets, IKey signingKey) {
    }

    public Functions(Construct scope, String id, Topology topology, FunctionJars jars, Resources resources) {
        super(scope, id);
        for (FunctionSpec spec : topology.functions()) {
            String name = Names.pascal(spec.name());
            LogGroup logGroup = LogGroup.Builder.create(this, name + "Logs")
                    .retention(LOG_RETENTION)
                    .removalPolicy(RemovalPolicy.DESTROY)
                    .build();
            Role role = Role.Builder.create(this, name + "Role")
                    .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                    .description("Hybrid CI " + spec.name() + ": only what its topology access lists")
                    .build();
            logGroup.grantWrite(role);
            Function function = Function.Builder.create(this, name)
                    .description("Hybrid CI " + spec.name())
                    .runtime(Runtime.JAVA_25)
                    .architecture(Architecture.ARM_64)
                    .handler(spec.handler())
                    .code(Code.fromAsset(jars.jar(spec.name()).toString()))
                    .memorySize(spec.memoryMb())
                    .timeout(Duration.seconds(spec.timeoutSeconds()))
                    .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                    .role(role)
                    .logGroup(logGroup)
                    .environment(environment(spec, topology, resources))
                    .build();
            Alias alias = Alias.Builder.create(this, name + "Live")
                    .aliasName(ALIAS)
                    .version(function.getCurrentVersion())
                    .build();
            for (Access access : spec.access()) {
                grant(access, function, resources);
            }
            addEventSources(spec, alias, resources);
            functions.put(spec.name(), function);
            aliases.put(spec.name(), alias);
        }
    }

    /** The function of this topology name. */
    public Function function(String name) {
        return found(functions.get(name), name);
    }

    /** Its {@value #ALIAS} alias: what triggers, alarms and CodeDeploy address. */
    public Alias alias(String name) {
        return found(aliases.get(name), name);
    }

    private <T> T found(T value, String name) {
        if (value == null) {
            throw new NoSuchElementException("no function '" + name + "'; known: " + functions.keySet());
        }
        return value;
    }

    /** The values of {@link EnvironmentNames#requiredBy}; fails when the two sets differ. */
    static Map<String, String> environment(FunctionSpec spec, Topology topology, Resources resources) {
        Map<String, String> environment = new TreeMap<>(spec.extraEnvironment());
        environment.put(EnvironmentNames.HYBRIDCI_FUNCTION, spec.name());
        // JOB_QUEUE_URLS and PRIORITY_JOB_QUEUE_URLS: each a JSON object agent queue → URL.
        Map<String, Map<String, String>> jobQueueUrls = new TreeMap<>();
        // DEAD_LETTER_QUEUES: a JSON object queue → {url, kind, deadLetterOf}, for the queues the function peeks.
        Map<String, Map<String, String>> deadLetterQueues = new TreeMap<>();
        for (Access access : spec.access()) {
            String variable = EnvironmentNames.forAccess(access, topology);
            switch (access) {
                case Access.TableAccess table -> environment.put(variable, resources.tables().table(table.table()).getTableName());
                case Access.QueueSendAccess send -> queueUrl(send.queue(), variable, environment, jobQueueUrls, resources);
                case Access.QueueUrlOnly url -> queueUrl(url.queue(), variable, environment, jobQueueUrls, resources);
                case Access.QueuePeekAccess peek -> deadLetterQueues.put(peek.queue(),
                        deadLetterQueue(topology, peek.queue(), resources.queues().queue(peek.queue()).getQueueUrl()));
                case Access.EventBusPutAccess _ -> environment.put(variable, resources.bus().getEventBusName());
                // The ARN, not the name: an exact id, never a partial-name match.
                case Access.SecretAccess secret -> environment.put(variable, resources.secrets().secret(secret.secret()).getSecretArn());
                // The ARN too: KMS accepts it for Encrypt and Decrypt, and it names the account and region.
                case Access.KmsKeyAccess _ -> environment.put(variable, resources.signingKey().getKeyArn());
            }
        }
        jobQueueUrls.forEach((name, urls) -> environment.put(name, Stack.of(resources.bus()).toJsonString(urls)));
        if (!deadLetterQueues.isEmpty()) {
            // In the topology's order, which is the order GET /api/v1/dead-letters lists them in.
            Map<String, Map<String, String>> ordered = new LinkedHashMap<>();
            topology.deadLetterQueues().stream().map(DeadLetterSource::queue).filter(deadLetterQueues::containsKey)
                    .forEach(queue -> ordered.put(queue, deadLetterQueues.get(queue)));
            environment.put(EnvironmentNames.DEAD_LETTER_QUEUES, Stack.of(resources.bus()).toJsonString(ordered));
        }
        if (!environment.keySet().equals(EnvironmentNames.requiredBy(spec, topology))) {
            throw new IllegalStateException(spec.name() + ": environment " + environment.keySet()
                    + " differs from EnvironmentNames.requiredBy " + EnvironmentNames.requiredBy(spec, topology));
        }
        return environment;
    }

    /** One entry of {@link EnvironmentNames#DEAD_LETTER_QUEUES}: where the queue is and what it keeps. */
    static Map<String, String> deadLetterQueue(Topology topology, String queue, String url) {
        DeadLetterSource source = topology.deadLetterQueues().stream()
                .filter(candidate -> candidate.queue().equals(queue)).findFirst()
                .orElseThrow(() -> new IllegalStateException("queue " + queue + " is peeked but keeps nothing given up on"));
        Map<String, String> entry = new TreeMap<>();
        entry.put("url", url);
        entry.put("kind", source.kind().wireName());
        entry.put("deadLetterOf", source.deadLetterOf());
        return entry;
    }

    private static void queueUrl(String queue, String variable, Map<String, String> environment,
                                 Map<String, Map<String, String>> jobQueueUrls, Resources resources) {
        String url = resources.queues().queue(queue).getQueueUrl();
        if (variable.equals(EnvironmentNames.JOB_QUEUE_URLS) || variable.equals(EnvironmentNames.PRIORITY_JOB_QUEUE_URLS)) {
            jobQueueUrls.computeIfAbsent(variable, _ -> new TreeMap<>()).put(Topology.agentQueueOf(queue), url);
        } else {
            environment.put(variable, url);
        }
    }

    private static void grant(Access access, Function function, Resources resources) {
        switch (access) {
            case Access.TableAccess table -> {
                Table resource = resources.tables().table(table.table());
                switch (table.mode()) {
                    case READ -> resource.grantReadData(function);
                    case WRITE -> resource.grantWriteData(function);
                    case READ_WRITE -> resource.grantReadWriteData(function);
                }
            }
            case Access.QueueSendAccess send -> resources.queues().queue(send.queue()).grantSendMessages(function);
            // The api only hands the URL to agents; agents use it with their own policy (AgentPolicy).
            case Access.QueueUrlOnly _ -> { }
            // Peek only: receive, give back (visibility 0) and the approximate count; never delete, never send.
            case Access.QueuePeekAccess peek -> resources.queues().queue(peek.queue())
                    .grant(function, "sqs:ReceiveMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes");
            case Access.EventBusPutAccess _ -> resources.bus().grantPutEventsTo(function);
            case Access.SecretAccess secret -> {
                Secret resource = resources.secrets().secret(secret.secret());
                resource.grantRead(function);
                if (secret.use() == Access.SecretUse.ROTATE) {
                    // The rotation schedule (Secrets#rotateWith) grants what Secrets Manager's own rotation
                    // calls need, but not ListSecretVersionIds (the grace period counts from the versions'
                    // creation dates), and the api rotates without a schedule (`secrets rotate`). Only the
                    // version actions: never UpdateSecret or DeleteSecret.
                    function.addToRolePolicy(PolicyStatement.Builder.create()
                            .actions(List.of("secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage",
                                    "secretsmanager:ListSecretVersionIds"))
                            .resources(List.of(resource.getSecretArn()))
                            .build());
                }
            }
            // Exactly Encrypt and/or Decrypt: CDK's grantEncrypt would add ReEncrypt* and GenerateDataKey*,
            // which KmsKeyProtector never calls (signing keys are 32 bytes, encrypted directly, no envelope).
            case Access.KmsKeyAccess key -> resources.signingKey().grant(function, switch (key.use()) {
                case ENCRYPT -> new String[] {"kms:Encrypt"};
                case DECRYPT -> new String[] {"kms:Decrypt"};
                case ENCRYPT_DECRYPT -> new String[] {"kms:Encrypt", "kms:Decrypt"};
            });
        }
    }

    /**
     * SQS and stream mappings, on the alias so that CodeDeploy's shift applies to them too. Both
     * report partial batch failures: one bad record must not re-deliver the whole batch.
     */
    private static void addEventSources(FunctionSpec spec, Alias alias, Resources resources) {
        for (SqsTrigger trigger : spec.triggersOf(SqsTrigger.class)) {
            SqsEventSource.Builder source = SqsEventSource.Builder.create(resources.queues().queue(trigger.queueName()))
                    .batchSize(trigger.batchSize())
                    .reportBatchItemFailures(trigger.reportBatchItemFailures());
            if (trigger.maxBatchingWindowSeconds() > 0) {
                source.maxBatchingWindow(Duration.seconds(trigger.maxBatchingWindowSeconds()));
            }
            alias.addEventSource(source.build());
        }
        for (StreamTrigger trigger : spec.triggersOf(StreamTrigger.class)) {
            alias.addEventSource(DynamoEventSource.Builder.create(resources.tables().table(trigger.tableName()))
                    .startingPosition(switch (trigger.startingPosition()) {
                        case TRIM_HORIZON -> StartingPosition.TRIM_HORIZON;
                        case LATEST -> StartingPosition.LATEST;
                    })
                    .batchSize(trigger.batchSize())
                    .bisectBatchOnError(trigger.bisectOnError())
                    // Bounded: unbounded retries would block the shard for the stream's 24 h.
                    .retryAttempts(trigger.maxRetryAttempts())
                    .onFailure(new SqsDlq(resources.queues().queue(trigger.onFailureQueue())))
                    .reportBatchItemFailures(trigger.reportBatchItemFailures())
                    .build());
        }
    }
}

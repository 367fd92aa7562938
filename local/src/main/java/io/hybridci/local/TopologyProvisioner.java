package io.hybridci.local;

import io.hybridci.local.engine.LocalAws;
import io.hybridci.aws.dynamodb.TableCreator;
import io.hybridci.schema.RuleDefinition;
import io.hybridci.topology.QueueSpec;
import io.hybridci.topology.SecretSpec;
import io.hybridci.topology.TableSpec;
import io.hybridci.topology.Topology;
import io.hybridci.topology.Trigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.ResourceNotFoundException;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Creates, through the ordinary SDK clients, the queues, bus, rules, targets and secrets that the topology
 * describes and that do not exist yet: what the CDK app does in AWS, done at every start of the local cloud.
 * Every step is idempotent, so a restart on an existing data dir changes nothing that is already there.
 */
final class TopologyProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(TopologyProvisioner.class);

    private final Topology topology;

    TopologyProvisioner(Topology topology) {
        this.topology = Objects.requireNonNull(topology, "topology");
    }

    /** Creates the tables that are missing (TableCreator is what the integration tests of the adapters use too). */
    void createTables(DynamoDbClient dynamoDb) {
        TableCreator creator = new TableCreator(dynamoDb);
        for (TableSpec table : topology.tables()) {
            if (creator.create(table, table.name())) LOG.info("created table {}", table.name());
        }
    }

    /**
     * Creates every queue of the topology, dead-letter queues first (a work queue's redrive policy names
     * its DLQ's ARN), and returns logical name → queue URL.
     */
    Map<String, String> createQueues(SqsClient sqs) {
        Map<String, String> urls = new LinkedHashMap<>();
        for (QueueSpec queue : topology.queues()) {
            if (queue.findDlqName().isEmpty()) urls.put(queue.name(), createQueue(sqs, queue, null));
        }
        for (QueueSpec queue : topology.queues()) {
            if (queue.findDlqName().isPresent()) {
                String dlqUrl = urls.get(queue.dlqName());
                if (dlqUrl == null) throw new IllegalStateException("queue " + queue.name() + " names an unknown DLQ " + queue.dlqName());
                String dlqArn = sqs.getQueueAttributes(r -> r.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                        .attributes().get(QueueAttributeName.QUEUE_ARN);
                urls.put(queue.name(), createQueue(sqs, queue, dlqArn));
            }
        }
        return Map.copyOf(urls);
    }

    private static String createQueue(SqsClient sqs, QueueSpec queue, String dlqArn) {
        try {
            return sqs.getQueueUrl(r -> r.queueName(queue.physicalName())).queueUrl();
        } catch (QueueDoesNotExistException absent) {
            Map<QueueAttributeName, String> attributes = new EnumMap<>(QueueAttributeName.class);
            attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(queue.visibilityTimeoutSeconds()));
            attributes.put(QueueAttributeName.MESSAGE_RETENTION_PERIOD, Integer.toString(queue.messageRetentionSeconds()));
            attributes.put(QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS, Integer.toString(queue.receiveWaitSeconds()));
            if (queue.fifo()) {
                attributes.put(QueueAttributeName.FIFO_QUEUE, "true");
                attributes.put(QueueAttributeName.CONTENT_BASED_DEDUPLICATION, Boolean.toString(queue.contentBasedDeduplication()));
            }
            if (dlqArn != null) {
                attributes.put(QueueAttributeName.REDRIVE_POLICY,
                        "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"" + queue.maxReceiveCount() + "\"}");
            }
            String url = sqs.createQueue(r -> r.queueName(queue.physicalName()).attributes(attributes)).queueUrl();
            LOG.info("created queue {}", queue.physicalName());
            return url;
        }
    }

    /** The ARN of the queue with this logical name (created by {@link #createQueues}). */
    static String queueArn(SqsClient sqs, String queueUrl) {
        return sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    /**
     * Creates the bus if it is missing, then puts every rule of the catalog with one target: the Lambda ARN
     * of the function the rule names, dead-lettering to {@code targetDlqArn} ({@link Topology#BUS_TARGETS_DLQ}) as
     * the CDK's targets do. The local bus keeps rules in memory, so this runs at every start.
     * A rule whose function does not run here (github-status without a GitHub API URL) is left out, as a stack
     * without that function would have no such rule: its events are not retried into a dead letter.
     */
    void createBusAndRules(EventBridgeClient events, Predicate<String> functionRuns, String targetDlqArn) {
        String bus = topology.eventBusName();
        try {
            events.describeEventBus(r -> r.name(bus));
        } catch (ResourceNotFoundException absent) {
            events.createEventBus(r -> r.name(bus));
        }
        for (RuleDefinition rule : topology.rules()) {
            if (!functionRuns.test(rule.target())) {
                continue;
            }
            events.putRule(r -> r.name(rule.name()).eventBusName(bus).eventPattern(rule.eventPattern()));
            Target target = Target.builder().id(rule.target()).arn(functionArn(rule.target()))
                    .deadLetterConfig(dlq -> dlq.arn(targetDlqArn))
                    .retryPolicy(retry -> retry.maximumRetryAttempts(Topology.RULE_TARGET_RETRY_ATTEMPTS))
                    .build();
            events.putTargets(r -> r.rule(rule.name()).eventBusName(bus).targets(target));
        }
    }

    /** The ARN AWS gives the function; the local bus delivers to the sink registered under its name. */
    static String functionArn(String functionName) {
        return "arn:aws:lambda:" + LocalAws.REGION.id() + ":" + LocalAws.ACCOUNT_ID + ":function:" + functionName;
    }

    /**
     * Creates each secret of the topology that does not exist yet, with its first value. An existing
     * secret is left alone: it may have been rotated since, and the rotation is the authority then.
     *
     * @param initialValues secret name → the value of its first version
     */
    void createSecrets(SecretsManagerClient secrets, Map<String, String> initialValues) {
        for (SecretSpec secret : topology.secrets()) {
            String value = initialValues.get(secret.name());
            if (value == null) throw new IllegalStateException("no initial value for secret " + secret.name());
            try {
                secrets.describeSecret(r -> r.secretId(secret.name()));
            } catch (software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException absent) {
                secrets.createSecret(r -> r.name(secret.name()).description(secret.description()).secretString(value));
                LOG.info("created secret {}", secret.name());
            }
        }
    }

    /**
     * Turns on the rotation of {@code rotation}'s secret by {@code functionName} every {@code scheduleDays}, as
     * CDK's {@code addRotationSchedule} does in AWS, without rotating now (the local Secrets Manager records the
     * schedule but does not run it). Idempotent: every start sets the same function and rules again.
     */
    static void scheduleRotation(SecretsManagerClient secrets, Trigger.RotationTrigger rotation, String functionName) {
        secrets.rotateSecret(r -> r.secretId(rotation.secretName()).rotationLambdaARN(functionArn(functionName))
                .rotationRules(rules -> rules.automaticallyAfterDays((long) rotation.scheduleDays()))
                .rotateImmediately(false));
    }
}

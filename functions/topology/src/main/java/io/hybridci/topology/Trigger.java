package io.hybridci.topology;

import java.util.Objects;

/**
 * What invokes a function. Each variant carries exactly the settings that the CDK app turns
 * into an AWS resource (route, rule target, event-source mapping, schedule, rotation) and that
 * the local cloud reproduces with the same semantics.
 */
public sealed interface Trigger {

    /**
     * An API Gateway v2 (HTTP API) route. {@code method} is an HTTP method or {@code ANY};
     * {@code path} may end in a greedy {@code {proxy+}} segment.
     */
    record HttpRoute(String method, String path) implements Trigger {
        public HttpRoute {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(path, "path");
        }

        /** The route key exactly as API Gateway v2 writes it, e.g. {@code POST /webhooks/github}. */
        public String routeKey() {
            return method + " " + path;
        }
    }

    /**
     * An EventBridge rule on the {@code hybridci} bus. Only the name lives here: the pattern is
     * written once, in {@code events-schema/rules/<name>.json}, and both CDK and the local bus read it.
     */
    record RuleTrigger(String ruleName) implements Trigger {
        public RuleTrigger {
            Objects.requireNonNull(ruleName, "ruleName");
        }
    }

    /**
     * An SQS event-source mapping. {@code maxBatchingWindowSeconds} must be 0 for FIFO queues
     * (AWS does not support a batching window there).
     */
    record SqsTrigger(String queueName, int batchSize, int maxBatchingWindowSeconds,
                      boolean reportBatchItemFailures) implements Trigger {
        public SqsTrigger {
            Objects.requireNonNull(queueName, "queueName");
        }
    }

    /**
     * A DynamoDB Streams event-source mapping. {@code onFailureQueue} receives the metadata of a
     * batch that exhausted its retries, so a poison record cannot stall the shard forever.
     */
    record StreamTrigger(String tableName, int batchSize, StartingPosition startingPosition,
                         int maxRetryAttempts, boolean bisectOnError, String onFailureQueue,
                         boolean reportBatchItemFailures) implements Trigger {
        public StreamTrigger {
            Objects.requireNonNull(tableName, "tableName");
            Objects.requireNonNull(startingPosition, "startingPosition");
            Objects.requireNonNull(onFailureQueue, "onFailureQueue");
        }
    }

    /**
     * An EventBridge schedule; {@code expression} is {@code rate(...)} or {@code cron(...)}
     * in AWS syntax, which the local scheduler parses too.
     */
    record ScheduleTrigger(String name, String expression) implements Trigger {
        public ScheduleTrigger {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(expression, "expression");
        }
    }

    /** Secrets Manager rotation of {@code secretName}, every {@code scheduleDays} days. */
    record RotationTrigger(String secretName, int scheduleDays) implements Trigger {
        public RotationTrigger {
            Objects.requireNonNull(secretName, "secretName");
        }
    }

    /** Where a new stream event-source mapping starts reading. */
    enum StartingPosition {
        /** The oldest record still in the stream (24 h): nothing written before the mapping existed is lost. */
        TRIM_HORIZON,
        /** Only records written after the mapping starts. */
        LATEST
    }
}

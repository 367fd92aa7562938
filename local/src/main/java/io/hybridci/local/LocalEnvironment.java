package io.hybridci.local;

import io.hybridci.local.engine.LocalAws;
import io.hybridci.topology.Access;
import io.hybridci.topology.EnvironmentNames;
import io.hybridci.topology.FunctionSpec;
import io.hybridci.topology.Topology;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The environment a function gets in the local cloud: the same variable names the CDK app sets in AWS
 * ({@link EnvironmentNames}, derived from the function's access list), with local values, plus the
 * region and the local endpoints.
 *
 * @param queueUrls     logical queue name → URL at the local SQS
 * @param endpoints     what a client of each service must be pointed at locally
 * @param signingKeyArn the local KMS key agents' signing keys are encrypted under (SigningKeys in AWS)
 * @param added         function name → optional variables the operator set ({@link LocalCloudOptions#functionEnvironment})
 */
record LocalEnvironment(Topology topology, Map<String, String> queueUrls, LocalEndpoints endpoints,
                        String signingKeyArn, Map<String, Map<String, String>> added) {

    LocalEnvironment(Topology topology, Map<String, String> queueUrls, LocalEndpoints endpoints, String signingKeyArn) {
        this(topology, queueUrls, endpoints, signingKeyArn, Map.of());
    }

    /** Where each local engine answers. {@code AWS_ENDPOINT_URL} names SQS: it is the only endpoint agents use. */
    record LocalEndpoints(String dynamoDb, String sqs, String eventBridge, String secretsManager, String kms) {
        LocalEndpoints {
            Objects.requireNonNull(kms, "kms");
            Objects.requireNonNull(dynamoDb, "dynamoDb");
            Objects.requireNonNull(sqs, "sqs");
            Objects.requireNonNull(eventBridge, "eventBridge");
            Objects.requireNonNull(secretsManager, "secretsManager");
        }
    }

    LocalEnvironment {
        Objects.requireNonNull(topology, "topology");
        queueUrls = Map.copyOf(queueUrls);
        Objects.requireNonNull(endpoints, "endpoints");
        Objects.requireNonNull(signingKeyArn, "signingKeyArn");
        added = Map.copyOf(added);
    }

    /** Variable → value for {@code function}; every variable {@link EnvironmentNames#requiredBy} lists is set. */
    Map<String, String> of(FunctionSpec function) {
        Map<String, String> environment = new TreeMap<>(function.extraEnvironment());
        environment.putAll(added.getOrDefault(function.name(), Map.of()));
        environment.put(EnvironmentNames.HYBRIDCI_FUNCTION, function.name());
        for (Access access : function.access()) {
            environment.put(EnvironmentNames.forAccess(access, topology), valueOf(access, function));
        }
        environment.put(EnvironmentNames.AWS_REGION, LocalAws.REGION.id());
        environment.put(EnvironmentNames.AWS_ENDPOINT_URL, endpoints.sqs());
        // The SDK's own per-service endpoint variables, so a client built from the environment alone
        // (a no-argument handler constructor) would reach the right engine too.
        environment.put("AWS_ENDPOINT_URL_DYNAMODB", endpoints.dynamoDb());
        environment.put("AWS_ENDPOINT_URL_SQS", endpoints.sqs());
        environment.put("AWS_ENDPOINT_URL_EVENTBRIDGE", endpoints.eventBridge());
        environment.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", endpoints.secretsManager());
        environment.put("AWS_ENDPOINT_URL_KMS", endpoints.kms());
        Map<String, String> missing = new TreeMap<>();
        EnvironmentNames.requiredBy(function, topology).forEach(name -> {
            if (!environment.containsKey(name)) missing.put(name, "");
        });
        if (!missing.isEmpty()) throw new IllegalStateException(function.name() + " lacks " + missing.keySet());
        return Map.copyOf(environment);
    }

    private String valueOf(Access access, FunctionSpec function) {
        return switch (access) {
            case Access.TableAccess table -> topology.table(table.table()).name();
            case Access.QueueSendAccess send -> queueValue(send.queue());
            case Access.QueueUrlOnly url -> queueValue(url.queue());
            case Access.QueuePeekAccess _ -> deadLetterQueuesJson(function);
            case Access.EventBusPutAccess bus -> bus.bus();
            case Access.SecretAccess secret -> topology.secret(secret.secret()).name();
            case Access.KmsKeyAccess _ -> signingKeyArn;
        };
    }

    /**
     * Job queues share one variable holding every agent queue's URL, their high-priority twins another; other
     * queues have their own.
     */
    private String queueValue(String queueName) {
        String variable = EnvironmentNames.forQueue(queueName);
        if (variable.equals(EnvironmentNames.JOB_QUEUE_URLS)) {
            return jobQueueUrlsJson();
        }
        if (variable.equals(EnvironmentNames.PRIORITY_JOB_QUEUE_URLS)) {
            return queueUrlsJson(Topology::priorityJobQueueName);
        }
        return url(queueName);
    }

    /**
     * {@link EnvironmentNames#DEAD_LETTER_QUEUES} of {@code function}: every queue it peeks, in the topology's order,
     * with its URL and what it keeps (as the CDK app writes it).
     */
    private String deadLetterQueuesJson(FunctionSpec function) {
        java.util.Set<String> peeked = new java.util.HashSet<>();
        function.access().forEach(access -> {
            if (access instanceof Access.QueuePeekAccess peek) peeked.add(peek.queue());
        });
        com.fasterxml.jackson.databind.node.ObjectNode json = com.fasterxml.jackson.databind.json.JsonMapper.builder().build()
                .createObjectNode();
        for (io.hybridci.topology.DeadLetterSource source : topology.deadLetterQueues()) {
            if (peeked.contains(source.queue())) {
                json.putObject(source.queue()).put("url", url(source.queue())).put("kind", source.kind().wireName())
                        .put("deadLetterOf", source.deadLetterOf());
            }
        }
        return json.toString();
    }

    String jobQueueUrlsJson() {
        return queueUrlsJson(Topology::jobQueueName);
    }

    private String queueUrlsJson(java.util.function.UnaryOperator<String> queueOfAgentQueue) {
        StringBuilder json = new StringBuilder("{");
        for (String agentQueue : topology.agentQueues()) {
            if (json.length() > 1) json.append(',');
            json.append('"').append(agentQueue).append("\":\"").append(url(queueOfAgentQueue.apply(agentQueue))).append('"');
        }
        return json.append('}').toString();
    }

    private String url(String queueName) {
        String url = queueUrls.get(queueName);
        if (url == null) throw new IllegalStateException("queue " + queueName + " was not created");
        return url;
    }
}

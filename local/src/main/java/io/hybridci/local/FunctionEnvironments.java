package io.hybridci.local;

import io.hybridci.local.LocalEnvironment.LocalEndpoints;
import io.hybridci.topology.QueueSpec;
import io.hybridci.topology.Topology;
import software.amazon.awssdk.core.SdkClient;

import java.util.HashMap;
import java.util.Map;

/**
 * The environment a function of a running {@link LocalCloud} gets, for a process outside the cloud's JVM that runs
 * the function's shaded jar as Lambda would (the cold-start benchmark): the same variables {@link LocalEnvironment}
 * gives the in-process handlers, with the engines' endpoints read back from the cloud's own clients.
 *
 * <p>Such a process writes to dynalite directly, not through the cloud's stream capture: its writes reach no stream
 * consumer. That is enough to time a first event, not to take part in a build.
 */
public final class FunctionEnvironments {

    /** Variable → value for the function {@code functionName} of {@code cloud}'s topology. */
    public static Map<String, String> of(LocalCloud cloud, String functionName) {
        Topology topology = cloud.topology();
        Map<String, String> queueUrls = new HashMap<>();
        for (QueueSpec queue : topology.queues()) queueUrls.put(queue.name(), cloud.queueUrl(queue.name()));
        LocalCloud.Clients clients = cloud.clients();
        LocalEndpoints endpoints = new LocalEndpoints(endpoint(clients.dynamoDb()), endpoint(clients.sqs()),
                endpoint(clients.eventBridge()), endpoint(clients.secretsManager()), endpoint(clients.kms()));
        // ensure() reads the key id the cloud wrote at start; it creates nothing on a started cloud.
        String signingKeyArn = LocalSigningKey.ensure(cloud.dataDir(), clients.kms());
        return new LocalEnvironment(topology, queueUrls, endpoints, signingKeyArn).of(topology.function(functionName));
    }

    private static String endpoint(SdkClient client) {
        return client.serviceClientConfiguration().endpointOverride()
                .orElseThrow(() -> new IllegalStateException(client.serviceName() + " client has no local endpoint"))
                .toString();
    }

    private FunctionEnvironments() {
    }
}

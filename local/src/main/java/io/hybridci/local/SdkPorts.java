package io.hybridci.local;

import io.hybridci.core.port.EventPublisher;
import io.hybridci.core.port.JobDispatcher;
import io.hybridci.core.port.SecretSource;
import io.hybridci.core.security.Tokens;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The ports whose AWS implementations talk to EventBridge, SQS and Secrets Manager, over the real SDK
 * clients. They stand in until functions/aws offers them beside its DynamoDB adapters; they use nothing
 * local-specific, so the functions see exactly the calls they would make in AWS.
 */
final class SdkPorts {

    private SdkPorts() {
    }

    /** PutEvents, 10 entries per call (the API's limit), failing on any entry EventBridge did not accept. */
    record EventBridgePublisher(EventBridgeClient events, String busName) implements EventPublisher {
        EventBridgePublisher {
            Objects.requireNonNull(events, "events");
            Objects.requireNonNull(busName, "busName");
        }

        @Override
        public void publish(List<BusEvent> busEvents) {
            for (int from = 0; from < busEvents.size(); from += 10) {
                List<PutEventsRequestEntry> entries = busEvents.subList(from, Math.min(from + 10, busEvents.size())).stream()
                        .map(event -> PutEventsRequestEntry.builder().eventBusName(busName).source(event.source())
                                .detailType(event.detailType()).detail(event.detailJson()).build())
                        .toList();
                PutEventsResponse response = events.putEvents(r -> r.entries(entries));
                if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
                    List<String> failures = new ArrayList<>();
                    for (int i = 0; i < response.entries().size(); i++) {
                        PutEventsResultEntry result = response.entries().get(i);
                        if (result.errorCode() != null) {
                            failures.add(entries.get(i).detailType() + ": " + result.errorCode() + " " + result.errorMessage());
                        }
                    }
                    throw new IllegalStateException("PutEvents rejected " + response.failedEntryCount() + " entries: " + failures);
                }
            }
        }
    }

    /** SendMessage to the {@code jobs-<queue>} URL the function's environment names. */
    record SqsJobDispatcher(SqsClient sqs, Map<String, String> jobQueueUrls) implements JobDispatcher {
        SqsJobDispatcher {
            Objects.requireNonNull(sqs, "sqs");
            jobQueueUrls = Map.copyOf(jobQueueUrls);
        }

        @Override
        public void dispatch(String queue, String messageJson) {
            String url = jobQueueUrls.get(queue);
            if (url == null) throw new IllegalArgumentException("no job queue for agent queue '" + queue + "'; known: " + jobQueueUrls.keySet());
            sqs.sendMessage(r -> r.queueUrl(url).messageBody(messageJson));
        }
    }

    /**
     * Reads the webhook secret and admin token from Secrets Manager: the AWSCURRENT and, during a rotation,
     * the AWSPENDING version. Read on every call: locally a call costs a loopback round trip, and a value
     * rotated a moment ago is then accepted at once.
     */
    record SecretsManagerSecretSource(SecretsManagerClient secrets, String webhookSecretId, String adminTokenSecretId)
            implements SecretSource {

        @Override
        public List<String> webhookSecrets() {
            return values(webhookSecretId);
        }

        @Override
        public List<String> adminTokenHashes() {
            return values(adminTokenSecretId).stream().map(Tokens::sha256Hex).toList();
        }

        private List<String> values(String secretId) {
            List<String> values = new ArrayList<>();
            version(secretId, "AWSCURRENT").ifPresent(values::add);
            version(secretId, "AWSPENDING").filter(pending -> !values.contains(pending)).ifPresent(values::add);
            return values;
        }

        private Optional<String> version(String secretId, String stage) {
            try {
                return Optional.ofNullable(secrets.getSecretValue(r -> r.secretId(secretId).versionStage(stage)).secretString());
            } catch (ResourceNotFoundException absent) {
                return Optional.empty();
            }
        }
    }
}

package io.hybridci.updater;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.MessageAttribute;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import io.hybridci.aws.config.Adapters;
import io.hybridci.aws.config.AwsClients;
import io.hybridci.aws.config.FunctionConfig;
import io.hybridci.aws.sqs.SqsRejectedMessageQueue;
import io.hybridci.core.port.AgentMessageLedger;
import io.hybridci.core.port.AgentRepository;
import io.hybridci.core.port.CredentialStore;
import io.hybridci.core.port.DeploymentStore;
import io.hybridci.core.port.JobRepository;
import io.hybridci.core.port.LogStore;
import io.hybridci.core.port.RejectedMessageQueue;
import io.hybridci.core.port.SecurityLog;
import io.hybridci.core.updates.AgentMessage;
import io.hybridci.core.updates.AgentMessageSchema;
import io.hybridci.core.updates.AgentUpdates;
import io.hybridci.core.updates.UpdateOutcome;
import io.hybridci.schema.SchemaValidator;
import io.hybridci.topology.EnvironmentNames;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * job-updater: the agents' {@code started}, {@code log}, {@code deploy} and {@code finished} messages from the FIFO
 * queue {@code agent-updates} (group = job id), each checked and applied by core {@link AgentUpdates}.
 * Rejected messages are acknowledged, audited and kept in {@code agent-updates-dlq} ({@link RejectedMessageQueue});
 * only transient failures are retried, with the per-group ordering of {@link FifoBatch}.
 */
public final class JobUpdaterHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    private static final System.Logger LOG = System.getLogger(JobUpdaterHandler.class.getName());

    /** Compiled once per container: schema compilation is the expensive part of validation. */
    private static final AgentMessageSchema SCHEMAS =
            (type, body) -> SchemaValidator.shared().validate(type.schemaName(), body).errors();

    private final AgentUpdates updates;
    private final RejectedMessageQueue rejectedMessages;

    /** Lambda's constructor: the real adapters, built once per container from the environment. */
    public JobUpdaterHandler() {
        this(FunctionConfig.fromEnv(System.getenv()));
    }

    private JobUpdaterHandler(FunctionConfig config) {
        this(AwsClients.from(config), config);
    }

    /** One set of clients for the adapters and the DLQ; its SQS client is built at the first rejection. */
    private JobUpdaterHandler(AwsClients clients, FunctionConfig config) {
        this(Adapters.from(clients, config, Clock.systemUTC()), rejectedMessages(System.getenv(), clients::sqs));
    }

    private JobUpdaterHandler(Adapters aws, RejectedMessageQueue rejectedMessages) {
        this(aws.jobs(), aws.agents(), aws.credentials(), aws.agentMessages(), aws.logs(), aws.security(),
                aws.deployments(), rejectedMessages, Clock.systemUTC());
    }

    /** Tests and the local cloud: the collaborators, in memory or pointed at local engines. */
    public JobUpdaterHandler(JobRepository jobs, AgentRepository agents, CredentialStore credentials,
                             AgentMessageLedger ledger, LogStore logs, SecurityLog securityLog,
                             DeploymentStore deployments, RejectedMessageQueue rejectedMessages, Clock clock) {
        this.updates = new AgentUpdates(jobs, agents, credentials, ledger, logs, securityLog, SCHEMAS, deployments,
                clock);
        this.rejectedMessages = Objects.requireNonNull(rejectedMessages, "rejectedMessages");
    }

    /**
     * {@code agent-updates-dlq} from {@link EnvironmentNames#AGENT_UPDATES_DLQ_QUEUE_URL}, its SQS client built at the
     * first rejection (the local cloud passes its shared client the same way).
     */
    public static RejectedMessageQueue rejectedMessages(Map<String, String> env, Supplier<SqsClient> sqs) {
        String url = FunctionConfig.require(Optional.ofNullable(env.get(EnvironmentNames.AGENT_UPDATES_DLQ_QUEUE_URL))
                .filter(value -> !value.isBlank()), EnvironmentNames.AGENT_UPDATES_DLQ_QUEUE_URL);
        return new SqsRejectedMessageQueue(sqs, url);
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return FifoBatch.process(event.getRecords(), this::handle);
    }

    /**
     * True when the message is done with. A rejected one is kept in the DLQ first; if that fails it is delivered
     * again (the rejection is recorded idempotently, the DLQ copy de-duplicated by message id), so a poison message
     * is never acknowledged without being kept.
     */
    private boolean handle(SQSMessage sqsMessage) {
        AgentMessage message = toAgentMessage(sqsMessage);
        UpdateOutcome outcome = updates.handle(message);
        if (outcome instanceof UpdateOutcome.Rejected rejected) {
            try {
                rejectedMessages.keep(message, rejected.code(), rejected.detail());
            } catch (RuntimeException unavailable) {
                LOG.log(System.Logger.Level.WARNING, "rejected agent message " + message.sqsMessageId()
                        + " could not be kept in the dead-letter queue; SQS will deliver it again: " + unavailable);
                return false;
            }
        }
        return outcome.disposition() == UpdateOutcome.Disposition.ACK;
    }

    private static AgentMessage toAgentMessage(SQSMessage message) {
        Map<String, MessageAttribute> attributes = message.getMessageAttributes() == null
                ? Map.of() : message.getMessageAttributes();
        return new AgentMessage(message.getMessageId(), message.getBody() == null ? "" : message.getBody(),
                stringAttribute(attributes, AgentMessage.TIMESTAMP_ATTRIBUTE),
                stringAttribute(attributes, AgentMessage.SIGNATURE_ATTRIBUTE), sentAt(message));
    }

    /** SQS's own SentTimestamp (epoch millis), which the sender cannot choose. */
    private static Instant sentAt(SQSMessage message) {
        String millis = message.getAttributes() == null ? null : message.getAttributes().get("SentTimestamp");
        if (millis == null) {
            return null;
        }
        try {
            return Instant.ofEpochMilli(Long.parseLong(millis));
        } catch (NumberFormatException unreadable) {
            return null;
        }
    }

    private static String stringAttribute(Map<String, MessageAttribute> attributes, String name) {
        MessageAttribute attribute = attributes.get(name);
        return attribute == null ? null : attribute.getStringValue();
    }
}

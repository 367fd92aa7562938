package io.hybridci.updater;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.MessageAttribute;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import io.hybridci.aws.config.Adapters;
import io.hybridci.core.port.AgentMessageLedger;
import io.hybridci.core.port.AgentRepository;
import io.hybridci.core.port.CredentialStore;
import io.hybridci.core.port.DeploymentStore;
import io.hybridci.core.port.JobRepository;
import io.hybridci.core.port.LogStore;
import io.hybridci.core.port.SecurityLog;
import io.hybridci.core.updates.AgentMessage;
import io.hybridci.core.updates.AgentMessageSchema;
import io.hybridci.core.updates.AgentUpdates;
import io.hybridci.core.updates.UpdateOutcome;
import io.hybridci.schema.SchemaValidator;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * job-updater: the agents' {@code started}, {@code log}, {@code deploy} and {@code finished} messages from the FIFO
 * queue {@code agent-updates} (group = job id), each checked and applied by core {@link AgentUpdates}.
 * Rejected messages are acknowledged (and audited); only transient failures are retried, with the
 * per-group ordering of {@link FifoBatch}.
 */
public final class JobUpdaterHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    /** Compiled once per container: schema compilation is the expensive part of validation. */
    private static final AgentMessageSchema SCHEMAS =
            (type, body) -> SchemaValidator.shared().validate(type.schemaName(), body).errors();

    private final AgentUpdates updates;

    /** Lambda's constructor: the real adapters, built once per container from the environment. */
    public JobUpdaterHandler() {
        this(Adapters.fromEnvironment(System.getenv()));
    }

    private JobUpdaterHandler(Adapters aws) {
        this(aws.jobs(), aws.agents(), aws.credentials(), aws.agentMessages(), aws.logs(), aws.security(),
                aws.deployments(), Clock.systemUTC());
    }

    /** Tests and the local cloud: the collaborators, in memory or pointed at local engines. */
    public JobUpdaterHandler(JobRepository jobs, AgentRepository agents, CredentialStore credentials,
                             AgentMessageLedger ledger, LogStore logs, SecurityLog securityLog, Clock clock) {
        this.updates = new AgentUpdates(jobs, agents, credentials, ledger, logs, securityLog, SCHEMAS, clock);
    }

    /** As above, with the environments and deployments the {@code deploy} messages drive. */
    public JobUpdaterHandler(JobRepository jobs, AgentRepository agents, CredentialStore credentials,
                             AgentMessageLedger ledger, LogStore logs, SecurityLog securityLog,
                             DeploymentStore deployments, Clock clock) {
        this.updates = new AgentUpdates(jobs, agents, credentials, ledger, logs, securityLog, SCHEMAS, deployments,
                clock);
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return FifoBatch.process(event.getRecords(), message ->
                updates.handle(toAgentMessage(message)).disposition() == UpdateOutcome.Disposition.ACK);
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

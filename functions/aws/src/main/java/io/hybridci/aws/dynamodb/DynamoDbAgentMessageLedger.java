package io.hybridci.aws.dynamodb;

import io.hybridci.core.port.AgentMessageLedger;
import java.time.Instant;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@link AgentMessageLedger} as {@code AGENTMSG#<jobId>} / {@code <seq, 10 digits>} items. A lost
 * put is answered by a consistent read of the winner: the same SQS message id is a re-delivery,
 * another one a replay of the signed body.
 */
public final class DynamoDbAgentMessageLedger implements AgentMessageLedger {

    private final DynamoDbClient dynamo;
    private final String table;
    private final String actor;

    /** @param actor who records, e.g. {@code system:job-updater} */
    public DynamoDbAgentMessageLedger(DynamoDbClient dynamo, String stateTable, String actor) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(stateTable, "stateTable");
        this.actor = Objects.requireNonNull(actor, "actor");
    }

    @Override
    public Outcome record(String jobId, long seq, String sqsMessageId, Instant at, Instant forgetAt) {
        String pk = "AGENTMSG#" + jobId;
        String sk = String.format("%010d", seq);
        var item = StateItems.item(pk, sk, EntityType.AGENT_MESSAGE, 1, at, actor);
        item.put("jobId", Attributes.s(jobId));
        item.put("seq", Attributes.n(seq));
        item.put("sqsMessageId", Attributes.s(sqsMessageId));
        Attributes.putEpochSeconds(item, StateItems.EXPIRES_AT, forgetAt);
        if (Tables.putIfAbsent(dynamo, table, item, StateItems.PK)) {
            return Outcome.FIRST;
        }
        String first = Tables.get(dynamo, table, StateItems.key(pk, sk))
                .map(stored -> Attributes.string(stored, "sqsMessageId")).orElse(null);
        return sqsMessageId.equals(first) ? Outcome.REDELIVERY : Outcome.REPLAY;
    }
}

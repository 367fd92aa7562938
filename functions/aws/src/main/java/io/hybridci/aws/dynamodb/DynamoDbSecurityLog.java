package io.hybridci.aws.dynamodb;

import io.hybridci.core.port.SecurityLog;
import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@link SecurityLog} as {@code REJECTION#<id>} items on the {@code state} table: the stream
 * carries them to the audit-writer, which chains them like every other change. Kept 90 days.
 */
public final class DynamoDbSecurityLog implements SecurityLog {
    /** How long a rejection item stays in the state table; its audit record stays for good. */
    public static final Duration RETENTION = Duration.ofDays(90);
    private static final String SK_VALUE = "REJECTION";

    private final DynamoDbClient dynamo;
    private final String table;
    private final String writer;

    /** @param writer the function that refuses, e.g. {@code system:job-updater} ({@code lastActor}) */
    public DynamoDbSecurityLog(DynamoDbClient dynamo, String stateTable, String writer) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(stateTable, "stateTable");
        this.writer = Objects.requireNonNull(writer, "writer");
    }

    @Override
    public void reject(Rejection rejection) {
        var item = StateItems.item("REJECTION#" + rejection.id(), SK_VALUE, EntityType.REJECTION, 1, rejection.at(), writer);
        item.put("id", Attributes.s(rejection.id()));
        Attributes.putString(item, "subject", rejection.subject());
        Attributes.putString(item, "reason", rejection.reason());
        Attributes.putString(item, "actor", rejection.actor());
        Attributes.putString(item, "detail", rejection.detail());
        item.put("at", Attributes.s(rejection.at().toString()));
        Attributes.putEpochSeconds(item, StateItems.EXPIRES_AT, rejection.at().plus(RETENTION));
        // A re-delivered rejection (same id) is recorded once: the losing put is the idempotent outcome.
        Tables.putIfAbsent(dynamo, table, item, StateItems.PK);
    }
}

package io.hybridci.local.engine.dynamodb;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * DynamoDB's Time to Live for dynalite, which has none: deletes items whose TTL attribute (a number of
 * epoch seconds) lies in the past.
 *
 * <p>Deletes go through the stream-capturing client with {@link StreamCapture#TIME_TO_LIVE_DELETE} set, so
 * they appear as REMOVE records marked as made by the service, as AWS marks TTL deletions. Each delete is
 * conditional on the item still being expired, so an item whose TTL was pushed forward meanwhile survives.
 * Unlike AWS (which deletes within days of expiry, and readers must filter), this deletes on each sweep.
 */
public final class TtlSweeper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TtlSweeper.class);

    private final DynamoDbClient capturingClient;
    private final Clock clock;
    private final Map<String, String> ttlAttributeByTable = new HashMap<>();
    private ScheduledExecutorService scheduler;

    /**
     * @param capturingClient the client carrying {@link StreamCapture}, so deletions reach the stream
     * @param clock           tells what "now" is; tests move it
     */
    public TtlSweeper(DynamoDbClient capturingClient, Clock clock) {
        this.capturingClient = capturingClient;
        this.clock = clock;
    }

    /** Enables TTL on {@code table} with {@code attributeName}, as UpdateTimeToLive would. */
    public synchronized TtlSweeper enable(String table, String attributeName) {
        ttlAttributeByTable.put(table, attributeName);
        return this;
    }

    /** Deletes every expired item now; returns how many were deleted. */
    public synchronized int sweepOnce() {
        long now = clock.instant().getEpochSecond();
        int deleted = 0;
        for (Map.Entry<String, String> entry : ttlAttributeByTable.entrySet()) {
            deleted += sweep(entry.getKey(), entry.getValue(), now);
        }
        return deleted;
    }

    /** Sweeps every {@code interval} on a daemon thread until {@link #close()}. */
    public synchronized void startSweeping(Duration interval) {
        if (scheduler != null) {
            throw new IllegalStateException("already sweeping");
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ttl-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                sweepOnce();
            } catch (RuntimeException e) {
                // A failed sweep (dynalite restarting, say) is retried on the next tick; do not kill the schedule.
                LOG.warn("TTL sweep failed, retrying in {}", interval, e);
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    private int sweep(String table, String attribute, long now) {
        List<String> keyNames = capturingClient.describeTable(d -> d.tableName(table)).table().keySchema().stream()
                .map(KeySchemaElement::attributeName).toList();
        Map<String, String> names = Map.of("#ttl", attribute);
        Map<String, AttributeValue> values = Map.of(":now", AttributeValue.fromN(Long.toString(now)));
        int deleted = 0;
        Map<String, AttributeValue> startKey = null;
        do {
            ScanRequest.Builder scan = ScanRequest.builder().tableName(table).consistentRead(true)
                    .filterExpression("#ttl < :now").expressionAttributeNames(names).expressionAttributeValues(values);
            if (startKey != null) {
                scan.exclusiveStartKey(startKey);
            }
            ScanResponse page = capturingClient.scan(scan.build());
            for (Map<String, AttributeValue> item : page.items()) {
                Map<String, AttributeValue> key = new HashMap<>();
                keyNames.forEach(name -> key.put(name, item.get(name)));
                try {
                    capturingClient.deleteItem(delete -> delete.tableName(table).key(key)
                            .conditionExpression("#ttl < :now").expressionAttributeNames(names)
                            .expressionAttributeValues(values)
                            .overrideConfiguration(o -> o.putExecutionAttribute(StreamCapture.TIME_TO_LIVE_DELETE, true)));
                    deleted++;
                } catch (ConditionalCheckFailedException refreshed) {
                    // The item's TTL moved forward since the scan: it is not expired any more.
                }
            }
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null);
        return deleted;
    }
}

package io.hybridci.local.engine.dynamodb;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * DynamoDB Streams for dynalite, which has none: an SDK interceptor that turns every write made through
 * the intercepted client into stream records ({@code NEW_AND_OLD_IMAGES}).
 *
 * <p>For PutItem, UpdateItem, DeleteItem and BatchWriteItem on a table {@linkplain #enableStream enabled}
 * here, it takes the table's lock, reads each touched item before the write and again after it (GetItem
 * with ConsistentRead through a separate, non-intercepted {@code reader} client on the same endpoint),
 * releases the lock, and appends INSERT, MODIFY or REMOVE when the images differ. Comparing images rather
 * than trusting the response is what makes a failed conditional write, an unprocessed batch item, or a
 * write that leaves an item unchanged produce no record, as in AWS.
 *
 * <p>Limits, by construction:
 * <ul>
 *   <li>Only writes through a client carrying this interceptor are seen; a write by another client or
 *       process (the AWS CLI, a second JVM) leaves no record.</li>
 *   <li>Writes to one streaming table are serialized in this JVM and each costs two extra reads per item.</li>
 *   <li>TransactWriteItems and PartiQL are not captured (dynalite supports neither).</li>
 * </ul>
 */
public final class StreamCapture implements ExecutionInterceptor {

    /**
     * Put this attribute ({@code true}) on a request's override configuration to mark the resulting
     * records as deletions by TTL, as {@link TtlSweeper} does.
     */
    public static final ExecutionAttribute<Boolean> TIME_TO_LIVE_DELETE = new ExecutionAttribute<>("HybridCiTtlDelete");

    private static final ExecutionAttribute<PendingWrite> PENDING = new ExecutionAttribute<>("HybridCiStreamPending");

    private final DynamoDbClient reader;
    private final Path directory;
    private final ConcurrentMap<String, StreamLog> logs = new ConcurrentHashMap<>();
    // A semaphore rather than a lock: an async client may finish a call on another thread than it began.
    private final ConcurrentMap<String, Semaphore> tableLocks = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, List<String>> keyAttributes = new ConcurrentHashMap<>();

    /**
     * @param reader    a client on the same endpoint WITHOUT this interceptor, used for the image reads
     * @param directory where the per-table stream logs live (e.g. {@code <data>/streams})
     */
    public StreamCapture(DynamoDbClient reader, Path directory) {
        this.reader = reader;
        this.directory = directory;
    }

    /** Turns the stream on for {@code tableName} (idempotent) and returns its log, reopened if it exists. */
    public StreamLog enableStream(String tableName) {
        return logs.computeIfAbsent(tableName, name -> {
            tableLocks.putIfAbsent(name, new Semaphore(1));
            return StreamLog.open(directory, name);
        });
    }

    /** The log of a streaming table, empty if the stream was not enabled. */
    public Optional<StreamLog> log(String tableName) {
        return Optional.ofNullable(logs.get(tableName));
    }

    /** The tables whose writes are captured. */
    public Set<String> streamingTables() {
        return Set.copyOf(logs.keySet());
    }

    /** Closes every log. */
    public void close() {
        logs.values().forEach(StreamLog::close);
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        List<TouchedItem> touched = touchedItems(context.request());
        if (touched.isEmpty()) {
            return;
        }
        // Lock tables in name order, so two batch writes over the same tables cannot deadlock.
        Set<String> tables = new TreeSet<>();
        touched.forEach(item -> tables.add(item.table()));
        List<Semaphore> held = new ArrayList<>();
        try {
            for (String table : tables) {
                Semaphore lock = tableLocks.get(table);
                lock.acquireUninterruptibly();
                held.add(lock);
            }
            List<ImageBefore> before = new ArrayList<>();
            for (TouchedItem item : touched) {
                before.add(new ImageBefore(item, currentImage(item)));
            }
            boolean byTtl = Boolean.TRUE.equals(attributes.getAttribute(TIME_TO_LIVE_DELETE));
            attributes.putAttribute(PENDING, new PendingWrite(before, held, byTtl, new AtomicBoolean()));
        } catch (RuntimeException e) {
            held.reversed().forEach(Semaphore::release);
            throw e;
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        finish(attributes);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        // A failure may still have changed the item (e.g. a timeout after the server applied the write):
        // comparing images tells, and a failed condition simply shows no difference.
        finish(attributes);
    }

    private void finish(ExecutionAttributes attributes) {
        PendingWrite pending = attributes.getAttribute(PENDING);
        if (pending == null || !pending.finished().compareAndSet(false, true)) {
            return;
        }
        try {
            for (ImageBefore before : pending.before()) {
                Map<String, AttributeValue> after = currentImage(before.item());
                Optional<StreamEventName> change = change(before.image(), after);
                if (change.isPresent()) {
                    logs.get(before.item().table()).append(change.get(), before.item().key(), before.image(), after,
                            pending.byTimeToLive() && change.get() == StreamEventName.REMOVE);
                }
            }
        } finally {
            pending.held().reversed().forEach(Semaphore::release);
        }
    }

    static Optional<StreamEventName> change(Map<String, AttributeValue> before, Map<String, AttributeValue> after) {
        if (before.isEmpty() && after.isEmpty() || before.equals(after)) {
            return Optional.empty();
        }
        if (before.isEmpty()) {
            return Optional.of(StreamEventName.INSERT);
        }
        return Optional.of(after.isEmpty() ? StreamEventName.REMOVE : StreamEventName.MODIFY);
    }

    private Map<String, AttributeValue> currentImage(TouchedItem item) {
        var response = reader.getItem(get -> get.tableName(item.table()).key(item.key()).consistentRead(true));
        return response.hasItem() ? response.item() : Map.of();
    }

    private List<TouchedItem> touchedItems(SdkRequest request) {
        List<TouchedItem> touched = new ArrayList<>();
        switch (request) {
            case PutItemRequest put when logs.containsKey(put.tableName()) ->
                    keyOf(put.tableName(), put.item()).ifPresent(key -> touched.add(new TouchedItem(put.tableName(), key)));
            case UpdateItemRequest update when logs.containsKey(update.tableName()) ->
                    touched.add(new TouchedItem(update.tableName(), update.key()));
            case DeleteItemRequest delete when logs.containsKey(delete.tableName()) ->
                    touched.add(new TouchedItem(delete.tableName(), delete.key()));
            case BatchWriteItemRequest batch -> batch.requestItems().forEach((table, writes) -> {
                if (logs.containsKey(table)) {
                    for (WriteRequest write : writes) {
                        Optional<Map<String, AttributeValue>> key = write.putRequest() != null
                                ? keyOf(table, write.putRequest().item())
                                : Optional.ofNullable(write.deleteRequest()).map(d -> d.key());
                        key.ifPresent(k -> touched.add(new TouchedItem(table, k)));
                    }
                }
            });
            default -> {
                // reads, table operations and writes to tables without a stream: nothing to capture
            }
        }
        return touched.stream().distinct().sorted(Comparator.comparing(TouchedItem::table)).toList();
    }

    private Optional<Map<String, AttributeValue>> keyOf(String table, Map<String, AttributeValue> item) {
        List<String> names;
        try {
            names = keyAttributes.computeIfAbsent(table, t -> reader.describeTable(d -> d.tableName(t)).table()
                    .keySchema().stream().map(KeySchemaElement::attributeName).toList());
        } catch (ResourceNotFoundException missingTable) {
            return Optional.empty(); // the write itself will fail with the same error
        }
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        for (String name : names) {
            if (!item.containsKey(name)) {
                return Optional.empty(); // an invalid put that DynamoDB rejects
            }
            key.put(name, item.get(name));
        }
        return Optional.of(key);
    }

    private record TouchedItem(String table, Map<String, AttributeValue> key) {
    }

    private record ImageBefore(TouchedItem item, Map<String, AttributeValue> image) {
    }

    private record PendingWrite(List<ImageBefore> before, List<Semaphore> held, boolean byTimeToLive,
            AtomicBoolean finished) {
    }
}

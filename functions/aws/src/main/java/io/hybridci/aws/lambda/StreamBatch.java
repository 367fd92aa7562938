package io.hybridci.aws.lambda;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Processes a DynamoDB stream batch record by record and builds the partial batch response.
 *
 * <p>Records of one shard are changes of the same items in write order, and the reaction to a
 * later change assumes the earlier ones were handled. So processing stops at the first failure,
 * and that record and every later one are reported failed. Lambda checkpoints at the lowest
 * reported sequence number and re-delivers from there
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html);
 * listing the later ones too says plainly that they were not processed.
 */
public final class StreamBatch {

    private static final System.Logger LOG = System.getLogger(StreamBatch.class.getName());

    private StreamBatch() {
    }

    /** Runs {@code handler} on each record in order; the first failure ends the batch (see above). */
    public static StreamsEventResponse process(DynamodbEvent event, Consumer<DynamodbEvent.DynamodbStreamRecord> handler) {
        List<DynamodbEvent.DynamodbStreamRecord> records = event.getRecords() == null ? List.of() : event.getRecords();
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            DynamodbEvent.DynamodbStreamRecord record = records.get(i);
            try {
                handler.accept(record);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "stream record " + record.getEventID() + " failed; it and "
                        + (records.size() - i - 1) + " later record(s) will be retried", e);
                for (DynamodbEvent.DynamodbStreamRecord unprocessed : records.subList(i, records.size())) {
                    failures.add(new StreamsEventResponse.BatchItemFailure(unprocessed.getDynamodb().getSequenceNumber()));
                }
                break;
            }
        }
        return new StreamsEventResponse(failures);
    }
}

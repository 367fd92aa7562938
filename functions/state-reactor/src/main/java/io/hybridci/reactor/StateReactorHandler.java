package io.hybridci.reactor;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.hybridci.aws.dynamodb.EntityType;
import io.hybridci.aws.dynamodb.JobItems;
import io.hybridci.aws.dynamodb.StreamImages;
import io.hybridci.core.job.Job;
import io.hybridci.core.reaction.JobChange;
import io.hybridci.core.reaction.StateReactor;
import java.util.Objects;

/**
 * The state-reactor function: DynamoDB stream of the {@code state} table → {@link StateReactor}
 * for every job item; other items (builds, agents, tokens, ...) are skipped. Returns a partial
 * batch response (see {@link StreamBatch}).
 */
public final class StateReactorHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {

    private final StateReactor reactor;

    /** For tests and the local cloud: the reactor built on whatever adapters the caller chose. */
    public StateReactorHandler(StateReactor reactor) {
        this.reactor = Objects.requireNonNull(reactor, "reactor");
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        return StreamBatch.process(event, this::react);
    }

    private void react(DynamodbEvent.DynamodbStreamRecord record) {
        if (StreamImages.entityType(record).filter(type -> type == EntityType.JOB).isEmpty()) {
            return;
        }
        Job before = StreamImages.oldImage(record).map(JobItems::fromItem).orElse(null);
        Job after = StreamImages.newImage(record).map(JobItems::fromItem).orElse(null);
        reactor.react(new JobChange(record.getEventID(), before, after));
    }
}

package io.hybridci.reactor;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.hybridci.aws.config.AwsClients;
import io.hybridci.aws.config.FunctionConfig;
import io.hybridci.aws.dynamodb.DynamoDbBuildRepository;
import io.hybridci.aws.dynamodb.DynamoDbJobRepository;
import io.hybridci.aws.dynamodb.EntityType;
import io.hybridci.aws.dynamodb.JobItems;
import io.hybridci.aws.dynamodb.StreamImages;
import io.hybridci.aws.eventbridge.EventBridgeEventPublisher;
import io.hybridci.aws.sqs.SqsJobDispatcher;
import io.hybridci.core.job.Job;
import io.hybridci.core.reaction.JobChange;
import io.hybridci.core.reaction.StateReactor;
import io.hybridci.topology.EnvironmentNames;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * The state-reactor function: DynamoDB stream of the {@code state} table → {@link StateReactor}
 * for every job item; other items (builds, agents, tokens, ...) are skipped. Returns a partial
 * batch response (see {@link StreamBatch}).
 */
public final class StateReactorHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {

    private final StateReactor reactor;

    /**
     * For Lambda: the DynamoDB, SQS and EventBridge adapters built from the environment, once per
     * container (clients are built on first use, see {@link AwsClients}).
     */
    public StateReactorHandler() {
        this(fromEnvironment(System.getenv()));
    }

    /** For tests and the local cloud: the reactor built on whatever adapters the caller chose. */
    public StateReactorHandler(StateReactor reactor) {
        this.reactor = Objects.requireNonNull(reactor, "reactor");
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        return StreamBatch.process(event, this::react);
    }

    /** The reactor on the real adapters; fails naming the first missing environment variable. */
    static StateReactor fromEnvironment(Map<String, String> env) {
        FunctionConfig config = FunctionConfig.fromEnv(env);
        AwsClients clients = AwsClients.from(config);
        String stateTable = FunctionConfig.require(config.stateTable(), EnvironmentNames.STATE_TABLE);
        String bus = FunctionConfig.require(config.eventBusName(), EnvironmentNames.EVENT_BUS_NAME);
        return new StateReactor(
                new DynamoDbJobRepository(clients.dynamoDb(), stateTable, config.jobQueueUrls().keySet()),
                new DynamoDbBuildRepository(clients.dynamoDb(), stateTable),
                new SqsJobDispatcher(clients.sqs(), config.jobQueueUrls()),
                new EventBridgeEventPublisher(clients.eventBridge(), bus),
                Clock.systemUTC());
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

package io.hybridci.reactor;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.hybridci.aws.lambda.StreamBatch;
import io.hybridci.aws.config.AwsClients;
import io.hybridci.aws.config.FunctionConfig;
import io.hybridci.aws.dynamodb.DynamoDbBuildRepository;
import io.hybridci.aws.dynamodb.DeploymentItems;
import io.hybridci.aws.dynamodb.DynamoDbConcurrencySlots;
import io.hybridci.aws.dynamodb.DynamoDbDeploymentStore;
import io.hybridci.aws.dynamodb.DynamoDbJobRepository;
import io.hybridci.aws.dynamodb.EntityType;
import io.hybridci.aws.dynamodb.JobItems;
import io.hybridci.aws.dynamodb.StreamImages;
import io.hybridci.aws.eventbridge.EventBridgeEventPublisher;
import io.hybridci.aws.sqs.SqsJobDispatcher;
import io.hybridci.core.build.Build;
import io.hybridci.core.job.Job;
import io.hybridci.core.metrics.ReactionMetrics;
import io.hybridci.core.port.BuildRepository;
import io.hybridci.core.reaction.JobChange;
import io.hybridci.core.reaction.Reaction;
import io.hybridci.core.reaction.StateReactor;
import io.hybridci.topology.EnvironmentNames;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The state-reactor function: DynamoDB stream of the {@code state} table → {@link StateReactor}
 * for every job item, {@link StateReactor#reactToDeployment} for every deployment item; other items (builds,
 * agents, tokens, ...) are skipped. Returns a partial
 * batch response (see {@link StreamBatch}).
 *
 * <p>Metrics: after each reaction the CloudWatch Embedded Metric Format lines of {@link ReactionMetrics}
 * (job duration, queue wait, result; webhook-to-queued for a dispatched bootstrap job) go to stdout,
 * which Lambda ships to CloudWatch Logs, where they become metrics without a PutMetricData call.
 */
public final class StateReactorHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {

    private final StateReactor reactor;
    private final Function<String, Optional<Build>> buildOf;
    private final Consumer<String> metricLines;
    private final Clock clock;

    /**
     * For Lambda: the DynamoDB, SQS and EventBridge adapters built from the environment, once per
     * container (clients are built on first use, see {@link AwsClients}); metric lines to stdout.
     */
    public StateReactorHandler() {
        this(Adapters.fromEnvironment(System.getenv()));
    }

    private StateReactorHandler(Adapters adapters) {
        this(adapters.reactor(), adapters.builds()::find, System.out::println, Clock.systemUTC());
    }

    /**
     * For the local cloud: no metric lines, because every function shares the terminal of
     * {@code ./hybridci up} and {@code GET /api/v1/metrics} serves the same figures there.
     */
    public StateReactorHandler(StateReactor reactor) {
        this(reactor, buildId -> Optional.empty(), line -> { }, Clock.systemUTC());
    }

    /** For tests: the reactor, a build by id (for webhook-to-queued) and where metric lines go. */
    public StateReactorHandler(StateReactor reactor, Function<String, Optional<Build>> buildOf, Consumer<String> metricLines,
                               Clock clock) {
        this.reactor = Objects.requireNonNull(reactor, "reactor");
        this.buildOf = Objects.requireNonNull(buildOf, "buildOf");
        this.metricLines = Objects.requireNonNull(metricLines, "metricLines");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        return StreamBatch.process(event, this::react);
    }

    /** The reactor on the real adapters; fails naming the first missing environment variable. */
    static StateReactor fromEnvironment(Map<String, String> env) {
        return Adapters.fromEnvironment(env).reactor();
    }

    /** The reactor and the build repository it shares with the metrics (one DynamoDB client). */
    private record Adapters(StateReactor reactor, BuildRepository builds) {
        static Adapters fromEnvironment(Map<String, String> env) {
            FunctionConfig config = FunctionConfig.fromEnv(env);
            AwsClients clients = AwsClients.from(config);
            String stateTable = FunctionConfig.require(config.stateTable(), EnvironmentNames.STATE_TABLE);
            String bus = FunctionConfig.require(config.eventBusName(), EnvironmentNames.EVENT_BUS_NAME);
            BuildRepository builds = new DynamoDbBuildRepository(clients.dynamoDb(), stateTable);
            return new Adapters(new StateReactor(
                    new DynamoDbJobRepository(clients.dynamoDb(), stateTable, config.jobQueueUrls().keySet()),
                    builds,
                    new SqsJobDispatcher(clients.sqs(), config.jobQueueUrls(), config.priorityJobQueueUrls()),
                    new EventBridgeEventPublisher(clients.eventBridge(), bus),
                    new DynamoDbConcurrencySlots(clients.dynamoDb(), stateTable, config.systemActor()),
                    new DynamoDbDeploymentStore(clients.dynamoDb(), stateTable),
                    Clock.systemUTC()), builds);
        }
    }

    private void react(DynamodbEvent.DynamodbStreamRecord record) {
        Optional<EntityType> type = StreamImages.entityType(record);
        if (type.filter(entity -> entity == EntityType.DEPLOYMENT).isPresent()) {
            reactor.reactToDeployment(StreamImages.oldImage(record).map(DeploymentItems::deploymentFromItem).orElse(null),
                    StreamImages.newImage(record).map(DeploymentItems::deploymentFromItem).orElse(null));
            return;
        }
        if (type.filter(entity -> entity == EntityType.JOB).isEmpty()) {
            return;
        }
        Job before = StreamImages.oldImage(record).map(JobItems::fromItem).orElse(null);
        Job after = StreamImages.newImage(record).map(JobItems::fromItem).orElse(null);
        JobChange change = new JobChange(record.getEventID(), before, after);
        Reaction reaction = reactor.react(change);
        ReactionMetrics.linesFor(change, reaction, buildOf, clock.instant()).forEach(metricLines);
    }
}

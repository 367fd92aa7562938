package io.hybridci.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.hybridci.local.LocalEnvironment.LocalEndpoints;
import io.hybridci.local.engine.LocalAws;
import io.hybridci.local.engine.dynamodb.Dynalite;
import io.hybridci.local.engine.dynamodb.StreamCapture;
import io.hybridci.local.engine.dynamodb.StreamLog;
import io.hybridci.local.engine.dynamodb.TtlSweeper;
import io.hybridci.local.engine.eventbridge.LocalEventBridge;
import io.hybridci.local.engine.kms.LocalKms;
import io.hybridci.local.engine.secrets.LocalSecretsManager;
import io.hybridci.local.engine.sqs.LocalSqs;
import io.hybridci.local.runtime.HttpGateway;
import io.hybridci.local.runtime.InvocationStats;
import io.hybridci.local.runtime.LocalFunction;
import io.hybridci.local.runtime.OnFailureDestination;
import io.hybridci.local.runtime.ScheduleRunner;
import io.hybridci.local.runtime.SqsEventSourceMapping;
import io.hybridci.local.runtime.StreamEventSourceMapping;
import io.hybridci.local.runtime.StreamLogSource;
import io.hybridci.topology.FunctionSpec;
import io.hybridci.topology.TableSpec;
import io.hybridci.topology.Topology;
import io.hybridci.topology.TopologyCheck;
import io.hybridci.topology.Trigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The whole control plane on one machine: the local engines under one data dir, every function of the
 * topology built through its collaborator constructor on the same SDK clients it uses in AWS (pointed at
 * the engines), and every trigger of the topology wired with AWS semantics.
 *
 * <p>Start-up, in order: lock the data dir; remember the engines' ports; load or create the credentials
 * files; start dynalite and ElasticMQ (in parallel: they are the slow ones), EventBridge, Secrets
 * Manager and KMS; build one client per service (the DynamoDB one carrying {@link StreamCapture}, so the stream
 * consumers see every write); create the tables, queues, bus, rules and secrets that are missing; register
 * the registration token; build the handlers; wire HTTP routes, rule targets, SQS and stream mappings,
 * schedules and the TTL sweeper. {@link #close()} undoes it in reverse.
 */
public final class LocalCloud implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalCloud.class);
    /** Pause before a stream batch is retried: enough to not spin a core, short enough for tests. */
    private static final Duration STREAM_RETRY_DELAY = Duration.ofMillis(200);
    /** How long a stopping cloud lets the bus finish the deliveries it accepted (retries take up to ~21 s). */
    private static final Duration BUS_DRAIN_TIMEOUT = Duration.ofSeconds(30);
    /** How often expired items are deleted (AWS: within days; here soon enough to see it happen). */
    private static final Duration TTL_SWEEP_INTERVAL = Duration.ofMinutes(1);

    private final LocalCloudOptions options;
    private final Topology topology;
    private final LocalCredentials credentials;
    private final Deque<AutoCloseable> toClose;
    private final Clients clients;
    private final Map<String, String> queueUrls;
    private final HttpGateway gateway;
    private final ScheduleRunner schedules;
    private final InvocationStats stats;
    private final Map<String, StreamEventSourceMapping> streamMappings;
    private final TtlSweeper ttlSweeper;
    private final LocalEventBridge eventBridge;

    /** The SDK clients every function shares: one per service, as one Lambda container would hold. */
    public record Clients(DynamoDbClient dynamoDb, SqsClient sqs, EventBridgeClient eventBridge,
                          SecretsManagerClient secretsManager, KmsClient kms) {
    }

    private LocalCloud(Builder built) {
        this.options = built.options;
        this.topology = built.topology;
        this.credentials = built.credentials;
        this.toClose = built.toClose;
        this.clients = built.clients;
        this.queueUrls = Map.copyOf(built.queueUrls);
        this.gateway = built.gateway;
        this.schedules = built.schedules;
        this.stats = built.stats;
        this.streamMappings = Map.copyOf(built.streamMappings);
        this.ttlSweeper = built.ttlSweeper;
        this.eventBridge = built.eventBridge;
    }

    /**
     * Starts a local cloud and returns once its gateway accepts requests.
     *
     * @throws IllegalStateException when the data dir is in use, dynalite is not installed, or the topology
     *                               is inconsistent; everything started so far is stopped again
     */
    public static LocalCloud start(LocalCloudOptions options) {
        Builder builder = new Builder(options);
        try {
            builder.build();
            return new LocalCloud(builder);
        } catch (RuntimeException | Error e) {
            closeAll(builder.toClose);
            throw e;
        }
    }

    /** {@code http://127.0.0.1:<port>}: the gateway (webhooks, API, agent API). */
    public String baseUrl() {
        return gateway.baseUrl();
    }

    /** The gateway's port. */
    public int port() {
        return gateway.port();
    }

    /** The URL GitHub must deliver webhooks to. */
    public String webhookUrl() {
        return baseUrl() + "/webhooks/github";
    }

    public Path dataDir() {
        return options.dataDir();
    }

    public Topology topology() {
        return topology;
    }

    /** The webhook secret, admin token and registration token (also in the data dir's files). */
    public LocalCredentials credentials() {
        return credentials;
    }

    /** The shared SDK clients (tests use them to look at or tamper with what the functions wrote). */
    public Clients clients() {
        return clients;
    }

    /** The URL of the queue with this logical name (e.g. {@code jobs-default}, {@code agent-updates}). */
    public String queueUrl(String logicalName) {
        String url = queueUrls.get(logicalName);
        if (url == null) throw new IllegalArgumentException("no queue " + logicalName + "; known: " + queueUrls.keySet());
        return url;
    }

    /** Invocations per function, so far. */
    public InvocationStats stats() {
        return stats;
    }

    /** Fires the schedule {@code name} of the topology now (e.g. {@code reaper-every-minute}), on this thread. */
    public void triggerNow(String scheduleName) {
        schedules.triggerNow(scheduleName);
    }

    /** Deletes expired items now, as the TTL sweeper does every minute. */
    public int sweepExpiredItems() {
        return ttlSweeper.sweepOnce();
    }

    /**
     * SQS's ApproximateNumberOfMessages of the queue with this logical name (e.g. {@code bus-targets-dlq}): what tests
     * check where the API is beside the point.
     */
    public long approximateMessages(String logicalName) {
        return Long.parseLong(clients.sqs().getQueueAttributes(r -> r.queueUrl(queueUrl(logicalName))
                        .attributeNames(software.amazon.awssdk.services.sqs.model.QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributes().get(software.amazon.awssdk.services.sqs.model.QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    /** Where the consumer {@code functionName} stands in the {@code state} stream (its last checkpoint). */
    public Optional<String> streamPosition(String functionName) {
        StreamEventSourceMapping mapping = streamMappings.get(functionName);
        return mapping == null ? Optional.empty() : mapping.position();
    }

    /** Stops everything, newest first: the gateway stops taking requests before the engines go away. */
    @Override
    public void close() {
        closeAll(toClose);
    }

    private static void closeAll(Deque<AutoCloseable> toClose) {
        while (!toClose.isEmpty()) {
            AutoCloseable closeable = toClose.pop();
            try {
                closeable.close();
            } catch (Exception e) {
                // Keep closing the rest: a half-stopped engine must not keep the others (and their ports) alive.
                LOG.warn("closing {} failed: {}", closeable.getClass().getSimpleName(), e.toString());
            }
        }
    }

    /** Start-up state, collected step by step so a failure can close exactly what was started. */
    private static final class Builder {
        final LocalCloudOptions options;
        final Deque<AutoCloseable> toClose = new ArrayDeque<>();
        final InvocationStats stats = new InvocationStats();
        final Map<String, StreamEventSourceMapping> streamMappings = new LinkedHashMap<>();
        Topology topology;
        LocalCredentials credentials;
        Clients clients;
        Map<String, String> queueUrls;
        HttpGateway gateway;
        ScheduleRunner schedules;
        TtlSweeper ttlSweeper;
        LocalEventBridge eventBridge;
        int gatewayPort;

        Builder(LocalCloudOptions options) {
            this.options = Objects.requireNonNull(options, "options");
        }

        void build() {
            Path data = options.dataDir();
            try {
                Files.createDirectories(data);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create data dir " + data, e);
            }
            toClose.push(DataDirLock.acquire(data));
            topology = Topology.standard(options.agentQueues());
            List<String> problems = TopologyCheck.problems(topology);
            if (!problems.isEmpty()) throw new IllegalStateException("inconsistent topology: " + problems);
            EnginePorts ports = EnginePorts.rememberedIn(data);
            credentials = LocalCredentials.loadOrCreate(data);
            Clock clock = options.clock();

            // dynalite (a node process) and ElasticMQ (Pekko) take a second or two each; start them side by side.
            CompletableFuture<Dynalite> dynaliteStart = CompletableFuture.supplyAsync(
                    () -> Dynalite.start(data.resolve("dynamodb"), options.nodeModulesDir()));
            LocalSqs sqsEngine;
            try {
                sqsEngine = LocalSqs.start(data.resolve("sqs"), ports.sqs());
            } catch (RuntimeException e) {
                dynaliteStart.thenAccept(Dynalite::close);
                throw portHint(e, "SQS", ports.sqs());
            }
            toClose.push(sqsEngine);
            Dynalite dynalite = dynaliteStart.join();
            toClose.push(dynalite);
            LocalSecretsManager secretsEngine;
            LocalKms kmsEngine;
            try {
                eventBridge = LocalEventBridge.start(ports.eventBridge(), clock,
                        1 + Topology.RULE_TARGET_RETRY_ATTEMPTS, Duration.ofMillis(200));
                toClose.push(eventBridge);
                secretsEngine = LocalSecretsManager.start(data, ports.secretsManager(), clock);
                toClose.push(secretsEngine);
                // Any free port: only our own clients reach it (rebuilt at every start), and ciphertexts name
                // their key, not the endpoint.
                kmsEngine = LocalKms.start(data, 0, clock);
                toClose.push(kmsEngine);
            } catch (IOException e) {
                throw new IllegalStateException("cannot start a local endpoint (port taken? see " + data.resolve(EnginePorts.FILE_NAME)
                        + "): " + e.getMessage(), e);
            }

            // One client per service. Stream capture reads images through a client of its own, without the
            // interceptor, so its reads are not captured themselves.
            DynamoDbClient reader = LocalAws.pointAt(DynamoDbClient.builder(), dynalite.endpoint()).build();
            toClose.push(reader);
            StreamCapture capture = new StreamCapture(reader, data.resolve("streams"));
            toClose.push(capture::close);
            DynamoDbClient dynamoDb = LocalAws.pointAt(DynamoDbClient.builder(), dynalite.endpoint())
                    .overrideConfiguration(o -> o.addExecutionInterceptor(capture)).build();
            toClose.push(dynamoDb);
            SqsClient sqs = LocalAws.pointAt(SqsClient.builder(), sqsEngine.endpoint()).build();
            toClose.push(sqs);
            EventBridgeClient events = LocalAws.pointAt(EventBridgeClient.builder(), eventBridge.endpoint()).build();
            toClose.push(events);
            SecretsManagerClient secrets = LocalAws.pointAt(SecretsManagerClient.builder(), secretsEngine.endpoint()).build();
            toClose.push(secrets);
            KmsClient kms = LocalAws.pointAt(KmsClient.builder(), kmsEngine.endpoint()).build();
            toClose.push(kms);
            clients = new Clients(dynamoDb, sqs, events, secrets, kms);

            // What CDK creates in AWS.
            TopologyProvisioner provisioner = new TopologyProvisioner(topology);
            provisioner.createTables(reader);
            for (TableSpec table : topology.tables()) {
                if (table.streamNewAndOldImages()) capture.enableStream(table.name());
            }
            queueUrls = provisioner.createQueues(sqs);
            // Events no rule target took go to bus-targets-dlq, an ElasticMQ queue: kept across restarts, and
            // visible through GET /api/v1/dead-letters like every other DLQ.
            String busDlqUrl = queueUrls.get(Topology.BUS_TARGETS_DLQ);
            String busDlqArn = TopologyProvisioner.queueArn(sqs, busDlqUrl);
            eventBridge.deadLetterSender(new SqsDeadLetterSender(sqs, Map.of(busDlqArn, busDlqUrl)));
            provisioner.createBusAndRules(events, this::functionRuns, busDlqArn);
            provisioner.createSecrets(secrets, LocalSecretValues.initialValues(topology, credentials));
            if (options.github() != null && options.github().token() != null) {
                // The option wins over what an earlier start stored (the placeholder, or an older token).
                secrets.putSecretValue(r -> r.secretId(Topology.GITHUB_TOKEN_SECRET).secretString(options.github().token()));
            }
            String signingKeyArn = LocalSigningKey.ensure(data, kms);

            LocalEnvironment environment = new LocalEnvironment(topology, queueUrls, new LocalEndpoints(
                    dynalite.endpoint().toString(), sqsEngine.endpoint().toString(),
                    eventBridge.endpoint().toString(), secretsEngine.endpoint().toString(), kmsEngine.endpoint().toString()),
                    signingKeyArn, options.functionEnvironment());
            // The gateway's port must be known before github-status is built: its statuses link to the dashboard.
            gatewayPort = options.port() != 0 || options.github() == null ? options.port() : freeLoopbackPort();
            Optional<LocalHandlers.GithubTarget> github = Optional.ofNullable(options.github()).map(feedback ->
                    new LocalHandlers.GithubTarget(feedback.apiUrl(), java.net.URI.create("http://127.0.0.1:" + gatewayPort)));
            LocalHandlers handlers = LocalHandlers.create(clients, environment, clock, github);
            handlers.registerCredentials(credentials);

            wireTriggers(handlers, capture, secretsEngine);

            ttlSweeper = new TtlSweeper(dynamoDb, clock);
            toClose.push(ttlSweeper);
            for (TableSpec table : topology.tables()) {
                table.findTtlAttribute().ifPresent(attribute -> ttlSweeper.enable(table.name(), attribute));
            }
            ttlSweeper.startSweeping(TTL_SWEEP_INTERVAL);
        }

        /** Every function runs here but github-status, which needs a GitHub API URL to report to. */
        private boolean functionRuns(String functionName) {
            return !(functionName.equals(Topology.GITHUB_STATUS) && options.github() == null);
        }

        private void wireTriggers(LocalHandlers handlers, StreamCapture capture, LocalSecretsManager secretsEngine) {
            HttpGateway.Builder routes = HttpGateway.builder().port(gatewayPort);
            if (options.dashboardDir() != null) routes.staticFiles("/", options.dashboardDir());
            // Closed in reverse: the gateway, the mappings and the schedules stop first (nothing new reaches the
            // bus), then the bus delivers what it accepted while the functions' clients and engines still run.
            LocalEventBridge bus = eventBridge;
            if (bus != null) toClose.push(() -> bus.drain(BUS_DRAIN_TIMEOUT));
            schedules = new ScheduleRunner(options.clock(), LocalAws.REGION.id(), LocalAws.ACCOUNT_ID);
            toClose.push(schedules);
            java.util.Set<String> sinkRegistered = new java.util.HashSet<>();
            for (FunctionSpec function : topology.functions()) {
                if (!functionRuns(function.name())) {
                    LOG.info("{}: commit statuses are off (no GitHub API URL given: ./hybridci up --github-api-url URL)",
                            function.name());
                    // Its rules were not put on the bus either (createBusAndRules), so no event waits for it.
                    continue;
                }
                Optional<Object> handler = handlers.handlerFor(function);
                if (handler.isEmpty()) {
                    LOG.warn("{}: no handler on the classpath ({}); its triggers are not wired", function.name(), function.handler());
                    continue;
                }
                LocalFunction.Settings settings = new LocalFunction.Settings(function.name(), function.memoryMb(),
                        Duration.ofSeconds(function.timeoutSeconds()), LocalAws.REGION.id(), LocalAws.ACCOUNT_ID);
                for (Trigger trigger : function.triggers()) {
                    switch (trigger) {
                        case Trigger.HttpRoute route ->
                                routes.route(route.method(), route.path(), localFunction(settings, handler.get(), APIGatewayV2HTTPEvent.class));
                        case Trigger.RuleTrigger _ -> {
                            // One sink per function, whatever number of rules target it (as one Lambda ARN).
                            if (!sinkRegistered.contains(function.name())) {
                                LocalFunction<String, String> target = eventTarget(settings, handler.get());
                                eventBridge.registerSink(function.name(), target::invoke);
                                sinkRegistered.add(function.name());
                            }
                        }
                        case Trigger.SqsTrigger sqsTrigger -> {
                            SqsEventSourceMapping mapping = new SqsEventSourceMapping(clients.sqs(),
                                    SqsEventSourceMapping.Config.of(queueUrls.get(sqsTrigger.queueName()), sqsTrigger.batchSize(),
                                            Duration.ofSeconds(sqsTrigger.maxBatchingWindowSeconds()), sqsTrigger.reportBatchItemFailures()),
                                    localFunction(settings, handler.get(), SQSEvent.class));
                            toClose.push(mapping.start());
                        }
                        case Trigger.StreamTrigger stream -> {
                            StreamLog log = capture.log(stream.tableName()).orElseThrow(() -> new IllegalStateException(
                                    function.name() + " reads the stream of " + stream.tableName() + ", which has none"));
                            StreamEventSourceMapping mapping = new StreamEventSourceMapping(new StreamLogSource(log),
                                    new StreamEventSourceMapping.Config(stream.batchSize(),
                                            StreamEventSourceMapping.StartingPosition.valueOf(stream.startingPosition().name()),
                                            stream.maxRetryAttempts(), stream.bisectOnError(), stream.reportBatchItemFailures(),
                                            STREAM_RETRY_DELAY),
                                    localFunction(settings, handler.get(), DynamodbEvent.class),
                                    OnFailureDestination.sqsQueue(clients.sqs(), queueUrls.get(stream.onFailureQueue())));
                            streamMappings.put(function.name(), mapping);
                            toClose.push(mapping.start());
                        }
                        case Trigger.ScheduleTrigger schedule ->
                                schedules.add(schedule.name(), schedule.expression(), scheduleTarget(settings, handler.get()));
                        case Trigger.RotationTrigger rotation -> handlers.rotationFunction(function, handler.get())
                                .ifPresentOrElse(rotator -> {
                                            secretsEngine.registerRotationFunction(function.name(), rotator);
                                            TopologyProvisioner.scheduleRotation(clients.secretsManager(), rotation, function.name());
                                        },
                                        () -> LOG.warn("{}: cannot rotate {} locally", function.name(), rotation.secretName()));
                    }
                }
            }
            if (options.runSchedules()) schedules.start();
            try {
                gateway = routes.start();
            } catch (IOException e) {
                throw new IllegalStateException("cannot listen on 127.0.0.1:" + options.port()
                        + " (in use? pass --port): " + e.getMessage(), e);
            }
            toClose.push(gateway);
        }

        /**
         * Wraps a handler the way Lambda's runtime would call it for {@code eventType}. The topology names the
         * trigger; the handler class must fit it, which is checked here rather than at the first event.
         */
        @SuppressWarnings("unchecked")
        private <I, O> LocalFunction<I, O> localFunction(LocalFunction.Settings settings, Object handler, Class<I> eventType) {
            if (!(handler instanceof RequestHandler<?, ?> requestHandler)) {
                throw new IllegalStateException(settings.name() + ": " + handler.getClass().getName()
                        + " is not a RequestHandler, but a trigger sends it " + eventType.getSimpleName());
            }
            return new LocalFunction<>(settings, (RequestHandler<I, O>) requestHandler, stats);
        }

        /**
         * An EventBridge target: Lambda hands a {@link RequestStreamHandler} the envelope's JSON bytes, so the
         * local bus does the same; a typed handler would get the envelope as its event class (none exists yet).
         */
        private LocalFunction<String, String> eventTarget(LocalFunction.Settings settings, Object handler) {
            if (!(handler instanceof RequestStreamHandler streamHandler)) {
                throw new IllegalStateException(settings.name() + ": rule targets must be RequestStreamHandlers locally, "
                        + handler.getClass().getName() + " is not");
            }
            return new LocalFunction<>(settings, bytesInBytesOut(streamHandler), stats);
        }

        /** A stream handler as Lambda's runtime calls it: the event's JSON in, the answer's bytes out. */
        private static RequestHandler<String, String> bytesInBytesOut(RequestStreamHandler streamHandler) {
            return (json, context) -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try {
                    streamHandler.handleRequest(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), out, context);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return out.toString(StandardCharsets.UTF_8);
            };
        }

        /**
         * A schedule's target: a typed handler gets the {@link ScheduledEvent}; a {@link RequestStreamHandler}
         * (secret-rotator, which Secrets Manager also invokes) gets its JSON, as Lambda would hand it over.
         */
        private LocalFunction<ScheduledEvent, ?> scheduleTarget(LocalFunction.Settings settings, Object handler) {
            if (!(handler instanceof RequestStreamHandler streamHandler)) {
                return localFunction(settings, handler, ScheduledEvent.class);
            }
            RequestHandler<String, String> asJson = bytesInBytesOut(streamHandler);
            RequestHandler<ScheduledEvent, String> scheduled =
                    (event, context) -> asJson.handleRequest(scheduledEventJson(event), context);
            return new LocalFunction<>(settings, scheduled, stats);
        }

        /** The scheduled event in EventBridge's wire form ({@code detail-type}, ISO time), not the bean's. */
        private static String scheduledEventJson(ScheduledEvent event) {
            com.fasterxml.jackson.databind.node.ObjectNode json = com.fasterxml.jackson.databind.json.JsonMapper.builder().build()
                    .createObjectNode();
            json.put("version", event.getVersion());
            json.put("id", event.getId());
            json.put("detail-type", event.getDetailType());
            json.put("source", event.getSource());
            json.put("account", event.getAccount());
            json.put("time", java.time.Instant.ofEpochMilli(event.getTime().getMillis()).toString());
            json.put("region", event.getRegion());
            event.getResources().forEach(json.putArray("resources")::add);
            json.putObject("detail");
            return json.toString();
        }

        /**
         * A port free on loopback right now, for a gateway asked to pick one (port 0) whose URL must be known
         * before it starts; the short gap before the gateway binds it is acceptable for tests and demos.
         */
        private static int freeLoopbackPort() {
            try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException("no free port on 127.0.0.1", e);
            }
        }

        private static RuntimeException portHint(RuntimeException e, String engine, int port) {
            return new IllegalStateException("cannot start the local " + engine + " on 127.0.0.1:" + port
                    + " (another process on that port? the port is remembered in ports.properties of the data dir): "
                    + e.getMessage(), e);
        }
    }
}

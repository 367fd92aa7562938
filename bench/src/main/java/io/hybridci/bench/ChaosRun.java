package io.hybridci.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridci.core.build.BuildIds;
import io.hybridci.core.deadletter.DeadLetters;
import io.hybridci.local.DemoRepository;
import io.hybridci.local.LocalCloud;
import io.hybridci.local.MutableClock;
import io.hybridci.local.LocalCloudOptions;
import io.hybridci.local.engine.LocalAws;
import io.hybridci.topology.Topology;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./hybridci chaos}: N builds through a local cloud (in this JVM) and real agent processes while agents
 * are SIGKILLed and replaced, the control plane is stopped and started again on the same data dir, SQS delivers
 * a fraction of messages twice ({@link DuplicateDeliveries}), GitHub re-delivers a fraction of webhooks (same
 * {@code X-GitHub-Delivery}), and poison messages are injected on the agent-updates queue and the event bus.
 * Then it checks what must hold (docs/RELIABILITY.md) and reports every count.
 *
 * <p>Time: a killed agent is found LOST by the reaper after three minutes of silence. The run does not wait
 * them out: the cloud's clock is real time plus an offset, and a "reap round" moves the offset 3.5 minutes
 * forward, waits until every live agent has pinged on the moved clock (pings come every 10 s), then fires the
 * reaper's schedule. Agent message timestamps are judged against SQS's own send time, not this clock.
 */
final class ChaosRun {

    /** The command line, checked. */
    record Options(int builds, int agents, long seed, int kills, int restarts, double duplicateFraction,
                   double redeliveryFraction, int poisonPerKind, int minutes, Path json) {
        Options {
            if (builds < 1 || agents < 1 || minutes < 1) throw new IllegalArgumentException("--builds, --agents and --minutes must be ≥ 1");
            if (kills < 0 || restarts < 0 || poisonPerKind < 0) throw new IllegalArgumentException("--kills, --restarts and --poison must be ≥ 0");
            if (duplicateFraction < 0 || duplicateFraction > 1 || redeliveryFraction < 0 || redeliveryFraction > 1) {
                throw new IllegalArgumentException("fractions must be 0..1");
            }
        }

        static final String USAGE = "usage: ./hybridci chaos [--builds N (1000)] [--agents N (3)] [--seed S] [--kills N (builds/100, at least 1)]"
                + " [--restarts N (2)] [--duplicates F (0.1)] [--redeliveries F (0.1)] [--poison N per kind (2)] [--minutes M (90)] [--json FILE]";

        static Options parse(String[] args) {
            Map<String, String> values = new HashMap<>();
            for (int i = 0; i < args.length; i += 2) {
                if (!args[i].startsWith("--")) throw new IllegalArgumentException("unexpected argument " + args[i]);
                if (i + 1 >= args.length) throw new IllegalArgumentException(args[i] + " needs a value");
                values.put(args[i].substring(2), args[i + 1]);
            }
            Set<String> known = Set.of("builds", "agents", "seed", "kills", "restarts", "duplicates", "redeliveries", "poison", "minutes", "json");
            for (String key : values.keySet()) if (!known.contains(key)) throw new IllegalArgumentException("unknown option --" + key);
            int builds = Integer.parseInt(values.getOrDefault("builds", "1000"));
            return new Options(builds, Integer.parseInt(values.getOrDefault("agents", "3")),
                    Long.parseLong(values.getOrDefault("seed", Long.toString(System.currentTimeMillis()))),
                    Integer.parseInt(values.getOrDefault("kills", Integer.toString(Math.max(1, builds / 100)))),
                    Integer.parseInt(values.getOrDefault("restarts", "2")),
                    Double.parseDouble(values.getOrDefault("duplicates", "0.1")),
                    Double.parseDouble(values.getOrDefault("redeliveries", "0.1")),
                    Integer.parseInt(values.getOrDefault("poison", "2")),
                    Integer.parseInt(values.getOrDefault("minutes", "90")),
                    Path.of(values.getOrDefault("json", "chaos.json")));
        }
    }

    /** One property checked at the end. */
    record Check(String name, boolean ok, String detail) {}

    /** Everything the run did and found. */
    record Report(Options options, Map<String, Object> faults, Map<String, Object> counts, List<Check> checks,
                  double seconds, boolean passed) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TERMINAL_BUILD = Set.of("PASSED", "FAILED", "CANCELED");
    private static final Set<String> TERMINAL_JOB = Set.of("PASSED", "FAILED", "CANCELED", "TIMED_OUT", "EXPIRED", "SKIPPED");
    private static final Duration REAP_ADVANCE = Duration.ofMinutes(3).plusSeconds(30);
    /** Longer than the agents' ping interval (10 s): every live agent has pinged on the moved clock. */
    private static final Duration PINGS_AFTER_ADVANCE = Duration.ofSeconds(12);
    private static final Duration STALL = Duration.ofSeconds(20);
    private static final Duration DRAIN = Duration.ofMinutes(5);
    /** How long the check waits for poison bus events to exhaust their retries (about 21 s) and be dead-lettered. */
    private static final Duration BUS_DEAD_LETTER_WAIT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Options options;
    private final Random random;
    private final Path dir;
    private final MutableClock clock = new MutableClock();
    private final LocalCloudOptions cloudOptions;
    private final Map<String, Object> faults = new LinkedHashMap<>();
    private final List<String> poisonAgentMessageIds = new ArrayList<>();
    private final List<String> poisonBusEventIds = new ArrayList<>();
    /** The unique marker in the body of each poison message put on the job queue. */
    private final List<String> poisonJobMarkers = new ArrayList<>();
    private LocalCloud cloud;
    private String webhookSecret;
    private String adminToken;

    private ChaosRun(Options options, Path dir) {
        this.options = options;
        this.random = new Random(options.seed());
        this.dir = dir;
        this.cloudOptions = new LocalCloudOptions(dir.resolve("cloud"), freePort(), clock, List.of("default"), BenchCloud.nodeModules(),
                false, null);
    }

    /** Runs the whole thing in a fresh temp dir; never throws for a failed check (the report says). */
    static Report run(Options options) throws Exception {
        Path dir = Files.createTempDirectory("hybridci-chaos-");
        try {
            return new ChaosRun(options, dir).execute();
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                System.err.println("chaos: could not delete " + dir + ": " + e);
            }
        }
    }

    private Report execute() throws Exception {
        long started = System.nanoTime();
        DuplicateDeliveries.enable(options.duplicateFraction(), options.seed());
        // The driver's sends must not be recorded as dispatches to double (DuplicateDeliveries skips "chaos-" threads).
        String threadName = Thread.currentThread().getName();
        Thread.currentThread().setName("chaos-driver");
        Path markers = Files.createDirectories(dir.resolve("markers"));
        cloud = LocalCloud.start(cloudOptions);
        webhookSecret = cloud.credentials().webhookSecret();
        adminToken = cloud.credentials().adminToken();
        try (DemoRepository repo = DemoRepository.commitAndServe(dir.resolve("repo"));
             AgentFleet fleet = new AgentFleet(cloud.baseUrl(), cloud.credentials().registrationToken(), dir.resolve("agents"), BenchCloud.home());
             SqsClient sqs = LocalAws.pointAt(SqsClient.builder(), URI.create(sqsEndpoint())).build()) {
            String commit = commitChaosPipeline(repo.dir(), markers);
            for (int i = 0; i < options.agents(); i++) fleet.startOne();
            Map<String, Object> counts = drive(fleet, repo.cloneUrl(), commit, sqs);
            List<Check> checks = check(fleet, markers, counts);
            boolean passed = checks.stream().allMatch(Check::ok);
            if (!passed) System.err.println("chaos: a check failed; agents' last lines:" + fleet.tails(15));
            faults.put("agentsKilled", fleet.killed());
            faults.put("agentsStarted", fleet.started());
            faults.put("esmReceivesDoubled", DuplicateDeliveries.doubledReceives());
            faults.put("esmMessagesRedelivered", DuplicateDeliveries.redeliveredMessages());
            faults.put("dispatchesSentTwice", DuplicateDeliveries.dispatchesRecorded());
            return new Report(options, faults, counts, checks, (System.nanoTime() - started) / 1e9, passed);
        } finally {
            DuplicateDeliveries.disable();
            Thread.currentThread().setName(threadName);
            if (cloud != null) cloud.close();
        }
    }

    /** A commit whose pipeline is one step that leaves a line in a marker file named by its job id, per run of it. */
    private static String commitChaosPipeline(Path repo, Path markers) {
        String pipeline = "steps:\n  - key: work\n    command: 'echo \"$HYBRIDCI_JOB_ATTEMPT\" >> \"" + markers + "/$HYBRIDCI_JOB_ID\"; sleep 0.3'\n";
        try {
            Files.writeString(repo.resolve(".hybridci/pipeline.yml"), pipeline);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        git(repo, "add", "--all");
        git(repo, "-c", "user.name=chaos", "-c", "user.email=chaos@example.com", "-c", "commit.gpgsign=false", "commit", "-q", "-m", "chaos");
        git(repo, "update-server-info");
        return git(repo, "rev-parse", "HEAD");
    }

    /** Pushes every build, injecting the faults on the way, until every build is terminal or time is up. */
    private Map<String, Object> drive(AgentFleet fleet, String cloneUrl, String commit, SqsClient sqs) throws Exception {
        int n = options.builds();
        Set<Integer> killAt = new HashSet<>();
        while (killAt.size() < Math.min(options.kills(), n)) killAt.add((int) (n * 0.05) + random.nextInt(Math.max(1, (int) (n * 0.9))));
        List<Integer> restartAt = new ArrayList<>();
        for (int r = 1; r <= options.restarts(); r++) restartAt.add(n * r / (options.restarts() + 1));
        // Soon after the last restart, so no restart's bus drain (at most 30 s) races the poison's ~21 s of retries. Dead
        // letters themselves survive restarts now (bus-targets-dlq is an ElasticMQ queue; local DeadLettersIT checks it).
        int busPoisonAt = options.restarts() == 0 ? n / 2 : Math.min(n - 1, restartAt.getLast() + Math.max(1, Math.min(10, n / 20)));

        Set<String> pending = new LinkedHashSet<>();
        List<String> buildIds = new ArrayList<>();
        List<String[]> toRedeliver = new ArrayList<>();  // {delivery, body}
        int webhooksRejected = 0, redelivered = 0, redeliveriesAnsweredDuplicate = 0, restarts = 0, reapRounds = 0, stallReaps = 0;
        int maxInFlight = options.agents() * 2;
        // Pushing stops at --minutes; the builds in flight then get up to DRAIN more to end (a build cut off by
        // the time limit is not a failure of the control plane, one that does not end while draining is).
        long pushDeadline = System.nanoTime() + Duration.ofMinutes(options.minutes()).toNanos();
        long deadline = pushDeadline + DRAIN.toNanos();
        long lastProgress = System.nanoTime();
        long lastPoll = 0;
        Instant reapAt = null;
        boolean agentsKilledSinceReap = false;
        int pushed = 0;
        while (System.nanoTime() < deadline && (pushing(pushed, n, pushDeadline) || !pending.isEmpty())) {
            // 1. Push while there is room: a signed push of a new delivery; some are re-delivered later.
            while (pushed < n && pending.size() < maxInFlight && System.nanoTime() < pushDeadline) {
                if (restartAt.contains(pushed) && restarts < restartAt.indexOf(pushed) + 1) {
                    restartControlPlane();
                    restarts++;
                }
                if (pushed == n / 3 || pushed == 2 * n / 3) {
                    injectAgentUpdatePoison(sqs);
                    injectJobQueuePoison(sqs);
                }
                if (pushed == busPoisonAt && poisonBusEventIds.isEmpty()) injectBusPoison();
                if (killAt.contains(pushed)) {
                    fleet.killOneAndReplace(random);
                    agentsKilledSinceReap = true;
                    killAt.remove(pushed);
                }
                String delivery = UUID.randomUUID().toString();
                String body = pushBody(cloneUrl, commit, pushed);
                int status = webhook(delivery, body);
                if (status / 100 != 2) {
                    webhooksRejected++;
                    continue;  // the control plane was not reachable: the same build is pushed again as a new delivery
                }
                String buildId = BuildIds.of(delivery);
                buildIds.add(buildId);
                pending.add(buildId);
                pushed++;
                if (random.nextDouble() < options.redeliveryFraction()) toRedeliver.add(new String[]{delivery, body});
                lastProgress = System.nanoTime();
            }
            // 2. GitHub re-delivers some, a little later, with the same delivery id and body.
            boolean pushingDone = pushed == n || System.nanoTime() >= pushDeadline;
            if (pushing(pushed, n, pushDeadline) && toRedeliver.size() > 2 || pushingDone && !toRedeliver.isEmpty()) {
                String[] again = toRedeliver.removeFirst();
                int status = webhook(again[0], again[1]);
                if (status / 100 == 2) {
                    redelivered++;
                    if (status == 200) redeliveriesAnsweredDuplicate++;
                } else {
                    toRedeliver.add(again);
                }
            }
            // 3. Dispatches recorded by DuplicateDeliveries go out a second time.
            for (DuplicateDeliveries.Dispatch dispatch : DuplicateDeliveries.dispatchesToRepeat()) {
                try {
                    sqs.sendMessage(r -> r.queueUrl(dispatch.queueUrl()).messageBody(dispatch.body()));
                } catch (RuntimeException e) {
                    System.err.println("chaos: could not send a dispatch twice: " + e);
                }
            }
            // 4. Killed agents are found LOST on a moved clock; so are builds that stall for another reason.
            boolean stalled = System.nanoTime() - lastProgress > STALL.toNanos();
            if (reapAt == null && (agentsKilledSinceReap || stalled)) {
                clock.advance(REAP_ADVANCE);
                reapAt = Instant.now().plus(PINGS_AFTER_ADVANCE);
                if (!agentsKilledSinceReap) stallReaps++;
                agentsKilledSinceReap = false;
                lastProgress = System.nanoTime();
            } else if (reapAt != null && Instant.now().isAfter(reapAt)) {
                cloud.triggerNow("reaper-every-minute");
                reapRounds++;
                reapAt = null;
            }
            // 5. Builds that ended leave the in-flight set.
            if (System.nanoTime() - lastPoll > 500_000_000L) {
                lastPoll = System.nanoTime();
                for (String id : List.copyOf(pending)) {
                    JsonNode build = get("/api/v1/builds/" + id);
                    if (build != null && TERMINAL_BUILD.contains(build.path("state").asText())) {
                        pending.remove(id);
                        lastProgress = System.nanoTime();
                    }
                }
            }
            Thread.sleep(20);
        }
        faults.put("controlPlaneRestarts", restarts);
        faults.put("webhooksRedelivered", redelivered);
        faults.put("poisonAgentUpdates", poisonAgentMessageIds.size());
        faults.put("poisonBusEvents", poisonBusEventIds.size());
        faults.put("poisonJobQueueMessages", poisonJobMarkers.size());
        faults.put("reapRounds", reapRounds);
        faults.put("reapRoundsForStalls", stallReaps);
        faults.put("clockAdvancedMinutes", clock.offset().toSeconds() / 60.0);
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("buildsRequested", n);
        counts.put("buildsPushed", pushed);
        counts.put("pushingStoppedByTimeLimit", pushed < n);
        counts.put("webhooksRefusedWhileRestarting", webhooksRejected);
        counts.put("redeliveriesAnsweredDuplicate", redeliveriesAnsweredDuplicate);
        counts.put("buildsStillInFlightAtTheEnd", pending.size());
        counts.put("buildIds", buildIds);
        return counts;
    }

    private static boolean pushing(int pushed, int n, long pushDeadline) {
        return pushed < n && System.nanoTime() < pushDeadline;
    }

    private void restartControlPlane() throws InterruptedException {
        cloud.close();
        cloud = null;
        Thread.sleep(3_000);  // long enough for agents to meet refused connections and retry
        cloud = LocalCloud.start(cloudOptions);
    }

    private String sqsEndpoint() {
        String url = cloud.queueUrl(Topology.AGENT_UPDATES_QUEUE);
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getAuthority();
    }

    /**
     * Messages no agent would send, each kind {@code poisonPerKind} times: not JSON, truncated, wrongly typed,
     * unicode-heavy, oversized, and a well-formed message for a real-looking job signed with a key nobody holds.
     * job-updater must reject each, record the rejection (audited) and never fail the batch.
     */
    private void injectAgentUpdatePoison(SqsClient sqs) {
        String url = cloud.queueUrl(Topology.AGENT_UPDATES_QUEUE);
        String now = Instant.now().toString();
        List<String> bodies = List.of(
                "{{{ not json",
                "{\"type\":\"started\",\"jobId\":\"",
                "{\"type\":\"finished\",\"jobId\":42,\"agentId\":[],\"attempt\":\"one\",\"seq\":-1,\"exitStatus\":\"zero\"}",
                "{\"type\":\"log\",\"jobId\":\"\u202e\ud83d\udca5\u4e2d\u00e9\",\"agentId\":\"\\u0000\",\"attempt\":1,\"seq\":1,\"chunk\":\""
                        + "\ud83d\udca5\u202e".repeat(2000) + "\",\"sentAt\":\"" + now + "\"}",
                "{\"type\":\"log\",\"jobId\":\"j\",\"agentId\":\"a\",\"attempt\":1,\"seq\":1,\"chunk\":\"" + "x".repeat(200_000) + "\"}",
                "{\"type\":\"started\",\"jobId\":\"" + UUID.randomUUID() + "\",\"agentId\":\"" + UUID.randomUUID()
                        + "\",\"attempt\":1,\"seq\":0,\"sentAt\":\"" + now + "\",\"startedAt\":\"" + now + "\"}");
        for (int copy = 0; copy < options.poisonPerKind(); copy++) {
            for (String body : bodies) {
                String group = "poison-" + UUID.randomUUID();
                String signature = ProtocolAgent.hmacHex("not-the-agents-key", now + "\n" + body);
                String id = sqs.sendMessage(r -> r.queueUrl(url).messageBody(body).messageGroupId(group)
                        .messageDeduplicationId(UUID.randomUUID().toString())
                        .messageAttributes(Map.of(
                                "hybridci-timestamp", MessageAttributeValue.builder().dataType("String").stringValue(now).build(),
                                "hybridci-signature", MessageAttributeValue.builder().dataType("String").stringValue(signature).build())))
                        .messageId();
                poisonAgentMessageIds.add(id);
            }
        }
    }

    /**
     * Messages on the job queue that are not dispatches (not JSON; JSON without a job id), each kind
     * {@code poisonPerKind} times: the agents must put them back untouched, so SQS's redrive moves each to
     * {@code jobs-default-dlq} on its sixth receive, while the agents go on taking real jobs.
     */
    private void injectJobQueuePoison(SqsClient sqs) {
        String url = cloud.queueUrl(Topology.jobQueueName("default"));
        for (int copy = 0; copy < options.poisonPerKind(); copy++) {
            for (String shape : List.of("{{{ %s", "{\"poison\":\"%s\",\"job\":null}")) {
                String marker = "chaos-poison-" + UUID.randomUUID();
                sqs.sendMessage(r -> r.queueUrl(url).messageBody(shape.formatted(marker)));
                poisonJobMarkers.add(marker);
            }
        }
    }

    /** Bus events that match build-planner's rules but carry a detail it cannot use. */
    private void injectBusPoison() {
        List<PutEventsRequestEntry> entries = new ArrayList<>();
        for (int copy = 0; copy < options.poisonPerKind(); copy++) {
            entries.add(busEvent("github.com", "push", "{\"deleted\":false,\"ref\":42,\"repository\":\"\u202e\ud83d\udca5\"}"));
            entries.add(busEvent("hybridci.builds", "Pipeline Uploaded", "{\"buildId\":[],\"steps\":\"none\"}"));
        }
        var response = cloud.clients().eventBridge().putEvents(r -> r.entries(entries));
        response.entries().forEach(e -> {
            if (e.eventId() != null) poisonBusEventIds.add(e.eventId());
        });
    }

    private static PutEventsRequestEntry busEvent(String source, String detailType, String detail) {
        return PutEventsRequestEntry.builder().eventBusName(Topology.EVENT_BUS).source(source).detailType(detailType).detail(detail).build();
    }

    // ---- checks ----

    private List<Check> check(AgentFleet fleet, Path markers, Map<String, Object> counts) throws Exception {
        List<Check> checks = new ArrayList<>();
        @SuppressWarnings("unchecked") List<String> buildIds = (List<String>) counts.remove("buildIds");

        // Every build terminal, one per delivery (re-deliveries created nothing).
        Map<String, Integer> buildStates = new TreeMap<>();
        Map<String, Integer> jobStates = new TreeMap<>();
        List<JsonNode> jobs = new ArrayList<>();
        List<String> notTerminal = new ArrayList<>();
        for (String id : buildIds) {
            JsonNode build = get("/api/v1/builds/" + id);
            String state = build == null ? "MISSING" : build.path("state").asText();
            buildStates.merge(state, 1, Integer::sum);
            if (!TERMINAL_BUILD.contains(state)) notTerminal.add(id + "=" + state);
            if (build != null) build.path("jobs").forEach(jobs::add);
        }
        jobs.forEach(j -> jobStates.merge(j.path("state").asText(), 1, Integer::sum));
        counts.put("buildStates", buildStates);
        counts.put("jobStates", jobStates);
        checks.add(new Check("every build is in a terminal state", notTerminal.isEmpty(),
                notTerminal.size() + " of " + buildIds.size() + " not terminal" + (notTerminal.isEmpty() ? "" : ": " + notTerminal.stream().limit(5).toList())));
        long listed = countListedBuilds();
        checks.add(new Check("one build per delivery (re-delivered webhooks created nothing)", listed == buildIds.size(),
                listed + " builds listed for " + buildIds.size() + " deliveries"));
        List<String> jobsNotTerminal = jobs.stream().filter(j -> !TERMINAL_JOB.contains(j.path("state").asText()))
                .map(j -> j.path("id").asText() + "=" + j.path("state").asText()).toList();
        checks.add(new Check("every job is in a terminal state", jobsNotTerminal.isEmpty(),
                jobsNotTerminal.size() + " of " + jobs.size() + " not terminal" + (jobsNotTerminal.isEmpty() ? "" : ": " + jobsNotTerminal.stream().limit(5).toList())));

        // No job ran twice: one marker line per command job id (a retry is another job id, with retryOf).
        Map<String, Integer> runs = new HashMap<>();
        try (var files = Files.list(markers)) {
            for (Path file : files.toList()) runs.put(file.getFileName().toString(), Files.readAllLines(file).size());
        }
        List<String> ranTwice = runs.entrySet().stream().filter(e -> e.getValue() > 1).map(e -> e.getKey() + "×" + e.getValue()).toList();
        long retries = jobs.stream().filter(j -> !j.path("retryOf").isNull() && !j.path("retryOf").asText().isEmpty()).count();
        long commandJobs = jobs.stream().filter(j -> "COMMAND".equals(j.path("kind").asText())).count();
        counts.put("commandJobRuns", runs.values().stream().mapToInt(Integer::intValue).sum());
        counts.put("commandJobsRun", runs.size());
        counts.put("commandJobs", commandJobs);
        counts.put("retriesRecorded", retries);
        checks.add(new Check("no job ran twice except as a recorded retry", ranTwice.isEmpty(),
                runs.size() + " command jobs ran, " + ranTwice.size() + " of them more than once" + (ranTwice.isEmpty() ? "" : ": " + ranTwice.stream().limit(5).toList())));

        // The audit trail: no transition applied twice, and every chain verifies.
        List<Map<String, AttributeValue>> audit = scanAll(cloud.topology().table(Topology.AUDIT_TABLE).name());
        counts.put("auditRecords", audit.size());
        Map<String, Integer> transitions = new HashMap<>();
        for (Map<String, AttributeValue> record : audit) {
            JsonNode before = jsonOf(record.get("before"));
            JsonNode after = jsonOf(record.get("after"));
            if (!after.has("state") || !after.has("version")) continue;
            String from = before.path("state").asText("∅");
            if (from.equals(after.path("state").asText()) && before.has("state")) continue;  // not a transition
            String key = text(record.get("entity")) + " " + from + "→" + after.path("state").asText() + " @" + before.path("version").asText("0");
            transitions.merge(key, 1, Integer::sum);
        }
        List<String> twice = transitions.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        counts.put("transitionsAudited", transitions.size());
        checks.add(new Check("no transition applied twice", twice.isEmpty(),
                transitions.size() + " transitions audited, " + twice.size() + " twice" + (twice.isEmpty() ? "" : ": " + twice.stream().limit(5).toList())));
        checks.add(verifyAudit(counts));

        // Poison: every agent-update rejected and on record, through the API; every bus event dead-lettered.
        List<String> unrecorded = new ArrayList<>();
        for (String messageId : poisonAgentMessageIds) {
            String entity = audit.stream().filter(r -> text(r.get("entity")).contains(messageId) || text(r.get("chain")).contains(messageId))
                    .map(r -> text(r.get("entity"))).findFirst().orElse(null);
            JsonNode page = entity == null ? null : get("/api/v1/audit?entity=" + java.net.URLEncoder.encode(entity, StandardCharsets.UTF_8));
            if (page == null || !page.toString().contains(messageId)) unrecorded.add(messageId);
        }
        checks.add(new Check("every poison agent message is rejected and its rejection is in the audit trail, through the API",
                unrecorded.isEmpty(), poisonAgentMessageIds.size() + " sent, " + unrecorded.size() + " not found" + (unrecorded.isEmpty() ? "" : ": " + unrecorded)));
        // A poison bus event is dead-lettered only after the rule target's every retry (Topology.RULE_TARGET_RETRY_ATTEMPTS,
        // about 21 s of capped backoff): wait for that, bounded.
        // They go to the topology's bus-targets-dlq (an SQS queue, kept across restarts) and are found through
        // GET /api/v1/dead-letters, which shows up to 100 messages of one queue.
        Set<String> deadLettered = new HashSet<>();
        long deadLetterDeadline = System.nanoTime() + BUS_DEAD_LETTER_WAIT.toNanos();
        JsonNode busDlq;
        while (true) {
            JsonNode answer = get(deadLettersOf(Topology.BUS_TARGETS_DLQ));
            busDlq = answer == null ? null : answer.path("queues").path(0);
            deadLettered.clear();
            if (busDlq != null) {
                for (JsonNode message : busDlq.path("messages")) {
                    String body = message.path("body").asText();
                    poisonBusEventIds.stream().filter(body::contains).forEach(deadLettered::add);
                }
            }
            if (deadLettered.size() == poisonBusEventIds.size() || System.nanoTime() > deadLetterDeadline) break;
            Thread.sleep(500);
        }
        Map<String, Integer> deadLettersByRule = new TreeMap<>();
        if (busDlq != null) {
            for (JsonNode message : busDlq.path("messages")) {
                String rule = message.path("attributes").path("RULE_ARN").asText("?");
                deadLettersByRule.merge(rule.substring(rule.lastIndexOf('/') + 1), 1, Integer::sum);
            }
        }
        counts.put("busDeadLettersPeekedByRule", deadLettersByRule);
        long inBusDlq = busDlq == null ? -1 : busDlq.path("approximateMessages").asLong();
        checks.add(new Check("every poison bus event is dead-lettered", deadLettered.size() == poisonBusEventIds.size(),
                poisonBusEventIds.size() + " put, " + deadLettered.size() + " found in " + Topology.BUS_TARGETS_DLQ
                        + " through GET /api/v1/dead-letters, " + inBusDlq + " messages in it"
                        + (inBusDlq > DeadLetters.MAX_QUEUE_LIMIT && deadLettered.size() < poisonBusEventIds.size()
                        ? " (the API shows " + DeadLetters.MAX_QUEUE_LIMIT + " at most)" : "")));
        // Where every poison message is at the end: each DLQ's approximate size, from the API.
        Map<String, Long> deadLettersByQueue = new java.util.LinkedHashMap<>();
        JsonNode all = get("/api/v1/dead-letters?limit=1");
        if (all != null) {
            all.path("queues").forEach(queue -> deadLettersByQueue.put(queue.path("queue").asText(),
                    queue.path("approximateMessages").asLong()));
        }
        counts.put("deadLettersByQueue", deadLettersByQueue);
        counts.put("messagesInSqsDlqs", deadLettersByQueue.entrySet().stream()
                .filter(entry -> !entry.getKey().equals(Topology.BUS_TARGETS_DLQ)).mapToLong(Map.Entry::getValue).sum());
        List<String> deadDispatches = new ArrayList<>();
        JsonNode jobsDlq = get(deadLettersOf(Topology.dlqName(Topology.jobQueueName("default"))));
        if (jobsDlq != null) {
            jobsDlq.path("queues").path(0).path("messages").forEach(message -> {
                String body = message.path("body").asText();
                if (poisonJobMarkers.stream().noneMatch(body::contains)) {
                    deadDispatches.add(body.length() > 200 ? body.substring(0, 200) : body);
                }
            });
        }
        counts.put("dispatchesInJobsDlq", deadDispatches);
        checks.addAll(checkPoisonKeptInDlqs(counts, jobsDlq));
        counts.put("agentsDeadWithoutBeingKilled", fleet.crashed());
        checks.add(new Check("no agent died unless killed", fleet.crashed() == 0, fleet.crashed() + " crashed"));
        return checks;
    }

    /**
     * Every poison agent message kept in {@code agent-updates-dlq} by job-updater (found by its original SQS message id,
     * with the rejection's code) and every poison job-queue message moved to {@code jobs-default-dlq} by redrive (found
     * by its marker), both through {@code GET /api/v1/dead-letters?queue=…&limit=100}.
     */
    private List<Check> checkPoisonKeptInDlqs(Map<String, Object> counts, JsonNode jobsDlqListing) {
        List<Check> checks = new ArrayList<>();
        String agentDlq = Topology.dlqName(Topology.AGENT_UPDATES_QUEUE);
        JsonNode listed = get(deadLettersOf(agentDlq));
        JsonNode agentQueue = listed == null ? null : listed.path("queues").path(0);
        Map<String, Integer> codes = new TreeMap<>();
        Set<String> keptIds = new HashSet<>();
        List<String> withoutCode = new ArrayList<>();
        if (agentQueue != null) {
            for (JsonNode message : agentQueue.path("messages")) {
                keptIds.add(message.path("attributes").path("hybridci-rejected-message-id").asText());
                String code = message.path("attributes").path("hybridci-rejection-code").asText();
                if (code.isEmpty()) withoutCode.add(message.path("messageId").asText());
                codes.merge(code.isEmpty() ? "(none)" : code, 1, Integer::sum);
            }
        }
        counts.put("agentUpdatesDlqByRejectionCode", codes);
        List<String> notKept = poisonAgentMessageIds.stream().filter(id -> !keptIds.contains(id)).toList();
        long inAgentDlq = agentQueue == null ? -1 : agentQueue.path("approximateMessages").asLong();
        checks.add(new Check("every poison agent message is kept in " + agentDlq + ", with its code, and shown by the API",
                notKept.isEmpty() && withoutCode.isEmpty() && agentQueue != null,
                poisonAgentMessageIds.size() + " sent, " + notKept.size() + " not shown by GET /api/v1/dead-letters ("
                        + keptIds.size() + " shown of " + inAgentDlq + " in " + agentDlq + ", by code " + codes + "), "
                        + withoutCode.size() + " without hybridci-rejection-code" + shownAtMost(inAgentDlq, notKept)
                        + (notKept.isEmpty() ? "" : ": " + notKept)));

        String jobsDlq = Topology.dlqName(Topology.jobQueueName("default"));
        JsonNode jobsQueue = jobsDlqListing == null ? null : jobsDlqListing.path("queues").path(0);
        List<String> bodies = new ArrayList<>();
        if (jobsQueue != null) jobsQueue.path("messages").forEach(message -> bodies.add(message.path("body").asText()));
        List<String> notMoved = poisonJobMarkers.stream().filter(marker -> bodies.stream().noneMatch(b -> b.contains(marker))).toList();
        long inJobsDlq = jobsQueue == null ? -1 : jobsQueue.path("approximateMessages").asLong();
        checks.add(new Check("every poison job-queue message is dead-lettered in " + jobsDlq + " and shown by the API",
                notMoved.isEmpty() && jobsQueue != null,
                poisonJobMarkers.size() + " sent, " + notMoved.size() + " not shown by GET /api/v1/dead-letters ("
                        + bodies.size() + " shown of " + inJobsDlq + " in it)" + shownAtMost(inJobsDlq, notMoved)
                        + (notMoved.isEmpty() ? "" : ": " + notMoved)));
        return checks;
    }

    /** The API's listing of one dead-letter queue, as many messages as it shows. */
    private static String deadLettersOf(String queue) {
        return "/api/v1/dead-letters?queue=" + queue + "&limit=" + DeadLetters.MAX_QUEUE_LIMIT;
    }

    /** Says so when a queue holds more than the API shows and something was not found. */
    private static String shownAtMost(long inQueue, List<String> missing) {
        return inQueue > DeadLetters.MAX_QUEUE_LIMIT && !missing.isEmpty()
                ? " (the API shows " + DeadLetters.MAX_QUEUE_LIMIT + " at most)" : "";
    }

    private long countListedBuilds() {
        long count = 0;
        String cursor = null;
        for (int page = 0; page < 10_000; page++) {
            JsonNode list = get("/api/v1/builds?limit=100" + (cursor == null ? "" : "&cursor=" + java.net.URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
            if (list == null) return -1;
            count += list.path("builds").size();
            if (list.path("next").isNull() || list.path("next").asText().isEmpty()) return count;
            cursor = list.path("next").asText();
        }
        return count;
    }

    private List<Map<String, AttributeValue>> scanAll(String table) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            ScanRequest.Builder request = ScanRequest.builder().tableName(table);
            if (start != null) request.exclusiveStartKey(start);
            ScanResponse response = cloud.clients().dynamoDb().scan(request.build());
            items.addAll(response.items());
            start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }

    private static String text(AttributeValue value) {
        return value == null || value.s() == null ? "" : value.s();
    }

    private static JsonNode jsonOf(AttributeValue value) {
        try {
            return value == null || value.s() == null ? JSON.createObjectNode() : JSON.readTree(value.s());
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    // ---- GitHub and the API ----

    private String pushBody(String cloneUrl, String commit, int index) {
        var payload = JSON.createObjectNode();
        payload.put("ref", "refs/heads/chaos-" + (index % 7)).put("before", "0".repeat(40)).put("after", commit)
                .put("created", false).put("deleted", false).put("forced", false);
        var repository = payload.putObject("repository");
        repository.put("id", 1).put("name", "chaos").put("full_name", "acme/chaos").put("private", true)
                .put("html_url", "https://github.com/acme/chaos").put("clone_url", cloneUrl).put("default_branch", "main");
        repository.putObject("owner").put("login", "acme").put("name", "acme");
        payload.putObject("pusher").put("name", "chaos").put("email", "chaos@example.com");
        payload.putObject("sender").put("login", "chaos").put("id", 1).put("type", "User");
        var head = payload.putObject("head_commit");
        head.put("id", commit).put("tree_id", commit).put("distinct", true).put("message", "chaos " + index)
                .put("timestamp", Instant.now().toString()).put("url", "https://github.com/acme/chaos/commit/" + commit);
        head.putObject("author").put("name", "chaos").put("email", "chaos@example.com").put("username", "chaos");
        head.putObject("committer").put("name", "chaos").put("email", "chaos@example.com").put("username", "chaos");
        head.putArray("added");
        head.putArray("removed");
        head.putArray("modified");
        payload.putArray("commits").add(head.deepCopy());
        return payload.toString();
    }

    /** A signed push delivery; the status, or 0 when the control plane did not answer (restarting). */
    private int webhook(String delivery, String body) {
        if (cloud == null) return 0;
        HttpRequest request = HttpRequest.newBuilder(URI.create(cloud.webhookUrl())).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("X-GitHub-Event", "push")
                .header("X-GitHub-Delivery", delivery)
                .header("X-Hub-Signature-256", "sha256=" + ProtocolAgent.hmacHex(webhookSecret, body))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** GET with the admin token; null unless 200. */
    /** GET /api/v1/audit/verify run after run (each at most ~5 s) until complete, as the CLI does; the counts summed. */
    private Check verifyAudit(Map<String, Object> counts) {
        long chains = 0;
        long records = 0;
        int runs = 0;
        long started = System.nanoTime();
        JsonNode run;
        String cursor = null;
        do {
            run = get("/api/v1/audit/verify" + (cursor == null ? "" : "?cursor=" + java.net.URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
            if (run == null) return new Check("the audit chain verifies", false, "no answer after " + runs + " runs");
            runs++;
            chains += run.path("chains").asLong();
            records += run.path("records").asLong();
            cursor = run.path("next").isTextual() ? run.path("next").asText() : null;
        } while (!run.path("complete").asBoolean(true) && cursor != null);
        counts.put("auditChainsVerified", chains);
        counts.put("auditRecordsVerified", records);
        counts.put("auditVerifyMillis", (System.nanoTime() - started) / 1_000_000);
        return new Check("the audit chain verifies", run.path("ok").asBoolean(),
                chains + " chains, " + records + " records in " + runs + " runs"
                        + (run.path("ok").asBoolean() ? "" : ": " + run.path("firstBreak")));
    }

    private JsonNode get(String path) {
        if (cloud == null) return null;
        HttpRequest request = HttpRequest.newBuilder(URI.create(cloud.baseUrl() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + adminToken).GET().build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String git(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            String output;
            try (InputStream in = process.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            }
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.hybridci.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.hybridci.topology.FunctionSpec;
import io.hybridci.topology.Trigger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Cost: N one-step builds, then the AWS requests they caused by service (counted by {@link EngineCallCounter}),
 * Lambda GB-seconds (handler time × the topology's memory), turned into dollars at the list prices of
 * {@code aws-prices.json}. The idle month is estimated from measured single events (one ping, one run of
 * each schedule) scaled by their documented rates.
 */
final class CostBenchmark {

    /** Requests and dollars. "perBuild" maps a billed item to its count per build (a build here is 2 jobs: bootstrap + step). */
    record Result(String benchmark, int builds, long jobs, String pricesTakenOn, Map<String, Double> perBuild,
                  Map<String, Double> dollarsPer1000Jobs, double totalDollarsPer1000Jobs,
                  Map<String, Double> idleMonthDollars, double idleMonthDollarsNoAgents, double idleMonthDollarsPerIdleAgent,
                  Breakdown breakdown) {}

    private static final double SECONDS_PER_MONTH = 30 * 24 * 3600;
    private static final Set<String> DYNAMO_READS = Set.of("GetItem", "Query", "Scan", "BatchGetItem", "TransactGetItems");
    private static final Set<String> DYNAMO_WRITES = Set.of("PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems");

    static Result run(BenchCloud cloud, int builds) {
        JsonNode prices = prices();
        BuildTracker tracker = new BuildTracker();
        Breakdown breakdown;
        Breakdown ping;
        Map<String, Breakdown> scheduleRuns = new LinkedHashMap<>();
        try (ProtocolAgent agent = cloud.agent("cost-agent", tracker)) {
            Breakdown.Mark before = Breakdown.Mark.now(cloud);
            long pushed = 0;
            while (pushed < builds) {
                if (pushed - tracker.commandsFinished() < 2) {
                    if (cloud.push(BenchCloud.newCommit()).statusCode() != 202) throw new IllegalStateException("webhook refused a push");
                    pushed++;
                } else {
                    ThroughputBenchmark.sleep(2);
                }
            }
            DispatchBenchmark.await(() -> tracker.commandsFinished() >= builds ? Boolean.TRUE : null, "every build's step");
            awaitQuiet(cloud);
            breakdown = Breakdown.between(cloud, before, Breakdown.Mark.now(cloud));

            Breakdown.Mark beforePing = Breakdown.Mark.now(cloud);
            if (agent.ping() != 200) throw new IllegalStateException("ping refused");
            awaitQuiet(cloud);
            ping = Breakdown.between(cloud, beforePing, Breakdown.Mark.now(cloud));
            for (FunctionSpec function : cloud.cloud.topology().functions()) {
                for (Trigger trigger : function.triggers()) {
                    if (trigger instanceof Trigger.ScheduleTrigger schedule) {
                        Breakdown.Mark beforeRun = Breakdown.Mark.now(cloud);
                        cloud.cloud.triggerNow(schedule.name());
                        awaitQuiet(cloud);
                        scheduleRuns.put(schedule.expression(), Breakdown.between(cloud, beforeRun, Breakdown.Mark.now(cloud)));
                    }
                }
            }
        }
        long jobs = tracker.jobsFinished();
        Map<String, Double> perBuild = billedItems(cloud, breakdown, builds);
        Map<String, Double> dollarsPerJob = dollars(perBuild, prices, builds / (double) jobs);
        Map<String, Double> per1000Jobs = new LinkedHashMap<>();
        dollarsPerJob.forEach((k, v) -> per1000Jobs.put(k, round4(v * 1000)));

        Map<String, Double> idle = new LinkedHashMap<>();
        double schedules = 0;
        for (Map.Entry<String, Breakdown> run : scheduleRuns.entrySet()) {
            double perMonth = runsPerMonth(run.getKey());
            schedules += total(dollars(billedItems(cloud, run.getValue(), 1), prices, 1)) * perMonth;
        }
        idle.put("schedules", round4(schedules));
        long secrets = cloud.cloud.topology().secrets().size();
        idle.put("secrets", round4(secrets * prices.path("secretsManagerPerSecretMonth").asDouble()));
        // Lambda polls each SQS-triggered queue with about five long polls of 20 s at once, billed as SQS requests.
        long sqsMappings = cloud.cloud.topology().functions().stream().flatMap(f -> f.triggers().stream())
                .filter(t -> t instanceof Trigger.SqsTrigger).count();
        idle.put("sqsEventSourcePolling", round4(sqsMappings * 5 * (SECONDS_PER_MONTH / 20) / 1e6 * prices.path("sqsFifoPerMillionRequests").asDouble()));
        double noAgents = idle.values().stream().mapToDouble(Double::doubleValue).sum();
        // An idle agent pings every 10 s and long-polls its queue every 20 s.
        double perAgent = total(dollars(billedItems(cloud, ping, 1), prices, 1)) * (SECONDS_PER_MONTH / 10)
                + (SECONDS_PER_MONTH / 20) / 1e6 * prices.path("sqsStandardPerMillionRequests").asDouble();
        idle.put("perIdleAgent", round4(perAgent));
        return new Result("cost", builds, jobs, prices.path("takenOn").asText(), perBuild, per1000Jobs, round4(total(per1000Jobs)),
                idle, round4(noAgents), round4(perAgent), breakdown);
    }

    /** Billed items per unit (per build for a run of {@code units} builds): requests by service, GB-seconds. */
    static Map<String, Double> billedItems(BenchCloud cloud, Breakdown breakdown, int units) {
        Map<String, Double> items = new LinkedHashMap<>();
        double invocations = 0, gbSeconds = 0, httpRequests = 0;
        for (Breakdown.FunctionRow row : breakdown.functions()) {
            invocations += row.invocations();
            gbSeconds += row.totalMillis() / 1000 * row.memoryMb() / 1024.0;
            boolean http = cloud.cloud.topology().findFunction(row.function()).map(f -> f.triggers().stream()
                    .anyMatch(t -> t instanceof Trigger.HttpRoute)).orElse(false);
            if (http) httpRequests += row.invocations();
        }
        items.put("lambdaRequests", invocations);
        items.put("lambdaGbSeconds", gbSeconds);
        items.put("apiGatewayHttpRequests", httpRequests);
        double reads = 0, writes = 0, sqs = 0, sqsFifo = 0, events = 0, secrets = 0;
        for (Breakdown.EngineCallRow row : breakdown.engineCalls()) {
            // Emulation calls do not exist in AWS; empty receives are idle cost, estimated separately.
            if (row.caller().equals("EMULATION") || row.operation().endsWith("(empty)")) continue;
            switch (row.service().toLowerCase()) {
                case "dynamodb" -> {
                    if (DYNAMO_READS.contains(row.operation())) reads += row.calls();
                    if (DYNAMO_WRITES.contains(row.operation())) writes += row.calls();
                }
                case "sqs" -> sqs += row.calls();
                case "sqsfifo" -> sqsFifo += row.calls();
                case "eventbridge" -> events += row.operation().equals("PutEvents") ? row.items() : 0;
                case "secretsmanager" -> secrets += row.calls();
                default -> { }
            }
        }
        items.put("dynamoDbReadUnits", reads);
        items.put("dynamoDbWriteUnits", writes);
        items.put("sqsStandardRequests", sqs);
        items.put("sqsFifoRequests", sqsFifo);
        items.put("eventBridgeEvents", events);
        items.put("secretsManagerCalls", secrets);
        items.replaceAll((k, v) -> round4(v / units));
        return items;
    }

    /** Dollars per unit of {@code items}, scaled by {@code scale} (builds per job, to price one job). */
    static Map<String, Double> dollars(Map<String, Double> items, JsonNode p, double scale) {
        Map<String, Double> d = new LinkedHashMap<>();
        d.put("lambda", (items.get("lambdaRequests") * p.path("lambdaPerMillionRequests").asDouble() / 1e6
                + items.get("lambdaGbSeconds") * p.path("lambdaPerGbSecond").asDouble()) * scale);
        d.put("apiGateway", items.get("apiGatewayHttpRequests") * p.path("apiGatewayHttpPerMillionRequests").asDouble() / 1e6 * scale);
        d.put("dynamoDb", (items.get("dynamoDbReadUnits") * p.path("dynamoDbOnDemandPerMillionReadUnits").asDouble()
                + items.get("dynamoDbWriteUnits") * p.path("dynamoDbOnDemandPerMillionWriteUnits").asDouble()) / 1e6 * scale);
        d.put("sqs", (items.get("sqsStandardRequests") * p.path("sqsStandardPerMillionRequests").asDouble()
                + items.get("sqsFifoRequests") * p.path("sqsFifoPerMillionRequests").asDouble()) / 1e6 * scale);
        d.put("eventBridge", items.get("eventBridgeEvents") * p.path("eventBridgeCustomEventsPerMillion").asDouble() / 1e6 * scale);
        d.put("secretsManager", items.get("secretsManagerCalls") * p.path("secretsManagerPerTenThousandCalls").asDouble() / 1e4 * scale);
        return d;
    }

    static double total(Map<String, Double> dollars) {
        return dollars.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** rate(N minute|minutes|hour|hours|day|days); anything else is counted once a day. */
    static double runsPerMonth(String expression) {
        var m = java.util.regex.Pattern.compile("rate\\((\\d+) (minute|hour|day)s?\\)").matcher(expression);
        if (!m.matches()) return 30;
        double every = Double.parseDouble(m.group(1)) * switch (m.group(2)) {
            case "minute" -> 60;
            case "hour" -> 3600;
            default -> 86400;
        };
        return SECONDS_PER_MONTH / every;
    }

    /** Waits until no function has been invoked for a second (bounded: 30 s), so a run's tail is counted. */
    static void awaitQuiet(BenchCloud cloud) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        long last = -1;
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long now = cloud.cloud.stats().snapshot().values().stream().mapToLong(s -> s.invocations()).sum();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > 1_000_000_000L) {
                return;
            }
            ThroughputBenchmark.sleep(50);
        }
    }

    static JsonNode prices() {
        try (var in = CostBenchmark.class.getResourceAsStream("/aws-prices.json")) {
            return ProtocolAgent.parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double round4(double v) {
        return Math.round(v * 1e6) / 1e6;
    }

    private CostBenchmark() {
    }
}

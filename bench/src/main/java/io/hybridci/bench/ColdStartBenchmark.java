package io.hybridci.bench;

import io.hybridci.local.FunctionEnvironments;
import io.hybridci.topology.EnvironmentNames;
import io.hybridci.topology.FunctionSpec;
import io.hybridci.topology.Trigger;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Cold start, per function: a fresh JVM from the function's shaded jar, with the environment the local cloud gives
 * that function, to its first handled event against the local engines ({@link ColdStartEventProbe}); next to the
 * floor, the same kind of JVM from the same jar creating one SDK client and nothing else ({@link ColdStartProbe});
 * and the jar's size. Both are timed the same way: from spawning the JVM to the line it prints when done.
 */
final class ColdStartBenchmark {

    /** One function: its jar, its size, the floor and the first event (wall ms per run), and what the event did. */
    record FunctionRow(String function, String jar, long jarBytes, double jarMegabytes, boolean under15Mb, Stats floorJvmMillis,
                       Stats firstEventMillis, double firstEventOverFloorP50, boolean within1_5xFloor, String event,
                       String lastOutcome, AotRow withAotCache) {}

    /**
     * The same two probes started with a JDK AOT cache (JEP 483/514: classes loaded and linked ahead of time, written by
     * one training run of that very probe with {@code -XX:AOTCacheOutput}): what SnapStart does for a Lambda function in
     * AWS (a snapshot taken after init), measured here with the JDK's own means. {@code cacheMegabytes} 0: no cache was
     * written (the JVM then runs without one).
     */
    record AotRow(Stats floorJvmMillis, Stats firstEventMillis, double firstEventOverPlainFloorP50,
                  double firstEventOverAotFloorP50, double cacheMegabytes) {}

    record Result(String benchmark, int runsPerFunction, List<FunctionRow> functions) {}

    static Result run(Path home, int runs) {
        List<FunctionRow> rows = new ArrayList<>();
        try (BenchCloud cloud = BenchCloud.start()) {
            Path events = Files.createTempDirectory("hybridci-coldstart-");
            // An AOT cache takes only jars on the class path, so the probes go in one (for the plain runs too: same class path).
            Path probeClasses = probesJar(events);
            for (FunctionSpec function : cloud.cloud.topology().functions()) {
                Path jar = jarOf(home, function.name());
                if (jar == null) continue;
                Map<String, String> environment = new HashMap<>(FunctionEnvironments.of(cloud.cloud, function.name()));
                // AwsClients points every client at AWS_ENDPOINT_URL when it is set (one endpoint, as in LocalStack); the
                // local engines listen on one port each. Without it, the SDK reads the per-service variables
                // (AWS_ENDPOINT_URL_DYNAMODB, ...) the environment also carries, and the credentials below.
                environment.remove(EnvironmentNames.AWS_ENDPOINT_URL);
                environment.put("AWS_ACCESS_KEY_ID", "local");
                environment.put("AWS_SECRET_ACCESS_KEY", "local");
                // Nothing leaves the machine: github-status is pointed at a loopback port where nothing listens.
                if (environment.containsKey(EnvironmentNames.GITHUB_API_URL)) environment.put(EnvironmentNames.GITHUB_API_URL, "http://127.0.0.1:9");
                String classPath = jar + java.io.File.pathSeparator + probeClasses;
                List<String> floorProbe = List.of("-cp", classPath, ColdStartProbe.class.getName());
                List<Double> floor = new ArrayList<>();
                List<Double> first = new ArrayList<>();
                String outcome = null;
                String described = null;
                for (int i = 0; i < runs; i++) {
                    floor.add(time(floorProbe, environment, "created ").millis());
                    List<String> probe = new ArrayList<>(List.of("-cp", classPath, ColdStartEventProbe.class.getName(), function.handler()));
                    described = firstEvent(cloud, function, events, probe);
                    Timed timed = time(probe, environment, "HANDLED ");
                    first.add(timed.millis());
                    outcome = timed.line();
                }
                // With an AOT cache: one training run per probe writes it, then the same runs again start from it.
                Path floorCache = events.resolve(function.name() + "-floor.aot");
                Path eventCache = events.resolve(function.name() + "-event.aot");
                time(withFlag("-XX:AOTCacheOutput=" + floorCache, floorProbe), environment, "created ");
                List<String> training = new ArrayList<>(List.of("-cp", classPath, ColdStartEventProbe.class.getName(), function.handler()));
                firstEvent(cloud, function, events, training);
                time(withFlag("-XX:AOTCacheOutput=" + eventCache, training), environment, "HANDLED ");
                List<Double> floorAot = new ArrayList<>();
                List<Double> firstAot = new ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    floorAot.add(time(withFlag("-XX:AOTCache=" + floorCache, floorProbe), environment, "created ").millis());
                    List<String> probe = new ArrayList<>(List.of("-cp", classPath, ColdStartEventProbe.class.getName(), function.handler()));
                    firstEvent(cloud, function, events, probe);
                    firstAot.add(time(withFlag("-XX:AOTCache=" + eventCache, probe), environment, "HANDLED ").millis());
                }
                long bytes = Files.size(jar);
                Stats floorStats = Stats.of(floor);
                Stats firstStats = Stats.of(first);
                double ratio = ratio(firstStats, floorStats);
                Stats floorAotStats = Stats.of(floorAot);
                Stats firstAotStats = Stats.of(firstAot);
                AotRow aot = new AotRow(floorAotStats, firstAotStats, ratio(firstAotStats, floorStats), ratio(firstAotStats, floorAotStats),
                        Files.exists(eventCache) ? Math.round(Files.size(eventCache) / 1048576.0 * 10) / 10.0 : 0);
                rows.add(new FunctionRow(function.name(), home.relativize(jar).toString(), bytes, Math.round(bytes / 1048576.0 * 100) / 100.0,
                        bytes < 15L * 1024 * 1024, floorStats, firstStats, ratio, ratio <= 1.5, described, outcome, aot));
            }
            try (var files = Files.walk(events)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Result("coldstart", runs, rows);
    }

    private static Path jarOf(Path home, String function) throws IOException {
        Path target = home.resolve("functions").resolve(function).resolve("target");
        if (!Files.isDirectory(target)) return null;
        try (var jars = Files.list(target)) {
            return jars.filter(p -> p.getFileName().toString().endsWith("-lambda.jar")).findFirst().orElse(null);
        }
    }

    /**
     * Adds to {@code probe} the event of the function's first trigger, as its trigger would deliver it; returns what
     * it is. Each is a real first event against the local engines: a signed push, an admin API read, an agent message
     * (unsigned: rejected and recorded), a state stream record, a bus event, the reaper's schedule, a rotation step.
     */
    private static String firstEvent(BenchCloud cloud, FunctionSpec function, Path dir, List<String> probe) throws IOException {
        Path body = dir.resolve(function.name() + "-" + UUID.randomUUID() + ".body");
        Trigger trigger = function.triggers().getFirst();
        switch (trigger) {
            case Trigger.HttpRoute route when route.path().startsWith("/webhooks") -> {
                String push = new String(BenchCloud.class.getResourceAsStream("/bench-push.json").readAllBytes(), StandardCharsets.UTF_8);
                Files.writeString(body, push);
                probe.addAll(List.of("http", body.toString(), "method=POST", "path=" + route.path(), "routeKey=" + route.method() + " " + route.path(),
                        "header.content-type=application/json", "header.x-github-event=push", "header.x-github-delivery=" + UUID.randomUUID(),
                        "header.x-hub-signature-256=sha256=" + ProtocolAgent.hmacHex(cloud.cloud.credentials().webhookSecret(), push)));
                return "POST " + route.path() + " (a signed push)";
            }
            case Trigger.HttpRoute route -> {
                Files.writeString(body, "");
                probe.addAll(List.of("http", body.toString(), "method=GET", "path=/api/v1/builds", "routeKey=" + route.method() + " " + route.path(),
                        "header.authorization=Bearer " + cloud.cloud.credentials().adminToken()));
                return "GET /api/v1/builds (admin)";
            }
            case Trigger.SqsTrigger _ -> {
                Files.writeString(body, "{}");
                probe.addAll(List.of("sqs", body.toString()));
                return "an unsigned agent message (rejected and recorded)";
            }
            case Trigger.StreamTrigger _ -> {
                Files.writeString(body, "");
                probe.addAll(List.of("stream", body.toString(), "pk=REJECTION#coldstart-" + UUID.randomUUID(), "sk=REJECTION", "type=rejection"));
                return "a state stream INSERT (a rejection item)";
            }
            case Trigger.RuleTrigger _ -> {
                boolean planner = function.name().equals("build-planner");
                String detail = Files.readString(BenchCloud.home().resolve("events-schema/schemas/"
                        + (planner ? "github-push/v1.example.json" : "build-state-changed/v1.example.json")));
                if (planner) detail = detail.replace("72d3162e-cc78-11e3-81ab-4c9367dc0958", UUID.randomUUID().toString());
                Files.writeString(body, "{\"version\":\"0\",\"id\":\"" + UUID.randomUUID() + "\",\"detail-type\":\""
                        + (planner ? "push" : "Build State Changed") + "\",\"source\":\"" + (planner ? "github.com" : "hybridci.builds")
                        + "\",\"account\":\"000000000000\",\"time\":\"" + java.time.Instant.now().toString().replaceAll("\\.\\d+Z", "Z")
                        + "\",\"region\":\"us-east-1\",\"resources\":[],\"detail\":" + detail + "}");
                probe.addAll(List.of("json", body.toString()));
                return planner ? "a push bus event" : "a Build State Changed bus event (GitHub unreachable: loopback)";
            }
            case Trigger.ScheduleTrigger schedule -> {
                Files.writeString(body, "");
                probe.addAll(List.of("schedule", body.toString()));
                return "schedule " + schedule.name();
            }
            case Trigger.RotationTrigger rotation -> {
                Files.writeString(body, "{\"SecretId\":\"" + cloud.cloud.topology().secret(rotation.secretName()).name()
                        + "\",\"ClientRequestToken\":\"" + UUID.randomUUID() + "\",\"Step\":\"createSecret\"}");
                probe.addAll(List.of("json", body.toString()));
                return "rotation step createSecret of " + rotation.secretName();
            }
        }
    }

    private record Timed(double millis, String line) {}

    private static double ratio(Stats over, Stats under) {
        return Math.round(over.p50() / under.p50() * 100) / 100.0;
    }

    /** {@code args} with a JVM flag in front. */
    private static List<String> withFlag(String flag, List<String> args) {
        List<String> flagged = new ArrayList<>();
        flagged.add(flag);
        flagged.addAll(args);
        return flagged;
    }

    /** The two probes' classes in a jar of their own under {@code dir} (or the bench jar itself when run from one). */
    private static Path probesJar(Path dir) throws IOException {
        Path classes = classesDir();
        if (!Files.isDirectory(classes)) return classes;
        Path jar = dir.resolve("coldstart-probes.jar");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar));
             var files = Files.list(classes.resolve("io/hybridci/bench"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("ColdStart(Event)?Probe(\\$.*)?\\.class")).toList()) {
                out.putNextEntry(new java.util.jar.JarEntry("io/hybridci/bench/" + file.getFileName()));
                out.write(Files.readAllBytes(file));
                out.closeEntry();
            }
        }
        return jar;
    }

    /** Spawns {@code java args} with {@code environment} only; wall time until it prints a line starting with {@code marker}. */
    private static Timed time(List<String> args, Map<String, String> environment, String marker) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().clear();
        builder.environment().putAll(environment);
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        long start = System.nanoTime();
        try {
            Process process = builder.start();
            String found = null;
            double millis = -1;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    if (found == null && line.startsWith(marker)) {
                        millis = (System.nanoTime() - start) / 1e6;
                        found = line;
                    }
                }
            }
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", args) + " did not end within 120 s");
            }
            if (found == null) throw new IllegalStateException(String.join(" ", args.subList(2, args.size())) + " never printed '" + marker + "'");
            return new Timed(millis, found);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Where the probes' class files are: bench's classes directory or jar. */
    private static Path classesDir() {
        try {
            return Path.of(ColdStartProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private ColdStartBenchmark() {
    }
}

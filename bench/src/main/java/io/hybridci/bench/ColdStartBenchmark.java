package io.hybridci.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Cold start, partly: each function's shaded jar size, and the floor: a fresh JVM from that jar that only
 * creates one SDK client. The time to a function's first handled event is not measured yet (see
 * docs/BENCHMARKS.md): it needs each handler's environment and a first event per trigger.
 */
final class ColdStartBenchmark {

    /** One function: its jar, the jar's size, and the floor JVM's wall time per run. */
    record FunctionRow(String function, String jar, long jarBytes, double jarMegabytes, boolean under15Mb, Stats floorJvmMillis,
                       Double firstEventMillis) {}

    record Result(String benchmark, int runsPerFunction, List<FunctionRow> functions, String notMeasured) {}

    static Result run(Path home, int runs) {
        List<FunctionRow> rows = new ArrayList<>();
        Path probeClasses = classesDir();
        try (var dirs = Files.list(home.resolve("functions"))) {
            for (Path dir : dirs.sorted().toList()) {
                Path target = dir.resolve("target");
                if (!Files.isDirectory(target)) continue;
                Path jar;
                try (var jars = Files.list(target)) {
                    jar = jars.filter(p -> p.getFileName().toString().endsWith("-lambda.jar")).findFirst().orElse(null);
                }
                if (jar == null) continue;
                List<Double> floor = new ArrayList<>();
                for (int i = 0; i < runs; i++) floor.add(timeJvm(jar, probeClasses));
                long bytes = Files.size(jar);
                rows.add(new FunctionRow(dir.getFileName().toString(), home.relativize(jar).toString(), bytes,
                        Math.round(bytes / 1048576.0 * 100) / 100.0, bytes < 15L * 1024 * 1024, Stats.of(floor), null));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Result("coldstart", runs, rows,
                "time from a fresh JVM to a function's first handled event (needs the handler's environment and a first event per trigger)");
    }

    private static double timeJvm(Path jar, Path probeClasses) {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", jar + java.io.File.pathSeparator + probeClasses, ColdStartProbe.class.getName())
                .redirectErrorStream(true);
        builder.environment().put("AWS_REGION", "us-east-1");
        builder.environment().put("AWS_ACCESS_KEY_ID", "local");
        builder.environment().put("AWS_SECRET_ACCESS_KEY", "local");
        long start = System.nanoTime();
        try {
            Process process = builder.start();
            process.getInputStream().readAllBytes();
            if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("the floor JVM of " + jar + " did not end within 60 s");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return (System.nanoTime() - start) / 1e6;
    }

    /** Where ColdStartProbe's class file is: bench's classes directory or jar. */
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

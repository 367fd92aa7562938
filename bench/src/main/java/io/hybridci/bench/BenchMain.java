package io.hybridci.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./hybridci bench <dispatch|throughput|coldstart|cost|apiload> [--builds N] [--agents N] [--seconds S] [--rate R] [--json FILE]}:
 * runs one benchmark against a local cloud started in this JVM, prints a table and writes the figures as JSON.
 */
public final class BenchMain {

    /** The command line, checked. */
    public record Options(String benchmark, int builds, int agents, int seconds, int rate, Path json) {
        /** Requests a second apiload offers unless {@code --rate} says otherwise. */
        static final int DEFAULT_RATE = 100;

        public Options {
            if (!List.of("dispatch", "throughput", "coldstart", "cost", "apiload").contains(benchmark)) {
                throw new IllegalArgumentException("unknown benchmark '" + benchmark + "': dispatch, throughput, coldstart, cost or apiload");
            }
            if (builds < 1 || agents < 1 || seconds < 1 || rate < 1) {
                throw new IllegalArgumentException("--builds, --agents, --seconds and --rate must be ≥ 1");
            }
        }

        public Options(String benchmark, int builds, int agents, int seconds, Path json) {
            this(benchmark, builds, agents, seconds, DEFAULT_RATE, json);
        }

        static Options parse(String[] args) {
            if (args.length == 0) throw new IllegalArgumentException("which benchmark? dispatch, throughput, coldstart, cost or apiload");
            int builds = 200, agents = 4, seconds = 120, rate = DEFAULT_RATE;
            Path json = null;
            for (int i = 1; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                if (value == null) throw new IllegalArgumentException(args[i] + " needs a value");
                switch (args[i]) {
                    case "--builds" -> builds = Integer.parseInt(value);
                    case "--agents" -> agents = Integer.parseInt(value);
                    case "--seconds" -> seconds = Integer.parseInt(value);
                    case "--rate" -> rate = Integer.parseInt(value);
                    case "--json" -> json = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
                i++;
            }
            return new Options(args[0], builds, agents, seconds, rate, json != null ? json : Path.of("bench-" + args[0] + ".json"));
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static void main(String[] args) throws IOException {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.println("usage: ./hybridci bench <dispatch|throughput|coldstart|cost|apiload> [--builds N] [--agents N] [--seconds S] [--rate R] [--json FILE]");
            System.exit(2);
            return;
        }
        Map<String, Object> report = run(options);
        System.out.println(Table.render(report));
        System.out.println("JSON: " + options.json().toAbsolutePath());
        System.exit(0);
    }

    /** Runs the benchmark and writes {@code options.json()}; returns what was written. */
    public static Map<String, Object> run(Options options) throws IOException {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("machine", machine());
        report.put("options", options);
        Object result;
        if (options.benchmark().equals("coldstart")) {
            result = ColdStartBenchmark.run(BenchCloud.home(), options.builds());
        } else {
            try (BenchCloud cloud = BenchCloud.start()) {
                result = switch (options.benchmark()) {
                    case "dispatch" -> DispatchBenchmark.run(cloud, options.builds());
                    case "throughput" -> ThroughputBenchmark.run(cloud, options.agents(), options.seconds());
                    case "apiload" -> ApiLoadBenchmark.run(cloud, options.seconds(), options.rate());
                    default -> CostBenchmark.run(cloud, options.builds());
                };
            }
        }
        report.put("result", result);
        Path parent = options.json().toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        JSON.writeValue(options.json().toFile(), report);
        @SuppressWarnings("unchecked")
        Map<String, Object> written = JSON.readValue(options.json().toFile(), Map.class);
        return written;
    }

    /** What the figures were taken on: they mean nothing without it. */
    static Map<String, Object> machine() {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("date", java.time.Instant.now().toString());
        machine.put("processors", Runtime.getRuntime().availableProcessors());
        machine.put("loadAverage1m", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        machine.put("javaVersion", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        List<String> notes = new ArrayList<>();
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()
                > Runtime.getRuntime().availableProcessors()) {
            notes.add("the machine was loaded (load average above the core count): figures are not representative");
        }
        machine.put("notes", notes);
        return machine;
    }

    private BenchMain() {
    }
}

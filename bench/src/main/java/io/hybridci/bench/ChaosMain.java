package io.hybridci.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code ./hybridci chaos [--builds N] [--agents N] [--seed S] [--json FILE] ...}: runs {@link ChaosRun}, prints
 * the faults injected, the counts and every check, writes them as JSON, and exits 1 when a check failed.
 */
public final class ChaosMain {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static void main(String[] args) throws Exception {
        ChaosRun.Options options;
        try {
            options = ChaosRun.Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("chaos: " + e.getMessage());
            System.err.println(ChaosRun.Options.USAGE);
            System.exit(2);
            return;
        }
        System.out.printf("chaos: %d builds, %d agents, seed %d, %d kills, %d restarts (replay with --seed %d)%n",
                options.builds(), options.agents(), options.seed(), options.kills(), options.restarts(), options.seed());
        ChaosRun.Report report = ChaosRun.run(options);
        System.out.println(render(report));
        write(report, options.json());
        System.out.println("JSON: " + options.json().toAbsolutePath());
        System.exit(report.passed() ? 0 : 1);
    }

    static void write(ChaosRun.Report report, Path json) throws java.io.IOException {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("machine", BenchMain.machine());
        document.put("report", report);
        Path parent = json.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        JSON.writeValue(json.toFile(), document);
    }

    static String render(ChaosRun.Report report) {
        StringBuilder text = new StringBuilder();
        text.append(String.format("chaos run of %.0f s%n", report.seconds()));
        text.append("faults injected:\n");
        report.faults().forEach((k, v) -> text.append(String.format("  %-32s %s%n", k, v)));
        text.append("counts:\n");
        report.counts().forEach((k, v) -> text.append(String.format("  %-32s %s%n", k, v)));
        text.append("checks:\n");
        for (ChaosRun.Check check : report.checks()) {
            text.append(String.format("  [%s] %s: %s%n", check.ok() ? "ok" : "FAILED", check.name(), check.detail()));
        }
        text.append(report.passed() ? "every check holds\n" : "A CHECK FAILED\n");
        return text.toString();
    }

    private ChaosMain() {
    }
}

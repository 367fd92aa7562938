package io.hybridci.bench;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./hybridci bench apiload --seconds S --rate R}: a second JVM on loopback ({@link ApiLoadClient})
 * offers R requests a second for S seconds to the user API and the agent routes of the local cloud in this
 * JVM, which holds a few builds so the lists are not empty. Reports what every route answered, latency
 * percentiles measured from each request's due time, and the control plane's CPU per request.
 */
final class ApiLoadBenchmark {

    /** Builds pushed before the load, so the build list and a build's page have something to serve. */
    static final int SEEDED_BUILDS = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    static Map<String, Object> run(BenchCloud cloud, int seconds, int rate) throws IOException {
        for (int i = 0; i < SEEDED_BUILDS; i++) {
            int status = cloud.push(BenchCloud.newCommit()).statusCode();
            if (status != 202) throw new IllegalStateException("seeding a build: the webhook answered " + status);
        }
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ApiLoadClient.class.getName(),
                cloud.cloud.baseUrl(), String.valueOf(seconds), String.valueOf(rate))
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("HYBRIDCI_ADMIN_TOKEN", cloud.cloud.credentials().adminToken());
        builder.environment().put("HYBRIDCI_REGISTRATION_TOKEN", cloud.cloud.credentials().registrationToken());
        CpuMeter before = CpuMeter.now();
        Process client = builder.start();
        String output;
        try {
            output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!client.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
                client.destroyForcibly();
                throw new IllegalStateException("the load client did not finish in " + (seconds + 60) + " s");
            }
        } catch (InterruptedException e) {
            client.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        CpuMeter used = CpuMeter.now().minus(before);
        if (client.exitValue() != 0) {
            throw new IllegalStateException("the load client exited " + client.exitValue() + ": " + output);
        }
        List<String> lines = output.lines().toList();
        @SuppressWarnings("unchecked")
        Map<String, Object> load = JSON.readValue(lines.getLast(), Map.class);
        Map<String, Object> result = new LinkedHashMap<>(load);
        long answered = ((Number) load.get("answered")).longValue();
        // This JVM is the whole control plane (gateway, functions, SQS); dynalite is a child process, and so is
        // the load client, so the children's figure would mix the two: the JVM's alone is reported.
        result.put("controlPlaneJvmCpuMillisPerRequest",
                answered == 0 ? 0 : Stats.round(used.jvmNanos() / 1e6 / answered));
        return result;
    }

    private ApiLoadBenchmark() {
    }
}

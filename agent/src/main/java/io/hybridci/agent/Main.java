package io.hybridci.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code ./hybridci agent}: parses the command line, starts one {@link Worker} per {@code --spawn},
 * and on SIGTERM stops them cleanly (jobs finished or canceled, {@code finished} sent, disconnected).
 * Exits 0 when every worker drained, 2 on a bad command line.
 */
public final class Main {

    /** The environment variable that may carry the registration token instead of {@code --token}. */
    public static final String TOKEN_ENV = "HYBRIDCI_AGENT_TOKEN";

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        String hostname = hostname();
        AgentOptions options;
        try {
            options = AgentOptions.parse(Arrays.asList(args), System.getenv(), hostname);
        } catch (AgentOptions.UsageException e) {
            if (e.getMessage().isEmpty()) {
                System.out.print(AgentOptions.USAGE); // asked for with --help
            } else {
                System.err.println("hybridci agent: " + e.getMessage());
                System.err.print(AgentOptions.USAGE);
            }
            System.exit(e.getMessage().isEmpty() ? 0 : 2);
            return;
        }
        ObjectMapper json = new ObjectMapper();
        ControlPlaneClient controlPlane = new ControlPlaneClient(options.controlPlane(),
                ControlPlaneClient.defaultHttpClient(), json);
        SqsClients sqsClients = new SqsClients();
        List<Worker> workers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < options.spawn(); i++) {
            Worker worker = new Worker(options.workerName(i), options, controlPlane, sqsClients::forRegistration,
                    json, Clock.systemUTC(), hostname);
            workers.add(worker);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            List<Thread> stops = new ArrayList<>();
            for (Worker worker : workers) {
                stops.add(Thread.ofPlatform().start(() -> {
                    try {
                        worker.shutdown();
                    } catch (InterruptedException ignored) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
            for (Thread stop : stops) {
                try {
                    stop.join(Duration.ofMinutes(2));
                } catch (InterruptedException ignored) {
                    return;
                }
            }
            System.err.println("hybridci agent: stopped");
        }, "agent-shutdown"));
        for (Worker worker : workers) {
            // Not daemons: the JVM lives as long as a worker does.
            threads.add(Thread.ofPlatform().name("worker-" + threads.size()).start(worker));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        System.err.println("hybridci agent: every worker drained; exiting");
        System.exit(0);
    }

    /**
     * One SQS client per endpoint and region, shared by the workers: an SDK client is costly to build
     * and thread-safe. Local mode names an endpoint; in AWS the default credential chain applies.
     */
    static final class SqsClients {
        private final Map<String, SqsClient> clients = new ConcurrentHashMap<>();

        SqsClient forRegistration(Registration registration) {
            String endpoint = registration.sqsEndpoint();
            return clients.computeIfAbsent(endpoint + "|" + registration.region(), ignored -> {
                var builder = SqsClient.builder()
                        .region(Region.of(registration.region()))
                        .httpClientBuilder(UrlConnectionHttpClient.builder()
                                .connectionTimeout(Duration.ofSeconds(5))
                                // Above the 20 s long-poll wait, so an empty receive is not a timeout.
                                .socketTimeout(Duration.ofSeconds(35)));
                if (endpoint != null && !endpoint.isBlank()) {
                    builder.endpointOverride(URI.create(endpoint))
                            .credentialsProvider(StaticCredentialsProvider.create(
                                    AwsBasicCredentials.create("local", "local")));
                } else {
                    builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
                }
                return builder.build();
            });
        }
    }

    private static String hostname() {
        String fromEnv = System.getenv("HOSTNAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "agent";
        }
    }
}

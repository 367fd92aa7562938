package io.hybridci.local.engine.sqs;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.hybridci.local.engine.LocalAws;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.elasticmq.server.ElasticMQServer;
import org.elasticmq.server.config.ElasticMQServerConfig;
import scala.Function0;
import scalikejdbc.ConnectionPool$;
import scalikejdbc.ConnectionPoolSettings;

/**
 * SQS for the local cloud: ElasticMQ embedded in this JVM, with queues, redrive policies and undeleted
 * messages kept in an H2 database under the data dir, so they survive a restart.
 *
 * <p>Queues are created by the caller through an {@code SqsClient}, as in AWS. The port should stay the
 * same across restarts: queue URLs carry it, and functions are configured with those URLs.
 *
 * <p>Differences from AWS worth knowing: deleting with an outdated receipt handle fails (AWS accepts it),
 * and there is no IAM or signature check.
 */
public final class LocalSqs implements AutoCloseable {

    private final Function0<?> shutdown;
    private final URI endpoint;

    private LocalSqs(Function0<?> shutdown, URI endpoint) {
        this.shutdown = shutdown;
        this.endpoint = endpoint;
    }

    /**
     * Starts ElasticMQ on {@code 127.0.0.1:port} with its message store in {@code dataDir}.
     * Returns once it accepts requests.
     */
    public static LocalSqs start(Path dataDir, int port) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create ElasticMQ data dir " + dataDir, e);
        }
        Map<String, Object> settings = new HashMap<>();
        settings.put("node-address.protocol", "http");
        settings.put("node-address.host", "127.0.0.1");
        settings.put("node-address.port", port);
        settings.put("node-address.context-path", "");
        settings.put("generate-node-address", false);
        settings.put("rest-sqs.enabled", true);
        settings.put("rest-sqs.bind-hostname", "127.0.0.1");
        settings.put("rest-sqs.bind-port", port);
        settings.put("rest-sqs.sqs-limits", "strict");
        // Without these, queue ARNs say "elasticmq" and functions that parse them break.
        settings.put("aws.region", LocalAws.REGION.id());
        settings.put("aws.accountId", LocalAws.ACCOUNT_ID);
        settings.put("queues-storage.enabled", false);
        // The SQL store keeps queue definitions and messages; the file-based queues-storage keeps only queues.
        settings.put("messages-storage.enabled", true);
        settings.put("messages-storage.driver-class", "org.h2.Driver");
        String messageStore = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("elasticmq");
        settings.put("messages-storage.uri", messageStore);
        settings.put("messages-storage.username", "");
        settings.put("messages-storage.password", "");
        settings.put("messages-storage.prune-data-on-init", false);
        Config config = ConfigFactory.parseMap(settings).withFallback(ConfigFactory.load()).resolve();
        pointDefaultPoolAt(messageStore);
        Function0<?> shutdown = new ElasticMQServer(new ElasticMQServerConfig(config)).start();
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        awaitQueuesRestored(endpoint);
        return new LocalSqs(shutdown, endpoint);
    }

    /**
     * ElasticMQ's SQL store opens scalikejdbc's JVM-wide default connection pool only for the first server of a JVM
     * ({@code org.elasticmq.persistence.sql.DB} keeps an "initialized" flag), so every later server in the same JVM
     * kept its queues and messages in the first one's database, whatever its data dir: tests and benchmarks that start
     * one cloud after another shared their queues. Pointing the default pool at this server's database before it
     * starts gives each its own; ElasticMQ, its flag set, leaves the pool alone, and its repositories create their
     * tables in the new database as they start.
     */
    private static synchronized void pointDefaultPoolAt(String jdbcUri) {
        ConnectionPool$ pools = ConnectionPool$.MODULE$;
        String name = pools.DEFAULT_NAME();
        if (pools.isInitialized(name) && pools.get(name).url().equals(jdbcUri)) {
            return;
        }
        ConnectionPoolSettings defaults = pools.singleton$default$4();
        pools.singleton(jdbcUri, "", "", defaults, pools.singleton$default$5(jdbcUri, "", "", defaults));
    }

    /**
     * ElasticMQ answers before its SQL store has finished re-creating persisted queues (seen as a
     * QueueDoesNotExist right after a restart). Wait until ListQueues gives the same count three polls
     * in a row, at most 3 s: a heuristic, as ElasticMQ exposes no "restored" signal.
     */
    private static void awaitQueuesRestored(URI endpoint) {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest listQueues = HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Target", "AmazonSQS.ListQueues")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        int lastCount = -1;
        int stablePolls = 0;
        while (stablePolls < 3 && System.nanoTime() < deadline) {
            try {
                String body = http.send(listQueues, HttpResponse.BodyHandlers.ofString()).body();
                int count = body.split("http://", -1).length - 1;
                stablePolls = count == lastCount ? stablePolls + 1 : 0;
                lastCount = count;
                Thread.sleep(50);
            } catch (IOException e) {
                stablePolls = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The endpoint to give an SqsClient's {@code endpointOverride}; queue URLs start with it. */
    public URI endpoint() {
        return endpoint;
    }

    /** Stops the server and its actor system, waiting until both are down. */
    @Override
    public void close() {
        shutdown.apply();
    }
}

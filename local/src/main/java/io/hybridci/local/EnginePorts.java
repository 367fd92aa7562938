package io.hybridci.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * The loopback ports of the engines that the gateway does not cover, chosen once and remembered in
 * {@code <data>/ports.properties}.
 *
 * <p>Why remember them: ElasticMQ's queue URLs contain its port, and those URLs are stored where a restart
 * cannot rewrite them (agents hold them from {@code register}, messages name them). The EventBridge and
 * Secrets Manager endpoints are remembered too, so logs and configs of one data dir stay comparable.
 * dynalite is not listed: only our own clients know its endpoint, and they are rebuilt at every start.
 *
 * @param sqs            ElasticMQ
 * @param eventBridge    the local EventBridge endpoint
 * @param secretsManager the local Secrets Manager endpoint
 */
public record EnginePorts(int sqs, int eventBridge, int secretsManager) {

    static final String FILE_NAME = "ports.properties";

    /** The ports remembered in {@code dataDir}, or new free ones, written there for the next start. */
    public static EnginePorts rememberedIn(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        if (Files.isRegularFile(file)) {
            Properties properties = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                properties.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
            return new EnginePorts(port(properties, "sqs", file), port(properties, "eventbridge", file),
                    port(properties, "secretsmanager", file));
        }
        EnginePorts chosen = new EnginePorts(freePort(), freePort(), freePort());
        chosen.writeTo(file);
        return chosen;
    }

    private void writeTo(Path file) {
        Properties properties = new Properties();
        properties.setProperty("sqs", Integer.toString(sqs));
        properties.setProperty("eventbridge", Integer.toString(eventBridge));
        properties.setProperty("secretsmanager", Integer.toString(secretsManager));
        Path temporary = file.resolveSibling(FILE_NAME + ".tmp");
        try (OutputStream out = Files.newOutputStream(temporary)) {
            properties.store(out, "Loopback ports of the local engines; queue URLs contain the sqs port, keep it stable");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + temporary, e);
        }
        try {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static int port(Properties properties, String key, Path file) {
        String value = properties.getProperty(key);
        try {
            int port = Integer.parseInt(value == null ? "" : value.trim());
            if (port < 1 || port > 65_535) throw new NumberFormatException();
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalStateException(file + ": '" + key + "' must be a port number, was " + value
                    + " (delete the file to choose new ports; queue URLs will change)");
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}

package io.hybridci.agent;

import io.hybridci.core.security.Secret;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * The agent's command line, parsed once and validated: {@code --url URL --token REGISTRATION_TOKEN
 * [--queue NAME]… [--name NAME] [--work-dir DIR] [--spawn N] [--cancel-grace SECONDS]}.
 *
 * @param controlPlane base URL of the control plane (the HTTP API, or {@code ./hybridci up}'s address)
 * @param registrationToken the {@code hcr_} token; a {@link Secret} so it never reaches a log
 * @param queues the agent queues to serve, {@code default} when none is given
 * @param name the agent's name; with {@code --spawn N} each worker gets {@code name-i}
 * @param workDir where each job gets a fresh checkout directory
 * @param spawn how many jobs run in parallel (each worker registers as its own agent)
 * @param cancelGrace time between SIGTERM and SIGKILL when a job is canceled
 */
public record AgentOptions(URI controlPlane, Secret registrationToken, List<String> queues, String name,
                           Path workDir, int spawn, Duration cancelGrace) {

    public static final String USAGE = """
            usage: hybridci agent --url URL --token REGISTRATION_TOKEN [--queue NAME]... [--name NAME]
                                  [--work-dir DIR] [--spawn N] [--cancel-grace SECONDS]
              --url           control plane URL, e.g. http://127.0.0.1:8080 (printed by ./hybridci up)
              --token         registration token (hcr_...); also read from HYBRIDCI_AGENT_TOKEN
              --queue         queue to take jobs from; repeat for several (default: default)
              --name          agent name (default: the host name)
              --work-dir      directory for job checkouts (default: ./.hybridci/agent-work)
              --spawn         jobs to run in parallel (default: 1)
              --cancel-grace  seconds between SIGTERM and SIGKILL on cancel (default: 10)
            """;

    public static final Duration DEFAULT_CANCEL_GRACE = Duration.ofSeconds(10);

    public AgentOptions {
        Objects.requireNonNull(controlPlane, "controlPlane");
        Objects.requireNonNull(registrationToken, "registrationToken");
        queues = List.copyOf(queues);
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(workDir, "workDir");
        Objects.requireNonNull(cancelGrace, "cancelGrace");
    }

    /** A command line the agent cannot run with; the message says which argument and why. */
    public static final class UsageException extends Exception {
        public UsageException(String message) {
            super(message);
        }
    }

    /**
     * Parses {@code args}. The token may also come from {@code HYBRIDCI_AGENT_TOKEN} in {@code env},
     * so it need not appear in {@code ps} output.
     */
    public static AgentOptions parse(List<String> args, java.util.Map<String, String> env, String hostName)
            throws UsageException {
        URI url = null;
        String token = env.get("HYBRIDCI_AGENT_TOKEN");
        LinkedHashSet<String> queues = new LinkedHashSet<>();
        String name = hostName;
        Path workDir = Path.of(".hybridci", "agent-work");
        int spawn = 1;
        Duration grace = DEFAULT_CANCEL_GRACE;
        List<String> rest = new ArrayList<>(args);
        for (int i = 0; i < rest.size(); i++) {
            String arg = rest.get(i);
            String option = arg;
            String inlineValue = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                option = arg.substring(0, eq);
                inlineValue = arg.substring(eq + 1);
            }
            if (option.equals("-h") || option.equals("--help")) {
                throw new UsageException("");
            }
            String value;
            if (inlineValue != null) {
                value = inlineValue;
            } else {
                if (i + 1 >= rest.size()) {
                    throw new UsageException(option.startsWith("--") && isKnown(option)
                            ? option + " needs a value" : "unknown argument '" + arg + "'");
                }
                value = rest.get(++i);
            }
            switch (option) {
                case "--url" -> url = parseUrl(value);
                case "--token" -> token = value;
                case "--queue" -> {
                    if (!value.matches("[a-z0-9][a-z0-9_-]{0,62}")) {
                        throw new UsageException("--queue '" + value + "' is not a queue name: use a-z, 0-9, _ and -, up to 63");
                    }
                    queues.add(value);
                }
                case "--name" -> {
                    if (value.isBlank()) {
                        throw new UsageException("--name must not be empty");
                    }
                    name = value;
                }
                case "--work-dir" -> workDir = Path.of(value);
                case "--spawn" -> spawn = parseInt("--spawn", value, 1, 64);
                case "--cancel-grace" -> grace = Duration.ofSeconds(parseInt("--cancel-grace", value, 0, 3600));
                default -> throw new UsageException("unknown argument '" + arg + "'");
            }
        }
        if (url == null) {
            throw new UsageException("--url is required");
        }
        if (token == null || token.isBlank()) {
            throw new UsageException("--token is required (or set HYBRIDCI_AGENT_TOKEN)");
        }
        if (queues.isEmpty()) {
            queues.add("default");
        }
        return new AgentOptions(url, Secret.of(token.strip()), List.copyOf(queues), name, workDir, spawn, grace);
    }

    /** The name worker {@code index} (0-based) registers under: the name itself when it is the only one. */
    public String workerName(int index) {
        return spawn == 1 ? name : name + "-" + (index + 1);
    }

    private static boolean isKnown(String option) {
        return List.of("--url", "--token", "--queue", "--name", "--work-dir", "--spawn", "--cancel-grace").contains(option);
    }

    private static URI parseUrl(String value) throws UsageException {
        try {
            URI uri = URI.create(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new UsageException("--url '" + value + "' must be an http:// or https:// URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new UsageException("--url '" + value + "' is not a URL: " + e.getMessage());
        }
    }

    private static int parseInt(String option, String value, int min, int max) throws UsageException {
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < min || parsed > max) {
                throw new UsageException(option + " must be between " + min + " and " + max + ", was " + parsed);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new UsageException(option + " must be a whole number, was '" + value + "'");
        }
    }
}

package io.hybridci.core.agentapi;

import java.util.List;
import java.util.Objects;

/**
 * The body of {@code POST /agent/v1/register}: who the agent says it is and which queues it serves.
 * The HTTP layer has checked presence and types; this record only keeps the invariants.
 *
 * @param name the agent's self-chosen name
 * @param queues the queues it will poll, at least one, no duplicates
 * @param version the agent software's version
 * @param hostname informational
 * @param os informational
 * @param arch informational
 */
public record RegisterRequest(String name, List<String> queues, String version, String hostname, String os,
                              String arch) {
    public RegisterRequest {
        Objects.requireNonNull(name, "name");
        queues = List.copyOf(Objects.requireNonNull(queues, "queues"));
        if (queues.isEmpty()) {
            throw new IllegalArgumentException("an agent serves at least one queue");
        }
        if (queues.stream().distinct().count() != queues.size()) {
            throw new IllegalArgumentException("queues must not repeat");
        }
    }
}

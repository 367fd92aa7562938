package io.hybridci.core.updates;

import com.fasterxml.jackson.databind.JsonNode;
import io.hybridci.core.deployment.Deployments;

import java.time.Instant;
import java.util.Objects;

/**
 * A schema-valid agent message body, typed. Only built from a body the events-schema validator
 * accepted, so every required field is present and well-formed.
 */
public sealed interface AgentUpdate {

    String jobId();

    String agentId();

    int attempt();

    /** Per job attempt, from 0: the FIFO dedup id and the ledger's replay key. */
    long seq();

    /** The agent began running the command. */
    record Started(String jobId, String agentId, int attempt, long seq, Instant startedAt) implements AgentUpdate {
        public Started {
            Objects.requireNonNull(jobId, "jobId");
            Objects.requireNonNull(agentId, "agentId");
        }
    }

    /** The next chunk of output; {@code offset} is the number of characters sent before it. */
    record Log(String jobId, String agentId, int attempt, long seq, long offset, String chunk) implements AgentUpdate {
        public Log {
            Objects.requireNonNull(jobId, "jobId");
            Objects.requireNonNull(agentId, "agentId");
            Objects.requireNonNull(chunk, "chunk");
        }
    }

    /** The command ended; {@code signal} is {@code null} unless a signal killed it. */
    record Finished(String jobId, String agentId, int attempt, long seq, int exitStatus, String signal,
                    Instant finishedAt) implements AgentUpdate {
        public Finished {
            Objects.requireNonNull(jobId, "jobId");
            Objects.requireNonNull(agentId, "agentId");
        }
    }

    /** A deploy job reached {@code phase} ({@code reason}: why it failed or rolled back, else null). */
    record Deploy(String jobId, String agentId, int attempt, long seq, Deployments.Phase phase, String reason)
            implements AgentUpdate {
        public Deploy {
            Objects.requireNonNull(jobId, "jobId");
            Objects.requireNonNull(agentId, "agentId");
            Objects.requireNonNull(phase, "phase");
        }
    }

    /** Maps a body already validated against {@code type}'s schema. */
    static AgentUpdate fromValidBody(AgentMessageType type, JsonNode body) {
        String jobId = body.get("jobId").asText();
        String agentId = body.get("agentId").asText();
        int attempt = body.get("attempt").asInt();
        long seq = body.get("seq").asLong();
        return switch (type) {
            case STARTED -> new Started(jobId, agentId, attempt, seq, Instant.parse(body.get("startedAt").asText()));
            case LOG -> new Log(jobId, agentId, attempt, seq, body.get("offset").asLong(), body.get("chunk").asText());
            case FINISHED -> new Finished(jobId, agentId, attempt, seq, body.get("exitStatus").asInt(),
                    body.get("signal").isNull() ? null : body.get("signal").asText(),
                    Instant.parse(body.get("finishedAt").asText()));
            case DEPLOY -> new Deploy(jobId, agentId, attempt, seq,
                    Deployments.Phase.ofWireName(body.get("phase").asText()).orElseThrow(),
                    body.path("reason").isTextual() ? body.get("reason").asText() : null);
        };
    }
}

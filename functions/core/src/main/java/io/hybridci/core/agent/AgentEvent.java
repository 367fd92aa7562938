package io.hybridci.core.agent;

import java.time.Instant;
import java.util.Objects;

/** Everything that can happen to an agent; {@link AgentTransitions#apply} switches over them. */
public sealed interface AgentEvent {

    Instant at();

    String actor();

    /**
     * A heartbeat: records {@code lastSeenAt} (and a renewed session's expiry, if any); the state stays.
     *
     * @param sessionExpiresAt the renewed session's expiry, or {@code null} when not renewed
     */
    record Ping(Instant at, Instant sessionExpiresAt, String actor) implements AgentEvent {
        public Ping {
            requireAll(at, actor);
        }
    }

    /** Stop taking new jobs: CONNECTED → PAUSED. */
    record Pause(Instant at, String actor) implements AgentEvent {
        public Pause {
            requireAll(at, actor);
        }
    }

    /** Take jobs again: PAUSED → CONNECTED. */
    record Resume(Instant at, String actor) implements AgentEvent {
        public Resume {
            requireAll(at, actor);
        }
    }

    /** Finish the current job, then disconnect: CONNECTED/PAUSED → DRAINING. */
    record Drain(Instant at, String actor) implements AgentEvent {
        public Drain {
            requireAll(at, actor);
        }
    }

    /** The reaper saw no ping for too long: → LOST. */
    record MarkLost(Instant at, String actor) implements AgentEvent {
        public MarkLost {
            requireAll(at, actor);
        }
    }

    /** The agent (or a user) ends the session: → DISCONNECTED. */
    record Disconnect(Instant at, String actor) implements AgentEvent {
        public Disconnect {
            requireAll(at, actor);
        }
    }

    /** The agent won {@code accept} for {@code jobId}: records it as its current job. */
    record AssignJob(String jobId, Instant at, String actor) implements AgentEvent {
        public AssignJob {
            requireAll(at, actor);
            Objects.requireNonNull(jobId, "jobId");
        }
    }

    /** The job ended (finished, canceled, failed as lost): the agent is idle again. */
    record ReleaseJob(String jobId, Instant at, String actor) implements AgentEvent {
        public ReleaseJob {
            requireAll(at, actor);
            Objects.requireNonNull(jobId, "jobId");
        }
    }

    /** A LOST agent pings again: → CONNECTED, idle (its job was already failed as lost). */
    record Reconnect(Instant at, Instant sessionExpiresAt, String actor) implements AgentEvent {
        public Reconnect {
            requireAll(at, actor);
        }
    }

    private static void requireAll(Instant at, String actor) {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
    }
}

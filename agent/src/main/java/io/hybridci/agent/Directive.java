package io.hybridci.agent;

import java.util.Objects;

/** What a ping's answer tells the agent to do (docs/agent-protocol.md, {@code ping}). */
public sealed interface Directive {

    /** Stop the job: it is being canceled or timed out, or is no longer this agent's. */
    record Cancel(String jobId) implements Directive {
        public Cancel {
            Objects.requireNonNull(jobId, "jobId");
        }
    }

    /** Finish the current job, take no more, disconnect and exit. */
    record Drain() implements Directive {}

    /** Take no new jobs while later pings still say so. */
    record Pause() implements Directive {}

    /** Switch to this session (token and signing key) from now on. */
    record NewSession(Session session) implements Directive {
        public NewSession {
            Objects.requireNonNull(session, "session");
        }
    }
}

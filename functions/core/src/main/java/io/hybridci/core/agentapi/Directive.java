package io.hybridci.core.agentapi;

import java.util.Objects;

/** What a ping's answer tells the agent to do (docs/agent-protocol.md, {@code ping}). */
public sealed interface Directive {

    /** Stop the job: it is being canceled or timed out, or the control plane no longer counts it as this agent's. */
    record Cancel(String jobId) implements Directive {
        public Cancel {
            Objects.requireNonNull(jobId, "jobId");
        }
    }

    /** Finish the current job, take no more, then disconnect. */
    record Drain() implements Directive {}

    /** Take no new jobs until resumed. */
    record Pause() implements Directive {}

    /** Use this new session from now on: the old one passed 75 % of its lifetime. */
    record Session(IssuedSession session) implements Directive {
        public Session {
            Objects.requireNonNull(session, "session");
        }
    }
}

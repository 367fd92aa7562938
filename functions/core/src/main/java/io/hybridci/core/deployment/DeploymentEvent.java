package io.hybridci.core.deployment;

import java.time.Instant;
import java.util.Objects;

/** Everything that can happen to a deployment; {@link DeploymentTransitions#apply} switches over them. */
public sealed interface DeploymentEvent {

    Instant at();

    String actor();

    /**
     * A person approves: stays PENDING_APPROVAL with {@code approvedBy} recorded; the deploy job then waits for the
     * environment's slot, and {@code StartDeploy} moves it on (so the idle colour is chosen only once no other
     * deploy of the environment can run).
     */
    record Approve(String actor, Instant at) implements DeploymentEvent {
        public Approve {
            requireAll(at, actor);
        }
    }

    /** A person rejects: PENDING_APPROVAL → FAILED. */
    record Reject(String actor, String reason, Instant at) implements DeploymentEvent {
        public Reject {
            requireAll(at, actor);
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The deploy job holds the environment's slot and is queued: PENDING_APPROVAL → DEPLOYING (ungated or approved).
     *
     * @param color the slot it deploys to (the idle colour); null keeps the colour it was created with
     * @param replaces the deployment live in the environment now, if any (null keeps what it was created with)
     */
    record StartDeploy(Color color, String replaces, Instant at, String actor) implements DeploymentEvent {
        public StartDeploy {
            requireAll(at, actor);
        }

        public StartDeploy(Instant at, String actor) {
            this(null, null, at, actor);
        }
    }

    /** The new color is installed; health checks begin: DEPLOYING → VERIFYING. */
    record StartVerify(Instant at, String actor) implements DeploymentEvent {
        public StartVerify {
            requireAll(at, actor);
        }
    }

    /** Health checks passed and traffic switched: VERIFYING → LIVE. */
    record HealthPassed(Instant at, String actor) implements DeploymentEvent {
        public HealthPassed {
            requireAll(at, actor);
        }
    }

    /**
     * Health checks failed; the agent ran the rollback command and traffic never switched: VERIFYING → ROLLED_BACK
     * (the environment's live colour is unchanged).
     */
    record HealthFailed(String reason, Instant at, String actor) implements DeploymentEvent {
        public HealthFailed {
            requireAll(at, actor);
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The deploy job failed before traffic switched: DEPLOYING/VERIFYING → FAILED. */
    record Fail(String reason, Instant at, String actor) implements DeploymentEvent {
        public Fail {
            requireAll(at, actor);
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Traffic went back to the previous color: LIVE → ROLLED_BACK. */
    record RolledBack(String reason, Instant at, String actor) implements DeploymentEvent {
        public RolledBack {
            requireAll(at, actor);
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** A newer deployment of the environment went live: LIVE/PENDING_APPROVAL → SUPERSEDED. */
    record Supersede(String supersededBy, Instant at, String actor) implements DeploymentEvent {
        public Supersede {
            requireAll(at, actor);
            Objects.requireNonNull(supersededBy, "supersededBy");
        }
    }

    private static void requireAll(Instant at, String actor) {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
    }
}

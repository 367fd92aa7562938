package io.hybridci.core.deployment;

import io.hybridci.core.policy.Glob;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A place deployments go to ({@code production}, {@code staging}): its protection and what is live there now.
 * Created on the first deploy to it (unprotected) or through {@code PUT /api/v1/environments/{name}}.
 *
 * @param name lower-case name, {@link #NAME}
 * @param protection who and what may deploy here
 * @param liveColor the colour serving traffic, null before the first deployment went live
 * @param liveVersion the commit serving traffic, null before the first deployment went live
 * @param liveDeploymentId the deployment serving traffic, null before the first went live
 * @param previousDeploymentId the deployment that was live before it: what {@code rollback} puts back (null: none)
 * @param createdAt when it was created
 * @param version optimistic-lock counter
 * @param updatedAt when it last changed
 * @param lastActor who changed it last
 */
public record Environment(
        String name,
        Protection protection,
        Color liveColor,
        String liveVersion,
        String liveDeploymentId,
        String previousDeploymentId,
        Instant createdAt,
        long version,
        Instant updatedAt,
        String lastActor) {

    /**
     * What an environment name may be: it is part of a concurrency group, an event and a URL; the same as a
     * pipeline's {@code deploy.environment} ({@code PipelineParser.ENVIRONMENT_NAME}).
     */
    public static final Pattern NAME = Pattern.compile("^[a-z0-9][a-z0-9_-]{0,62}$");

    public Environment {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(protection, "protection");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(lastActor, "lastActor");
        if (version < 1) {
            throw new IllegalArgumentException("version starts at 1, was " + version);
        }
    }

    /** A new environment with {@code protection}, nothing live, version 1. */
    public static Environment created(String name, Protection protection, Instant at, String actor) {
        return new Environment(name, protection, null, null, null, null, at, 1, at, actor);
    }

    /** Whether {@code name} is a valid environment name. */
    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** The colour a blue-green deployment goes to now: the idle one (blue for the first deployment). */
    public Color idleColor() {
        return liveColor == null ? Color.BLUE : liveColor.other();
    }

    /** The next version with {@code protection} (live state unchanged). */
    public Environment withProtection(Protection newProtection, Instant at, String actor) {
        return new Environment(name, newProtection, liveColor, liveVersion, liveDeploymentId, previousDeploymentId,
                createdAt, version + 1, at, actor);
    }

    /** The next version with {@code deployment} live and {@code previous} as what a rollback puts back. */
    public Environment withLive(Deployment deployment, String previous, Instant at, String actor) {
        return new Environment(name, protection, deployment.color(), deployment.commit(), deployment.id(), previous,
                createdAt, version + 1, at, actor);
    }

    /**
     * Who and what may deploy to an environment.
     *
     * @param requireApproval a deploy waits (PENDING_APPROVAL) until a person approves it
     * @param allowedBranches globs ({@link Glob}) a build's branch must match; empty: every branch (and tag builds)
     * @param allowedRoles roles ({@code admin}, {@code operator}) that may approve; empty: every role that may approve
     */
    public record Protection(boolean requireApproval, List<String> allowedBranches, List<String> allowedRoles) {

        public static final Protection NONE = new Protection(false, List.of(), List.of());

        public Protection {
            allowedBranches = List.copyOf(allowedBranches);
            allowedRoles = allowedRoles.stream().map(role -> role.toLowerCase(Locale.ROOT)).toList();
        }

        /**
         * Why a build of {@code branch} may not deploy here, or empty when it may. A build without a branch (a
         * tag) may deploy only to an environment that names no branches.
         */
        public Optional<String> refusal(String environment, String branch) {
            if (allowedBranches.isEmpty()) {
                return Optional.empty();
            }
            if (branch != null && allowedBranches.stream().anyMatch(glob -> Glob.matches(glob, branch))) {
                return Optional.empty();
            }
            return Optional.of("environment \"" + environment + "\" allows deploys only from branches "
                    + String.join(", ", allowedBranches) + "; this build is "
                    + (branch == null ? "not on a branch" : "on branch \"" + branch + "\""));
        }

        /** Whether a caller of {@code role} may approve a deploy here. */
        public boolean allowsApprovalBy(String role) {
            return allowedRoles.isEmpty() || (role != null && allowedRoles.contains(role.toLowerCase(Locale.ROOT)));
        }
    }
}

package io.hybridci.core.deployment;

/**
 * Where a deployment of one version to one environment is. Blue-green: the new version goes to
 * the idle color, is verified there, then takes the traffic. Each constant says who moves it.
 */
public enum DeploymentState {
    /**
     * Created by the build-planner from a deploy step. Moved by a user's approval through the api
     * ({@code Approve} → DEPLOYING) or rejection (→ FAILED), by the deploy job starting on an
     * ungated environment ({@code StartDeploy} → DEPLOYING), or by the state-reactor when a newer
     * deployment of the environment goes live first ({@code Supersede} → SUPERSEDED: a stale
     * approval must not ship old code).
     */
    PENDING_APPROVAL,
    /**
     * The deploy job installs the version on the idle color. Moved by the job-updater from the
     * agent's report ({@code StartVerify} → VERIFYING, {@code Fail} → FAILED).
     */
    DEPLOYING,
    /**
     * Health checks run against the new color before it takes traffic. Moved by the job-updater
     * ({@code HealthPassed} → LIVE, {@code HealthFailed} / {@code Fail} → FAILED).
     */
    VERIFYING,
    /**
     * The new color serves traffic. Moved by the state-reactor when a newer deployment goes live
     * ({@code Supersede} → SUPERSEDED), or by a user's rollback ({@code RolledBack} → ROLLED_BACK).
     */
    LIVE,
    /** Terminal: rejected, or failed before taking traffic (the previous color kept serving). */
    FAILED,
    /** Terminal: was live, traffic went back to the previous color. */
    ROLLED_BACK,
    /** Terminal: a newer deployment of the environment went live (or was approved first). */
    SUPERSEDED;

    public boolean isTerminal() {
        return switch (this) {
            case FAILED, ROLLED_BACK, SUPERSEDED -> true;
            case PENDING_APPROVAL, DEPLOYING, VERIFYING, LIVE -> false;
        };
    }
}

package io.hybridci.core.deployment;

/**
 * Where a deployment of one version to one environment is. Blue-green: the new version goes to
 * the idle color, is verified there, then takes the traffic. Each constant says who moves it.
 */
public enum DeploymentState {
    /**
     * Created by the state-reactor when the deploy job is ready. A user's approval through the api records the
     * approver and keeps it here ({@code Approve}); rejection → FAILED. The state-reactor moves it on once the job
     * holds its environment's slot ({@code StartDeploy} → DEPLOYING, ungated or approved), or fails it when the job
     * ends first ({@code Reject}). {@code Supersede} → SUPERSEDED is in the table for a newer deployment that goes
     * live first; nothing applies it yet (docs/deployments.md).
     */
    PENDING_APPROVAL,
    /**
     * The deploy job installs the version on the idle color. Moved by the job-updater from the
     * agent's report ({@code StartVerify} → VERIFYING, {@code Fail} → FAILED).
     */
    DEPLOYING,
    /**
     * Health checks run against the new color before it takes traffic. Moved by the job-updater
     * ({@code HealthPassed} → LIVE, {@code HealthFailed} → ROLLED_BACK after the rollback command,
     * {@code Fail} → FAILED), or by the state-reactor when the job ends first ({@code Fail}).
     */
    VERIFYING,
    /**
     * The new color serves traffic. Moved by the state-reactor when a newer deployment goes live
     * ({@code Supersede} → SUPERSEDED), or by a user's rollback ({@code RolledBack} → ROLLED_BACK).
     */
    LIVE,
    /** Terminal: rejected, or failed before taking traffic (the previous color kept serving). */
    FAILED,
    /** Terminal: rolled back: a failed health check (traffic never moved), or a rollback of a live deployment. */
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

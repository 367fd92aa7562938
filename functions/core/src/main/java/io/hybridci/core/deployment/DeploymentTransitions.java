package io.hybridci.core.deployment;

import io.hybridci.core.deployment.DeploymentEvent.Approve;
import io.hybridci.core.deployment.DeploymentEvent.Fail;
import io.hybridci.core.deployment.DeploymentEvent.HealthFailed;
import io.hybridci.core.deployment.DeploymentEvent.HealthPassed;
import io.hybridci.core.deployment.DeploymentEvent.Reject;
import io.hybridci.core.deployment.DeploymentEvent.RolledBack;
import io.hybridci.core.deployment.DeploymentEvent.StartDeploy;
import io.hybridci.core.deployment.DeploymentEvent.StartVerify;
import io.hybridci.core.deployment.DeploymentEvent.Supersede;
import io.hybridci.core.statemachine.RejectionReason;
import io.hybridci.core.statemachine.Transition;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static io.hybridci.core.deployment.DeploymentState.DEPLOYING;
import static io.hybridci.core.deployment.DeploymentState.FAILED;
import static io.hybridci.core.deployment.DeploymentState.LIVE;
import static io.hybridci.core.deployment.DeploymentState.PENDING_APPROVAL;
import static io.hybridci.core.deployment.DeploymentState.ROLLED_BACK;
import static io.hybridci.core.deployment.DeploymentState.SUPERSEDED;
import static io.hybridci.core.deployment.DeploymentState.VERIFYING;

/**
 * The deployment state machine.
 *
 * <pre>
 * from               event                      to
 * PENDING_APPROVAL   Approve                    PENDING_APPROVAL (records approvedBy)
 * PENDING_APPROVAL   StartDeploy (ungated or approved) DEPLOYING (records colour and the live one it replaces)
 * PENDING_APPROVAL   Reject                     FAILED
 * PENDING_APPROVAL   Supersede                  SUPERSEDED
 * DEPLOYING          StartVerify                VERIFYING
 * DEPLOYING          Fail                       FAILED
 * VERIFYING          HealthPassed               LIVE
 * VERIFYING          HealthFailed               ROLLED_BACK (the rollback command ran; live colour unchanged)
 * VERIFYING          Fail                       FAILED
 * LIVE               RolledBack                 ROLLED_BACK
 * LIVE               Supersede                  SUPERSEDED
 * </pre>
 *
 * An event whose target is the current state is {@code ALREADY_APPLIED}; terminal states
 * (FAILED, ROLLED_BACK, SUPERSEDED) reject everything else with {@code TERMINAL}. Going live does
 * not supersede the previous deployment by itself: the state-reactor applies {@code Supersede} to
 * it (a second single-item write, no transaction).
 */
public final class DeploymentTransitions {

    private static final Map<DeploymentState, Set<DeploymentState>> ALLOWED = buildAllowed();

    private DeploymentTransitions() {
    }

    /** The edges of the table above as data. */
    public static Map<DeploymentState, Set<DeploymentState>> allowed() {
        return ALLOWED;
    }

    public static Transition<Deployment> apply(Deployment deployment, DeploymentEvent event) {
        Objects.requireNonNull(deployment, "deployment");
        Objects.requireNonNull(event, "event");
        return switch (event) {
            case Approve approve -> approve(deployment, approve);
            case StartDeploy start -> deployment.approvalRequired() && deployment.state() == PENDING_APPROVAL
                    && deployment.approvedBy() == null
                    ? Transition.rejected(RejectionReason.APPROVAL_REQUIRED,
                            "deployment " + deployment.id() + " to " + deployment.environment() + " needs an approval")
                    : startDeploy(deployment, start);
            case Reject reject -> move(deployment, event, FAILED, null, reject.reason(), Set.of(PENDING_APPROVAL));
            case StartVerify _ -> move(deployment, event, VERIFYING, deployment.approvedBy(), null, Set.of(DEPLOYING));
            case HealthPassed _ -> move(deployment, event, LIVE, deployment.approvedBy(), null, Set.of(VERIFYING));
            case HealthFailed failed -> move(deployment, event, ROLLED_BACK, deployment.approvedBy(), failed.reason(),
                    Set.of(VERIFYING));
            case Fail fail -> move(deployment, event, FAILED, deployment.approvedBy(), fail.reason(),
                    Set.of(DEPLOYING, VERIFYING));
            case RolledBack rolledBack -> move(deployment, event, ROLLED_BACK, deployment.approvedBy(),
                    rolledBack.reason(), Set.of(LIVE));
            case Supersede supersede -> move(deployment, event, SUPERSEDED, deployment.approvedBy(),
                    "superseded_by:" + supersede.supersededBy(), Set.of(PENDING_APPROVAL, LIVE));
        };
    }

    private static Transition<Deployment> approve(Deployment deployment, Approve approve) {
        if (deployment.state() == PENDING_APPROVAL && deployment.approvedBy() == null) {
            return Transition.moved(deployment.next(PENDING_APPROVAL, approve.actor(), deployment.reason(), approve.at(),
                    approve.actor()));
        }
        if (deployment.approvedBy() != null && !deployment.state().isTerminal()) {
            return Transition.rejected(RejectionReason.ALREADY_APPLIED,
                    "deployment " + deployment.id() + " was already approved by " + deployment.approvedBy());
        }
        return move(deployment, approve, PENDING_APPROVAL, approve.actor(), null, Set.of());
    }

    private static Transition<Deployment> startDeploy(Deployment deployment, StartDeploy start) {
        Transition<Deployment> moved = move(deployment, start, DEPLOYING, deployment.approvedBy(), null,
                Set.of(PENDING_APPROVAL));
        if (moved instanceof Transition.Moved<Deployment>(Deployment next)) {
            return Transition.moved(deployment.next(DEPLOYING,
                    start.color() != null ? start.color() : deployment.color(),
                    start.replaces() != null ? start.replaces() : deployment.replaces(),
                    next.approvedBy(), next.reason(), start.at(), start.actor()));
        }
        return moved;
    }

    private static Transition<Deployment> move(Deployment deployment, DeploymentEvent event, DeploymentState to,
                                               String approvedBy, String reason, Set<DeploymentState> from) {
        if (deployment.state() == to) {
            return Transition.rejected(RejectionReason.ALREADY_APPLIED,
                    name(event) + " already applied to deployment " + deployment.id());
        }
        if (deployment.state().isTerminal()) {
            return Transition.rejected(RejectionReason.TERMINAL,
                    "deployment " + deployment.id() + " is " + deployment.state() + "; " + name(event) + " ignored");
        }
        if (!from.contains(deployment.state())) {
            return Transition.rejected(RejectionReason.ILLEGAL_TRANSITION,
                    name(event) + " does not apply to deployment " + deployment.id() + " in state "
                            + deployment.state());
        }
        return Transition.moved(deployment.next(to, approvedBy, reason != null ? reason : deployment.reason(),
                event.at(), event.actor()));
    }

    private static String name(DeploymentEvent event) {
        return event.getClass().getSimpleName();
    }

    private static Map<DeploymentState, Set<DeploymentState>> buildAllowed() {
        Map<DeploymentState, Set<DeploymentState>> table = new EnumMap<>(DeploymentState.class);
        for (DeploymentState state : DeploymentState.values()) {
            table.put(state, Collections.unmodifiableSet(EnumSet.noneOf(DeploymentState.class)));
        }
        table.put(PENDING_APPROVAL, Collections.unmodifiableSet(
                EnumSet.of(PENDING_APPROVAL, DEPLOYING, FAILED, SUPERSEDED)));
        table.put(DEPLOYING, Collections.unmodifiableSet(EnumSet.of(VERIFYING, FAILED)));
        table.put(VERIFYING, Collections.unmodifiableSet(EnumSet.of(LIVE, FAILED, ROLLED_BACK)));
        table.put(LIVE, Collections.unmodifiableSet(EnumSet.of(ROLLED_BACK, SUPERSEDED)));
        return Collections.unmodifiableMap(table);
    }
}

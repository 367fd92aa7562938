package io.hybridci.core.agentadmin;

import io.hybridci.core.agent.Agent;
import io.hybridci.core.agent.AgentEvent;
import io.hybridci.core.job.JobEvent;
import io.hybridci.core.port.AgentRepository;
import io.hybridci.core.port.AgentSession;
import io.hybridci.core.port.CredentialStore;
import io.hybridci.core.port.JobRepository;
import io.hybridci.core.port.Page;
import io.hybridci.core.statemachine.RejectionReason;
import io.hybridci.core.updates.ConditionalWrites;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The admin's agent routes: list, pause, resume, drain, and remove. Removal is the forced version of an
 * agent's own disconnect: its sessions are revoked (its token gets 401 at once, its SQS messages fail the
 * signature check), it becomes DISCONNECTED, and its job is handled as the reaper handles a lost agent's
 * ({@code AgentLost}: FAILED exit −1 {@code agent_lost}, so the retry rules run it again).
 */
public final class AgentAdmin {

    /** An agent has one live session and at most a few renewed ones; more than this is a runaway loop. */
    static final int MAX_SESSIONS_REVOKED = 100;

    private final AgentRepository agents;
    private final JobRepository jobs;
    private final CredentialStore credentials;
    private final Clock clock;

    public AgentAdmin(AgentRepository agents, JobRepository jobs, CredentialStore credentials, Clock clock) {
        this.agents = Objects.requireNonNull(agents, "agents");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Page<Agent> list(int limit, Optional<String> cursor) {
        return agents.list(limit, cursor);
    }

    public Optional<Agent> find(String agentId) {
        return agents.find(agentId);
    }

    public AgentCommandResult command(String agentId, AgentCommand command, String actor) {
        Optional<Agent> found = agents.find(agentId);
        if (found.isEmpty()) {
            return new AgentCommandResult.NotFound();
        }
        Instant now = clock.instant();
        return outcome(ConditionalWrites.agent(agents, found.get(), current -> switch (command) {
            case PAUSE -> new AgentEvent.Pause(now, actor);
            case RESUME -> new AgentEvent.Resume(now, actor);
            case DRAIN -> new AgentEvent.Drain(now, actor);
        }), agentId);
    }

    /** Forces the agent out (see the class comment); removing a removed agent answers the same. */
    public AgentCommandResult remove(String agentId, String actor) {
        Optional<Agent> found = agents.find(agentId);
        if (found.isEmpty()) {
            return new AgentCommandResult.NotFound();
        }
        // Sessions first: from here on the agent can neither call the API nor get a message accepted.
        for (int revoked = 0; revoked < MAX_SESSIONS_REVOKED; revoked++) {
            Optional<AgentSession> session = credentials.currentSessionOf(agentId);
            if (session.isEmpty()) {
                break;
            }
            credentials.revokeSession(session.get().tokenHash());
        }
        Instant now = clock.instant();
        Agent before = found.get();
        AgentCommandResult result = outcome(ConditionalWrites.agent(agents, before,
                current -> new AgentEvent.Disconnect(now, actor)), agentId);
        String heldJob = result instanceof AgentCommandResult.Done done && done.agent().currentJobId() != null
                ? done.agent().currentJobId() : before.currentJobId();
        if (heldJob != null) {
            jobs.find(heldJob).filter(job -> agentId.equals(job.agentId()) && !job.state().isTerminal())
                    .ifPresent(job -> ConditionalWrites.job(jobs, job, current -> new JobEvent.AgentLost(agentId, now, actor)));
        }
        return result;
    }

    private AgentCommandResult outcome(ConditionalWrites.Result<Agent> result, String agentId) {
        return switch (result) {
            case ConditionalWrites.Result.Written<Agent> written -> new AgentCommandResult.Done(written.value());
            case ConditionalWrites.Result.Refused<Agent> refused when refused.reason() == RejectionReason.ALREADY_APPLIED ->
                    new AgentCommandResult.Done(refused.current());
            case ConditionalWrites.Result.Refused<Agent> refused -> new AgentCommandResult.Conflict("agent " + agentId
                    + " is " + refused.current().state() + ": " + refused.message());
            case ConditionalWrites.Result.Missing<Agent> _ -> new AgentCommandResult.NotFound();
            case ConditionalWrites.Result.GaveUp<Agent> _ -> new AgentCommandResult.Conflict("agent " + agentId
                    + " kept changing; try again");
        };
    }
}

package io.hybridci.core.agentapi;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hybridci.core.agent.Agent;
import io.hybridci.core.agent.AgentEvent;
import io.hybridci.core.agent.AgentState;
import io.hybridci.core.agent.AgentTransitions;
import io.hybridci.core.build.Build;
import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobEvent;
import io.hybridci.core.job.JobKind;
import io.hybridci.core.job.JobReason;
import io.hybridci.core.job.JobState;
import io.hybridci.core.job.JobTransitions;
import io.hybridci.core.pipeline.ParseResult;
import io.hybridci.core.pipeline.PipelineError;
import io.hybridci.core.pipeline.PipelineJson;
import io.hybridci.core.pipeline.PipelineParser;
import io.hybridci.core.port.AgentRepository;
import io.hybridci.core.port.AgentSession;
import io.hybridci.core.port.BuildRepository;
import io.hybridci.core.port.CredentialStore;
import io.hybridci.core.port.EventPublisher;
import io.hybridci.core.port.EventPublisher.BusEvent;
import io.hybridci.core.port.JobRepository;
import io.hybridci.core.port.RegistrationToken;
import io.hybridci.core.port.WriteResult;
import io.hybridci.core.reaction.ContendedWriteException;
import io.hybridci.core.security.Secret;
import io.hybridci.core.security.TokenKind;
import io.hybridci.core.security.Tokens;
import io.hybridci.core.statemachine.Actors;
import io.hybridci.core.statemachine.RejectionReason;
import io.hybridci.core.statemachine.Transition;
import io.hybridci.core.userapi.BootstrapBuilds;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The use cases behind the agent routes (docs/agent-protocol.md): register, authenticate, ping,
 * accept, pipeline upload and disconnect. HTTP and JSON stay in the api module; this class
 * decides, and writes through the ports with single-item conditional writes.
 *
 * <p>Every write follows the same loop: read, decide with the state machine, write conditionally
 * on the version read; a lost race re-reads and decides again (bounded by {@link #MAX_ATTEMPTS}).
 */
public final class AgentApi {

    /** Source and detail-type of the planner's input (events-schema {@code pipeline-uploaded}); core cannot import events-schema. */
    public static final String PIPELINE_UPLOADED_SOURCE = "hybridci.builds";
    public static final String PIPELINE_UPLOADED_DETAIL_TYPE = "Pipeline Uploaded";

    /**
     * Races on one agent or job item are between a handful of writers (the agent's own calls, the
     * reaper, job-updater); more losses in a row than this means something is wrong, not busy.
     */
    static final int MAX_ATTEMPTS = 5;

    /**
     * How long a session token stays valid after {@code ping} handed out its successor. The agent may
     * have calls in flight with the old token when the new one arrives; after this it has had many pings
     * to switch, and a leaked old token is worth nothing (DESIGN section 8, issue 6).
     */
    public static final Duration SESSION_OVERLAP = Duration.ofMinutes(5);

    private static final int SIGNING_KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<JobState> STOPPING = Set.of(JobState.CANCELING, JobState.TIMING_OUT);

    private final AgentRepository agents;
    private final JobRepository jobs;
    private final BuildRepository builds;
    private final CredentialStore credentials;
    private final EventPublisher events;
    private final AgentApiSettings settings;
    private final Clock clock;

    public AgentApi(AgentRepository agents, JobRepository jobs, BuildRepository builds, CredentialStore credentials,
                    EventPublisher events, AgentApiSettings settings, Clock clock) {
        this.agents = Objects.requireNonNull(agents, "agents");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.builds = Objects.requireNonNull(builds, "builds");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.events = Objects.requireNonNull(events, "events");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public AgentApiSettings settings() {
        return settings;
    }

    /**
     * Registers a new agent with a registration token ({@code hcr_}).
     *
     * @param registrationToken the bearer token as presented, possibly {@code null}
     */
    public Registration register(String registrationToken, RegisterRequest request) {
        Objects.requireNonNull(request, "request");
        Instant now = clock.instant();
        Optional<RegistrationToken> token = presentedAs(registrationToken, TokenKind.REGISTRATION)
                .flatMap(credentials::registrationTokenByHash)
                .filter(stored -> stored.validAt(now));
        if (token.isEmpty()) {
            return new Registration.Unauthorized();
        }
        List<String> unknown = request.queues().stream()
                .filter(queue -> !settings.jobQueueUrls().containsKey(queue)).toList();
        if (!unknown.isEmpty()) {
            return new Registration.UnknownQueues(unknown);
        }
        if (!token.get().allows(request.queues())) {
            return new Registration.QueuesNotAllowed(request.queues().stream()
                    .filter(queue -> !token.get().allowedQueues().contains(queue)).toList());
        }
        String agentId = UUID.randomUUID().toString();
        IssuedSession session = issueSession(agentId, now, null);
        Agent agent = Agent.registered(agentId, request.name(), request.queues(), request.version(), now,
                session.expiresAt(), Actors.agent(agentId));
        if (!agents.create(agent).written()) {
            // A random 122-bit id colliding is not a race to retry but a broken random source.
            throw new IllegalStateException("agent id collision on create: " + agentId);
        }
        Map<String, String> queueUrls = new LinkedHashMap<>();
        request.queues().forEach(queue -> queueUrls.put(queue, settings.jobQueueUrls().get(queue)));
        return new Registration.Registered(agent, session, queueUrls);
    }

    /**
     * The agent behind a session token ({@code hca_}): empty when the token is malformed, unknown,
     * expired or revoked, or its agent is gone or disconnected. Every case is the same 401 to the
     * caller, on purpose: a probe learns nothing about which tokens exist.
     */
    public Optional<AuthenticatedAgent> authenticate(String sessionToken) {
        Instant now = clock.instant();
        return presentedAs(sessionToken, TokenKind.AGENT_SESSION)
                .flatMap(credentials::sessionByHash)
                .filter(session -> session.validAt(now))
                .filter(session -> !replacedBeforeOverlap(session, now))
                .flatMap(session -> agents.find(session.agentId())
                        .filter(agent -> agent.state() != AgentState.DISCONNECTED)
                        .map(agent -> new AuthenticatedAgent(agent, session)));
    }

    /**
     * A heartbeat: records {@code lastSeenAt} (a LOST agent reconnects), renews the session past
     * 75 % of its lifetime, and answers with what the agent must do.
     *
     * @param reportedJobId the job the agent says it runs, if any
     */
    public List<Directive> ping(AuthenticatedAgent caller, Optional<String> reportedJobId) {
        Instant now = clock.instant();
        Optional<IssuedSession> renewed = renewalDue(caller.session(), now)
                ? Optional.of(issueSession(caller.agentId(), now, caller.session().signingKey()))
                : Optional.empty();
        Instant renewedExpiry = renewed.map(IssuedSession::expiresAt).orElse(null);
        String actor = Actors.agent(caller.agentId());
        Agent agent;
        try {
            agent = updateAgent(caller.agentId(), current -> current.state() == AgentState.LOST
                    ? new AgentEvent.Reconnect(now, renewedExpiry, actor)
                    : new AgentEvent.Ping(now, renewedExpiry, actor)).orElse(caller.agent());
        } catch (ContendedWriteException contended) {
            if (renewed.isPresent()) {
                // The new session was not stored: handing it out would give the agent a token that fails.
                throw contended;
            }
            // A plain heartbeat that lost every race to other writes of this agent (pings sent in parallel):
            // those writes recorded it alive a moment ago, so answer from the latest state rather than fail.
            agent = agents.find(caller.agentId()).orElse(caller.agent());
        }

        List<Directive> directives = new ArrayList<>();
        Set<String> jobIds = new LinkedHashSet<>();
        reportedJobId.ifPresent(jobIds::add);
        if (agent.currentJobId() != null) {
            jobIds.add(agent.currentJobId());
        }
        for (String jobId : jobIds) {
            if (mustStop(agent.id(), jobs.find(jobId))) {
                directives.add(new Directive.Cancel(jobId));
            }
        }
        switch (agent.state()) {
            case DRAINING -> directives.add(new Directive.Drain());
            case PAUSED -> directives.add(new Directive.Pause());
            case CONNECTED, LOST, DISCONNECTED -> { }
        }
        renewed.ifPresent(session -> directives.add(new Directive.Session(session)));
        return List.copyOf(directives);
    }

    /**
     * Conditional QUEUED → ASSIGNED for the caller. The same agent accepting again gets the same
     * answer (idempotent); anyone else, or a job no longer QUEUED, gets a conflict.
     */
    public Acceptance accept(AuthenticatedAgent caller, String jobId) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<Job> found = jobs.find(jobId);
            if (found.isEmpty()) {
                return new Acceptance.NotFound();
            }
            Job job = found.get();
            Transition<Job> decided = JobTransitions.apply(job, new JobEvent.Accept(caller.agentId(), clock.instant()));
            switch (decided) {
                case Transition.Rejected<Job> rejected when rejected.reason() == RejectionReason.ALREADY_APPLIED -> {
                    holdOnAgent(caller.agentId(), job.id());
                    return accepted(job);
                }
                case Transition.Rejected<Job> rejected -> {
                    return new Acceptance.Conflict(conflictMessage(job, rejected));
                }
                case Transition.Moved<Job> moved -> {
                    Optional<String> busy = whyAgentCannotTake(caller.agentId(), job.id());
                    if (busy.isPresent()) {
                        return new Acceptance.Conflict(busy.get());
                    }
                    if (jobs.update(moved.next(), job.version()) instanceof WriteResult.Written<Job> written) {
                        holdOnAgent(caller.agentId(), job.id());
                        return accepted(written.value());
                    }
                    // Lost the race (another agent, a cancel, the reaper): read again and decide again.
                }
            }
        }
        return new Acceptance.Conflict("job " + jobId + " kept changing while being accepted");
    }

    /**
     * The bootstrap job's agent uploads {@code .hybridci/pipeline.yml}. The server's parser is the
     * authority; a valid pipeline goes to the planner as {@code Pipeline Uploaded} with the job id
     * as upload id, so a repeated upload plans once.
     */
    public PipelineUpload uploadPipeline(AuthenticatedAgent caller, String jobId, String pipelineText) {
        Objects.requireNonNull(pipelineText, "pipelineText");
        Optional<Job> found = jobs.find(jobId);
        if (found.isEmpty()) {
            return new PipelineUpload.NotFound();
        }
        Job job = found.get();
        if (job.kind() != JobKind.BOOTSTRAP) {
            return new PipelineUpload.NotBootstrap("job " + jobId + " is a " + job.kind()
                    + " job; only a build's bootstrap job uploads its pipeline");
        }
        if (!caller.agentId().equals(job.agentId())) {
            return new PipelineUpload.NotHeld("job " + jobId + " is not assigned to this agent");
        }
        return switch (job.state()) {
            case ASSIGNED, RUNNING -> parseAndPublish(caller, job, pipelineText);
            case PENDING, QUEUED, PASSED, FAILED, CANCELING, CANCELED, TIMING_OUT, TIMED_OUT, EXPIRED, SKIPPED,
                 BLOCKED -> new PipelineUpload.NotRunning("job " + jobId + " is " + job.state()
                    + "; a pipeline is uploaded while the job is ASSIGNED or RUNNING");
        };
    }

    /** The agent leaves for good: DISCONNECTED, and its session token stops working at once. */
    public void disconnect(AuthenticatedAgent caller) {
        updateAgent(caller.agentId(), current -> new AgentEvent.Disconnect(clock.instant(), Actors.agent(current.id())));
        credentials.revokeSession(caller.session().tokenHash());
    }

    private PipelineUpload parseAndPublish(AuthenticatedAgent caller, Job job, String pipelineText) {
        return switch (PipelineParser.parse(pipelineText)) {
            case ParseResult.Invalid invalid ->
                    new PipelineUpload.Invalid(invalid.errors().stream().map(PipelineError::toString).toList());
            case ParseResult.Parsed parsed when BootstrapBuilds.reservedKeyIn(parsed.pipeline()).isPresent() -> {
                // The planner could never create this step (a control-plane job has its id): refuse it here,
                // where the author sees why, instead of an event the planner rejects forever.
                String reserved = BootstrapBuilds.reservedKeyIn(parsed.pipeline()).get();
                yield new PipelineUpload.Invalid(List.of(PipelineError.inStep(reserved,
                        parsed.pipeline().steps().indexOf(parsed.pipeline().step(reserved).get()),
                        "key", "the key \"" + reserved + "\" is reserved for "
                                + (reserved.equals(BootstrapBuilds.BOOTSTRAP_KEY) ? "the bootstrap job"
                                        : "the fork pull request approval")
                                + "; choose another").toString()));
            }
            case ParseResult.Parsed parsed -> {
                recordPipelineSteps(job, parsed.pipeline().steps().size(), caller);
                ObjectNode detail = JsonNodeFactory.instance.objectNode();
                detail.put("buildId", job.buildId());
                detail.put("jobId", job.id());
                detail.put("agentId", caller.agentId());
                detail.put("uploadedAt", clock.instant().toString());
                detail.put("uploadId", job.id());
                detail.set("pipeline", PipelineJson.stepsToJson(parsed.pipeline().steps()));
                // pipeline-uploaded v2: the pipeline-wide env travels beside the steps; the planner
                // merges it under each step's own env.
                ObjectNode env = detail.putObject("env");
                parsed.pipeline().env().forEach(env::put);
                events.publish(List.of(new BusEvent(PIPELINE_UPLOADED_SOURCE, PIPELINE_UPLOADED_DETAIL_TYPE,
                        detail.toString())));
                yield new PipelineUpload.Uploaded(parsed.pipeline().steps().size());
            }
        };
    }

    /**
     * Sets the build's {@code pipelineSteps} unless set, <em>before</em> publishing (docs/data-model.md):
     * if the bootstrap job finished before the planner created the pipeline's jobs, the rollup
     * would otherwise see one passed job and call the build PASSED. The first upload wins; the
     * planner writes the same value if it gets there first.
     */
    private void recordPipelineSteps(Job bootstrap, int steps, AuthenticatedAgent caller) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Build build = builds.find(bootstrap.buildId()).orElseThrow(() -> new IllegalStateException(
                    "job " + bootstrap.id() + " has no build " + bootstrap.buildId()));
            if (build.pipelineSteps() != null) {
                return;
            }
            if (builds.update(build.withPipelineSteps(steps, clock.instant(), Actors.agent(caller.agentId())),
                    build.version()).written()) {
                return;
            }
        }
        throw new IllegalStateException("build " + bootstrap.buildId() + " kept changing while its pipeline steps"
                + " were recorded");
    }

    private Acceptance accepted(Job job) {
        // Every job is created after its build, so a missing build is corrupt data, not a client error.
        Build build = builds.find(job.buildId())
                .orElseThrow(() -> new IllegalStateException("job " + job.id() + " has no build " + job.buildId()));
        return new Acceptance.Accepted(job, build);
    }

    private static String conflictMessage(Job job, Transition.Rejected<Job> rejected) {
        return switch (rejected.reason()) {
            case WRONG_AGENT -> "job " + job.id() + " was accepted by another agent";
            case TERMINAL, ILLEGAL_TRANSITION -> "job " + job.id() + " is " + job.state() + ", no longer QUEUED";
            case ALREADY_APPLIED, WRONG_JOB, AGENT_BUSY, NOT_FINISHED, ALREADY_RETRIED, RETRY_NOT_ALLOWED,
                 APPROVAL_REQUIRED -> rejected.message();
        };
    }

    /**
     * Why the agent cannot take {@code jobId} now, if it cannot: paused, draining, or still holding
     * another job that is really running. A {@code currentJobId} pointing at a job that ended or
     * moved on is stale (its release was lost or not written yet) and is released here.
     */
    private Optional<String> whyAgentCannotTake(String agentId, String jobId) {
        Optional<Agent> read = agents.find(agentId);
        if (read.isEmpty()) {
            return Optional.of("agent " + agentId + " no longer exists");
        }
        Agent agent = read.get();
        if (agent.currentJobId() != null && !agent.currentJobId().equals(jobId)
                && !stillHolds(agentId, jobs.find(agent.currentJobId()))) {
            String stale = agent.currentJobId();
            agent = updateAgent(agentId, current -> new AgentEvent.ReleaseJob(stale, clock.instant(),
                    Actors.agent(agentId))).orElse(agent);
        }
        Transition<Agent> assign = AgentTransitions.apply(agent,
                new AgentEvent.AssignJob(jobId, clock.instant(), Actors.agent(agentId)));
        if (assign.isSuccessOrDuplicate()) {
            return Optional.empty();
        }
        return Optional.of(agent.isBusy() && !agent.currentJobId().equals(jobId)
                ? "agent " + agentId + " already holds job " + agent.currentJobId()
                : "agent " + agentId + " is " + agent.state() + " and takes no new jobs");
    }

    private void holdOnAgent(String agentId, String jobId) {
        updateAgent(agentId, current -> new AgentEvent.AssignJob(jobId, clock.instant(), Actors.agent(agentId)));
    }

    private static boolean stillHolds(String agentId, Optional<Job> job) {
        return job.filter(j -> agentId.equals(j.agentId()) && !j.state().isTerminal()).isPresent();
    }

    /**
     * Whether the agent must stop a job it runs or reports: the job is being canceled or timed
     * out, or the control plane no longer counts it as the agent's (it was failed as lost while
     * the agent was unreachable, or another agent holds it, or it does not exist).
     */
    private static boolean mustStop(String agentId, Optional<Job> found) {
        if (found.isEmpty()) {
            return true;
        }
        Job job = found.get();
        if (!agentId.equals(job.agentId())) {
            return true;
        }
        return STOPPING.contains(job.state()) || JobReason.AGENT_LOST.equals(job.reason());
    }

    /**
     * Applies an event to the stored agent with a conditional write, re-reading on a lost race.
     *
     * @return the agent as stored afterwards; empty when it does not exist
     */
    private Optional<Agent> updateAgent(String agentId, Function<Agent, AgentEvent> eventFor) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<Agent> read = agents.find(agentId);
            if (read.isEmpty()) {
                return Optional.empty();
            }
            Agent current = read.get();
            switch (AgentTransitions.apply(current, eventFor.apply(current))) {
                case Transition.Rejected<Agent> _ -> {
                    // Already applied, or not applicable in the agent's state: nothing to write.
                    return Optional.of(current);
                }
                case Transition.Moved<Agent> moved -> {
                    if (agents.update(moved.next(), current.version()) instanceof WriteResult.Written<Agent> written) {
                        return Optional.of(written.value());
                    }
                }
            }
        }
        throw new ContendedWriteException("agent " + agentId + " kept changing; gave up after " + MAX_ATTEMPTS
                + " conditional writes; try again");
    }

    private IssuedSession issueSession(String agentId, Instant now, String previousSigningKey) {
        Secret token = Tokens.generate(TokenKind.AGENT_SESSION);
        byte[] key = new byte[SIGNING_KEY_BYTES];
        RANDOM.nextBytes(key);
        Secret signingKey = Secret.of(Base64.getEncoder().encodeToString(key));
        Instant expiresAt = now.plus(settings.sessionLifetime());
        AgentSession session = new AgentSession(Tokens.sha256Hex(token), agentId, now, expiresAt,
                signingKey.reveal(), previousSigningKey, false);
        if (!credentials.putSession(session)) {
            throw new IllegalStateException("session token hash collision for agent " + agentId);
        }
        return new IssuedSession(token, expiresAt, signingKey);
    }

    /**
     * Whether a newer session of the same agent was issued more than {@link #SESSION_OVERLAP} ago: the old
     * token then no longer authenticates, though its own expiry (up to a quarter of a lifetime later) has
     * not come. Read from the agent's newest session rather than written onto the old one, so renewal
     * stays one put.
     */
    private boolean replacedBeforeOverlap(AgentSession session, Instant now) {
        return credentials.currentSessionOf(session.agentId())
                .filter(newest -> !newest.tokenHash().equals(session.tokenHash()))
                .filter(newest -> newest.issuedAt() != null && session.issuedAt() != null
                        && newest.issuedAt().isAfter(session.issuedAt()))
                .filter(newest -> !now.isBefore(newest.issuedAt().plus(SESSION_OVERLAP)))
                .isPresent();
    }

    private boolean renewalDue(AgentSession session, Instant now) {
        Instant issuedAt = session.issuedAt() != null ? session.issuedAt()
                : session.expiresAt().minus(settings.sessionLifetime());
        long lifetimeMillis = Duration.between(issuedAt, session.expiresAt()).toMillis();
        Instant renewAt = issuedAt.plusMillis((long) (lifetimeMillis * AgentApiSettings.RENEW_AT));
        return !now.isBefore(renewAt);
    }

    /** The hash to look up, only for a well-formed token of the expected kind: no lookup for junk. */
    private static Optional<String> presentedAs(String token, TokenKind kind) {
        return TokenKind.of(token).filter(kind::equals).map(ignored -> Tokens.sha256Hex(token));
    }
}

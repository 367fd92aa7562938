package io.hybridci.core.updates;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridci.core.agent.AgentEvent;
import io.hybridci.core.deployment.Deployments;
import io.hybridci.core.port.DeploymentStore;
import io.hybridci.core.port.inmemory.InMemoryDeploymentStore;
import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobEvent;
import io.hybridci.core.job.JobState;
import io.hybridci.core.port.AgentMessageLedger;
import io.hybridci.core.port.AgentRepository;
import io.hybridci.core.port.AgentSession;
import io.hybridci.core.port.CredentialStore;
import io.hybridci.core.port.JobRepository;
import io.hybridci.core.port.LogStore;
import io.hybridci.core.port.SecurityLog;
import io.hybridci.core.security.Hmac;
import io.hybridci.core.security.Secret;
import io.hybridci.core.security.SignatureCheck;
import io.hybridci.core.statemachine.Actors;
import io.hybridci.core.statemachine.RejectionReason;
import io.hybridci.core.updates.UpdateOutcome.AlreadyApplied;
import io.hybridci.core.updates.UpdateOutcome.Applied;
import io.hybridci.core.updates.UpdateOutcome.Ignored;
import io.hybridci.core.updates.UpdateOutcome.Rejected;
import io.hybridci.core.updates.UpdateOutcome.Retry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The job-updater's use case: one signed message from an agent ({@code started}, {@code log},
 * {@code finished}) → checked, then applied to its job with conditional writes.
 *
 * <p>Checks, in order (docs/agent-protocol.md), each failure written to the {@link SecurityLog}
 * under the SQS message id and acknowledged:
 * <ol>
 *   <li>the body is JSON of one of the agent-* schemas, the timestamp attribute is an instant ({@code malformed});</li>
 *   <li>the signature verifies with the claimed agent's current signing key, or its previous one
 *       during {@link #PREVIOUS_KEY_OVERLAP} after a rotation ({@code bad_signature});</li>
 *   <li>the signed timestamp is within {@link #MAX_CLOCK_SKEW} of our clock ({@code stale_timestamp});</li>
 *   <li>the job exists ({@code unknown_job}) and the agent holds this attempt of it ({@code not_assigned});</li>
 *   <li>the ledger has not seen (job, seq) under another SQS message id ({@code replay}).</li>
 * </ol>
 * The body is parsed before the signature is checked only because the body names the agent whose
 * key verifies it; nothing is written before every check has passed, so a forged message cannot
 * take a legitimate message's ledger slot.
 */
public final class AgentUpdates {

    /** How far a signed timestamp may be from our clock, either way (agent clocks drift; NTP is not a given on-prem). */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    /**
     * How long after a session renewal the previous signing key still verifies. The agent may have
     * signed messages with the old key just before it received the new one; they are at most
     * {@link #MAX_CLOCK_SKEW} old when they still pass the timestamp check, plus queueing time.
     */
    public static final Duration PREVIOUS_KEY_OVERLAP = Duration.ofMinutes(10);

    /** Log chunks expire (TTL on the logs table); the audit trail does not. */
    public static final Duration LOG_RETENTION = Duration.ofDays(30);

    /**
     * How long the ledger remembers a (job, seq). A replay older than this fails the timestamp check
     * anyway, and SQS FIFO de-duplicates for 5 minutes; a day leaves room for slow re-deliveries.
     */
    public static final Duration LEDGER_RETENTION = Duration.ofDays(1);

    private static final System.Logger LOG = System.getLogger(AgentUpdates.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JobRepository jobs;
    private final AgentRepository agents;
    private final CredentialStore credentials;
    private final AgentMessageLedger ledger;
    private final LogStore logs;
    private final SecurityLog securityLog;
    private final AgentMessageSchema schema;
    private final Deployments deployments;
    private final Clock clock;

    /** Without a deployment store of its own (tests that deploy nothing): deployments are kept in memory. */
    public AgentUpdates(JobRepository jobs, AgentRepository agents, CredentialStore credentials,
                        AgentMessageLedger ledger, LogStore logs, SecurityLog securityLog, AgentMessageSchema schema,
                        Clock clock) {
        this(jobs, agents, credentials, ledger, logs, securityLog, schema, new InMemoryDeploymentStore(), clock);
    }

    public AgentUpdates(JobRepository jobs, AgentRepository agents, CredentialStore credentials,
                        AgentMessageLedger ledger, LogStore logs, SecurityLog securityLog, AgentMessageSchema schema,
                        DeploymentStore deploymentStore, Clock clock) {
        this.deployments = new Deployments(deploymentStore, jobs, clock);
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.agents = Objects.requireNonNull(agents, "agents");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.logs = Objects.requireNonNull(logs, "logs");
        this.securityLog = Objects.requireNonNull(securityLog, "securityLog");
        this.schema = Objects.requireNonNull(schema, "schema");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Handles one message. Never throws for bad input; a failing store becomes {@link Retry}
     * (unless the failure was in recording a rejection, which is retried too: it must be audited).
     */
    public UpdateOutcome handle(AgentMessage message) {
        Objects.requireNonNull(message, "message");
        Instant now = clock.instant();
        try {
            return check(message, now);
        } catch (RuntimeException transientFailure) {
            LOG.log(System.Logger.Level.WARNING, "agent message " + message.sqsMessageId()
                    + " failed, SQS will deliver it again", transientFailure);
            return new Retry(transientFailure.getClass().getSimpleName() + ": " + transientFailure.getMessage());
        }
    }

    private UpdateOutcome check(AgentMessage message, Instant now) {
        // 1. Shape.
        JsonNode body;
        try {
            body = JSON.readTree(message.body());
        } catch (JacksonException notJson) {
            return reject(message, null, RejectionCode.MALFORMED, "body is not JSON", now);
        }
        if (body == null || !body.isObject()) {
            return reject(message, null, RejectionCode.MALFORMED, "body is not a JSON object", now);
        }
        Optional<AgentMessageType> type = AgentMessageType.ofWireName(body.path("type").asText(""));
        if (type.isEmpty()) {
            return reject(message, null, RejectionCode.MALFORMED,
                    "type must be one of started, log, finished, deploy", now);
        }
        List<String> problems = schema.problems(type.get(), message.body());
        if (!problems.isEmpty()) {
            return reject(message, null, RejectionCode.MALFORMED, String.join("; ", problems), now);
        }
        AgentUpdate update = AgentUpdate.fromValidBody(type.get(), body);
        Optional<Instant> signedAt = parseInstant(message.timestamp());
        if (signedAt.isEmpty()) {
            return reject(message, update, RejectionCode.MALFORMED,
                    AgentMessage.TIMESTAMP_ATTRIBUTE + " is missing or not an ISO-8601 instant", now);
        }

        // 2. Authenticity, 3. freshness: both judged at the moment SQS accepted the message when
        // known, so a retry after a transient failure is still fresh and still verifies with the
        // key that was valid when it was sent.
        Instant sentAt = message.sentAt() != null ? message.sentAt() : now;
        Optional<String> badSignature = verifySignature(message, update.agentId(), sentAt);
        if (badSignature.isPresent()) {
            return reject(message, update, RejectionCode.BAD_SIGNATURE, badSignature.get(), now);
        }
        Duration skew = Duration.between(signedAt.get(), sentAt).abs();
        if (skew.compareTo(MAX_CLOCK_SKEW) > 0) {
            return reject(message, update, RejectionCode.STALE_TIMESTAMP,
                    "signed at " + signedAt.get() + ", " + skew.toSeconds() + " s from " + sentAt, now);
        }

        // 4. Authorization.
        Optional<Job> found = jobs.find(update.jobId());
        if (found.isEmpty()) {
            return reject(message, update, RejectionCode.UNKNOWN_JOB, "no job " + update.jobId(), now);
        }
        Job job = found.get();
        if (!update.agentId().equals(job.agentId())) {
            return reject(message, update, RejectionCode.NOT_ASSIGNED, "job " + job.id() + " is held by "
                    + (job.agentId() == null ? "no agent" : "another agent") + " (" + job.state() + ")", now);
        }
        if (update.attempt() != job.attempt()) {
            return reject(message, update, RejectionCode.NOT_ASSIGNED,
                    "message is for attempt " + update.attempt() + ", job " + job.id() + " is attempt " + job.attempt(), now);
        }

        // 5. Replay.
        AgentMessageLedger.Outcome seen = ledger.record(update.jobId(), update.seq(), message.sqsMessageId(), now,
                now.plus(LEDGER_RETENTION));
        return switch (seen) {
            case REPLAY -> reject(message, update, RejectionCode.REPLAY,
                    "seq " + update.seq() + " of job " + update.jobId() + " was already processed under another SQS message", now);
            // A re-delivery is applied again rather than skipped: the first delivery may have
            // recorded the ledger and then failed before its write. Every effect is idempotent
            // (ALREADY_APPLIED, conditional log put), so applying twice changes nothing.
            case FIRST, REDELIVERY -> apply(update, job, now, seen == AgentMessageLedger.Outcome.REDELIVERY);
        };
    }

    private UpdateOutcome apply(AgentUpdate update, Job job, Instant now, boolean redelivery) {
        return switch (update) {
            case AgentUpdate.Started started -> transition(job,
                    current -> new JobEvent.Start(started.agentId(), now), "started", redelivery).outcome();
            case AgentUpdate.Log log -> {
                boolean stored = logs.append(new LogStore.LogChunk(log.jobId(), log.seq(), log.offset(), log.chunk(), now),
                        now.plus(LOG_RETENTION));
                String what = "log chunk seq " + log.seq() + " of job " + log.jobId();
                yield stored ? new Applied(what) : new AlreadyApplied(what);
            }
            case AgentUpdate.Deploy deploy -> {
                String what = "deploy phase " + deploy.phase().wireName() + " of job " + deploy.jobId();
                yield switch (deployments.reportPhase(deploy.jobId(), deploy.phase(), deploy.reason(), now,
                        Actors.agent(deploy.agentId()))) {
                    case Deployments.Outcome.Applied applied ->
                            new Applied(what + " → " + applied.deployment().state());
                    case Deployments.Outcome.AlreadyApplied _ -> new AlreadyApplied(what);
                    case Deployments.Outcome.Refused refused -> new Ignored(refused.reason(), refused.message());
                    case Deployments.Outcome.NotFound _ -> new Ignored(RejectionReason.ILLEGAL_TRANSITION,
                            "job " + deploy.jobId() + " has no deployment");
                };
            }
            case AgentUpdate.Finished finished -> {
                JobWrite write = transition(job, current -> finishEvent(current, finished, now), "finished",
                        redelivery);
                boolean ended = write.after().map(after -> after.state().isTerminal()).orElse(false);
                Optional<Retry> releaseFailed = ended ? releaseAgent(finished, now) : Optional.empty();
                yield releaseFailed.<UpdateOutcome>map(retry -> retry).orElse(write.outcome());
            }
        };
    }

    /**
     * A {@code finished} ends the job whatever it was doing: while CANCELING or TIMING_OUT it is the
     * agent's confirmation that the process is gone, so the cancel or the timeout stays the outcome.
     */
    private static JobEvent finishEvent(Job current, AgentUpdate.Finished finished, Instant now) {
        String actor = Actors.agent(finished.agentId());
        return switch (current.state()) {
            case CANCELING -> new JobEvent.ConfirmCanceled(finished.exitStatus(), finished.signal(), now, actor);
            case TIMING_OUT -> new JobEvent.ConfirmTimedOut(finished.exitStatus(), finished.signal(), now, actor);
            case PENDING, QUEUED, ASSIGNED, RUNNING, PASSED, FAILED, CANCELED, TIMED_OUT, EXPIRED, SKIPPED, BLOCKED ->
                    new JobEvent.Finish(finished.agentId(), finished.exitStatus(), finished.signal(), now);
        };
    }

    /** What a job write did, and the job as stored afterwards (empty when unknown). */
    private record JobWrite(UpdateOutcome outcome, Optional<Job> after) {}

    private JobWrite transition(Job job, Function<Job, JobEvent> eventFor, String what, boolean redelivery) {
        String described = what + " for job " + job.id();
        return switch (ConditionalWrites.job(jobs, job, eventFor)) {
            case ConditionalWrites.Result.Written<Job> written ->
                    new JobWrite(new Applied(described + " → " + written.value().state()), Optional.of(written.value()));
            case ConditionalWrites.Result.Refused<Job> refused when refused.alreadyApplied() ->
                    new JobWrite(new AlreadyApplied(described + ": " + refused.message()), Optional.of(refused.current()));
            case ConditionalWrites.Result.Refused<Job> refused -> {
                if (!redelivery) {
                    LOG.log(System.Logger.Level.INFO, "dropping " + described + ": " + refused.reason() + ": "
                            + refused.message());
                }
                yield new JobWrite(new Ignored(refused.reason(), refused.message()), Optional.of(refused.current()));
            }
            case ConditionalWrites.Result.Missing<Job> _ -> new JobWrite(
                    new Ignored(RejectionReason.ILLEGAL_TRANSITION, "job " + job.id() + " disappeared"), Optional.empty());
            case ConditionalWrites.Result.GaveUp<Job> _ -> new JobWrite(new Retry(described + ": lost "
                    + ConditionalWrites.MAX_ATTEMPTS + " write races in a row"), Optional.empty());
        };
    }

    /**
     * The agent is idle again once its job has ended, so it may accept the next one. A failure here
     * retries the whole message: re-applying the job's event is ALREADY_APPLIED, and an agent left
     * holding an ended job would never get work again.
     */
    private Optional<Retry> releaseAgent(AgentUpdate.Finished finished, Instant now) {
        var holder = agents.find(finished.agentId()).filter(agent -> finished.jobId().equals(agent.currentJobId()));
        if (holder.isEmpty()) {
            return Optional.empty();
        }
        var released = ConditionalWrites.agent(agents, holder.get(),
                current -> new AgentEvent.ReleaseJob(finished.jobId(), now, Actors.agent(finished.agentId())));
        return switch (released) {
            case ConditionalWrites.Result.GaveUp<?> _ -> Optional.of(new Retry("releasing agent " + finished.agentId()
                    + ": lost " + ConditionalWrites.MAX_ATTEMPTS + " write races in a row"));
            // Released now, already idle, moved on to another job, or gone: nothing left to do.
            case ConditionalWrites.Result.Written<?> _, ConditionalWrites.Result.Refused<?> _,
                 ConditionalWrites.Result.Missing<?> _ -> Optional.empty();
        };
    }

    private Optional<String> verifySignature(AgentMessage message, String agentId, Instant now) {
        Optional<AgentSession> session = credentials.currentSessionOf(agentId);
        if (session.isEmpty()) {
            return Optional.of("agent " + agentId + " has no session");
        }
        SignatureCheck current = Hmac.verifyAgentMessage(Secret.of(session.get().signingKey()), message.timestamp(),
                message.body(), message.signature());
        if (current == SignatureCheck.VALID) {
            return Optional.empty();
        }
        if (current == SignatureCheck.MISMATCH && previousKeyStillAccepted(session.get(), now)) {
            SignatureCheck previous = Hmac.verifyAgentMessage(Secret.of(session.get().previousSigningKey()),
                    message.timestamp(), message.body(), message.signature());
            if (previous == SignatureCheck.VALID) {
                return Optional.empty();
            }
        }
        return Optional.of(switch (current) {
            case MISSING -> AgentMessage.SIGNATURE_ATTRIBUTE + " is missing";
            case MALFORMED -> AgentMessage.SIGNATURE_ATTRIBUTE + " is not 64 hex digits";
            case MISMATCH, VALID -> "signature does not match the agent's signing key";
        });
    }

    private static boolean previousKeyStillAccepted(AgentSession session, Instant now) {
        return session.previousSigningKey() != null && !session.previousSigningKey().isEmpty()
                && session.issuedAt() != null && now.isBefore(session.issuedAt().plus(PREVIOUS_KEY_OVERLAP));
    }

    private UpdateOutcome reject(AgentMessage message, AgentUpdate update, RejectionCode code, String detail,
                                 Instant now) {
        String subject = update == null ? "queue:agent-updates" : "job:" + update.jobId();
        String actor = update == null ? "unknown" : Actors.agent(update.agentId());
        securityLog.reject(new SecurityLog.Rejection(message.sqsMessageId(), subject, code.code(), actor,
                truncate(detail), now));
        LOG.log(System.Logger.Level.WARNING, "rejected agent message " + message.sqsMessageId() + " (" + subject
                + ", " + actor + "): " + code.code());
        return new Rejected(code, detail);
    }

    /** Schema errors of a hostile body could be long; the security log keeps a readable summary. */
    private static String truncate(String detail) {
        return detail.length() <= 1000 ? detail : detail.substring(0, 1000) + "…";
    }

    private static Optional<Instant> parseInstant(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(value.strip()));
        } catch (DateTimeParseException unreadable) {
            return Optional.empty();
        }
    }
}

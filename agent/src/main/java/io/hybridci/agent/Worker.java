package io.hybridci.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridci.agent.ControlPlaneClient.Acceptance;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * One agent as the control plane sees it: it registers, pings, long-polls its queues and runs one
 * job at a time. {@code --spawn N} runs N workers, each registered as its own agent, because the
 * control plane assigns one job per agent.
 *
 * <p>Two threads: the poller ({@link #run}) receives, accepts and runs jobs; the pinger sends the
 * heartbeat and applies directives. They share only volatile flags, the session reference, and
 * the current job.
 */
public final class Worker implements Runnable {

    /** After this many SQS failures in a row the queue URLs may be stale (a restarted local cloud): register again. */
    private static final int SQS_FAILURES_BEFORE_REREGISTER = 6;
    /** What accept's 409 says when this agent still holds a job (core AgentApi's message). */
    static final String STILL_HOLDS_PREVIOUS_JOB = "already holds job";
    /** How long a job message stays hidden after we put it back because our previous job is not released yet. */
    private static final int BUSY_RETRY_VISIBILITY_SECONDS = 1;
    /** How often, and how far apart, accept is tried again while our previous job's end is not applied yet (≤ 5 s). */
    private static final int STILL_HOLDS_RETRIES = 25;
    private static final Duration STILL_HOLDS_RETRY_PAUSE = Duration.ofMillis(200);
    /** On SIGTERM, a job this close to its end is left to finish rather than canceled. */
    private static final Duration SHUTDOWN_FINISH_WAIT = Duration.ofSeconds(3);

    private final String name;
    private final AgentOptions options;
    private final ControlPlaneClient controlPlane;
    private final Function<Registration, SqsClient> sqsClients;
    private final ObjectMapper json;
    private final Clock clock;
    private final AgentLog log;
    private final String hostname;

    private final AtomicReference<Session> session = new AtomicReference<>();
    private volatile Registration registration;
    private volatile SqsClient sqs;
    private volatile boolean paused;
    private volatile boolean draining;
    private volatile boolean stopping;
    private volatile JobRunner current;
    private volatile Thread pinger;
    /** True from the moment a message is taken for accept until its job ended; guarded by {@code this}. */
    private boolean busy;
    private final Object wakeUp = new Object();
    private final Object registerLock = new Object();

    public Worker(String name, AgentOptions options, ControlPlaneClient controlPlane,
                  Function<Registration, SqsClient> sqsClients, ObjectMapper json, Clock clock, String hostname) {
        this.name = Objects.requireNonNull(name, "name");
        this.options = Objects.requireNonNull(options, "options");
        this.controlPlane = Objects.requireNonNull(controlPlane, "controlPlane");
        this.sqsClients = Objects.requireNonNull(sqsClients, "sqsClients");
        this.json = Objects.requireNonNull(json, "json");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.hostname = Objects.requireNonNull(hostname, "hostname");
        this.log = AgentLog.stderr(name);
    }

    @Override
    public void run() {
        try {
            register();
            pinger = Thread.ofPlatform().daemon().name(name + "-ping").start(this::pingLoop);
            pollLoop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (pinger != null) {
                pinger.interrupt();
            }
            if (draining && !stopping) {
                disconnect();
            }
        }
    }

    /**
     * SIGTERM: take nothing new; let a job that ends within a few seconds finish, cancel it otherwise;
     * wait until its {@code finished} was sent; disconnect. Called from the shutdown hook.
     */
    public void shutdown() throws InterruptedException {
        synchronized (this) {
            stopping = true;
        }
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
        long deadline = System.nanoTime() + SHUTDOWN_FINISH_WAIT.toNanos();
        boolean canceled = false;
        synchronized (this) {
            while (busy) {
                long left = deadline - System.nanoTime();
                if (left <= 0 && !canceled) {
                    JobRunner job = current;
                    if (job != null) {
                        log.info("shutting down: canceling job " + job.job().id());
                        job.cancel();
                    }
                    canceled = true;
                }
                wait(canceled ? 200 : Math.max(1, left / 1_000_000));
            }
        }
        disconnect();
    }

    private void pollLoop() throws InterruptedException {
        int sqsFailures = 0;
        while (!draining && !stopping) {
            if (paused) {
                synchronized (wakeUp) {
                    wakeUp.wait(1000);
                }
                continue;
            }
            Registration reg = registration;
            Poll poll;
            try {
                poll = nextJobMessage(reg.pollOrder(), Math.max(1, Math.min(20, reg.jobPollWaitSeconds())));
                sqsFailures = 0;
            } catch (SdkException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException();
                }
                sqsFailures++;
                log.warn("receiving jobs failed (" + e.getMessage() + ")");
                if (sqsFailures % SQS_FAILURES_BEFORE_REREGISTER == 0) {
                    log.info("SQS keeps failing: registering again for fresh queue URLs");
                    reRegister();
                }
                Backoff.DEFAULT.sleep(Math.min(sqsFailures, 10));
                continue;
            }
            if (poll != null) {
                handle(poll.queueUrl(), poll.message());
            }
        }
    }

    /** A job message and the queue it came from. */
    private record Poll(String queueUrl, Message message) {}

    /**
     * The next job message, highest priority band first (docs/agent-protocol.md, "Priorities"), or null when
     * none came within {@code waitSeconds}. First a pass over the queues in priority order without waiting, so a
     * job already waiting in the high queue is taken before one waiting in the ordinary queue. When every queue
     * is empty, all of them are long-polled at once, so a job arriving in any queue is taken at once, whatever
     * queue it is on; a message a second poll brings while the first is taken is released (made visible again
     * at once) for another agent.
     *
     * @throws SdkException when no receive succeeded
     */
    private Poll nextJobMessage(List<String> queueUrls, int waitSeconds) throws InterruptedException {
        if (queueUrls.size() == 1) {
            return first(queueUrls.getFirst(), receive(queueUrls.getFirst(), waitSeconds));
        }
        for (String queueUrl : queueUrls) {
            Poll waiting = first(queueUrl, receive(queueUrl, 0));
            if (waiting != null) {
                return waiting;
            }
        }
        BlockingQueue<Optional<Poll>> arrivals = new LinkedBlockingQueue<>();
        AtomicBoolean taken = new AtomicBoolean();
        AtomicInteger running = new AtomicInteger(queueUrls.size());
        AtomicReference<SdkException> failure = new AtomicReference<>();
        AtomicInteger failures = new AtomicInteger();
        for (String queueUrl : queueUrls) {
            Thread.ofVirtual().name(name + "-poll").start(() -> {
                try {
                    for (Message message : receive(queueUrl, waitSeconds).messages()) {
                        if (taken.compareAndSet(false, true)) {
                            arrivals.add(Optional.of(new Poll(queueUrl, message)));
                        } else {
                            release(queueUrl, message);
                        }
                    }
                } catch (SdkException e) {
                    failure.set(e);
                    failures.incrementAndGet();
                } finally {
                    if (running.decrementAndGet() == 0) {
                        arrivals.add(Optional.empty());
                    }
                }
            });
        }
        Optional<Poll> arrived = arrivals.take();
        if (arrived.isEmpty() && failures.get() == queueUrls.size()) {
            throw failure.get();
        }
        return arrived.orElse(null);
    }

    private ReceiveMessageResponse receive(String queueUrl, int waitSeconds) {
        return sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(1).waitTimeSeconds(waitSeconds));
    }

    private static Poll first(String queueUrl, ReceiveMessageResponse received) {
        return received.messages().isEmpty() ? null : new Poll(queueUrl, received.messages().getFirst());
    }

    private void handle(String queueUrl, Message message) throws InterruptedException {
        String jobId;
        try {
            JsonNode body = json.readTree(message.body());
            jobId = body.path("jobId").asText(null);
        } catch (IOException e) {
            jobId = null;
        }
        if (jobId == null) {
            // Not ours to drop: put back at once, it reaches the queue's DLQ after its fifth receive (redrive), where
            // an operator sees it (GET /api/v1/dead-letters) instead of it vanishing into one agent's log.
            log.warn("a message that is not a job dispatch (" + message.messageId()
                    + "): returned to its queue, whose redrive moves it to the dead-letter queue");
            release(queueUrl, message);
            return;
        }
        synchronized (this) {
            if (stopping || draining || paused) {
                release(queueUrl, message);
                return;
            }
            busy = true;
        }
        try {
            Acceptance acceptance = accept(jobId);
            // Our own previous job's `finished` is usually applied within milliseconds: wait for it holding this
            // message (invisible to others for 30 s) rather than put it back, where a job of a lower priority
            // band could overtake it.
            for (int wait = 0; wait < STILL_HOLDS_RETRIES && stillHoldsPreviousJob(acceptance); wait++) {
                Thread.sleep(STILL_HOLDS_RETRY_PAUSE.toMillis());
                acceptance = accept(jobId);
            }
            switch (acceptance) {
                case null -> release(queueUrl, message);
                case Acceptance.Conflict conflict when conflict.message().contains(STILL_HOLDS_PREVIOUS_JOB) -> {
                    // Our own previous job: its `finished` is on the FIFO queue but not yet applied, so the control
                    // plane still counts us busy. The job is free for anyone: put the message back (briefly hidden,
                    // so we do not spin on it) instead of dropping it, which would leave the job QUEUED with no message.
                    log.info("job " + jobId + " not taken yet: " + conflict.message() + "; returning it to the queue");
                    release(queueUrl, message, BUSY_RETRY_VISIBILITY_SECONDS);
                }
                case Acceptance.Conflict conflict -> {
                    log.info("job " + jobId + " not taken: " + conflict.message());
                    delete(queueUrl, message);
                }
                case Acceptance.NotFound _ -> {
                    // The control plane dispatches only jobs it has written, so this is poison: left for the DLQ too.
                    log.warn("job " + jobId + " does not exist: its message is returned to its queue, whose redrive "
                            + "moves it to the dead-letter queue");
                    release(queueUrl, message);
                }
                case Acceptance.Accepted accepted -> {
                    delete(queueUrl, message);
                    runJob(accepted.job());
                }
            }
        } finally {
            synchronized (this) {
                busy = false;
                current = null;
                notifyAll();
            }
        }
    }

    private static boolean stillHoldsPreviousJob(Acceptance acceptance) {
        return acceptance instanceof Acceptance.Conflict conflict && conflict.message().contains(STILL_HOLDS_PREVIOUS_JOB);
    }

    /** Accepts with retries on network errors; null when the control plane stays unreachable. */
    private Acceptance accept(String jobId) throws InterruptedException {
        for (int attempt = 0; attempt < 8; attempt++) {
            try {
                return controlPlane.accept(session.get(), jobId);
            } catch (ControlPlaneException.Unauthorized e) {
                log.info("session no longer valid: registering again");
                reRegister();
            } catch (ControlPlaneException e) {
                if (!e.retryable()) {
                    log.warn("accept of job " + jobId + " failed: " + e.getMessage());
                    return null;
                }
                Backoff.DEFAULT.sleep(attempt);
            }
        }
        return null;
    }

    private void runJob(JobSpec job) throws InterruptedException {
        Session holder = session.get();
        String agentId = holder.agentId();
        // Messages are signed with the agent's current key (a session directive may rotate it mid-job),
        // but only while it is the same agent: a re-registration is a new agent, not this job's.
        java.util.function.Supplier<Session> jobSession = () -> {
            Session now = session.get();
            return now.agentId().equals(agentId) ? now : holder;
        };
        UpdatesSender sender = new SqsUpdatesSender(sqs, registration.agentUpdatesQueueUrl(), Backoff.DEFAULT, log);
        JobUpdates updates = new JobUpdates(job.id(), job.attempt(), jobSession, sender, json, clock);
        JobRunner runner = new JobRunner(job, jobSession, controlPlane, updates, options.workDir(),
                options.cancelGrace(), clock, log);
        current = runner;
        log.info("running job " + job.id() + " (" + job.kind() + " " + job.key() + ", attempt " + job.attempt() + ")");
        runner.run();
    }

    private void pingLoop() {
        int failures = 0;
        int intervalSeconds = Math.max(1, registration.pingIntervalSeconds());
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(failures == 0 ? Duration.ofSeconds(intervalSeconds)
                        : Backoff.DEFAULT.delay(failures).plusMillis(500));
                JobRunner job = current;
                ControlPlaneClient.PingReply reply = controlPlane.ping(session.get(), job == null ? null : job.job().id());
                failures = 0;
                if (reply.pingIntervalSeconds() > 0) {
                    intervalSeconds = reply.pingIntervalSeconds();
                }
                apply(reply.directives());
            } catch (InterruptedException e) {
                return;
            } catch (ControlPlaneException.Unauthorized e) {
                failures++;
                if (current == null && !stopping) {
                    log.info("ping: session no longer valid: registering again");
                    try {
                        reRegister();
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
            } catch (ControlPlaneException e) {
                failures++;
                log.warn("ping failed: " + e.getMessage());
            }
        }
    }

    void apply(List<Directive> directives) {
        boolean pauseSeen = false;
        for (Directive directive : directives) {
            switch (directive) {
                case Directive.Cancel cancel -> {
                    JobRunner job = current;
                    if (job != null && job.job().id().equals(cancel.jobId())) {
                        job.cancel();
                    }
                }
                case Directive.Drain _ -> {
                    if (!draining) {
                        log.info("draining: finishing the current job, then disconnecting");
                    }
                    draining = true;
                }
                case Directive.Pause _ -> pauseSeen = true;
                case Directive.NewSession renewed -> {
                    session.set(renewed.session());
                    log.info("session renewed");
                }
            }
        }
        if (pauseSeen != paused) {
            log.info(pauseSeen ? "paused: taking no new jobs" : "resumed: taking jobs again");
        }
        paused = pauseSeen;
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
    }

    private void register() throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            try {
                Registration reg = controlPlane.register(options.registrationToken(), name, options.queues(), hostname);
                registration = reg;
                session.set(reg.session());
                sqs = sqsClients.apply(reg);
                log.info("registered as agent " + reg.session().agentId() + " on queues " + reg.queueUrls().keySet());
                return;
            } catch (ControlPlaneException e) {
                if (!e.retryable() && e.status() != 0) {
                    // A bad token or an unknown queue does not heal by waiting; say so, then keep trying slowly,
                    // because an admin may fix it (create the queue, a new token) without restarting agents.
                    log.warn("register refused: " + e.getMessage());
                    Thread.sleep(Backoff.DEFAULT.cap());
                } else {
                    log.warn("register failed: " + e.getMessage() + "; retrying");
                    Backoff.DEFAULT.sleep(attempt);
                }
            }
        }
    }

    private void reRegister() throws InterruptedException {
        // Its own lock: the poller and the pinger may both find the session dead at once.
        synchronized (registerLock) {
            register();
        }
    }

    private void disconnect() {
        Session s = session.get();
        if (s == null) {
            return;
        }
        try {
            controlPlane.disconnect(s);
            log.info("disconnected");
        } catch (ControlPlaneException e) {
            log.warn("disconnect failed: " + e.getMessage());
        }
    }

    private void delete(String queueUrl, Message message) {
        try {
            sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
        } catch (SdkException e) {
            // The message comes back after its visibility timeout; accept then answers 409 and it is dropped.
            log.warn("deleting message " + message.messageId() + " failed: " + e.getMessage());
        }
    }

    /** Makes a message visible again at once, for another agent, instead of after its visibility timeout. */
    private void release(String queueUrl, Message message) {
        release(queueUrl, message, 0);
    }

    private void release(String queueUrl, Message message, int hiddenSeconds) {
        try {
            sqs.changeMessageVisibility(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle())
                    .visibilityTimeout(hiddenSeconds));
        } catch (SdkException e) {
            log.warn("releasing message " + message.messageId() + " failed: " + e.getMessage());
        }
    }
}

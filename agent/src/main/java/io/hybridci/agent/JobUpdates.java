package io.hybridci.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hybridci.core.security.Hmac;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The messages of one job attempt ({@code started}, {@code log}…, {@code finished}), built and
 * signed in order (events-schema {@code agent-started}, {@code agent-log}, {@code agent-finished}).
 *
 * <p>{@code seq} starts at 0 and grows by one per message; it is the FIFO deduplication id's
 * suffix and job-updater's replay check. A retry is a new job id, so {@code jobId-seq} never
 * repeats across attempts. Building and sending happen under one lock so the order of seq is
 * the order SQS receives them in (FIFO order within the group {@code jobId}).
 *
 * <p>The session is read at signing time: after a session directive, the next message is
 * signed with the new key.
 */
public final class JobUpdates {

    private final String jobId;
    private final int attempt;
    private final Supplier<Session> session;
    private final UpdatesSender sender;
    private final ObjectMapper json;
    private final Clock clock;
    private long nextSeq;

    public JobUpdates(String jobId, int attempt, Supplier<Session> session, UpdatesSender sender, ObjectMapper json,
                      Clock clock) {
        this.jobId = Objects.requireNonNull(jobId, "jobId");
        this.attempt = attempt;
        this.session = Objects.requireNonNull(session, "session");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.json = Objects.requireNonNull(json, "json");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public synchronized void started(Instant startedAt) throws InterruptedException {
        ObjectNode body = header("started");
        body.put("startedAt", startedAt.toString());
        send(body);
    }

    public synchronized void log(String chunk, long offset) throws InterruptedException {
        ObjectNode body = header("log");
        body.put("chunk", chunk);
        body.put("offset", offset);
        send(body);
    }

    /** A deploy job reached {@code phase} (agent-deploy: verifying, live, rolled_back, failed); {@code reason} may be null. */
    public synchronized void deploy(String phase, String reason) throws InterruptedException {
        ObjectNode body = header("deploy");
        body.put("phase", phase);
        if (reason == null) {
            body.putNull("reason");
        } else {
            body.put("reason", reason);
        }
        send(body);
    }

    /** The last message of the attempt; {@code signal} is null unless a signal ended the command. */
    public synchronized void finished(int exitStatus, String signal, Instant finishedAt) throws InterruptedException {
        ObjectNode body = header("finished");
        body.put("exitStatus", exitStatus);
        if (signal == null) {
            body.putNull("signal");
        } else {
            body.put("signal", signal);
        }
        body.put("finishedAt", finishedAt.toString());
        send(body);
    }

    /** How many messages were sent. */
    public synchronized long messagesSent() {
        return nextSeq;
    }

    /** Builds and signs the message with this seq, without sending it (tests, and send). */
    static SignedMessage sign(ObjectNode body, Session session, Instant now) {
        String text = body.toString();
        String timestamp = now.toString();
        String signature = Hmac.agentMessageSignature(session.signingKey(), timestamp, text);
        String jobId = body.path("jobId").asText();
        long seq = body.path("seq").asLong();
        return new SignedMessage(text, jobId, jobId + "-" + seq, timestamp, signature, body.path("type").asText(), seq);
    }

    private ObjectNode header(String type) {
        ObjectNode body = json.createObjectNode();
        body.put("type", type);
        body.put("jobId", jobId);
        body.put("agentId", session.get().agentId());
        body.put("attempt", attempt);
        body.put("seq", nextSeq);
        body.put("sentAt", clock.instant().toString());
        return body;
    }

    private void send(ObjectNode body) throws InterruptedException {
        // Signed right before the send so the timestamp is fresh (job-updater allows 5 minutes of skew),
        // and re-signed on every retry by the sender for the same reason.
        long seq = nextSeq;
        sender.send(() -> sign(body, session.get(), clock.instant()));
        nextSeq = seq + 1;
    }
}

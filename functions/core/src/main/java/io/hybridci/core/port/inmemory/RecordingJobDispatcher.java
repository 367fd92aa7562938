package io.hybridci.core.port.inmemory;

import io.hybridci.core.port.JobDispatcher;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** {@link JobDispatcher} that keeps what was sent, per queue, in order. */
public final class RecordingJobDispatcher implements JobDispatcher {
    /** One sent message. */
    public record Sent(String queue, String messageJson) {}

    private final List<Sent> sent = new CopyOnWriteArrayList<>();

    @Override
    public void dispatch(String queue, String messageJson) {
        sent.add(new Sent(queue, messageJson));
    }

    public List<Sent> sent() {
        return List.copyOf(sent);
    }
}

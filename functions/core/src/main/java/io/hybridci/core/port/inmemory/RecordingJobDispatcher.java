package io.hybridci.core.port.inmemory;

import io.hybridci.core.job.PriorityBand;
import io.hybridci.core.port.JobDispatcher;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** {@link JobDispatcher} that keeps what was sent, per queue, in order. */
public final class RecordingJobDispatcher implements JobDispatcher {
    /** One sent message, and the priority band it was sent to. */
    public record Sent(String queue, PriorityBand band, String messageJson) {
        public Sent(String queue, String messageJson) {
            this(queue, PriorityBand.NORMAL, messageJson);
        }
    }

    private final List<Sent> sent = new CopyOnWriteArrayList<>();

    @Override
    public void dispatch(String queue, String messageJson) {
        sent.add(new Sent(queue, messageJson));
    }

    @Override
    public void dispatch(String queue, PriorityBand band, String messageJson) {
        sent.add(new Sent(queue, band, messageJson));
    }

    public List<Sent> sent() {
        return List.copyOf(sent);
    }
}

package io.hybridci.core.userapi;

import io.hybridci.core.job.Job;
import io.hybridci.core.port.LogStore.LogChunk;

import java.util.List;
import java.util.Objects;

/**
 * A slice of a job's log.
 *
 * @param after pass this as {@code after} to read on from here (the last chunk's seq, or the given one)
 * @param complete true when the job has finished and no chunk follows: a client may stop polling
 */
public record JobLog(Job job, List<LogChunk> chunks, long after, boolean complete) {
    public JobLog {
        Objects.requireNonNull(job, "job");
        chunks = List.copyOf(chunks);
    }
}

package io.hybridci.core.port.contract;

import static io.hybridci.core.port.contract.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hybridci.core.port.LogStore;
import io.hybridci.core.port.LogStore.LogChunk;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link LogStore} must do. */
public abstract class LogStoreContract {

    protected abstract LogStore newStore();

    private LogStore logs;

    @BeforeEach
    void setUpStore() {
        logs = newStore();
    }

    @Test
    void shouldKeepFirstChunk_whenSameSeqIsAppendedAgain() {
        String jobId = Fixtures.uniqueId("job");
        var chunk = new LogChunk(jobId, 1, 0, "hello\n", T0);

        assertTrue(logs.append(chunk, T0.plusSeconds(3600)));
        assertFalse(logs.append(new LogChunk(jobId, 1, 0, "forged\n", T0), T0.plusSeconds(3600)));
        assertEquals(List.of(chunk), logs.read(jobId, 0, 10));
    }

    @Test
    void shouldReadInSeqOrderAfterGivenSeq_whenChunksArriveOutOfOrder() {
        String jobId = Fixtures.uniqueId("job");
        var c1 = new LogChunk(jobId, 1, 0, "a", T0);
        var c2 = new LogChunk(jobId, 2, 1, "b", T0.plusMillis(1));
        var c3 = new LogChunk(jobId, 3, 2, "c", T0.plusMillis(2));
        logs.append(c3, T0.plusSeconds(3600));
        logs.append(c1, T0.plusSeconds(3600));
        logs.append(c2, T0.plusSeconds(3600));
        logs.append(new LogChunk(Fixtures.uniqueId("job"), 2, 0, "other job", T0), T0.plusSeconds(3600));

        assertEquals(List.of(c1, c2, c3), logs.read(jobId, 0, 10));
        assertEquals(List.of(c2, c3), logs.read(jobId, 1, 10));
        assertEquals(List.of(c2), logs.read(jobId, 1, 1));
        assertEquals(List.of(), logs.read(jobId, 3, 10));
    }
}

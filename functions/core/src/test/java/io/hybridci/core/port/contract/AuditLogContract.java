package io.hybridci.core.port.contract;

import static io.hybridci.core.port.contract.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.hybridci.core.audit.AuditRecord;
import io.hybridci.core.port.AuditLog;
import io.hybridci.core.port.Page;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link AuditLog} must do; subclasses give a fresh, empty log. */
public abstract class AuditLogContract {

    protected abstract AuditLog newLog();

    private AuditLog audit;

    @BeforeEach
    void setUpLog() {
        audit = newLog();
    }

    private static AuditRecord record(String chain, long seq) {
        var after = JsonNodeFactory.instance.objectNode().put("state", "RUNNING").put("n", (int) seq);  // int: JSON read back gives IntNode
        return new AuditRecord(chain, seq, T0.plusMillis(seq), "system:test", chain, "MODIFY",
                seq == 1 ? null : JsonNodeFactory.instance.objectNode().put("state", "QUEUED"), after,
                "prev-" + (seq - 1), "hash-" + seq);
    }

    @Test
    void shouldAppendOncePerSeq_whenTwoWritersRace() {
        String chain = Fixtures.uniqueId("job:");

        assertTrue(audit.append(record(chain, 1), "event-1"));
        assertFalse(audit.append(record(chain, 1), "event-other"));
        assertEquals(List.of(new AuditLog.StoredRecord(record(chain, 1), "event-1")), audit.newest(chain, 5));
    }

    @Test
    void shouldGiveNewestFirst_whenAskedForTheLatestRecords() {
        String chain = Fixtures.uniqueId("build:");
        for (long seq = 1; seq <= 4; seq++) {
            audit.append(record(chain, seq), "event-" + seq);
        }

        var newest = audit.newest(chain, 2);

        assertEquals(List.of(4L, 3L), newest.stream().map(stored -> stored.record().seq()).toList());
        assertEquals("event-4", newest.getFirst().sourceEventId());
        assertEquals(List.of(), audit.newest(Fixtures.uniqueId("none:"), 2));
    }

    @Test
    void shouldReadChainOldestFirstInPages_whenCursorIsFollowed() {
        String chain = Fixtures.uniqueId("agent:");
        List<AuditRecord> written = new ArrayList<>();
        for (long seq = 1; seq <= 5; seq++) {
            written.add(record(chain, seq));
            audit.append(written.getLast(), "event-" + seq);
        }

        List<AuditRecord> read = new ArrayList<>();
        Page<AuditRecord> page = audit.read(chain, 2, Optional.empty());
        read.addAll(page.items());
        while (page.next().isPresent()) {
            page = audit.read(chain, 2, page.next());
            read.addAll(page.items());
        }

        assertEquals(written, read);
        assertEquals(written.getFirst().before(), read.getFirst().before(), "JSON null survives the round trip");
    }

    @Test
    void shouldListEveryChain_whenPagedThrough() {
        Set<String> chains = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            String chain = Fixtures.uniqueId("job:");
            chains.add(chain);
            audit.append(record(chain, 1), "e");
            audit.append(record(chain, 2), "e");
        }

        Set<String> listed = new HashSet<>();
        Page<String> page = audit.chains(2, Optional.empty());
        listed.addAll(page.items());
        while (page.next().isPresent()) {
            page = audit.chains(2, page.next());
            listed.addAll(page.items());
        }

        assertEquals(chains, listed);
    }
}

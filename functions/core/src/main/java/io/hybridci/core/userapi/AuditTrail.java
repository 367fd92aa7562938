package io.hybridci.core.userapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hybridci.core.audit.AuditRecord;
import io.hybridci.core.port.AuditLog;
import io.hybridci.core.port.Page;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The audit trail as a list ({@code GET /api/v1/audit}): records chain by chain (chains in the
 * order the audit log lists them, each chain oldest first), filtered by entity, actor and time.
 *
 * <p>With {@code entity} it reads that one chain. Without, it walks the chain registry, which
 * reads the audit table a page at a time: an operator's screen, not a hot path. To keep one call
 * short whatever the filters, it examines at most {@link #MAX_EXAMINED} records and then returns
 * what it found with a cursor to go on from.
 */
public final class AuditTrail {

    public static final int DEFAULT_PAGE_SIZE = 50;
    public static final int MAX_PAGE_SIZE = 200;
    static final int MAX_EXAMINED = 2_000;
    private static final int CHAIN_PAGE = 100;
    private static final String CURSOR_PREFIX = "a1:";
    private static final ObjectMapper CURSOR_JSON = new ObjectMapper();

    private final AuditLog audit;

    public AuditTrail(AuditLog audit) {
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    /**
     * Where the walk stands: the chain-registry page holding the current chain ({@code chains},
     * absent for the first page), the chain's index in it, and the position inside the chain.
     */
    private record Position(Optional<String> chains, int index, Optional<String> records) {
        static final Position START = new Position(Optional.empty(), 0, Optional.empty());
    }

    public AuditListing list(AuditQuery query) {
        Position position;
        try {
            position = query.cursor().map(AuditTrail::decode).orElse(Position.START);
        } catch (IllegalArgumentException notOurs) {
            return new AuditListing.BadCursor("cursor is not one this API returned");
        }
        try {
            return walk(query, position);
        } catch (IllegalArgumentException adapterRefused) {
            // A well-wrapped cursor whose inside the adapter cannot use (edited by hand, or from an older deployment).
            return new AuditListing.BadCursor("cursor is not one this API returned");
        }
    }

    private AuditListing walk(AuditQuery query, Position position) {
        List<AuditRecord> found = new ArrayList<>();
        int examined = 0;
        Optional<String> chainsCursor = position.chains();
        int index = position.index();
        Optional<String> recordsCursor = position.records();
        while (true) {
            List<String> chains;
            Optional<String> nextChains;
            if (query.entity().isPresent()) {
                chains = List.of(query.entity().get());
                nextChains = Optional.empty();
            } else {
                Page<String> page = audit.chains(CHAIN_PAGE, chainsCursor);
                chains = page.items();
                nextChains = page.next();
            }
            for (; index < chains.size(); index++) {
                String chain = chains.get(index);
                while (true) {
                    // Read no more than still fits, so the page never ends inside a slice already read.
                    int room = Math.min(query.limit() - found.size(), MAX_EXAMINED - examined);
                    Page<AuditRecord> records = audit.read(chain, room, recordsCursor);
                    examined += records.items().size();
                    records.items().stream().filter(record -> matches(query, record)).forEach(found::add);
                    recordsCursor = records.next();
                    boolean full = found.size() == query.limit() || examined >= MAX_EXAMINED;
                    if (recordsCursor.isEmpty()) {
                        break;
                    }
                    if (full) {
                        return listed(found, new Position(chainsCursor, index, recordsCursor));
                    }
                }
                boolean full = found.size() == query.limit() || examined >= MAX_EXAMINED;
                if (full) {
                    boolean more = index + 1 < chains.size() || nextChains.isPresent();
                    Position after = index + 1 < chains.size()
                            ? new Position(chainsCursor, index + 1, Optional.empty())
                            : new Position(nextChains, 0, Optional.empty());
                    return more ? listed(found, after) : new AuditListing.Listed(found, Optional.empty());
                }
            }
            if (nextChains.isEmpty()) {
                return new AuditListing.Listed(found, Optional.empty());
            }
            chainsCursor = nextChains;
            index = 0;
        }
    }

    private static boolean matches(AuditQuery query, AuditRecord record) {
        return query.actor().map(actor -> actor.equals(record.actor())).orElse(true)
                && query.from().map(from -> !record.at().isBefore(from)).orElse(true)
                && query.to().map(to -> record.at().isBefore(to)).orElse(true);
    }

    private static AuditListing listed(List<AuditRecord> found, Position next) {
        return new AuditListing.Listed(found, Optional.of(encode(next)));
    }

    private static String encode(Position position) {
        ObjectNode json = CURSOR_JSON.createObjectNode();
        json.put("c", position.chains().orElse(null));
        json.put("i", position.index());
        json.put("r", position.records().orElse(null));
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((CURSOR_PREFIX + json).getBytes(StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException when the cursor is not one of ours */
    private static Position decode(String cursor) {
        String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        if (!decoded.startsWith(CURSOR_PREFIX)) {
            throw new IllegalArgumentException("not an audit cursor");
        }
        JsonNode json;
        try {
            json = CURSOR_JSON.readTree(decoded.substring(CURSOR_PREFIX.length()));
        } catch (IOException malformed) {
            throw new IllegalArgumentException("not an audit cursor", malformed);
        }
        if (json == null || !json.isObject() || !json.path("i").canConvertToInt() || json.path("i").asInt() < 0) {
            throw new IllegalArgumentException("not an audit cursor");
        }
        return new Position(text(json, "c"), json.get("i").asInt(), text(json, "r"));
    }

    private static Optional<String> text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }
}

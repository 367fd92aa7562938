package io.hybridci.core.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Builds and verifies the per-entity audit hash chains of DESIGN section 9.
 *
 * <h2>Canonical form</h2>
 * {@code hash} is the lowercase hex SHA-256 of the UTF-8 bytes of the record's canonical JSON,
 * which is written exactly like this, so that any other tool can recompute it:
 * <ul>
 *   <li>one JSON object with the record's fields except {@code hash}:
 *       {@code action, actor, after, at, before, chain, entity, prevHash, seq};</li>
 *   <li>object keys, at every depth, sorted by their UTF-16 code units ({@link String#compareTo});
 *       array elements keep their order;</li>
 *   <li>no whitespace between tokens;</li>
 *   <li>strings: {@code "} and {@code \} escaped with a backslash, {@code \b \f \n \r \t} as such,
 *       other characters below U+0020 as {@code \}{@code u00xx} (lowercase hex), everything else
 *       as itself in UTF-8 (no {@code \}{@code u} escapes for non-ASCII, none for {@code /});</li>
 *   <li>numbers: the plain decimal of their value, without exponent, without trailing zeros
 *       after the point and without a point when whole ({@code 1.50} → {@code 1.5},
 *       {@code 2.0} → {@code 2}, {@code 1e3} → {@code 1000}), so a value reads the same whether
 *       it was parsed as a double or a decimal;</li>
 *   <li>{@code true}, {@code false}, {@code null} as in JSON; a missing before/after is {@code null};</li>
 *   <li>{@code seq} as an integer; {@code at} as a string {@code yyyy-MM-ddTHH:mm:ss.SSSZ} in UTC,
 *       always with three fraction digits.</li>
 * </ul>
 * Example: {@code {"action":"MODIFY","actor":"system:reaper","after":{"state":"FAILED"},
 * "at":"2025-01-02T03:04:05.000Z","before":{"state":"RUNNING"},"chain":"job:j1","entity":"job:j1",
 * "prevHash":"000…000","seq":1}}.
 */
public final class AuditChain {

    /** The {@code prevHash} of a chain's first record: 64 zeros, a value SHA-256 never produces in practice. */
    public static final String GENESIS_HASH = "0".repeat(64);

    private static final DateTimeFormatter AT_FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private AuditChain() {
    }

    /** The chain name of an entity: {@code build:<id>}, {@code job:<id>}, {@code agent:<id>}. */
    public static String chainOf(String entityKind, String entityId) {
        return entityKind + ":" + entityId;
    }

    /**
     * The record that follows {@code previous} in {@code chain} (or starts it, when
     * {@code previous} is null), with its seq, prevHash and hash filled in.
     * {@code at} is truncated to milliseconds, the precision the canonical form keeps.
     *
     * @throws IllegalArgumentException if {@code previous} belongs to another chain
     */
    public static AuditRecord next(AuditRecord previous, String chain, Instant at, String actor, String entity,
            String action, JsonNode before, JsonNode after) {
        if (previous != null && !previous.chain().equals(chain)) {
            throw new IllegalArgumentException("previous record is in chain " + previous.chain() + ", not " + chain);
        }
        long seq = previous == null ? 1 : previous.seq() + 1;
        String prevHash = previous == null ? GENESIS_HASH : previous.hash();
        Instant millis = at.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        JsonNode beforeOrNull = before == null ? NullNode.instance : before;
        JsonNode afterOrNull = after == null ? NullNode.instance : after;
        String hash = sha256Hex(canonicalJson(chain, seq, millis, actor, entity, action, beforeOrNull, afterOrNull, prevHash));
        return new AuditRecord(chain, seq, millis, actor, entity, action, beforeOrNull, afterOrNull, prevHash, hash);
    }

    /** The canonical JSON of {@code record} without its {@code hash} (see the class comment for the exact form). */
    public static String canonicalJson(AuditRecord record) {
        return canonicalJson(record.chain(), record.seq(), record.at(), record.actor(), record.entity(),
                record.action(), record.before(), record.after(), record.prevHash());
    }

    /** What {@code record.hash()} must be: lowercase hex SHA-256 of its canonical JSON. */
    public static String hash(AuditRecord record) {
        return sha256Hex(canonicalJson(record));
    }

    /**
     * Verifies one chain, given all its records ordered by seq (as a query on the chain returns
     * them). Detects altered, deleted, inserted and reordered records, except at the very end:
     * use {@link #verify(List, ChainHead)} to also catch a cut-off or re-hashed tail.
     */
    public static VerifyResult verify(List<AuditRecord> records) {
        if (records.isEmpty()) {
            return VerifyResult.intact(0);
        }
        String chain = records.getFirst().chain();
        for (int i = 0; i < records.size(); i++) {
            AuditRecord record = records.get(i);
            long expectedSeq = i + 1L;
            String expectedPrevHash = i == 0 ? GENESIS_HASH : records.get(i - 1).hash();
            Optional<VerifyResult.Break> found = check(chain, record, expectedSeq, expectedPrevHash);
            if (found.isPresent()) {
                return VerifyResult.broken(records.size(), found.get());
            }
        }
        return VerifyResult.intact(records.size());
    }

    /** Like {@link #verify(List)}, and also checks that the chain ends at {@code expectedHead}. */
    public static VerifyResult verify(List<AuditRecord> records, ChainHead expectedHead) {
        VerifyResult links = verify(records);
        if (!links.ok()) {
            return links;
        }
        String chain = records.isEmpty() ? "" : records.getFirst().chain();
        long lastSeq = records.isEmpty() ? 0 : records.getLast().seq();
        if (lastSeq < expectedHead.seq()) {
            return VerifyResult.broken(records.size(), new VerifyResult.Break(chain, lastSeq + 1,
                    VerifyResult.Problem.TRUNCATED,
                    "the chain ends at seq " + lastSeq + " but its head is seq " + expectedHead.seq()));
        }
        if (lastSeq > expectedHead.seq() || !records.getLast().hash().equals(expectedHead.hash())) {
            return VerifyResult.broken(records.size(), new VerifyResult.Break(chain, lastSeq,
                    VerifyResult.Problem.HEAD_MISMATCH,
                    "the last record is not the recorded head (seq " + expectedHead.seq() + ")"));
        }
        return links;
    }

    private static Optional<VerifyResult.Break> check(String chain, AuditRecord record, long expectedSeq,
            String expectedPrevHash) {
        if (!record.chain().equals(chain)) {
            return broken(chain, record.seq(), VerifyResult.Problem.CHAIN_MISMATCH,
                    "record of chain " + record.chain() + " found in chain " + chain);
        }
        if (record.seq() > expectedSeq) {
            return broken(chain, expectedSeq, VerifyResult.Problem.SEQ_GAP,
                    "expected seq " + expectedSeq + ", found " + record.seq());
        }
        if (record.seq() < expectedSeq) {
            return broken(chain, record.seq(), VerifyResult.Problem.SEQ_OUT_OF_ORDER,
                    "expected seq " + expectedSeq + ", found " + record.seq());
        }
        if (!record.prevHash().equals(expectedPrevHash)) {
            return broken(chain, record.seq(), VerifyResult.Problem.PREV_HASH_MISMATCH,
                    "prevHash does not match the hash of seq " + (record.seq() - 1));
        }
        if (!hash(record).equals(record.hash())) {
            return broken(chain, record.seq(), VerifyResult.Problem.HASH_MISMATCH,
                    "the record's content does not match its hash");
        }
        return Optional.empty();
    }

    private static Optional<VerifyResult.Break> broken(String chain, long seq, VerifyResult.Problem problem, String detail) {
        return Optional.of(new VerifyResult.Break(chain, seq, problem, detail));
    }

    // ------------------------------------------------------------------ canonical JSON

    private static String canonicalJson(String chain, long seq, Instant at, String actor, String entity,
            String action, JsonNode before, JsonNode after, String prevHash) {
        // Written in sorted key order by hand: the field list is fixed, and spelling it out makes the form obvious.
        StringBuilder json = new StringBuilder(256).append('{');
        json.append("\"action\":");
        writeString(json, action);
        json.append(",\"actor\":");
        writeString(json, actor);
        json.append(",\"after\":");
        writeValue(json, after);
        json.append(",\"at\":");
        writeString(json, AT_FORMAT.format(at));
        json.append(",\"before\":");
        writeValue(json, before);
        json.append(",\"chain\":");
        writeString(json, chain);
        json.append(",\"entity\":");
        writeString(json, entity);
        json.append(",\"prevHash\":");
        writeString(json, prevHash);
        json.append(",\"seq\":").append(seq);
        return json.append('}').toString();
    }

    private static void writeValue(StringBuilder json, JsonNode node) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                TreeMap<String, JsonNode> sorted = new TreeMap<>();
                node.properties().forEach(entry -> sorted.put(entry.getKey(), entry.getValue()));
                json.append('{');
                boolean first = true;
                for (var entry : sorted.entrySet()) {
                    if (!first) {
                        json.append(',');
                    }
                    first = false;
                    writeString(json, entry.getKey());
                    json.append(':');
                    writeValue(json, entry.getValue());
                }
                json.append('}');
            }
            case ARRAY -> {
                json.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        json.append(',');
                    }
                    writeValue(json, node.get(i));
                }
                json.append(']');
            }
            case STRING -> writeString(json, node.textValue());
            case NUMBER -> json.append(canonicalNumber(node));
            case BOOLEAN -> json.append(node.booleanValue());
            case NULL, MISSING -> json.append("null");
            case BINARY, POJO -> throw new IllegalArgumentException(
                    "audit state must be plain JSON, found a " + node.getNodeType() + " node");
        }
    }

    private static String canonicalNumber(JsonNode node) {
        if (node.isIntegralNumber()) {
            return node.bigIntegerValue().toString();
        }
        if (node.isDouble() || node.isFloat()) {
            double value = node.doubleValue();
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("audit state cannot hold " + value);
            }
        }
        BigDecimal value = node.decimalValue().stripTrailingZeros();
        return value.signum() == 0 ? "0" : value.toPlainString();
    }

    private static void writeString(StringBuilder json, String text) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }

    static String sha256Hex(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException impossible) {
            // Every JDK must provide SHA-256 (java.security.MessageDigest's documented requirements).
            throw new IllegalStateException(impossible);
        }
    }
}

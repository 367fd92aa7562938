package io.hybridci.core.auditing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Removes what must never reach the audit trail from an item image (DESIGN section 8: no secret
 * in logs, events, audit or outputs). The audit table is read by more people than the state table
 * and is never deleted, so anything copied there leaks for good.
 *
 * <p>Removed, at any depth, by attribute name (case-insensitive):
 * <ul>
 *   <li>the storage keys {@code pk}, {@code sk}, {@code gsi*pk}, {@code gsi*sk}: derived from the
 *       entity, and a session's or registration token's key <em>is</em> its token hash;</li>
 *   <li>names containing {@code secret}, {@code password}, {@code signingkey}, {@code privatekey},
 *       {@code credential} or {@code token} (an agent's encrypted signing key, token hashes,
 *       session tokens), and names ending in {@code hash}.</li>
 * </ul>
 * A name list rather than a per-entity allow list: a new secret-bearing attribute is caught by its
 * name without the audit-writer knowing the entity.
 */
public final class AuditRedaction {

    private static final Set<String> STORAGE_KEYS = Set.of("pk", "sk");
    private static final Set<String> SECRET_WORDS =
            Set.of("secret", "password", "signingkey", "privatekey", "credential", "token");

    private AuditRedaction() {
    }

    /** A copy of {@code image} without secret-bearing attributes; {@code null} stays {@code null}. */
    public static JsonNode redact(JsonNode image) {
        if (image == null) {
            return null;
        }
        JsonNode copy = image.deepCopy();
        strip(copy);
        return copy;
    }

    /** Whether an attribute called {@code name} is kept out of the audit trail. */
    public static boolean isRedacted(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (STORAGE_KEYS.contains(lower) || lower.matches("gsi\\d*(pk|sk)")) {
            return true;
        }
        return lower.endsWith("hash") || SECRET_WORDS.stream().anyMatch(lower::contains);
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> redacted = new ArrayList<>();
            object.fieldNames().forEachRemaining(name -> {
                if (isRedacted(name)) {
                    redacted.add(name);
                }
            });
            object.remove(redacted);
            object.forEach(AuditRedaction::strip);
        } else if (node instanceof ArrayNode array) {
            array.forEach(AuditRedaction::strip);
        }
    }
}

package io.hybridci.core.deadletter;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.hybridci.core.security.TokenKind;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Keeps secrets out of what {@code GET /api/v1/dead-letters} shows (DESIGN section 8). What our own producers put
 * on those queues carries none (job dispatches name a job and nothing it needs; agent updates are signed with an
 * HMAC, whose value proves nothing without the key; bus events and stream-failure descriptions hold no secret
 * either), but a dead letter is by definition a message nobody vouched for: a forged or broken message, a job's
 * log line that printed a token. So, defence in depth:
 * <ul>
 *   <li>every string that looks like one of our bearer tokens ({@code hcr_}, {@code hca_}, {@code hcj_} and at
 *   least 16 token characters) becomes {@code <prefix>[redacted]}, in bodies and attribute values alike;</li>
 *   <li>in a JSON body, and among message attributes, every value whose name contains {@code secret},
 *   {@code password}, {@code signingkey}, {@code privatekey}, {@code credential} or {@code token} becomes
 *   {@code [redacted]} (the names the audit trail drops too).</li>
 * </ul>
 * Redaction happens before truncation, so a token cut in two by the 4 KiB limit is still caught whole.
 */
public final class DeadLetterRedaction {

    public static final String REDACTED = "[redacted]";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SECRET_WORDS =
            List.of("secret", "password", "signingkey", "privatekey", "credential", "token");
    private static final Pattern TOKEN = Pattern.compile("(" + Arrays.stream(TokenKind.values())
            .map(kind -> Pattern.quote(kind.prefix())).collect(Collectors.joining("|")) + ")[A-Za-z0-9_-]{16,}");

    private DeadLetterRedaction() {
    }

    /** Whether a field or attribute called {@code name} holds a secret by its name. */
    public static boolean isSecretName(String name) {
        String lower = name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        return SECRET_WORDS.stream().anyMatch(lower::contains);
    }

    /** {@code text} with every token-shaped string redacted. */
    public static String redactTokens(String text) {
        return TOKEN.matcher(text).replaceAll(match -> match.group(1) + REDACTED);
    }

    /** The value shown for attribute {@code name}. */
    public static String attributeValue(String name, String value) {
        return isSecretName(name) ? REDACTED : redactTokens(value);
    }

    /**
     * The body with secrets redacted: a JSON body keeps its text unless a secret-named field had to go (then it
     * is written again, compactly); any other body is text.
     */
    public static String body(String body) {
        String text = redactTokens(body);
        JsonNode json;
        try {
            json = JSON.readTree(text);
        } catch (JacksonException notJson) {
            return text;
        }
        if (json == null || !json.isContainerNode()) {
            return text;
        }
        AtomicBoolean changed = new AtomicBoolean();
        redactFields(json, changed);
        return changed.get() ? json.toString() : text;
    }

    /**
     * The longest prefix of {@code text} of at most {@code maxBytes} UTF-8 bytes that ends on a whole character
     * (a surrogate pair is never split).
     */
    public static String truncateUtf8(String text, int maxBytes) {
        if (text.length() * 3L <= maxBytes || text.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
            return text;
        }
        int bytes = 0;
        int end = 0;
        while (end < text.length()) {
            int codePoint = text.codePointAt(end);
            int size = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            end += Character.charCount(codePoint);
        }
        return text.substring(0, end);
    }

    private static void redactFields(JsonNode node, AtomicBoolean changed) {
        if (node instanceof ObjectNode object) {
            List<String> secretNames = object.properties().stream().map(java.util.Map.Entry::getKey)
                    .filter(DeadLetterRedaction::isSecretName).toList();
            for (String name : secretNames) {
                object.set(name, TextNode.valueOf(REDACTED));
                changed.set(true);
            }
            object.forEach(child -> redactFields(child, changed));
        } else if (node instanceof ArrayNode array) {
            array.forEach(child -> redactFields(child, changed));
        }
    }
}

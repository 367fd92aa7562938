package io.hybridci.aws.dynamodb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridci.core.audit.AuditRecord;
import io.hybridci.core.port.AuditLog;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An {@link AuditRecord} as an {@code audit} item ({@code chain} / {@code seq}); {@code before}
 * and {@code after} are JSON strings, {@code sourceEventId} the stream record it was written for.
 */
public final class AuditItems {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditItems() {
    }

    public static Map<String, AttributeValue> toItem(AuditRecord record, String sourceEventId) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("chain", Attributes.s(record.chain()));
        item.put("seq", Attributes.n(record.seq()));
        item.put("at", Attributes.s(record.at().toString()));
        item.put("actor", Attributes.s(record.actor()));
        item.put("entity", Attributes.s(record.entity()));
        item.put("action", Attributes.s(record.action()));
        item.put("before", Attributes.s(record.before().toString()));
        item.put("after", Attributes.s(record.after().toString()));
        item.put("prevHash", Attributes.s(record.prevHash()));
        item.put("hash", Attributes.s(record.hash()));
        Attributes.putString(item, "sourceEventId", sourceEventId);
        return item;
    }

    public static AuditLog.StoredRecord fromItem(Map<String, AttributeValue> item) {
        try {
            var record = new AuditRecord(Attributes.string(item, "chain"), Attributes.number(item, "seq"),
                    Attributes.instant(item, "at"), Attributes.string(item, "actor"), Attributes.string(item, "entity"),
                    Attributes.string(item, "action"), JSON.readTree(Attributes.string(item, "before")),
                    JSON.readTree(Attributes.string(item, "after")), Attributes.string(item, "prevHash"),
                    Attributes.string(item, "hash"));
            return new AuditLog.StoredRecord(record, Attributes.nullableString(item, "sourceEventId"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("audit item " + Attributes.keyOf(item) + " holds malformed JSON", e);
        }
    }
}

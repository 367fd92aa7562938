package io.hybridci.core.status;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Reading the text fields of a bus event's detail, collecting every missing one so the error names them all. */
final class DetailFields {

    /** The field's text, or null after adding {@code field} to {@code missing}. */
    static String text(JsonNode detail, String field, List<String> missing) {
        JsonNode value = detail == null ? null : detail.get(field);
        if (value == null || !value.isTextual()) {
            missing.add(field);
            return null;
        }
        return value.textValue();
    }

    private DetailFields() {
    }
}

package io.hybridci.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;

/** The parser reports, never throws: whatever a person pushes, the bootstrap job gets a readable result. */
class PipelineParserProperties {

    @Property(tries = 300)
    void shouldReturnAResultWithoutThrowing_whenInputIsArbitraryText(@ForAll @StringLength(max = 200) String text) {
        ParseResult result = PipelineParser.parse(text);

        assertNotNull(result);
        if (result instanceof ParseResult.Invalid invalid) {
            assertFalse(invalid.report().isBlank());
        }
    }

    @Property(tries = 300)
    void shouldReturnAResultWithoutThrowing_whenStepHoldsArbitraryScalars(
            @ForAll @StringLength(max = 40) String key,
            @ForAll @StringLength(max = 40) String value) {
        String yaml = "steps:\n  - command: make\n    key: \"" + escape(key) + "\"\n    " + "depends_on: \"" + escape(value) + "\"\n";

        ParseResult result = PipelineParser.parse(yaml);

        assertNotNull(result);
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}

package io.hybridci.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** The parser reports, never throws: whatever a person pushes, the bootstrap job gets a readable result. */
class PipelineParserProperties {

    /** Pieces of YAML and of our pipeline schema, so that random text often gets past the YAML parser. */
    private static final List<String> YAML_PIECES = List.of(
            "steps", "command", "commands", "key", "label", "depends_on", "retry", "automatic", "manual",
            "exit_status", "limit", "agents", "queue", "env", "timeout_in_minutes", "block", "wait", "if",
            ":", ": ", "- ", "-", "  ", "    ", "\n", "\r\n", "\t", "{", "}", "[", "]", ",", "\"", "'", "#",
            "|", ">", "&a", "*a", "<<", "!!str", "!!int", "!tag", "?", "~", "null", "true", "no", "0", "-1",
            "3.5", "1e9", "99999999999999999999", "*", "---", "...", "%YAML 1.2", "\\", "\u0000", "\u00e9", "\ud83d\ude80");

    /**
     * Arbitrary text of up to 200 characters: any code point, printable ASCII, or a soup of YAML
     * pieces (up to 60) which random characters rarely make.
     */
    static Gen<String> texts() {
        Gen<String> yamlSoup = lists().of(Generate.pick(YAML_PIECES)).ofSizeBetween(0, 60).map(pieces -> String.join("", pieces));
        return Generate.oneOf(
                strings().allPossible().ofLengthBetween(0, 200),
                strings().basicLatinAlphabet().ofLengthBetween(0, 200),
                yamlSoup);
    }

    /** A scalar of up to 40 characters: any code point or printable ASCII. */
    static Gen<String> scalars() {
        return Generate.oneOf(strings().allPossible().ofLengthBetween(0, 40),
                strings().basicLatinAlphabet().ofLengthBetween(0, 40));
    }

    @Test
    void shouldReturnAResultWithoutThrowing_whenInputIsArbitraryText() {
        qt().withExamples(500).forAll(texts()).checkAssert(text -> {
            ParseResult result = PipelineParser.parse(text);

            assertNotNull(result);
            if (result instanceof ParseResult.Invalid invalid) {
                assertFalse(invalid.report().isBlank());
            }
        });
    }

    @Test
    void shouldReturnAResultWithoutThrowing_whenStepHoldsArbitraryScalars() {
        qt().withExamples(300).forAll(scalars(), scalars()).checkAssert((key, value) -> {
            String yaml = "steps:\n  - command: make\n    key: \"" + escape(key) + "\"\n    "
                    + "depends_on: \"" + escape(value) + "\"\n";

            ParseResult result = PipelineParser.parse(yaml);

            assertNotNull(result);
        });
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}

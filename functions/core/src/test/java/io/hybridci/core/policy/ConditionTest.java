package io.hybridci.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ConditionTest {

    private static final BuildFacts MAIN_PUSH = new BuildFacts("main", null, "push",
            Optional.of(List.of("docs/readme.md", "src/main/App.java")));
    private static final BuildFacts TAG = new BuildFacts(null, "v1.2.0", "push", Optional.empty());

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "build.branch == \"main\"                              ; true",
            "build.branch != \"main\"                              ; false",
            "build.branch =~ \"release/*\"                         ; false",
            "build.event == \"push\" && !(build.branch == \"dev\") ; true",
            "build.event == \"pull_request\" || build.branch == \"main\" ; true",
            "changed(\"src/**\")                                   ; true",
            "changed(\"src/*\")                                    ; false",
            "changed(\"*.md\", \"docs/*.md\")                      ; true",
            "build.tag =~ \"v*\"                                   ; false"})
    void shouldEvaluate_whenMainBranchPush(String condition, boolean expected) {
        assertEquals(expected, Condition.parse(condition).evaluate(MAIN_PUSH));
    }

    @Test
    void shouldMatchTagsAndTreeAbsentBranchAsNoMatch_whenTagBuild() {
        assertTrue(Condition.parse("build.tag =~ 'v?.*'").evaluate(TAG));
        assertTrue(Condition.parse("build.branch !~ 'main'").evaluate(TAG));
        assertEquals(false, Condition.parse("build.branch =~ '*'").evaluate(TAG));
    }

    @Test
    void shouldRunTheStep_whenChangedPathsAreUnknown() {
        assertTrue(Condition.parse("changed('nothing/**')").evaluate(TAG));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "build.branch = 'main'         | column 14",
            "build.owner == 'x'            | column 1",
            "build.branch == main          | column 17",
            "(build.branch == 'a'          | column 21",
            "build.branch == 'a' extra     | column 21",
            "System.exit(1)                | column 1"})
    void shouldNameTheColumn_whenConditionIsInvalid(String condition, String column) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> Condition.parse(condition));
        assertTrue(error.getMessage().startsWith(column), error.getMessage());
    }

    @Test
    void shouldRefuseDeepNestingAndLongText_whenConditionIsHostile() {
        assertThrows(IllegalArgumentException.class, () -> Condition.parse("!".repeat(100) + "build.tag == 'x'"));
        assertThrows(IllegalArgumentException.class, () -> Condition.parse("build.tag == '" + "x".repeat(1000) + "'"));
    }

    @Test
    void shouldMatchInLinearTime_whenGlobIsPathological() {
        String text = "a".repeat(5000);
        assertTimeoutPreemptively(Duration.ofSeconds(2),
                () -> assertEquals(false, Glob.matches("*a*a*a*a*a*a*a*a*a*a*b", text)));
        assertTrue(Glob.matches("src/**/Test?.java", "src/a/b/TestX.java"));
        assertEquals(false, Glob.matches("src/*/Test?.java", "src/a/b/TestX.java"));
    }
}

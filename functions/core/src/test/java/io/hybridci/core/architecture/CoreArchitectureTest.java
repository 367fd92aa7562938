package io.hybridci.core.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps {@code functions/core} a pure domain (DESIGN section 2): it may use the JDK, Jackson (for
 * pipeline YAML) and itself, nothing else, and above all no AWS SDK or Lambda library, so every
 * state machine runs unchanged in a Lambda, in local mode and in a unit test.
 */
class CoreArchitectureTest {

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.hybridci.core");

    @Test
    void shouldImportTheCoreClasses_whenScanningTheCorePackage() {
        // Guards the rules below against passing vacuously on an empty import.
        assertTrue(CORE.containPackage("io.hybridci.core.job"), "core classes were not found on the class path");
    }

    @Test
    void shouldDependOnlyOnTheJdkJacksonAndItself_whenAnyCoreClassIsCompiled() {
        // javax.crypto is the JDK's HMAC; org.yaml.snakeyaml is the parser inside Jackson YAML, whose
        // LoaderOptions (alias and nesting limits) the pipeline reader must set to read untrusted YAML.
        ArchRule rule = classes().that().resideInAPackage("io.hybridci.core..")
                .should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "javax.crypto..", "com.fasterxml.jackson..", "org.yaml.snakeyaml..",
                        "io.hybridci.core..");

        rule.check(CORE);
    }

    @Test
    void shouldNotTouchAws_whenAnyCoreClassIsCompiled() {
        ArchRule rule = noClasses().that().resideInAPackage("io.hybridci.core..")
                .should().dependOnClassesThat()
                .resideInAnyPackage("software.amazon..", "com.amazonaws..", "com.amazon..");

        rule.check(CORE);
    }
}

package io.hybridci.local.engine.dynamodb;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DynaliteTest {

    @Test
    void shouldTellToRunNpmCi_whenNodeModulesAreMissing(@TempDir Path dir) {
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> Dynalite.start(dir.resolve("data"), dir.resolve("node_modules")));

        assertTrue(error.getMessage().contains("run npm ci in local/"), error.getMessage());
    }
}

package io.hybridci.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hybridci.local.engine.LocalAws;
import io.hybridci.local.engine.kms.LocalKms;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kms.KmsClient;

/** The local cloud's signing key: created once per data dir, then found again; old data dirs are refused clearly. */
class LocalSigningKeyIT {

    @TempDir
    Path data;

    LocalKms kms;
    KmsClient client;

    @BeforeEach
    void start() throws Exception {
        kms = LocalKms.start(data, 0);
        client = LocalAws.pointAt(KmsClient.builder(), kms.endpoint()).build();
    }

    @AfterEach
    void stop() {
        client.close();
        kms.close();
    }

    @Test
    void shouldCreateTheKeyOnce_whenStartedAgainOnTheSameDataDir() throws Exception {
        String first = LocalSigningKey.ensure(data, client);
        stop();
        start();

        String again = LocalSigningKey.ensure(data, client);

        assertEquals(first, again);
        assertTrue(first.startsWith("arn:aws:kms:us-east-1:000000000000:key/"), first);
        assertEquals(first, Files.readString(data.resolve(LocalSigningKey.KEY_ID_FILE)).strip());
    }

    @Test
    void shouldRefuseWithAClearMessage_whenTheDataDirPredatesTheLocalKms() throws Exception {
        Files.writeString(data.resolve(LocalSigningKey.LEGACY_SECRET_FILE), "old secret\n");

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> LocalSigningKey.ensure(data, client));

        assertTrue(refused.getMessage().contains("fresh --data"), refused.getMessage());
        assertTrue(Files.notExists(data.resolve(LocalSigningKey.KEY_ID_FILE)));
    }

    @Test
    void shouldRefuse_whenTheRememberedKeyIsGoneFromTheKms() throws Exception {
        Files.writeString(data.resolve(LocalSigningKey.KEY_ID_FILE),
                "arn:aws:kms:us-east-1:000000000000:key/00000000-0000-0000-0000-000000000000\n");

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> LocalSigningKey.ensure(data, client));

        assertTrue(refused.getMessage().contains("does not hold"), refused.getMessage());
    }
}

package io.hybridci.local.engine.kms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hybridci.local.engine.LocalAws;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.IncorrectKeyException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.NotFoundException;

/** The local KMS driven by the real SDK KmsClient. */
class LocalKmsIT {

    private static final Map<String, String> SESSION_A = Map.of("hybridci:binding", "session:a");
    private static final SdkBytes SECRET = SdkBytes.fromString("a signing key", StandardCharsets.UTF_8);

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
    void shouldRoundTrip_whenDecryptedWithTheSameContext() {
        KeyMetadata key = client.createKey(c -> c.description("signing")).keyMetadata();

        SdkBytes blob = client.encrypt(e -> e.keyId(key.arn()).plaintext(SECRET).encryptionContext(SESSION_A)).ciphertextBlob();
        var decrypted = client.decrypt(d -> d.ciphertextBlob(blob).encryptionContext(SESSION_A));

        assertArrayEquals(SECRET.asByteArray(), decrypted.plaintext().asByteArray());
        // The blob names its key: Decrypt without KeyId finds it, as KMS does for symmetric keys.
        assertEquals(key.arn(), decrypted.keyId());
        assertFalse(new String(blob.asByteArray(), StandardCharsets.ISO_8859_1).contains("a signing key"));
        assertEquals("arn:aws:kms:us-east-1:000000000000:key/" + key.keyId(), key.arn());
    }

    @Test
    void shouldRejectAsInvalidCiphertext_whenContextDiffersOrIsMissing() {
        String keyId = client.createKey(c -> c.description("signing")).keyMetadata().keyId();
        SdkBytes blob = client.encrypt(e -> e.keyId(keyId).plaintext(SECRET).encryptionContext(SESSION_A)).ciphertextBlob();

        assertThrows(InvalidCiphertextException.class, () -> client.decrypt(d -> d.ciphertextBlob(blob)
                .encryptionContext(Map.of("hybridci:binding", "session:b"))));
        assertThrows(InvalidCiphertextException.class, () -> client.decrypt(d -> d.ciphertextBlob(blob)));
        assertThrows(InvalidCiphertextException.class, () -> client.decrypt(d -> d.ciphertextBlob(blob)
                .encryptionContext(Map.of("hybridci:binding", "session:a", "extra", "x"))));
    }

    @Test
    void shouldRefuse_whenKeyIdDiffersOrBlobIsTampered() {
        String first = client.createKey(c -> c.description("one")).keyMetadata().keyId();
        String second = client.createKey(c -> c.description("two")).keyMetadata().keyId();
        byte[] blob = client.encrypt(e -> e.keyId(first).plaintext(SECRET).encryptionContext(SESSION_A))
                .ciphertextBlob().asByteArray();
        byte[] tampered = blob.clone();
        tampered[tampered.length - 1] ^= 1;

        assertThrows(IncorrectKeyException.class, () -> client.decrypt(d -> d.keyId(second)
                .ciphertextBlob(SdkBytes.fromByteArray(blob)).encryptionContext(SESSION_A)));
        assertThrows(InvalidCiphertextException.class, () -> client.decrypt(d -> d.keyId(first)
                .ciphertextBlob(SdkBytes.fromByteArray(tampered)).encryptionContext(SESSION_A)));
        assertThrows(NotFoundException.class, () -> client.encrypt(e -> e.keyId("00000000-0000-0000-0000-000000000000")
                .plaintext(SECRET)));
    }

    @Test
    void shouldKeepKeysInAPrivateFile_whenRestarted() throws Exception {
        String keyId = client.createKey(c -> c.description("signing")).keyMetadata().keyId();
        SdkBytes blob = client.encrypt(e -> e.keyId(keyId).plaintext(SECRET).encryptionContext(SESSION_A)).ciphertextBlob();

        stop();
        start();

        assertEquals("signing", client.describeKey(d -> d.keyId(keyId)).keyMetadata().description());
        assertArrayEquals(SECRET.asByteArray(), client.decrypt(d -> d.ciphertextBlob(blob).encryptionContext(SESSION_A))
                .plaintext().asByteArray());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("kms.json"))));
    }
}

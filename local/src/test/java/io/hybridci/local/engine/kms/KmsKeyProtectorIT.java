package io.hybridci.local.engine.kms;

import io.hybridci.aws.dynamodb.KeyProtector;
import io.hybridci.aws.dynamodb.KmsKeyProtector;
import io.hybridci.aws.dynamodb.contract.KeyProtectorContract;
import io.hybridci.local.engine.LocalAws;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The KeyProtector contract against the adapter that runs in AWS, {@link KmsKeyProtector}, on the local KMS:
 * the protector functions use locally is the same class, on the same client type, as in production.
 */
class KmsKeyProtectorIT extends KeyProtectorContract {

    @TempDir
    static Path data;
    static LocalKms kms;
    static KmsClient client;
    static String key;
    static String otherKey;

    @BeforeAll
    static void start() throws Exception {
        kms = LocalKms.start(data, 0);
        client = LocalAws.pointAt(KmsClient.builder(), kms.endpoint()).build();
        key = client.createKey(c -> c.description("signing")).keyMetadata().arn();
        otherKey = client.createKey(c -> c.description("another")).keyMetadata().arn();
    }

    @AfterAll
    static void stop() {
        client.close();
        kms.close();
    }

    @Override
    protected KeyProtector protector() {
        return new KmsKeyProtector(client, key);
    }

    @Override
    protected KeyProtector protectorUnderAnotherKey() {
        return new KmsKeyProtector(client, otherKey);
    }
}

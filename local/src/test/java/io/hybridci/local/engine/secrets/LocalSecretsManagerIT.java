package io.hybridci.local.engine.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hybridci.local.engine.LocalAws;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/** The local Secrets Manager driven by the real SecretsManagerClient, through a full rotation. */
class LocalSecretsManagerIT {

    @TempDir
    Path data;

    LocalSecretsManager manager;
    SecretsManagerClient client;

    @BeforeEach
    void start() throws Exception {
        manager = LocalSecretsManager.start(data, 0);
        client = LocalAws.pointAt(SecretsManagerClient.builder(), manager.endpoint()).build();
    }

    @AfterEach
    void stop() {
        client.close();
        manager.close();
    }

    @Test
    void shouldMoveStagingLabels_whenARotationFunctionRunsAllFourSteps() throws Exception {
        String firstVersion = client.createSecret(c -> c.name("webhook-secret").secretString("old")).versionId();
        List<String> steps = new ArrayList<>();
        // A rotation function written like AWS's template, calling back through a real client.
        manager.registerRotationFunction("secret-rotator", (step, arn, token) -> {
            steps.add(step.name());
            switch (step) {
                case createSecret -> client.putSecretValue(p -> p.secretId(arn).clientRequestToken(token)
                        .secretString("new").versionStages("AWSPENDING"));
                case setSecret -> { }
                case testSecret -> assertEquals("new", client.getSecretValue(g -> g.secretId(arn)
                        .versionStage("AWSPENDING")).secretString());
                case finishSecret -> {
                    String current = client.describeSecret(d -> d.secretId(arn)).versionIdsToStages().entrySet().stream()
                            .filter(e -> e.getValue().contains("AWSCURRENT")).findFirst().orElseThrow().getKey();
                    client.updateSecretVersionStage(u -> u.secretId(arn).versionStage("AWSCURRENT")
                            .moveToVersionId(token).removeFromVersionId(current));
                }
            }
        });

        String token = client.rotateSecret(r -> r.secretId("webhook-secret")
                .rotationLambdaARN("arn:aws:lambda:us-east-1:000000000000:function:secret-rotator")
                .rotationRules(rules -> rules.automaticallyAfterDays(30L))).versionId();

        Map<String, List<String>> stages = client.describeSecret(d -> d.secretId("webhook-secret")).versionIdsToStages();
        assertEquals(List.of("createSecret", "setSecret", "testSecret", "finishSecret"), steps);
        assertEquals(List.of("AWSCURRENT"), stages.get(token));
        assertEquals(List.of("AWSPREVIOUS"), stages.get(firstVersion));
        assertEquals("new", client.getSecretValue(g -> g.secretId("webhook-secret")).secretString());
        assertEquals("old", client.getSecretValue(g -> g.secretId("webhook-secret").versionStage("AWSPREVIOUS")).secretString());
        assertEquals(true, client.describeSecret(d -> d.secretId("webhook-secret")).rotationEnabled());
        assertEquals(30L, client.describeSecret(d -> d.secretId("webhook-secret")).rotationRules().automaticallyAfterDays());
    }

    @Test
    void shouldKeepSecretsInAPrivateFile_whenRestarted() throws Exception {
        client.createSecret(c -> c.name("admin-token").secretString("s3cr3t"));
        String second = client.putSecretValue(p -> p.secretId("admin-token").secretString("s3cr3t-2")).versionId();

        stop();
        start();

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("secrets.json"))));
        assertEquals(second, client.getSecretValue(g -> g.secretId("admin-token")).versionId());
        assertEquals(2, client.listSecretVersionIds(l -> l.secretId("admin-token")).versions().size());
    }

    @Test
    void shouldAnswerResourceNotFound_whenTheSecretDoesNotExist() {
        assertThrows(ResourceNotFoundException.class, () -> client.getSecretValue(g -> g.secretId("nope")));
        client.createSecret(c -> c.name("gone").secretString("x"));
        client.deleteSecret(d -> d.secretId("gone").forceDeleteWithoutRecovery(true));
        assertThrows(ResourceNotFoundException.class, () -> client.describeSecret(d -> d.secretId("gone")));
    }
}

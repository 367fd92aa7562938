package io.hybridci.aws.secrets;

import io.hybridci.core.port.SecretVersions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.ListSecretVersionIdsRequest;
import software.amazon.awssdk.services.secretsmanager.model.ListSecretVersionIdsResponse;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretVersionsListEntry;
import software.amazon.awssdk.services.secretsmanager.model.UpdateSecretVersionStageRequest;

/**
 * {@link SecretVersions} on Secrets Manager: DescribeSecret for the labels, ListSecretVersionIds for the
 * creation dates (the grace period counts from them), GetSecretValue by version id, PutSecretValue with the
 * rotation's token as {@code ClientRequestToken} (so a repeated createSecret is idempotent, as
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutSecretValue.html describes), and
 * UpdateSecretVersionStage. No value reaches a log or an exception message.
 */
public final class SecretsManagerSecretVersions implements SecretVersions {

    private final SecretsManagerClient secrets;

    public SecretsManagerSecretVersions(SecretsManagerClient secrets) {
        this.secrets = Objects.requireNonNull(secrets, "secrets");
    }

    @Override
    public Optional<SecretDescription> describe(String secretId) {
        DescribeSecretResponse described;
        try {
            described = secrets.describeSecret(DescribeSecretRequest.builder().secretId(secretId).build());
        } catch (ResourceNotFoundException noSuchSecret) {
            return Optional.empty();
        }
        Map<String, List<String>> stages = described.versionIdsToStages();
        Map<String, java.time.Instant> created = new java.util.HashMap<>();
        String nextToken = null;
        do {
            ListSecretVersionIdsResponse page = secrets.listSecretVersionIds(ListSecretVersionIdsRequest.builder()
                    .secretId(secretId).includeDeprecated(false).nextToken(nextToken).build());
            for (SecretVersionsListEntry entry : page.versions()) {
                created.put(entry.versionId(), entry.createdDate());
            }
            nextToken = page.nextToken();
        } while (nextToken != null);
        List<SecretVersion> versions = new ArrayList<>();
        stages.forEach((versionId, labels) -> versions.add(new SecretVersion(versionId, Set.copyOf(labels),
                created.get(versionId))));
        return Optional.of(new SecretDescription(secretId, Boolean.TRUE.equals(described.rotationEnabled()), versions));
    }

    @Override
    public Optional<String> valueOf(String secretId, String versionId) {
        try {
            return Optional.ofNullable(secrets.getSecretValue(GetSecretValueRequest.builder().secretId(secretId)
                    .versionId(versionId).build()).secretString());
        } catch (ResourceNotFoundException noValueYet) {
            // RotateSecret creates the AWSPENDING version without a value; createSecret fills it.
            return Optional.empty();
        }
    }

    @Override
    public void putPending(String secretId, String versionId, String value) {
        try {
            secrets.putSecretValue(PutSecretValueRequest.builder().secretId(secretId).clientRequestToken(versionId)
                    .secretString(value).versionStages(PENDING).build());
        } catch (ResourceExistsException otherValue) {
            // Secrets Manager's words for "this token already holds another value"; the SDK message is value-free.
            throw new IllegalStateException("version " + versionId + " of " + secretId + " already holds another value");
        }
    }

    @Override
    public void moveStage(String secretId, String stage, String toVersionId, String fromVersionId) {
        secrets.updateSecretVersionStage(UpdateSecretVersionStageRequest.builder().secretId(secretId)
                .versionStage(stage).moveToVersionId(toVersionId).removeFromVersionId(fromVersionId).build());
    }

    @Override
    public void removeStage(String secretId, String stage, String fromVersionId) {
        Optional<SecretDescription> described = describe(secretId);
        boolean labelled = described.flatMap(d -> d.version(fromVersionId))
                .filter(version -> version.stages().contains(stage)).isPresent();
        if (labelled) {
            secrets.updateSecretVersionStage(UpdateSecretVersionStageRequest.builder().secretId(secretId)
                    .versionStage(stage).removeFromVersionId(fromVersionId).build());
        }
    }
}

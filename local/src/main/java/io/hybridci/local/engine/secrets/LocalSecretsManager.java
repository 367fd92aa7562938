package io.hybridci.local.engine.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hybridci.local.engine.LocalAws;
import io.hybridci.local.engine.PrivateFiles;
import io.hybridci.local.engine.http.AwsJsonError;
import io.hybridci.local.engine.http.AwsJsonServer;
import java.io.IOException;
import java.io.UncheckedIOException;

import java.nio.file.Files;
import java.nio.file.Path;


import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Secrets Manager for the local cloud: secrets with versions and staging labels, persisted to
 * {@code secrets.json} (mode 0600) under the data dir, and rotation that drives a registered
 * {@link RotationFunction} through createSecret, setSecret, testSecret and finishSecret.
 *
 * <p>Operations: CreateSecret, GetSecretValue, PutSecretValue, DescribeSecret, UpdateSecretVersionStage,
 * RotateSecret, ListSecretVersionIds, DeleteSecret. Secret values are never logged.
 *
 * <p>Not as in AWS: RotateSecret runs the four steps before it answers (AWS answers first and rotates in
 * the background), and answers with the failing step's error if one fails; scheduled rotation is
 * recorded, not run; versions without labels are kept rather than aged out; no KMS, no resource policies.
 */
public final class LocalSecretsManager extends AwsJsonServer {

    private static final String CURRENT = "AWSCURRENT";
    private static final String PREVIOUS = "AWSPREVIOUS";
    private static final String PENDING = "AWSPENDING";
    private static final String SUFFIX_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final Path file;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final ObjectNode state;
    private final Map<String, RotationFunction> rotationFunctions = new ConcurrentHashMap<>();

    private LocalSecretsManager(Path file, int port, Clock clock) throws IOException {
        super("secretsmanager", port);
        this.file = file;
        this.clock = clock;
        this.state = Files.exists(file) ? (ObjectNode) JSON.readTree(file.toFile()) : JSON.createObjectNode();
    }

    /** Starts on {@code 127.0.0.1:port} (0: any free port), loading secrets from {@code dataDir} if there are any. */
    public static LocalSecretsManager start(Path dataDir, int port) throws IOException {
        return start(dataDir, port, Clock.systemUTC());
    }

    /** Starts with an explicit clock for created and rotated dates. */
    public static LocalSecretsManager start(Path dataDir, int port, Clock clock) throws IOException {
        Files.createDirectories(dataDir);
        LocalSecretsManager manager = new LocalSecretsManager(dataDir.resolve("secrets.json"), port, clock);
        manager.startServing();
        return manager;
    }

    /** Registers the rotation function a secret's {@code RotationLambdaARN} names (by function name). */
    public void registerRotationFunction(String functionName, RotationFunction function) {
        rotationFunctions.put(functionName, function);
    }

    @Override
    protected JsonNode handle(String operation, JsonNode request) {
        if ("RotateSecret".equals(operation)) {
            // Not synchronized as a whole: the rotation function calls back into this server meanwhile.
            return rotateSecret(request);
        }
        synchronized (this) {
            return switch (operation) {
                case "CreateSecret" -> createSecret(request);
                case "GetSecretValue" -> getSecretValue(request);
                case "PutSecretValue" -> putSecretValue(request);
                case "DescribeSecret" -> describeSecret(request);
                case "UpdateSecretVersionStage" -> updateSecretVersionStage(request);
                case "ListSecretVersionIds" -> listSecretVersionIds(request);
                case "DeleteSecret" -> deleteSecret(request);
                default -> throw new AwsJsonError("UnknownOperationException", "operation not supported locally: " + operation);
            };
        }
    }

    private JsonNode createSecret(JsonNode request) {
        String name = required(request, "Name");
        if (state.has(name)) {
            throw new AwsJsonError("ResourceExistsException", "The operation failed because the secret " + name
                    + " already exists.");
        }
        ObjectNode secret = state.putObject(name);
        secret.put("Name", name);
        secret.put("ARN", "arn:aws:secretsmanager:" + LocalAws.REGION.id() + ":" + LocalAws.ACCOUNT_ID + ":secret:"
                + name + "-" + randomSuffix());
        secret.put("CreatedDate", now());
        if (request.hasNonNull("Description")) {
            secret.put("Description", request.get("Description").asText());
        }
        secret.put("RotationEnabled", false);
        secret.putObject("Versions");
        ObjectNode response = JSON.createObjectNode();
        response.put("ARN", secret.get("ARN").asText());
        response.put("Name", name);
        if (request.hasNonNull("SecretString") || request.hasNonNull("SecretBinary")) {
            String versionId = optional(request, "ClientRequestToken", UUID.randomUUID().toString());
            addVersion(secret, versionId, request, List.of(CURRENT));
            response.put("VersionId", versionId);
        }
        save();
        return response;
    }

    private JsonNode getSecretValue(JsonNode request) {
        ObjectNode secret = liveSecret(request);
        String versionId = findVersion(secret, optional(request, "VersionId", null), optional(request, "VersionStage",
                request.hasNonNull("VersionId") ? null : CURRENT));
        JsonNode version = secret.path("Versions").get(versionId);
        if (!version.has("SecretString") && !version.has("SecretBinary")) {
            throw new AwsJsonError("ResourceNotFoundException",
                    "Secrets Manager can't find the specified secret value for VersionId: " + versionId);
        }
        ObjectNode response = JSON.createObjectNode();
        response.put("ARN", secret.get("ARN").asText());
        response.put("Name", secret.get("Name").asText());
        response.put("VersionId", versionId);
        if (version.has("SecretString")) {
            response.put("SecretString", version.get("SecretString").asText());
        }
        if (version.has("SecretBinary")) {
            response.put("SecretBinary", version.get("SecretBinary").asText());
        }
        response.set("VersionStages", version.get("Stages").deepCopy());
        response.put("CreatedDate", version.get("CreatedDate").asDouble());
        return response;
    }

    private JsonNode putSecretValue(JsonNode request) {
        ObjectNode secret = liveSecret(request);
        if (!request.hasNonNull("SecretString") && !request.hasNonNull("SecretBinary")) {
            throw new AwsJsonError("InvalidParameterException", "You must provide either SecretString or SecretBinary.");
        }
        String versionId = optional(request, "ClientRequestToken", UUID.randomUUID().toString());
        List<String> stages = new ArrayList<>();
        request.path("VersionStages").forEach(stage -> stages.add(stage.asText()));
        if (stages.isEmpty()) {
            stages.add(CURRENT);
        }
        JsonNode existing = secret.path("Versions").get(versionId);
        if (existing != null && (existing.has("SecretString") || existing.has("SecretBinary"))) {
            // Idempotent retry with the same token and value; a different value under the same token is an error.
            if (existing.path("SecretString").equals(request.path("SecretString"))
                    && existing.path("SecretBinary").equals(request.path("SecretBinary"))) {
                return versionResponse(secret, versionId);
            }
            throw new AwsJsonError("ResourceExistsException", "A version with this ClientRequestToken already exists "
                    + "with a different value.");
        }
        addVersion(secret, versionId, request, stages);
        save();
        return versionResponse(secret, versionId);
    }

    private JsonNode describeSecret(JsonNode request) {
        ObjectNode secret = secret(request);
        ObjectNode response = JSON.createObjectNode();
        for (String field : List.of("ARN", "Name", "Description", "RotationEnabled", "RotationLambdaARN", "RotationRules",
                "LastRotatedDate", "LastChangedDate", "CreatedDate", "DeletedDate")) {
            if (secret.has(field)) {
                response.set(field, secret.get(field).deepCopy());
            }
        }
        ObjectNode stages = response.putObject("VersionIdsToStages");
        secret.path("Versions").properties().forEach(version -> {
            if (!version.getValue().get("Stages").isEmpty()) {
                stages.set(version.getKey(), version.getValue().get("Stages").deepCopy());
            }
        });
        return response;
    }

    private JsonNode updateSecretVersionStage(JsonNode request) {
        ObjectNode secret = liveSecret(request);
        String stage = required(request, "VersionStage");
        String moveTo = optional(request, "MoveToVersionId", null);
        String removeFrom = optional(request, "RemoveFromVersionId", null);
        ObjectNode versions = (ObjectNode) secret.get("Versions");
        String holder = holderOf(secret, stage);
        if (moveTo != null && !versions.has(moveTo)) {
            throw new AwsJsonError("ResourceNotFoundException", "Secrets Manager can't find the specified secret version.");
        }
        if (holder != null && !holder.equals(moveTo) && !holder.equals(removeFrom)) {
            throw new AwsJsonError("InvalidParameterException", "The parameter RemoveFromVersionId can't be empty. Staging "
                    + "label " + stage + " is currently attached to version " + holder + ", so you must explicitly "
                    + "reference that version in RemoveFromVersionId.");
        }
        if (removeFrom != null) {
            if (!removeFrom.equals(holder)) {
                throw new AwsJsonError("InvalidParameterException", "The staging label " + stage
                        + " is not attached to version " + removeFrom + ".");
            }
            if (moveTo == null) {
                removeStage(versions.get(removeFrom), stage);
            }
        }
        if (moveTo != null) {
            // attachStage takes the label off its holder and, for AWSCURRENT, labels that one AWSPREVIOUS.
            attachStage(secret, moveTo, stage);
        }
        secret.put("LastChangedDate", now());
        save();
        ObjectNode response = JSON.createObjectNode();
        response.put("ARN", secret.get("ARN").asText());
        response.put("Name", secret.get("Name").asText());
        return response;
    }

    private JsonNode listSecretVersionIds(JsonNode request) {
        ObjectNode secret = secret(request);
        boolean includeDeprecated = request.path("IncludeDeprecated").asBoolean(false);
        ObjectNode response = JSON.createObjectNode();
        response.put("ARN", secret.get("ARN").asText());
        response.put("Name", secret.get("Name").asText());
        ArrayNode versions = response.putArray("Versions");
        secret.path("Versions").properties().forEach(version -> {
            if (includeDeprecated || !version.getValue().get("Stages").isEmpty()) {
                ObjectNode entry = versions.addObject();
                entry.put("VersionId", version.getKey());
                entry.set("VersionStages", version.getValue().get("Stages").deepCopy());
                entry.put("CreatedDate", version.getValue().get("CreatedDate").asDouble());
            }
        });
        return response;
    }

    private JsonNode deleteSecret(JsonNode request) {
        ObjectNode secret = secret(request);
        String name = secret.get("Name").asText();
        double deletionDate;
        if (request.path("ForceDeleteWithoutRecovery").asBoolean(false)) {
            state.remove(name);
            deletionDate = now();
        } else {
            int days = request.path("RecoveryWindowInDays").asInt(30);
            secret.put("DeletedDate", now());
            deletionDate = now() + days * 86_400.0;
        }
        save();
        ObjectNode response = JSON.createObjectNode();
        response.put("ARN", secret.get("ARN").asText());
        response.put("Name", name);
        response.put("DeletionDate", deletionDate);
        return response;
    }

    private JsonNode rotateSecret(JsonNode request) {
        String arn;
        String token = optional(request, "ClientRequestToken", UUID.randomUUID().toString());
        RotationFunction function;
        synchronized (this) {
            ObjectNode secret = liveSecret(request);
            arn = secret.get("ARN").asText();
            if (request.hasNonNull("RotationLambdaARN")) {
                secret.put("RotationLambdaARN", request.get("RotationLambdaARN").asText());
            }
            if (request.has("RotationRules")) {
                secret.set("RotationRules", request.get("RotationRules").deepCopy());
            }
            if (!secret.hasNonNull("RotationLambdaARN")) {
                throw new AwsJsonError("InvalidRequestException", "No Lambda rotation function ARN is associated with this secret.");
            }
            secret.put("RotationEnabled", true);
            String functionName = functionName(secret.get("RotationLambdaARN").asText());
            function = rotationFunctions.get(functionName);
            if (function == null) {
                throw new AwsJsonError("InvalidRequestException", "no local rotation function registered for " + functionName);
            }
            if (!request.path("RotateImmediately").asBoolean(true)) {
                save();
                return rotateResponse(secret, null);
            }
            // As AWS does, the new version exists (labelled AWSPENDING, with no value) before createSecret
            // runs: the rotation template checks for it in DescribeSecret.
            ObjectNode versions = (ObjectNode) secret.get("Versions");
            if (!versions.has(token)) {
                ObjectNode stub = versions.putObject(token);
                stub.put("CreatedDate", now());
                stub.putArray("Stages");
            }
            attachStage(secret, token, PENDING);
            save();
        }
        for (RotationStep step : RotationStep.values()) {
            try {
                function.invoke(step, arn, token);
            } catch (Exception e) {
                throw new AwsJsonError("InvalidRequestException", "rotation step " + step + " failed: "
                        + e.getClass().getSimpleName());
            }
        }
        synchronized (this) {
            ObjectNode secret = secretByIdOrArn(arn);
            JsonNode version = secret.path("Versions").get(token);
            if (version != null && labels(version).contains(CURRENT)) {
                // Rotation done: AWS removes AWSPENDING once finishSecret has moved AWSCURRENT.
                removeStage(version, PENDING);
            }
            secret.put("LastRotatedDate", now());
            save();
            return rotateResponse(secret, token);
        }
    }

    // ---- versions and labels ----

    private void addVersion(ObjectNode secret, String versionId, JsonNode request, List<String> stages) {
        ObjectNode versions = (ObjectNode) secret.get("Versions");
        ObjectNode version = versions.has(versionId) ? (ObjectNode) versions.get(versionId) : versions.putObject(versionId);
        if (request.hasNonNull("SecretString")) {
            version.put("SecretString", request.get("SecretString").asText());
        }
        if (request.hasNonNull("SecretBinary")) {
            version.put("SecretBinary", request.get("SecretBinary").asText());
        }
        version.put("CreatedDate", now());
        if (!version.has("Stages")) {
            version.putArray("Stages");
        }
        for (String stage : stages) {
            attachStage(secret, versionId, stage);
        }
        secret.put("LastChangedDate", now());
    }

    /** Puts {@code stage} on {@code versionId}, taking it off whichever version had it. */
    private void attachStage(ObjectNode secret, String versionId, String stage) {
        ObjectNode versions = (ObjectNode) secret.get("Versions");
        String holder = holderOf(secret, stage);
        if (versionId.equals(holder)) {
            return;
        }
        if (holder != null) {
            removeStage(versions.get(holder), stage);
            if (CURRENT.equals(stage)) {
                // Moving AWSCURRENT makes the version it left AWSPREVIOUS, as in AWS.
                String previousHolder = holderOf(secret, PREVIOUS);
                if (previousHolder != null) {
                    removeStage(versions.get(previousHolder), PREVIOUS);
                }
                ((ArrayNode) versions.get(holder).get("Stages")).add(PREVIOUS);
            }
        }
        if (PREVIOUS.equals(stage) || CURRENT.equals(stage)) {
            removeStage(versions.get(versionId), PREVIOUS);
        }
        ((ArrayNode) versions.get(versionId).get("Stages")).add(stage);
    }

    private static void removeStage(JsonNode version, String stage) {
        ArrayNode stages = (ArrayNode) version.get("Stages");
        for (int i = stages.size() - 1; i >= 0; i--) {
            if (stage.equals(stages.get(i).asText())) {
                stages.remove(i);
            }
        }
    }

    private static String holderOf(ObjectNode secret, String stage) {
        for (var version : secret.path("Versions").properties()) {
            if (labels(version.getValue()).contains(stage)) {
                return version.getKey();
            }
        }
        return null;
    }

    private static Set<String> labels(JsonNode version) {
        Set<String> labels = new LinkedHashSet<>();
        version.path("Stages").forEach(stage -> labels.add(stage.asText()));
        return labels;
    }

    private static String findVersion(ObjectNode secret, String versionId, String stage) {
        JsonNode versions = secret.path("Versions");
        if (versionId != null) {
            JsonNode version = versions.get(versionId);
            if (version == null || stage != null && !labels(version).contains(stage)) {
                throw new AwsJsonError("ResourceNotFoundException", "Secrets Manager can't find the specified secret value "
                        + "for VersionId: " + versionId);
            }
            return versionId;
        }
        String holder = holderOf(secret, stage);
        if (holder == null) {
            throw new AwsJsonError("ResourceNotFoundException", "Secrets Manager can't find the specified secret value "
                    + "for staging label: " + stage);
        }
        return holder;
    }

    // ---- lookup, responses, persistence ----

    private ObjectNode secret(JsonNode request) {
        return secretByIdOrArn(required(request, "SecretId"));
    }

    private ObjectNode liveSecret(JsonNode request) {
        ObjectNode secret = secret(request);
        if (secret.has("DeletedDate")) {
            throw new AwsJsonError("InvalidRequestException", "You can't perform this operation on the secret because "
                    + "it was marked for deletion.");
        }
        return secret;
    }

    private synchronized ObjectNode secretByIdOrArn(String id) {
        if (state.has(id)) {
            return (ObjectNode) state.get(id);
        }
        for (JsonNode secret : state) {
            String arn = secret.get("ARN").asText();
            // A partial ARN (without the random suffix) also names the secret, as in AWS.
            if (arn.equals(id) || arn.substring(0, arn.lastIndexOf('-')).equals(id)) {
                return (ObjectNode) secret;
            }
        }
        throw new AwsJsonError("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
    }

    private ObjectNode versionResponse(ObjectNode secret, String versionId) {
        ObjectNode response = JSON.createObjectNode();
        response.put("ARN", secret.get("ARN").asText());
        response.put("Name", secret.get("Name").asText());
        response.put("VersionId", versionId);
        response.set("VersionStages", secret.path("Versions").get(versionId).get("Stages").deepCopy());
        return response;
    }

    private static ObjectNode rotateResponse(ObjectNode secret, String versionId) {
        ObjectNode response = JSON.createObjectNode();
        response.put("ARN", secret.get("ARN").asText());
        response.put("Name", secret.get("Name").asText());
        if (versionId != null) {
            response.put("VersionId", versionId);
        }
        return response;
    }

    private static String functionName(String lambdaArn) {
        String[] parts = lambdaArn.split(":");
        return parts.length >= 7 && "function".equals(parts[5]) ? parts[6] : lambdaArn;
    }

    private double now() {
        return clock.millis() / 1000.0;
    }

    private String randomSuffix() {
        StringBuilder suffix = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            suffix.append(SUFFIX_ALPHABET.charAt(random.nextInt(SUFFIX_ALPHABET.length())));
        }
        return suffix.toString();
    }

    private void save() {
        // Secret values are in this file.
        try {
            PrivateFiles.replace(file, JSON.writeValueAsBytes(state));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize the secrets of " + file, e);
        }
    }
}

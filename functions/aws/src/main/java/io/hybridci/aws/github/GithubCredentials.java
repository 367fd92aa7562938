package io.hybridci.aws.github;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the {@code hybridci/github-token} secret holds: either a token (a fine-grained personal
 * access token with "Commit statuses: read and write"), or a GitHub App as JSON
 * {@code {"appId": 123, "installationId": 456, "privateKey": "-----BEGIN RSA PRIVATE KEY-----..."}}.
 * One secret, two shapes: switching from a token to an App is a secret update, not a redeploy.
 * {@code toString} never shows the token or key.
 */
public sealed interface GithubCredentials {

    /** A token sent as {@code Authorization: Bearer <token>}. */
    record Token(String token) implements GithubCredentials {
        public Token {
            Objects.requireNonNull(token, "token");
        }

        @Override
        public String toString() {
            return "Token[redacted]";
        }
    }

    /** A GitHub App installation: a JWT signed with the private key buys an hour-long installation token. */
    record App(long appId, long installationId, String privateKeyPem) implements GithubCredentials {
        public App {
            Objects.requireNonNull(privateKeyPem, "privateKeyPem");
        }

        @Override
        public String toString() {
            return "App[appId=" + appId + ", installationId=" + installationId + ", privateKey=redacted]";
        }
    }

    /**
     * Reads a secret value: JSON with {@code appId} is an App, anything else a token.
     *
     * @throws IllegalArgumentException naming what is missing (never quoting the value)
     */
    static GithubCredentials parse(String secretValue) {
        Objects.requireNonNull(secretValue, "secretValue");
        String value = secretValue.strip();
        if (value.isEmpty()) {
            throw new IllegalArgumentException("the GitHub credentials secret is empty");
        }
        if (!value.startsWith("{")) {
            return new Token(value);
        }
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the GitHub credentials secret starts with '{' but is not valid JSON");
        }
        if (json.hasNonNull("token")) {
            return new Token(json.get("token").asText());
        }
        List<String> missing = new ArrayList<>();
        for (String field : List.of("appId", "installationId", "privateKey")) {
            if (!json.hasNonNull(field)) {
                missing.add(field);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("the GitHub App credentials lack " + String.join(", ", missing)
                    + " (or give {\"token\": ...})");
        }
        return new App(json.get("appId").asLong(), json.get("installationId").asLong(), json.get("privateKey").asText());
    }
}

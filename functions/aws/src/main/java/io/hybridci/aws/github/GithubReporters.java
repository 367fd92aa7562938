package io.hybridci.aws.github;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;

/** Builds the GitHub reporter github-status runs with, from its credentials secret. */
public final class GithubReporters {

    private GithubReporters() {
    }

    /**
     * A reporter on {@code apiUrl} whose credentials come from secret {@code credentialsId}: a token, or a
     * GitHub App whose installation token is bought on the same API base (Enterprise Server included).
     */
    public static GithubCommitStatusReporter fromSecret(SecretsManagerClient secrets, String credentialsId, URI apiUrl) {
        HttpClient http = GithubCommitStatusReporter.httpClient();
        SecretBackedAuthorization authorization = new SecretBackedAuthorization(
                () -> secrets.getSecretValue(GetSecretValueRequest.builder().secretId(credentialsId).build()).secretString(),
                credentials -> switch (credentials) {
                    case GithubCredentials.Token token -> GithubAuthorization.token(token.token());
                    case GithubCredentials.App app -> new GithubAppAuthorization(http, apiUrl, app, Clock.systemUTC());
                },
                Clock.systemUTC(), SecretBackedAuthorization.DEFAULT_TTL);
        return GithubCommitStatusReporter.standard(http, apiUrl, authorization);
    }
}

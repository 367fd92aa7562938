package io.hybridci.aws.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridci.core.status.StatusReportException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * Authorization as a GitHub App installation: a JWT (RS256, signed with the App's private key through
 * {@code java.security}) is exchanged at {@code POST /app/installations/{id}/access_tokens} for an
 * installation token, which is cached until five minutes before it expires (GitHub issues them for
 * an hour), so a warm function makes one exchange per hour, not one per status.
 */
public final class GithubAppAuthorization implements GithubAuthorization {

    /** GitHub allows at most 10 minutes between {@code iat} and {@code exp}. */
    private static final Duration JWT_LIFETIME = Duration.ofMinutes(9);
    /** GitHub's advice: date {@code iat} 60 s back, so a clock slightly ahead of GitHub's is accepted. */
    private static final Duration CLOCK_DRIFT = Duration.ofSeconds(60);
    private static final Duration RENEW_BEFORE_EXPIRY = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private record CachedToken(String token, Instant expiresAt) {}

    private final HttpClient http;
    private final URI apiBase;
    private final GithubCredentials.App app;
    private final PrivateKey privateKey;
    private final Clock clock;
    private CachedToken cached;

    public GithubAppAuthorization(HttpClient http, URI apiBase, GithubCredentials.App app, Clock clock) {
        this.http = Objects.requireNonNull(http, "http");
        this.apiBase = Objects.requireNonNull(apiBase, "apiBase");
        this.app = Objects.requireNonNull(app, "app");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.privateKey = RsaKeys.privateKey(app.privateKeyPem());
    }

    @Override
    public synchronized String header() {
        Instant now = clock.instant();
        if (cached == null || !now.isBefore(cached.expiresAt().minus(RENEW_BEFORE_EXPIRY))) {
            cached = exchange(now);
        }
        return "Bearer " + cached.token();
    }

    @Override
    public synchronized void invalidate() {
        cached = null;
    }

    /** The App's JWT at {@code now}: {@code iss} is the App id, as GitHub requires. */
    String jwt(Instant now) {
        String header = BASE64URL.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = JSON.createObjectNode()
                .put("iat", now.minus(CLOCK_DRIFT).getEpochSecond())
                .put("exp", now.plus(JWT_LIFETIME).getEpochSecond())
                .put("iss", String.valueOf(app.appId()))
                .toString();
        String signingInput = header + "." + BASE64URL.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(privateKey);
            rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + BASE64URL.encodeToString(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the GitHub App JWT with RS256", e);
        }
    }

    private CachedToken exchange(Instant now) {
        URI uri = GithubApi.resolve(apiBase, "/app/installations/" + app.installationId() + "/access_tokens");
        HttpRequest request = GithubApi.request(uri, "Bearer " + jwt(now))
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new StatusReportException("GitHub App token exchange failed: " + e.getMessage(), true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StatusReportException("interrupted during the GitHub App token exchange", true, e);
        }
        if (response.statusCode() != 201 && response.statusCode() != 200) {
            // 401: wrong key or App id; 404: the App is not installed there. Both worth a retry after a secret fix.
            throw new StatusReportException("GitHub App token exchange for installation " + app.installationId()
                    + " answered " + response.statusCode(), true);
        }
        try {
            JsonNode body = JSON.readTree(response.body());
            return new CachedToken(body.get("token").asText(), Instant.parse(body.get("expires_at").asText()));
        } catch (IOException | RuntimeException e) {
            throw new StatusReportException("GitHub App token exchange answered without token/expires_at", true);
        }
    }

    @Override
    public String toString() {
        return "GithubAppAuthorization[" + app + "]";
    }
}

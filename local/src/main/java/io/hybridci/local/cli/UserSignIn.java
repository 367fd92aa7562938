package io.hybridci.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.hybridci.local.engine.PrivateFiles;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code ./hybridci login --url https://<dashboard>}: a person's sign-in for the CLI against a control plane in
 * AWS, the dashboard's own flow (authorization code + PKCE S256 + {@code state} + {@code nonce}) with the
 * redirect to a loopback server on 127.0.0.1 (RFC 8252). The settings come from the dashboard's
 * {@code config.json}; the tokens go to {@code <data>/sign-in/<host>_<port>.json}, mode 0600, one file per
 * dashboard, and are refreshed when they are about to expire.
 *
 * <p>The redirect URI is {@code http://localhost:<port>/callback}: Cognito takes plain http for
 * {@code localhost} only and matches the port exactly, so the port is the one infra-cdk registered
 * ({@code oidc.cliRedirectUri} in {@code config.json}); the server still binds 127.0.0.1 only.
 */
final class UserSignIn {

    /** How long login waits for the browser to come back. */
    static final Duration LOGIN_TIMEOUT = Duration.ofMinutes(5);
    /** Refresh this long before {@code exp}, so a request never arrives a second late. */
    static final Duration EXPIRY_MARGIN = Duration.ofMinutes(1);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The page's sign-in settings, with the token endpoint made absolute against the dashboard's URL. */
    record Settings(String clientId, URI authorizationEndpoint, URI tokenEndpoint, String scope, URI cliRedirectUri) {

        static Settings fromConfig(JsonNode config, URI site) {
            if (!"oidc".equals(config.path("mode").asText())) {
                throw new Cli.UsageException(site + " signs in with the admin token (config.json mode \""
                        + config.path("mode").asText("?") + "\"): set HYBRIDCI_TOKEN or --data instead of login");
            }
            JsonNode oidc = config.path("oidc");
            for (String key : List.of("clientId", "authorizationEndpoint", "tokenEndpoint")) {
                if (!oidc.path(key).isTextual()) {
                    throw new Cli.ApiException(site + "config.json names no oidc." + key);
                }
            }
            return new Settings(oidc.get("clientId").asText(), site.resolve(oidc.get("authorizationEndpoint").asText()),
                    site.resolve(oidc.get("tokenEndpoint").asText()), oidc.path("scope").asText("openid email profile"),
                    URI.create(oidc.path("cliRedirectUri").asText("http://localhost:8976/callback")));
        }
    }

    /** What the sign-in file holds: never printed, never logged. */
    record Tokens(String site, String clientId, URI tokenEndpoint, String idToken, String refreshToken, Instant expiresAt) {

        JsonNode claims() {
            return UserSignIn.claims(idToken);
        }

        String who() {
            JsonNode claims = claims();
            String name = claims.path("email").asText(claims.path("sub").asText("?"));
            return name + " (" + role(claims).orElse("no role") + ")";
        }

        ObjectNode toJson() {
            ObjectNode json = JSON.createObjectNode();
            json.put("site", site).put("clientId", clientId).put("tokenEndpoint", tokenEndpoint.toString())
                    .put("idToken", idToken).put("refreshToken", refreshToken).put("expiresAt", expiresAt.toString());
            return json;
        }

        static Tokens fromJson(JsonNode json) {
            return new Tokens(json.path("site").asText(), json.path("clientId").asText(),
                    URI.create(json.path("tokenEndpoint").asText()), json.path("idToken").asText(),
                    json.path("refreshToken").isTextual() ? json.path("refreshToken").asText() : null,
                    Instant.parse(json.path("expiresAt").asText()));
        }
    }

    private final HttpClient http;
    private final Clock clock;

    UserSignIn(HttpClient http, Clock clock) {
        this.http = http;
        this.clock = clock;
    }

    /** {@code <data>/sign-in/<host>_<port>.json}: one sign-in per dashboard. */
    static Path file(Path data, URI site) {
        int port = site.getPort() != -1 ? site.getPort() : "https".equals(site.getScheme()) ? 443 : 80;
        String host = site.getHost().replaceAll("[^A-Za-z0-9.-]", "_");
        return data.resolve("sign-in").resolve(host + "_" + port + ".json");
    }

    /** Runs the code flow: prints the address to open, waits for the loopback redirect, keeps the tokens. */
    Tokens login(URI site, Path data, Optional<Integer> callbackPort, PrintStream err) throws InterruptedException {
        Settings settings = Settings.fromConfig(getJson(site.resolve("config.json")), site);
        String verifier = randomText(48);
        String state = randomText(32);
        String nonce = randomText(32);
        int port = callbackPort.orElse(settings.cliRedirectUri().getPort());
        CompletableFuture<Map<String, String>> answer = new CompletableFuture<>();
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (IOException e) {
            throw new Cli.ApiException("cannot listen on 127.0.0.1:" + port + " for the sign-in's redirect (" + e.getMessage()
                    + "): is another ./hybridci login running?");
        }
        server.createContext("/callback", exchange -> {
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            boolean ours = state.equals(query.get("state"));
            String page = !ours ? "This answer does not belong to the running ./hybridci login (state mismatch)."
                    : query.containsKey("code") ? "Signed in to Hybrid CI: you can close this tab and return to the terminal."
                    : "Sign-in failed: " + query.getOrDefault("error", "no code");
            byte[] body = ("<!doctype html><meta charset=utf-8><title>Hybrid CI</title><p>" + escapeHtml(page) + "</p>")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("content-type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(ours ? 200 : 400, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
            if (ours) {
                answer.complete(query);
            }
        });
        server.start();
        try {
            String redirectUri = "http://localhost:" + server.getAddress().getPort() + "/callback";
            Map<String, String> parameters = new LinkedHashMap<>();
            parameters.put("response_type", "code");
            parameters.put("client_id", settings.clientId());
            parameters.put("redirect_uri", redirectUri);
            parameters.put("scope", settings.scope());
            parameters.put("state", state);
            parameters.put("nonce", nonce);
            parameters.put("code_challenge", challenge(verifier));
            parameters.put("code_challenge_method", "S256");
            err.println("Open this address in a browser to sign in (waiting " + LOGIN_TIMEOUT.toMinutes() + " minutes):");
            err.println("  " + settings.authorizationEndpoint() + "?" + form(parameters));
            err.flush();
            Map<String, String> query;
            try {
                query = answer.get(LOGIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new Cli.ApiException("no sign-in came back within " + LOGIN_TIMEOUT.toMinutes() + " minutes");
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
            if (!query.containsKey("code")) {
                throw new Cli.ApiException("the sign-in provider answered " + query.getOrDefault("error", "no code")
                        + Optional.ofNullable(query.get("error_description")).map(d -> ": " + d).orElse(""));
            }
            Map<String, String> exchange = new LinkedHashMap<>();
            exchange.put("grant_type", "authorization_code");
            exchange.put("client_id", settings.clientId());
            exchange.put("code", query.get("code"));
            exchange.put("redirect_uri", redirectUri);
            exchange.put("code_verifier", verifier);
            JsonNode tokens = tokenRequest(settings.tokenEndpoint(), exchange);
            String idToken = tokens.path("id_token").asText();
            if (!nonce.equals(claims(idToken).path("nonce").asText())) {
                throw new Cli.ApiException("the ID token was not issued for this sign-in (nonce mismatch)");
            }
            Tokens kept = new Tokens(site.toString(), settings.clientId(), settings.tokenEndpoint(), idToken,
                    tokens.path("refresh_token").isTextual() ? tokens.path("refresh_token").asText() : null, expiry(idToken));
            save(data, site, kept);
            return kept;
        } finally {
            server.stop(0);
        }
    }

    /** The signed-in ID token for this dashboard, refreshed first when about to expire; empty without a sign-in. */
    Optional<String> bearer(URI site, Path data) throws InterruptedException {
        Path file = file(data, site);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Tokens tokens;
        try {
            tokens = Tokens.fromJson(JSON.readTree(file.toFile()));
        } catch (IOException | RuntimeException e) {
            throw new Cli.ApiException("cannot read " + file + ": run ./hybridci login --url " + site + " again");
        }
        if (clock.instant().isBefore(tokens.expiresAt().minus(EXPIRY_MARGIN))) {
            return Optional.of(tokens.idToken());
        }
        if (tokens.refreshToken() == null) {
            throw new Cli.ApiException("the sign-in for " + site + " expired: run ./hybridci login --url " + site);
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("client_id", tokens.clientId());
        form.put("refresh_token", tokens.refreshToken());
        JsonNode answer;
        try {
            answer = tokenRequest(tokens.tokenEndpoint(), form);
        } catch (Cli.ApiException refused) {
            throw new Cli.ApiException("the sign-in for " + site + " cannot be renewed (" + refused.getMessage()
                    + "): run ./hybridci login --url " + site);
        }
        String idToken = answer.path("id_token").asText();
        // Cognito's refresh answer has no refresh token of its own: the old one stays valid until it expires.
        String refreshToken = answer.path("refresh_token").isTextual() ? answer.path("refresh_token").asText() : tokens.refreshToken();
        save(data, site, new Tokens(tokens.site(), tokens.clientId(), tokens.tokenEndpoint(), idToken, refreshToken, expiry(idToken)));
        return Optional.of(idToken);
    }

    /** Forgets the sign-in for this dashboard; false when there was none. */
    static boolean logout(URI site, Path data) {
        try {
            return Files.deleteIfExists(file(data, site));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void save(Path data, URI site, Tokens tokens) {
        Path file = file(data, site);
        try {
            if (!Files.isDirectory(file.getParent())) {
                try {
                    Files.createDirectories(file.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } catch (UnsupportedOperationException notPosix) {
                    Files.createDirectories(file.getParent());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file.getParent(), e);
        }
        PrivateFiles.replace(file, tokens.toJson().toPrettyString().getBytes(StandardCharsets.UTF_8));
    }

    private JsonNode getJson(URI uri) throws InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("accept", "application/json").GET().build());
        if (response.statusCode() != 200) {
            throw new Cli.ApiException("GET " + uri + ": HTTP " + response.statusCode() + " (is --url the dashboard's address?)");
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new Cli.ApiException("GET " + uri + ": not JSON");
        }
    }

    private JsonNode tokenRequest(URI endpoint, Map<String, String> form) throws InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
                .header("content-type", "application/x-www-form-urlencoded").header("accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form(form))).build());
        JsonNode body;
        try {
            body = JSON.readTree(response.body().isEmpty() ? "{}" : response.body());
        } catch (IOException e) {
            body = JSON.createObjectNode();
        }
        if (response.statusCode() != 200 || !body.path("id_token").isTextual()) {
            // The provider's error code and description, never the tokens or the form.
            throw new Cli.ApiException("the token endpoint answered HTTP " + response.statusCode() + " "
                    + body.path("error").asText("") + " " + body.path("error_description").asText(""));
        }
        return body;
    }

    private HttpResponse<String> send(HttpRequest request) throws InterruptedException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            throw new Cli.ApiException("cannot reach " + request.uri().getHost() + " (" + why + ")");
        }
    }

    /** The claims of a JWT, unchecked: the API's authorizer checks the signature; the CLI reads who and until when. */
    static JsonNode claims(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length < 2) {
            throw new Cli.ApiException("the token endpoint returned an ID token that is not a JWT");
        }
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException | IllegalArgumentException e) {
            throw new Cli.ApiException("the token endpoint returned an ID token that is not a JWT");
        }
    }

    /** The highest of viewer, operator, admin among {@code cognito:groups} (or {@code groups}). */
    static Optional<String> role(JsonNode claims) {
        JsonNode groups = claims.has("cognito:groups") ? claims.get("cognito:groups") : claims.path("groups");
        String best = null;
        for (String role : List.of("viewer", "operator", "admin")) {
            for (JsonNode group : groups) {
                if (role.equals(group.asText())) {
                    best = role;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    private static Instant expiry(String idToken) {
        return Instant.ofEpochSecond(claims(idToken).path("exp").asLong());
    }

    static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static String randomText(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private static String form(Map<String, String> values) {
        StringBuilder text = new StringBuilder();
        values.forEach((key, value) -> text.append(text.isEmpty() ? "" : "&")
                .append(URLEncoder.encode(key, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return text.toString();
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> values = new LinkedHashMap<>();
        if (raw == null) {
            return values;
        }
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            values.putIfAbsent(key, value);
        }
        return values;
    }

    private static String escapeHtml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}

package io.hybridci.local.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The pure parts of {@code ./hybridci login}; the flow itself runs against a provider on 127.0.0.1 in the
 * dashboard module's oidc.browser.test.mjs.
 */
class UserSignInTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldDeriveTheS256Challenge_whenGivenTheVerifierOfRfc7636AppendixB() {
        assertEquals("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
                UserSignIn.challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
    }

    @Test
    void shouldTakeTheHighestGroup_whenTheIdTokenNamesSeveral() throws Exception {
        assertEquals(Optional.of("operator"), UserSignIn.role(JSON.readTree("{\"cognito:groups\":[\"viewer\",\"operator\"]}")));
        assertEquals(Optional.of("admin"), UserSignIn.role(JSON.readTree("{\"groups\":[\"admin\",\"viewer\"]}")));
        assertEquals(Optional.empty(), UserSignIn.role(JSON.readTree("{\"cognito:groups\":[\"builders\"]}")));
    }

    @Test
    void shouldKeepOneFilePerDashboard_whenNamingTheSignInFile() {
        Path data = Path.of(".hybridci");

        assertEquals(data.resolve("sign-in/d1234.cloudfront.net_443.json"),
                UserSignIn.file(data, URI.create("https://d1234.cloudfront.net/")));
        assertEquals(data.resolve("sign-in/127.0.0.1_8080.json"), UserSignIn.file(data, URI.create("http://127.0.0.1:8080/")));
    }

    @Test
    void shouldResolveTheTokenEndpointAgainstTheDashboard_whenConfigJsonNamesAPath() throws Exception {
        UserSignIn.Settings settings = UserSignIn.Settings.fromConfig(JSON.readTree("""
                {"mode": "oidc", "oidc": {"clientId": "abc", "authorizationEndpoint": "https://x.auth.eu-west-1.amazoncognito.com/oauth2/authorize",
                 "tokenEndpoint": "/oauth2/token", "cliRedirectUri": "http://localhost:8976/callback"}}"""),
                URI.create("https://d1234.cloudfront.net/"));

        assertEquals(URI.create("https://d1234.cloudfront.net/oauth2/token"), settings.tokenEndpoint());
        assertEquals(8976, settings.cliRedirectUri().getPort());
    }

    @Test
    void shouldSayToUseTheAdminToken_whenTheDashboardIsLocal() throws Exception {
        Cli.UsageException refused = assertThrows(Cli.UsageException.class, () -> UserSignIn.Settings.fromConfig(
                JSON.readTree("{\"mode\": \"local\"}"), URI.create("http://127.0.0.1:8080/")));

        assertEquals(true, refused.getMessage().contains("admin token"), refused.getMessage());
    }
}

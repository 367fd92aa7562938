package io.hybridci.infra;

import io.hybridci.topology.Trigger.HttpRoute;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static io.hybridci.infra.SynthesizedStack.map;
import static io.hybridci.infra.SynthesizedStack.properties;
import static io.hybridci.infra.SynthesizedStack.template;
import static io.hybridci.infra.SynthesizedStack.topology;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link UserSignIn}: the user pool, its groups and app client, and the JWT authorizer of /api/v1 only. */
class UserSignInTest {

    @Test
    void shouldRefuseSelfSignUpAndAskForStrongPasswords_whenUserPool() {
        template().hasResourceProperties("AWS::Cognito::UserPool", Match.objectLike(Map.of(
                "AdminCreateUserConfig", Map.of("AllowAdminCreateUserOnly", true),
                "MfaConfiguration", "OPTIONAL",
                "Policies", Map.of("PasswordPolicy", Match.objectLike(Map.of(
                        "MinimumLength", 12, "RequireLowercase", true, "RequireUppercase", true,
                        "RequireNumbers", true, "RequireSymbols", true))))));
    }

    @Test
    void shouldHaveTheThreeRoleGroups_whenSynthesized() {
        Set<Object> groups = properties("AWS::Cognito::UserPoolGroup").values().stream()
                .map(group -> group.get("GroupName")).collect(Collectors.toSet());

        assertEquals(Set.of("viewer", "operator", "admin"), groups);
    }

    @Test
    void shouldUseCodeFlowWithoutSecretBackToTheDashboard_whenAppClient() {
        Map<String, Map<String, Object>> clients = properties("AWS::Cognito::UserPoolClient");
        assertEquals(1, clients.size());
        Map<String, Object> client = clients.values().iterator().next();

        assertEquals(List.of("code"), client.get("AllowedOAuthFlows"));
        assertEquals(true, client.get("AllowedOAuthFlowsUserPoolClient"));
        assertEquals(false, client.get("GenerateSecret"), "a browser cannot keep a secret: PKCE instead");
        assertTrue(String.valueOf(client.get("CallbackURLs")).contains("DashboardCdn"),
                "callback = the CloudFront URL: " + client.get("CallbackURLs"));
        assertTrue(((List<?>) client.get("CallbackURLs")).contains(UserSignIn.CLI_CALLBACK_URL),
                "and ./hybridci login's loopback redirect: " + client.get("CallbackURLs"));
        assertTrue(UserSignIn.CLI_CALLBACK_URL.startsWith("http://localhost:"), "Cognito takes plain http for localhost only");
        assertFalse(String.valueOf(client.get("AllowedOAuthFlows")).contains("implicit"));
    }

    @Test
    void shouldCheckIssuerAndAudience_whenJwtAuthorizer() {
        Map<String, Map<String, Object>> authorizers = properties("AWS::ApiGatewayV2::Authorizer");
        assertEquals(1, authorizers.size());
        Map<String, Object> authorizer = authorizers.values().iterator().next();

        assertEquals("JWT", authorizer.get("AuthorizerType"));
        Map<String, Object> jwt = map(authorizer.get("JwtConfiguration"));
        assertTrue(String.valueOf(jwt.get("Audience")).contains("SignInUsersDashboard"), String.valueOf(jwt.get("Audience")));
        assertTrue(String.valueOf(jwt.get("Issuer")).contains("cognito-idp") && String.valueOf(jwt.get("Issuer")).contains("SignInUsers"),
                String.valueOf(jwt.get("Issuer")));
    }

    @Test
    void shouldAuthorizeExactlyTheApiV1Routes_whenRoutesSynthesized() {
        Set<String> authorized = new TreeSet<>();
        Set<String> open = new TreeSet<>();
        for (Map<String, Object> route : properties("AWS::ApiGatewayV2::Route").values()) {
            boolean jwt = "JWT".equals(route.get("AuthorizationType")) && route.get("AuthorizerId") != null;
            (jwt ? authorized : open).add(String.valueOf(route.get("RouteKey")));
        }
        Set<String> userRoutes = topology().functions().stream()
                .flatMap(function -> function.triggersOf(HttpRoute.class).stream())
                .map(HttpRoute::routeKey).filter(key -> key.contains(" /api/v1/")).collect(Collectors.toSet());

        assertEquals(userRoutes, authorized);
        assertFalse(authorized.isEmpty());
        assertTrue(open.contains("POST /webhooks/github") && open.contains("ANY /agent/v1/{proxy+}"), open.toString());
    }

    @Test
    void shouldOutputUrlPoolAndClient_whenSynthesized() {
        Map<String, Map<String, Object>> outputs = template().findOutputs("*");

        assertTrue(outputs.keySet().containsAll(Set.of("DashboardUrl", "UserPoolId", "UserPoolClientId")), outputs.keySet().toString());
        assertFalse(outputs.toString().toLowerCase(java.util.Locale.ROOT).contains("clientsecret"));
    }

    @Test
    void shouldRefuseADomainPrefixCognitoWouldRefuse_whenContextGiven() {
        assertEquals(java.util.Optional.of("acme-ci"), HybridCiApp.signInDomainPrefix("acme-ci"));
        assertEquals(java.util.Optional.empty(), HybridCiApp.signInDomainPrefix(null));
        assertThrows(IllegalArgumentException.class, () -> HybridCiApp.signInDomainPrefix("my-aws-ci"));
        assertThrows(IllegalArgumentException.class, () -> HybridCiApp.signInDomainPrefix("Acme_CI"));
    }
}

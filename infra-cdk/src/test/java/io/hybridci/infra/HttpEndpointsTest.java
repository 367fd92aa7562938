package io.hybridci.infra;

import io.hybridci.topology.Trigger.HttpRoute;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.hybridci.infra.SynthesizedStack.template;
import static io.hybridci.infra.SynthesizedStack.topology;
import static org.junit.jupiter.api.Assertions.assertEquals;

class HttpEndpointsTest {

    @Test
    void shouldRouteExactlyTheTopologyHttpRoutes_whenSynthesized() {
        Set<String> expected = topology().functions().stream()
                .flatMap(function -> function.triggersOf(HttpRoute.class).stream())
                .map(HttpRoute::routeKey).collect(Collectors.toSet());
        Set<String> routes = SynthesizedStack.properties("AWS::ApiGatewayV2::Route").values().stream()
                .map(route -> String.valueOf(route.get("RouteKey"))).collect(Collectors.toSet());

        assertEquals(expected, routes);
    }

    @Test
    void shouldThrottleAndLogAccess_whenDefaultStage() {
        template().hasResourceProperties("AWS::ApiGatewayV2::Stage", Map.of(
                "StageName", "$default",
                "AutoDeploy", true,
                "DefaultRouteSettings", Map.of("ThrottlingRateLimit", 100, "ThrottlingBurstLimit", 200),
                "AccessLogSettings", Map.of(
                        "DestinationArn", Map.of("Fn::GetAtt", java.util.List.of(Match.stringLikeRegexp("HttpAccessLogs.*"), "Arn")),
                        "Format", Match.stringLikeRegexp(".*\\$context.requestId.*"))));
    }

    @Test
    void shouldIntegrateWithTheLiveAliasUsingPayloadV2_whenWebhook() {
        template().hasResourceProperties("AWS::ApiGatewayV2::Integration", Map.of(
                "IntegrationType", "AWS_PROXY",
                "PayloadFormatVersion", "2.0",
                "IntegrationUri", Map.of("Ref", Match.stringLikeRegexp("FunctionsWebhookIntakeLive.*"))));
    }
}

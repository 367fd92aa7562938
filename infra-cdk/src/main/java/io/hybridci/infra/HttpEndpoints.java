package io.hybridci.infra;

import io.hybridci.topology.FunctionSpec;
import io.hybridci.topology.Topology;
import io.hybridci.topology.Trigger.HttpRoute;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.apigatewayv2.HttpStageOptions;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogSettings;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogDestination;
import software.amazon.awscdk.services.apigatewayv2.LogGroupLogDestination;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

import java.util.List;

/**
 * The HTTP API (API Gateway v2): one route per {@link HttpRoute} trigger, integrated with the
 * function's alias. HTTP API rather than REST API: a third of the price per request, lower latency,
 * and the payload format 2.0 our handlers read.
 *
 * <p>No API Gateway authorizer: every route authenticates in the function, where the secret is
 * (GitHub's HMAC signature over the raw body, agent session tokens, the admin bearer token), and an
 * authorizer could not check an HMAC over the body anyway. Throttling bounds what a flood can cost
 * and keeps it from exhausting the account's Lambda concurrency.
 */
public final class HttpEndpoints extends Construct {

    /** Steady requests per second across the API: far above a busy CI, far below a flood. */
    static final double RATE_LIMIT = 100;
    static final int BURST_LIMIT = 200;

    private final HttpApi api;
    private final HttpStage stage;

    public HttpEndpoints(Construct scope, String id, Topology topology, Functions functions) {
        super(scope, id);
        this.api = HttpApi.Builder.create(this, "Api")
                .description("Hybrid CI: GitHub webhooks, agent protocol, user API")
                .createDefaultStage(false)
                .build();
        LogGroup accessLogs = LogGroup.Builder.create(this, "AccessLogs")
                .retention(Functions.LOG_RETENTION)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        this.stage = api.addStage("DefaultStage", HttpStageOptions.builder()
                .stageName("$default")
                .autoDeploy(true)
                .throttle(ThrottleSettings.builder().rateLimit(RATE_LIMIT).burstLimit(BURST_LIMIT).build())
                .accessLogSettings(new IAccessLogSettings() {
                    @Override
                    public IAccessLogDestination getDestination() {
                        return new LogGroupLogDestination(accessLogs);
                    }

                    @Override
                    public AccessLogFormat getFormat() {
                        // Only variables HTTP APIs support; no header, query or body (tokens live there).
                        return AccessLogFormat.custom("{\"requestId\":\"$context.requestId\","
                                + "\"ip\":\"$context.identity.sourceIp\",\"time\":\"$context.requestTime\","
                                + "\"routeKey\":\"$context.routeKey\",\"status\":\"$context.status\","
                                + "\"protocol\":\"$context.protocol\",\"responseLength\":\"$context.responseLength\","
                                + "\"latency\":\"$context.responseLatency\","
                                + "\"integrationLatency\":\"$context.integrationLatency\","
                                + "\"integrationError\":\"$context.integrationErrorMessage\"}");
                    }
                })
                .build());
        for (FunctionSpec function : topology.functions()) {
            List<HttpRoute> routes = function.triggersOf(HttpRoute.class);
            if (routes.isEmpty()) {
                continue;
            }
            HttpLambdaIntegration integration = new HttpLambdaIntegration(
                    Names.pascal(function.name()) + "Integration", functions.alias(function.name()));
            for (HttpRoute route : routes) {
                api.addRoutes(AddRoutesOptions.builder()
                        .path(route.path())
                        .methods(List.of(HttpMethod.valueOf(route.method())))
                        .integration(integration)
                        .build());
            }
        }
    }

    public HttpApi api() {
        return api;
    }

    /** The base URL of the API, ending in a slash. */
    public String url() {
        return stage.getUrl();
    }
}

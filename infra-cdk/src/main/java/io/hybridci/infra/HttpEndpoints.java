package io.hybridci.infra;

import io.hybridci.topology.FunctionSpec;
import io.hybridci.topology.Topology;
import io.hybridci.topology.Trigger;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.apigatewayv2.HttpRoute;
import software.amazon.awscdk.services.apigatewayv2.IHttpRouteAuthorizer;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.apigatewayv2.HttpStageOptions;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogSettings;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogDestination;
import software.amazon.awscdk.services.apigatewayv2.LogGroupLogDestination;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP API (API Gateway v2): one route per {@link Trigger.HttpRoute} trigger, integrated with the
 * function's alias. HTTP API rather than REST API: a third of the price per request, lower latency,
 * and the payload format 2.0 our handlers read.
 *
 * <p>The user routes ({@value #USER_ROUTE_PREFIX}…) carry the JWT authorizer of {@link UserSignIn}: API
 * Gateway checks the person's token (issuer, audience, signature, expiry) before the function runs and
 * passes the claims on, from which the api function takes the role. The webhook and agent routes have no
 * authorizer: they authenticate in the function, where the secret is (GitHub's HMAC signature over the
 * raw body, which an authorizer cannot see; agent session tokens). Throttling bounds what a flood can
 * cost and keeps it from exhausting the account's Lambda concurrency.
 */
public final class HttpEndpoints extends Construct {

    /** Steady requests per second across the API: far above a busy CI, far below a flood. */
    static final double RATE_LIMIT = 100;
    static final int BURST_LIMIT = 200;
    /** Routes under this prefix are people's: the dashboard and the CLI. */
    static final String USER_ROUTE_PREFIX = "/api/v1/";

    private final HttpApi api;
    private final HttpStage stage;
    private final List<HttpRoute> selfAuthenticatedRoutes = new ArrayList<>();

    /** The API and its stage; the routes come with {@link #addRoutes}, once the sign-in exists. */
    public HttpEndpoints(Construct scope, String id) {
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
    }

    /**
     * One route per HTTP trigger of the topology; those under {@value #USER_ROUTE_PREFIX} behind
     * {@code userAuthorizer}. A separate step because the authorizer's app client needs the dashboard's
     * URL, and the dashboard's distribution needs this API as an origin.
     */
    public void addRoutes(Topology topology, Functions functions, IHttpRouteAuthorizer userAuthorizer) {
        for (FunctionSpec function : topology.functions()) {
            List<Trigger.HttpRoute> routes = function.triggersOf(Trigger.HttpRoute.class);
            if (routes.isEmpty()) {
                continue;
            }
            HttpLambdaIntegration integration = new HttpLambdaIntegration(
                    Names.pascal(function.name()) + "Integration", functions.alias(function.name()));
            for (Trigger.HttpRoute route : routes) {
                boolean userRoute = route.path().startsWith(USER_ROUTE_PREFIX);
                AddRoutesOptions.Builder options = AddRoutesOptions.builder()
                        .path(route.path())
                        .methods(List.of(HttpMethod.valueOf(route.method())))
                        .integration(integration);
                if (userRoute) {
                    options.authorizer(userAuthorizer);
                }
                List<HttpRoute> added = api.addRoutes(options.build());
                if (!userRoute) {
                    selfAuthenticatedRoutes.addAll(added);
                }
            }
        }
    }

    /** Routes without an API Gateway authorizer (webhooks, agents): they authenticate in their function. */
    List<HttpRoute> selfAuthenticatedRoutes() {
        return List.copyOf(selfAuthenticatedRoutes);
    }

    public HttpApi api() {
        return api;
    }

    /** The base URL of the API, ending in a slash. */
    public String url() {
        return stage.getUrl();
    }
}

package io.hybridci.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.hybridci.core.agentadmin.AgentAdmin;
import io.hybridci.core.agentadmin.RegistrationTokenAdmin;
import io.hybridci.core.agentapi.AgentApi;
import io.hybridci.core.approval.BlockApprovals;
import io.hybridci.core.port.AgentRepository;
import io.hybridci.core.port.AuditLog;
import io.hybridci.core.port.BuildRepository;
import io.hybridci.core.deployment.Deployments;
import io.hybridci.core.port.CredentialStore;
import io.hybridci.core.port.DeploymentStore;
import io.hybridci.core.port.inmemory.InMemoryDeploymentStore;
import io.hybridci.core.port.EventPublisher;
import io.hybridci.core.port.JobRepository;
import io.hybridci.core.port.LogStore;
import io.hybridci.core.port.SecretSource;
import io.hybridci.core.userapi.AuditTrail;
import io.hybridci.core.userapi.OperationsMetrics;
import io.hybridci.core.userapi.UserApi;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The api function (HTTP API routes {@code /api/v1/{proxy+}} and {@code /agent/v1/{proxy+}}):
 * the agent protocol and the user routes. The handler only converts API Gateway's payload
 * (format 2.0) to and from {@link HttpRequest}/{@link HttpResponse}; routing and JSON live in
 * {@link Router}, {@link AgentRoutes} and {@link UserRoutes}, decisions in core.
 */
public final class ApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final Router router;

    /** Lambda's constructor: the real adapters, built once per container from the environment. */
    public ApiHandler() {
        this(AwsWiring.fromEnvironment(System.getenv()));
    }

    private ApiHandler(Collaborators collaborators) {
        this(collaborators.builds(), collaborators.jobs(), collaborators.agents(), collaborators.credentials(),
                collaborators.logs(), collaborators.audit(), collaborators.events(), collaborators.secrets(),
                collaborators.deployments(), collaborators.config(), AdminPorts.fromEnvironment(System.getenv(), Clock.systemUTC()), Clock.systemUTC());
    }

    /** Tests and the local cloud: every collaborator given, including the clock. */
    public ApiHandler(BuildRepository builds, JobRepository jobs, AgentRepository agents, CredentialStore credentials,
                      LogStore logs, AuditLog audit, EventPublisher events, SecretSource secrets, ApiConfig config,
                      Clock clock) {
        this(builds, jobs, agents, credentials, logs, audit, events, secrets, config, AdminPorts.from(credentials), clock);
    }

    /** As above, with the ports of the admin routes; environments and deployments in memory (tests that deploy nothing). */
    public ApiHandler(BuildRepository builds, JobRepository jobs, AgentRepository agents, CredentialStore credentials,
                      LogStore logs, AuditLog audit, EventPublisher events, SecretSource secrets, ApiConfig config,
                      AdminPorts adminPorts, Clock clock) {
        this(builds, jobs, agents, credentials, logs, audit, events, secrets, new InMemoryDeploymentStore(), config,
                adminPorts, clock);
    }

    /** Every collaborator: the ports of the admin routes (registration tokens, secret rotation) and of environments. */
    public ApiHandler(BuildRepository builds, JobRepository jobs, AgentRepository agents, CredentialStore credentials,
                      LogStore logs, AuditLog audit, EventPublisher events, SecretSource secrets,
                      DeploymentStore deploymentStore, ApiConfig config, AdminPorts adminPorts, Clock clock) {
        Deployments deployments = new Deployments(deploymentStore, jobs, clock);
        AgentApi agentApi = new AgentApi(agents, jobs, builds, credentials, events, config.agentSettings(), clock);
        UserApi userApi = new UserApi(builds, jobs, logs, audit, clock);
        List<Router.Route> routes = new ArrayList<>(new AgentRoutes(agentApi).routes());
        routes.addAll(new UserRoutes(userApi, new AdminAuthenticator(secrets)).routes());
        routes.addAll(new ApprovalRoutes(new BlockApprovals(jobs, clock), deployments, new AdminAuthenticator(secrets))
                .routes());
        routes.addAll(new DeploymentRoutes(deployments, new AdminAuthenticator(secrets)).routes());
        routes.addAll(new OperationsRoutes(new OperationsMetrics(builds, jobs, agents, clock), new AuditTrail(audit),
                new AdminAuthenticator(secrets)).routes());
        routes.addAll(new AdminRoutes(new AgentAdmin(agents, jobs, credentials, clock),
                adminPorts.catalog().map(catalog -> new RegistrationTokenAdmin(credentials, catalog,
                        config.agentSettings().jobQueueUrls().keySet(), clock)),
                adminPorts.rotation(clock), new AdminAuthenticator(secrets)).routes());
        routes.addAll(new DeadLetterRoutes(adminPorts.deadLetters(), new AdminAuthenticator(secrets)).routes());
        this.router = new Router(routes);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        HttpResponse response = router.route(toRequest(event));
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(response.status())
                .withHeaders(response.headers())
                .withBody(response.body())
                .withIsBase64Encoded(false)
                .build();
    }

    /** The collaborators of the no-argument constructor. */
    record Collaborators(BuildRepository builds, JobRepository jobs, AgentRepository agents,
                         CredentialStore credentials, LogStore logs, AuditLog audit, EventPublisher events,
                         SecretSource secrets, DeploymentStore deployments, ApiConfig config) {
        Collaborators {
            Objects.requireNonNull(config, "config");
        }
    }

    /** The claims of the JWT authorizer, when one ran (routes under /api/v1 in AWS); empty otherwise. */
    private static Map<String, String> claims(APIGatewayV2HTTPEvent.RequestContext context) {
        if (context == null || context.getAuthorizer() == null || context.getAuthorizer().getJwt() == null
                || context.getAuthorizer().getJwt().getClaims() == null) {
            return Map.of();
        }
        Map<String, String> claims = new HashMap<>();
        // Map.copyOf refuses null values; a claim without a value says nothing anyway.
        context.getAuthorizer().getJwt().getClaims().forEach((name, value) -> {
            if (name != null && value != null) {
                claims.put(name, value);
            }
        });
        return claims;
    }

    static HttpRequest toRequest(APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPEvent.RequestContext context = event.getRequestContext();
        String method = context != null && context.getHttp() != null ? context.getHttp().getMethod() : "GET";
        String path = event.getRawPath() != null ? event.getRawPath()
                : context != null && context.getHttp() != null ? context.getHttp().getPath() : "/";
        Map<String, String> headers = new HashMap<>();
        if (event.getHeaders() != null) {
            event.getHeaders().forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), value));
        }
        Map<String, String> query = event.getQueryStringParameters() != null ? event.getQueryStringParameters() : Map.of();
        String body = event.getBody();
        if (body != null && event.getIsBase64Encoded()) {
            try {
                body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException notBase64) {
                // The gateway said base64 and it is not: treat as an empty (and so malformed) body.
                body = "";
            }
        }
        String requestId = context != null && context.getRequestId() != null ? context.getRequestId() : "";
        return new HttpRequest(method, path, headers, query, body, requestId, claims(context));
    }
}

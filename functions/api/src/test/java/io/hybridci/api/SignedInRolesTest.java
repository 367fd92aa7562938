package io.hybridci.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.hybridci.api.AdminAuthenticator.Role;
import io.hybridci.api.ApiTestBed.Answer;
import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobState;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Users signed in through the OpenID Connect provider: API Gateway's JWT authorizer hands the
 * verified claims in {@code requestContext.authorizer.jwt.claims} (fixtures {@code cancel-as-*.json}),
 * and the role from {@code cognito:groups} decides what the call may do.
 */
class SignedInRolesTest {

    private static final String OPERATOR_SUB = "0b8f2a5e-1d3c-4f6a-9b7e-2c4d6e8f0a1b";

    private final ApiTestBed bed = new ApiTestBed();

    @Test
    void shouldAnswer403NamingTheRoleNeeded_whenViewerCancels() {
        Job job = bed.givenBuildWithBootstrapJob();

        Answer answer = bed.send("cancel-as-viewer.json", null);

        assertEquals(403, answer.status());
        assertEquals("forbidden", answer.json().get("error").asText());
        String message = answer.json().get("message").asText();
        assertTrue(message.contains("has role viewer") && message.contains("needs role operator"), message);
        assertEquals(JobState.QUEUED, bed.job(job.id()).state(), "a refused cancel changes nothing");
    }

    @Test
    void shouldCancelAndNameThePerson_whenOperatorCancels() {
        Job job = bed.givenBuildWithBootstrapJob();

        Answer answer = bed.send("cancel-as-operator.json", null);

        assertEquals(200, answer.status());
        assertEquals(JobState.CANCELED, bed.job(job.id()).state());
        assertEquals("user:" + OPERATOR_SUB, bed.job(job.id()).lastActor());
    }

    @Test
    void shouldList_whenViewerReads() {
        bed.givenBuildWithBootstrapJob();
        APIGatewayV2HTTPEvent list = asGet(ApiTestBed.load("cancel-as-viewer.json"), "/api/v1/builds");

        Answer answer = bed.send(list, null);

        assertEquals(200, answer.status());
        assertEquals(1, answer.json().get("builds").size());
    }

    @Test
    void shouldAnswer403_whenOperatorCreatesARegistrationToken() {
        APIGatewayV2HTTPEvent create = ApiTestBed.withPath("cancel-as-operator.json", "/api/v1/registration-tokens");
        create.setBody("{\"description\":\"ci-box\"}");

        Answer answer = bed.send(create, null);

        assertEquals(403, answer.status());
        assertTrue(answer.json().get("message").asText().contains("needs role admin"));
    }

    @Test
    void shouldAnswer403_whenSignedInWithoutAnyGroup() {
        bed.givenBuildWithBootstrapJob();
        APIGatewayV2HTTPEvent list = asGet(ApiTestBed.load("cancel-as-viewer.json"), "/api/v1/builds");
        Map<String, String> claims = new HashMap<>(list.getRequestContext().getAuthorizer().getJwt().getClaims());
        claims.remove(AdminAuthenticator.GROUPS_CLAIM);
        list.getRequestContext().getAuthorizer().getJwt().setClaims(claims);

        Answer answer = bed.send(list, null);

        assertEquals(403, answer.status());
        assertTrue(answer.json().get("message").asText().contains("none of the groups"));
    }

    @Test
    void shouldNameTheEmail_whenTheProviderGivesNoSub() {
        Job job = bed.givenBuildWithBootstrapJob();
        APIGatewayV2HTTPEvent cancel = ApiTestBed.load("cancel-as-operator.json");
        Map<String, String> claims = new HashMap<>(cancel.getRequestContext().getAuthorizer().getJwt().getClaims());
        claims.remove("sub");
        cancel.getRequestContext().getAuthorizer().getJwt().setClaims(claims);

        assertEquals(200, bed.send(cancel, null).status());

        assertEquals("user:otto@example.com", bed.job(job.id()).lastActor());
    }

    @Test
    void shouldStillBeAdmin_whenTheAdminTokenIsUsedWithoutClaims() {
        Job job = bed.givenBuildWithBootstrapJob();

        assertEquals(200, bed.send("cancel.json", bed.adminToken).status());

        assertEquals("user:admin", bed.job(job.id()).lastActor());
    }

    @Test
    void shouldTakeTheHighestGroup_whenSeveralAreGiven() {
        assertEquals(Optional.of(Role.ADMIN), AdminAuthenticator.roleFromGroups("[viewer admin operator]"));
        assertEquals(Optional.of(Role.OPERATOR), AdminAuthenticator.roleFromGroups("operator,viewer"));
        assertEquals(Optional.of(Role.VIEWER), AdminAuthenticator.roleFromGroups("[viewer developers]"));
        assertEquals(Optional.empty(), AdminAuthenticator.roleFromGroups("[developers]"));
        assertEquals(Optional.empty(), AdminAuthenticator.roleFromGroups(null));
    }

    @Test
    void shouldNeedOperatorOnlyForTheOperatorCalls_whenDeciding() {
        assertEquals(Role.VIEWER, AdminAuthenticator.requiredRole(request("GET", "/api/v1/audit")));
        assertEquals(Role.OPERATOR, AdminAuthenticator.requiredRole(request("POST", "/api/v1/jobs/j1/approve")));
        assertEquals(Role.OPERATOR, AdminAuthenticator.requiredRole(request("POST", "/api/v1/agents/a1/drain")));
        assertEquals(Role.ADMIN, AdminAuthenticator.requiredRole(request("DELETE", "/api/v1/agents/a1")));
        assertEquals(Role.ADMIN, AdminAuthenticator.requiredRole(request("POST", "/api/v1/secrets/admin-token/rotate")));
        assertEquals(Role.ADMIN, AdminAuthenticator.requiredRole(request("POST", "/api/v1/builds")));
    }

    private static HttpRequest request(String method, String path) {
        return new HttpRequest(method, path, Map.of(), Map.of(), "", "req-1");
    }

    private static APIGatewayV2HTTPEvent asGet(APIGatewayV2HTTPEvent event, String path) {
        event.setRawPath(path);
        event.getRequestContext().getHttp().setPath(path);
        event.getRequestContext().getHttp().setMethod("GET");
        event.setQueryStringParameters(Map.of());
        return event;
    }
}

package io.hybridci.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobEvent;
import io.hybridci.core.job.JobKind;
import io.hybridci.core.job.JobReason;
import io.hybridci.core.job.JobState;
import io.hybridci.core.job.JobTransitions;
import io.hybridci.core.job.RetryPolicy;
import io.hybridci.core.pipeline.BlockStep;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code POST /api/v1/jobs/{id}/approve|reject} through the handler, with API Gateway fixtures. */
class ApprovalRoutesTest {

    /** The job id the approve.json / reject.json fixtures address. */
    static final String FIXTURE_JOB_ID = "14e776d1-9f9d-3ad6-8736-ae644b03b483";

    ApiTestBed bed;

    @BeforeEach
    void setUp() {
        bed = new ApiTestBed();
    }

    @Test
    void shouldApproveAndRecordTheFieldsAndTheApprover_whenTheAdminApprovesWithValidFields() {
        givenBlockedGate();

        ApiTestBed.Answer answer = bed.send("approve.json", bed.adminToken);

        assertEquals(200, answer.status(), answer.toString());
        assertEquals("PASSED", answer.json().get("job").get("state").asText());
        Job stored = bed.job(FIXTURE_JOB_ID);
        assertEquals(Map.of("HYBRIDCI_FIELD_REGION", "eu"), stored.env());
        assertEquals("user:admin", stored.lastActor());
    }

    @Test
    void shouldCarryThePromptAndTheFieldsOfTheStep_whenABlockJobIsShown() {
        givenBlockedGate();

        ApiTestBed.Answer answer = bed.send("approve.json", bed.adminToken);

        // The dashboard's approval form is built from these, the same definitions the approval is checked against.
        var block = answer.json().get("job").get("block");
        assertTrue(block.get("prompt").isNull(), answer.toString());
        var field = block.get("fields").get(0);
        assertEquals("region", field.get("key").asText());
        assertEquals("Which region?", field.get("text").asText());
        assertTrue(field.get("required").asBoolean());
        assertTrue(field.get("default").isNull());
        assertEquals("[\"eu\",\"us\"]", field.get("options").toString());
    }

    @Test
    void shouldAnswer400WithEveryProblem_whenAFieldValueIsNotAnOption() {
        givenBlockedGate();

        ApiTestBed.Answer answer = bed.send(ApiTestBed.withBody("approve.json", "{\"fields\":{\"region\":\"mars\"}}"),
                bed.adminToken);

        assertEquals(400, answer.status());
        assertEquals("invalid_fields", answer.error());
        assertTrue(answer.json().get("message").asText().contains("must be one of [eu, us]"), answer.toString());
        assertEquals(JobState.BLOCKED, bed.job(FIXTURE_JOB_ID).state());
    }

    @Test
    void shouldAnswer400_whenFieldsIsNotAnObjectOfStrings() {
        givenBlockedGate();

        ApiTestBed.Answer notObject = bed.send(ApiTestBed.withBody("approve.json", "{\"fields\":[1]}"), bed.adminToken);
        ApiTestBed.Answer notString = bed.send(ApiTestBed.withBody("approve.json", "{\"fields\":{\"region\":1}}"),
                bed.adminToken);

        assertEquals(400, notObject.status());
        assertEquals(400, notString.status());
    }

    @Test
    void shouldFailTheGate_whenTheAdminRejects() {
        givenBlockedGate();

        ApiTestBed.Answer answer = bed.send("reject.json", bed.adminToken);

        assertEquals(200, answer.status(), answer.toString());
        assertEquals("FAILED", answer.json().get("job").get("state").asText());
        assertEquals(JobReason.REJECTED, answer.json().get("job").get("reason").asText());
    }

    @Test
    void shouldAnswer401AndChangeNothing_whenTheTokenIsMissingOrWrong() {
        givenBlockedGate();

        assertEquals(401, bed.send("approve.json", null).status());
        assertEquals(401, bed.send("reject.json", "not-the-token").status());
        assertEquals(JobState.BLOCKED, bed.job(FIXTURE_JOB_ID).state());
    }

    @Test
    void shouldAnswer409_whenTheJobIsNotABlockStepAndAnswer404_whenThereIsNoJob() {
        Job bootstrap = bed.givenBuildWithBootstrapJob();
        APIGatewayV2HTTPEvent approveBootstrap = ApiTestBed.withPath("approve.json",
                "/api/v1/jobs/" + bootstrap.id() + "/approve");

        ApiTestBed.Answer conflict = bed.send(approveBootstrap, bed.adminToken);
        ApiTestBed.Answer missing = bed.send(ApiTestBed.withPath("reject.json", "/api/v1/jobs/no-such-job/reject"),
                bed.adminToken);

        assertEquals(409, conflict.status());
        assertEquals(404, missing.status());
    }

    private void givenBlockedGate() {
        BlockStep step = new BlockStep("release", "Release?", Optional.empty(), List.of(
                new BlockStep.Field("region", "Which region?", true, Optional.empty(), List.of("eu", "us"))),
                List.of(), List.of(), Optional.empty());
        Job planned = Job.planned(ApiTestBed.BUILD_ID, "release", "Release?", JobKind.BLOCK, "default", 0, List.of(),
                null, Map.of(), null, new RetryPolicy(List.of(), false), ApiTestBed.START, "system:build-planner")
                .toBuilder().id(FIXTURE_JOB_ID).step(step).build();
        Job blocked = JobTransitions.apply(planned, new JobEvent.Block(ApiTestBed.START, "system:build-planner"))
                .orElseThrow();
        assertTrue(bed.jobs.create(blocked).written());
    }
}

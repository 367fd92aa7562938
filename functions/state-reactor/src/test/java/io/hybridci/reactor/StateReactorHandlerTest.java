package io.hybridci.reactor;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hybridci.aws.dynamodb.BuildItems;
import io.hybridci.aws.dynamodb.JobItems;
import io.hybridci.aws.dynamodb.StreamImages;
import io.hybridci.core.build.Build;
import io.hybridci.core.build.BuildState;
import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobIds;
import io.hybridci.core.job.JobKind;
import io.hybridci.core.job.JobReason;
import io.hybridci.core.job.JobState;
import io.hybridci.core.job.RetryPolicy;
import io.hybridci.core.port.EventPublisher.BusEvent;
import io.hybridci.core.port.JobDispatcher;
import io.hybridci.core.port.inmemory.InMemoryBuildRepository;
import io.hybridci.core.port.inmemory.InMemoryConcurrencySlots;
import io.hybridci.core.port.inmemory.InMemoryJobRepository;
import io.hybridci.core.port.inmemory.RecordingEventPublisher;
import io.hybridci.core.port.inmemory.RecordingJobDispatcher;
import io.hybridci.core.reaction.ReactionMessages;
import io.hybridci.core.reaction.StateReactor;
import io.hybridci.schema.EventTypes;
import io.hybridci.schema.SchemaNames;
import io.hybridci.schema.SchemaValidator;
import io.hybridci.aws.dynamodb.DeploymentItems;
import io.hybridci.core.deployment.Color;
import io.hybridci.core.deployment.Deployment;
import io.hybridci.core.deployment.Environment;
import io.hybridci.core.port.inmemory.InMemoryDeploymentStore;
import io.hybridci.schema.ValidationResult;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateReactorHandlerTest {

    static final String BUILD = "0b6a4c1e-5d2f-3a8b-9c7d-1e2f3a4b5c6d";
    static final Instant NOW = Instant.parse("2025-03-01T12:01:01Z");
    static final ObjectMapper JSON = new ObjectMapper();
    static final SchemaValidator SCHEMAS = SchemaValidator.shared();

    final InMemoryJobRepository jobs = new InMemoryJobRepository();
    final InMemoryBuildRepository builds = new InMemoryBuildRepository();
    final RecordingJobDispatcher dispatcher = new RecordingJobDispatcher();
    final RecordingEventPublisher events = new RecordingEventPublisher();

    @Test
    void shouldQueueAndDispatchTheDependentOnce_whenAJobPassedAndTheRecordIsRedelivered() {
        DynamodbEvent passed = EventLoader.loadDynamoDbEvent("events/dynamodb/job-passed.json");
        storeBuildAndChangedJob(passed);
        Job deploy = store(dependent("deploy", JobKind.COMMAND));

        StreamsEventResponse first = handler(dispatcher).handleRequest(passed, null);
        StreamsEventResponse again = handler(dispatcher).handleRequest(passed, null);

        assertEquals(List.of(), first.getBatchItemFailures());
        assertEquals(List.of(), again.getBatchItemFailures());
        assertEquals(JobState.QUEUED, jobs.find(deploy.id()).orElseThrow().state());
        assertEquals(1, dispatcher.sent().size());
        assertEquals(deploy.id(), field(dispatcher.sent().getFirst().messageJson(), "jobId"));
        assertValid(SchemaNames.JOB_DISPATCH, dispatcher.sent().getFirst().messageJson());
    }

    @Test
    void shouldCreateTheNextAttempt_whenAFailedJobHasARetryRule() {
        DynamodbEvent failed = EventLoader.loadDynamoDbEvent("events/dynamodb/job-failed-with-retry-rule.json");
        Job failedJob = storeBuildAndChangedJob(failed);
        Job deploy = store(dependent("deploy", JobKind.COMMAND));

        StreamsEventResponse response = handler(dispatcher).handleRequest(failed, null);

        Job next = jobs.find(JobIds.of(BUILD, "test", 2)).orElseThrow();
        assertEquals(List.of(), response.getBatchItemFailures());
        assertEquals(JobState.QUEUED, next.state());
        assertEquals(failedJob.id(), next.retryOf());
        assertEquals(next.id(), jobs.find(failedJob.id()).orElseThrow().retriedBy());
        assertEquals(JobState.PENDING, jobs.find(deploy.id()).orElseThrow().state());
        assertEquals(List.of(next.id()), dispatcher.sent().stream().map(sent -> field(sent.messageJson(), "jobId")).toList());
    }

    @Test
    void shouldSkipTheDependent_whenItsDependencyFailedForGood() {
        DynamodbEvent failed = EventLoader.loadDynamoDbEvent("events/dynamodb/job-failed.json");
        storeBuildAndChangedJob(failed);
        Job approve = store(dependent("approve", JobKind.BLOCK));

        handler(dispatcher).handleRequest(failed, null);

        Job skipped = jobs.find(approve.id()).orElseThrow();
        assertEquals(JobState.SKIPPED, skipped.state());
        assertEquals(JobReason.DEPENDENCY_FAILED, skipped.reason());
        assertEquals(BuildState.FAILED, builds.find(BUILD).orElseThrow().state());
        assertEquals(List.of(), dispatcher.sent());
    }

    @Test
    void shouldMakeTheDeploymentLiveAndPublishAValidEvent_whenADeploymentRecordGoesLive() {
        DynamodbEvent live = EventLoader.loadDynamoDbEvent("events/dynamodb/deployment-live.json");
        InMemoryDeploymentStore store = new InMemoryDeploymentStore();
        Deployment deployment = DeploymentItems.deploymentFromItem(StreamImages.newImage(live.getRecords().getFirst()).orElseThrow());
        assertTrue(store.createDeployment(deployment).written());
        StateReactorHandler handler = new StateReactorHandler(new StateReactor(jobs, builds, dispatcher, events,
                new InMemoryConcurrencySlots(), store, Clock.fixed(NOW, ZoneOffset.UTC)));

        StreamsEventResponse response = handler.handleRequest(live, null);
        handler.handleRequest(live, null);

        assertEquals(List.of(), response.getBatchItemFailures());
        Environment environment = store.findEnvironment("production").orElseThrow();
        assertEquals(deployment.id(), environment.liveDeploymentId());
        assertEquals(Color.GREEN, environment.liveColor());
        assertEquals("9f2c1e0b7d4a5c3e8f1b2a6d0c9e7f4a3b5d1c2e", environment.liveVersion());
        assertEquals(2, environment.version(), "a re-delivered record does not write the environment again");
        List<BusEvent> published = ofType(EventTypes.DETAIL_TYPE_DEPLOYMENT_STATE_CHANGED);
        assertEquals(EventTypes.SOURCE_DEPLOYMENTS, published.getFirst().source());
        assertEquals("VERIFYING", field(published.getFirst().detailJson(), "from"));
        assertEquals("green", field(published.getFirst().detailJson(), "color"));
        assertValid(SchemaNames.DEPLOYMENT_STATE_CHANGED, published.getFirst().detailJson());
    }

    @Test
    void shouldPublishValidEventsAndBuildStateChangedOnce_whenTheLastJobPassed() throws Exception {
        DynamodbEvent passed = EventLoader.loadDynamoDbEvent("events/dynamodb/job-passed.json");
        storeBuildAndChangedJob(passed);

        handler(dispatcher).handleRequest(passed, null);
        handler(dispatcher).handleRequest(passed, null);

        List<BusEvent> buildEvents = ofType(EventTypes.DETAIL_TYPE_BUILD_STATE_CHANGED);
        assertEquals(1, buildEvents.size());
        assertEquals(EventTypes.SOURCE_BUILDS, buildEvents.getFirst().source());
        assertEquals("PASSED", field(buildEvents.getFirst().detailJson(), "to"));
        assertValid(SchemaNames.BUILD_STATE_CHANGED, buildEvents.getFirst().detailJson());
        List<BusEvent> jobEvents = ofType(EventTypes.DETAIL_TYPE_JOB_STATE_CHANGED);
        // The job's own event is derived from the record, so a re-delivery publishes the identical event.
        assertEquals(2, jobEvents.size());
        assertEquals(jobEvents.get(0), jobEvents.get(1));
        assertEquals(EventTypes.SOURCE_JOBS, jobEvents.getFirst().source());
        assertEquals("RUNNING", field(jobEvents.getFirst().detailJson(), "from"));
        assertValid(SchemaNames.JOB_STATE_CHANGED, 2, jobEvents.getFirst().detailJson());
    }

    @Test
    void shouldReportTheFailedRecordAndEveryLaterOne_whenADispatchFails() {
        DynamodbEvent batch = EventLoader.loadDynamoDbEvent("events/dynamodb/planned-batch.json");
        builds.create(BuildItems.fromItem(StreamImages.newImage(batch.getRecords().getFirst()).orElseThrow()));
        batch.getRecords().stream().skip(1).forEach(record ->
                store(JobItems.fromItem(StreamImages.newImage(record).orElseThrow())));
        String testJob = JobIds.of(BUILD, "test", 1);
        JobDispatcher failingOnTest = (queue, message) -> {
            if (field(message, "jobId").equals(testJob)) {
                throw new IllegalStateException("SQS unavailable (simulated)");
            }
            dispatcher.dispatch(queue, message);
        };

        StreamsEventResponse response = handler(failingOnTest).handleRequest(batch, null);

        assertEquals(List.of(seq(batch, 2), seq(batch, 3)),
                response.getBatchItemFailures().stream().map(StreamsEventResponse.BatchItemFailure::getItemIdentifier).toList());
        assertEquals(List.of(JobIds.of(BUILD, "lint", 1)),
                dispatcher.sent().stream().map(sent -> field(sent.messageJson(), "jobId")).toList());
        assertEquals(null, jobs.find(testJob).orElseThrow().dispatchedAt());
    }

    @Test
    void shouldSpellSourcesAndDetailTypesAsTheSchemaCatalog_whenCoreBuildsEvents() {
        assertEquals(EventTypes.SOURCE_JOBS, ReactionMessages.SOURCE_JOBS);
        assertEquals(EventTypes.SOURCE_BUILDS, ReactionMessages.SOURCE_BUILDS);
        assertEquals(EventTypes.DETAIL_TYPE_JOB_STATE_CHANGED, ReactionMessages.DETAIL_TYPE_JOB_STATE_CHANGED);
        assertEquals(EventTypes.DETAIL_TYPE_BUILD_STATE_CHANGED, ReactionMessages.DETAIL_TYPE_BUILD_STATE_CHANGED);
    }

    // ------------------------------------------------------------------ fixtures

    StateReactorHandler handler(JobDispatcher jobDispatcher) {
        return new StateReactorHandler(new StateReactor(jobs, builds, jobDispatcher, events, new InMemoryConcurrencySlots(), Clock.fixed(NOW, ZoneOffset.UTC)));
    }

    /** Stores the build (RUNNING) and the record's job as the table holds it after the write. */
    Job storeBuildAndChangedJob(DynamodbEvent event) {
        Job after = JobItems.fromItem(StreamImages.newImage(event.getRecords().getFirst()).orElseThrow());
        assertEquals(JobIds.of(BUILD, after.key(), after.attempt()), after.id(), "fixture ids are JobIds");
        builds.create(Build.created(BUILD, "acme/widgets", "https://github.com/acme/widgets.git", "main", null,
                        "9f2c1e0b7d4a5c3e8f1b2a6d0c9e7f4a3b5d1c2e", "Fix the widget", "octocat", "octocat",
                        io.hybridci.core.build.BuildSource.PUSH, null, Instant.parse("2025-03-01T12:00:00Z"), "github:octocat")
                .withState(BuildState.RUNNING, Instant.parse("2025-03-01T12:00:02Z"), "system:state-reactor"));
        return store(after);
    }

    static Job dependent(String key, JobKind kind) {
        return Job.planned(BUILD, key, "Step " + key, kind, "default", 0, List.of("test"),
                kind == JobKind.BLOCK ? null : "make " + key, Map.of(), 10, RetryPolicy.DEFAULT,
                Instant.parse("2025-03-01T12:00:00Z"), "system:build-planner");
    }

    Job store(Job job) {
        assertTrue(jobs.create(job).written());
        return job;
    }

    List<BusEvent> ofType(String detailType) {
        return events.published().stream().filter(event -> event.detailType().equals(detailType)).toList();
    }

    static String seq(DynamodbEvent event, int index) {
        return event.getRecords().get(index).getDynamodb().getSequenceNumber();
    }

    static String field(String json, String name) {
        try {
            return JSON.readTree(json).get(name).asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static void assertValid(String schema, String json) {
        ValidationResult result = SCHEMAS.validate(schema, json);
        assertTrue(result.valid(), () -> schema + ": " + result.errors() + " in " + json);
    }

    static void assertValid(String schema, int version, String json) {
        ValidationResult result = SCHEMAS.validate(schema, version, json);
        assertTrue(result.valid(), () -> schema + " v" + version + ": " + result.errors() + " in " + json);
    }
}

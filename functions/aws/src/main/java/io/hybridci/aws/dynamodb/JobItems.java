package io.hybridci.aws.dynamodb;

import static io.hybridci.aws.dynamodb.Attributes.nullableInstant;
import static io.hybridci.aws.dynamodb.Attributes.nullableInteger;
import static io.hybridci.aws.dynamodb.Attributes.nullableString;
import static io.hybridci.aws.dynamodb.Attributes.putInstant;
import static io.hybridci.aws.dynamodb.Attributes.putInteger;
import static io.hybridci.aws.dynamodb.Attributes.putString;
import static io.hybridci.aws.dynamodb.Attributes.s;
import static io.hybridci.aws.dynamodb.Attributes.string;

import io.hybridci.core.job.Job;
import io.hybridci.core.job.JobKind;
import io.hybridci.core.job.JobState;
import io.hybridci.core.job.RetryPolicy;
import io.hybridci.core.pipeline.PipelineJson;
import io.hybridci.core.pipeline.Step;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A {@link Job} as a {@code state} item: {@code JOB#<id>} / {@code JOB}; gsi1 {@code BUILD#<buildId>}
 * / {@code JOB#<key>#<attempt, 4 digits>} lists a build's jobs by key then attempt; gsi2
 * {@code ACTIVE#<queue>} / {@code <state>#<queuedAt>#<id>} exists only while the job is
 * {@link #INDEXED_AS_ACTIVE active}, so the reaper queries a small sparse index instead of scanning.
 */
public final class JobItems {

    /**
     * States that put a job in the sparse gsi2. QUEUED is included (unlike
     * {@link JobState#isActive()}, which means "an agent holds it"): the reaper re-dispatches and
     * expires queued jobs.
     */
    public static final Set<JobState> INDEXED_AS_ACTIVE =
            Set.of(JobState.QUEUED, JobState.ASSIGNED, JobState.RUNNING, JobState.CANCELING, JobState.TIMING_OUT);

    static final String SK_VALUE = "JOB";
    private static final ObjectMapper STEP_JSON = new ObjectMapper();

    private JobItems() {
    }

    public static String pk(String jobId) {
        return "JOB#" + jobId;
    }

    public static Map<String, AttributeValue> key(String jobId) {
        return StateItems.key(pk(jobId), SK_VALUE);
    }

    /** The gsi1 partition of a build's jobs. */
    public static String buildPartition(String buildId) {
        return "BUILD#" + buildId;
    }

    /** The gsi2 partition of a queue's active jobs. */
    public static String activePartition(String queue) {
        return "ACTIVE#" + queue;
    }

    public static Map<String, AttributeValue> toItem(Job job) {
        var item = StateItems.item(pk(job.id()), SK_VALUE, EntityType.JOB, job.version(), job.updatedAt(),
                job.lastActor());
        item.put(StateItems.GSI1_PK, s(buildPartition(job.buildId())));
        item.put(StateItems.GSI1_SK, s("JOB#" + job.key() + "#" + String.format("%04d", job.attempt())));
        if (INDEXED_AS_ACTIVE.contains(job.state())) {
            // A job made QUEUED always has queuedAt; fall back to createdAt so a malformed job is still found.
            var queuedAt = job.queuedAt() != null ? job.queuedAt() : job.createdAt();
            item.put(StateItems.GSI2_PK, s(activePartition(job.queue())));
            item.put(StateItems.GSI2_SK, s(job.state().name() + "#" + StateItems.sortable(queuedAt) + "#" + job.id()));
        }
        item.put("id", s(job.id()));
        item.put("buildId", s(job.buildId()));
        item.put("key", s(job.key()));
        item.put("label", s(job.label()));
        item.put("attempt", Attributes.n(job.attempt()));
        item.put("state", s(job.state().name()));
        item.put("queue", s(job.queue()));
        item.put("priority", Attributes.n(job.priority()));
        item.put("dependsOn", Attributes.stringList(job.dependsOn()));
        item.put("kind", s(job.kind().name()));
        putString(item, "command", job.command());
        item.put("env", Attributes.stringMap(job.env()));
        putInteger(item, "timeoutInMinutes", job.timeoutInMinutes());
        item.put("retryPolicy", retryPolicy(job.retryPolicy()));
        putString(item, "agentId", job.agentId());
        putInteger(item, "exitStatus", job.exitStatus());
        putString(item, "signal", job.signal());
        putString(item, "reason", job.reason());
        putInstant(item, "createdAt", job.createdAt());
        putInstant(item, "queuedAt", job.queuedAt());
        putInstant(item, "dispatchedAt", job.dispatchedAt());
        putInstant(item, "assignedAt", job.assignedAt());
        putInstant(item, "startedAt", job.startedAt());
        putInstant(item, "finishedAt", job.finishedAt());
        putString(item, "retryOf", job.retryOf());
        putString(item, "retriedBy", job.retriedBy());
        if (job.step() != null) {
            // The step as the planner's own JSON (PipelineJson): read back only by our code, and one
            // attribute keeps the item's shape flat whatever kind of step it is.
            item.put("step", s(PipelineJson.stepsToJson(List.of(job.step())).get(0).toString()));
        }
        return item;
    }

    public static Job fromItem(Map<String, AttributeValue> item) {
        return new Job(
                string(item, "id"),
                string(item, "buildId"),
                string(item, "key"),
                string(item, "label"),
                (int) Attributes.number(item, "attempt"),
                JobState.valueOf(string(item, "state")),
                string(item, "queue"),
                (int) Attributes.number(item, "priority"),
                Attributes.stringList(item, "dependsOn"),
                JobKind.valueOf(string(item, "kind")),
                nullableString(item, "command"),
                Attributes.stringMap(item, "env"),
                nullableInteger(item, "timeoutInMinutes"),
                retryPolicy(item.get("retryPolicy")),
                nullableString(item, "agentId"),
                nullableInteger(item, "exitStatus"),
                nullableString(item, "signal"),
                nullableString(item, "reason"),
                Attributes.instant(item, "createdAt"),
                nullableInstant(item, "queuedAt"),
                nullableInstant(item, "dispatchedAt"),
                nullableInstant(item, "assignedAt"),
                nullableInstant(item, "startedAt"),
                nullableInstant(item, "finishedAt"),
                nullableString(item, "retryOf"),
                nullableString(item, "retriedBy"),
                Attributes.number(item, StateItems.VERSION),
                Attributes.instant(item, StateItems.UPDATED_AT),
                string(item, StateItems.LAST_ACTOR),
                step(item.get("step")));
    }

    private static Step step(AttributeValue value) {
        if (value == null) {
            return null;
        }
        try {
            return PipelineJson.stepsFromJson(STEP_JSON.readTree("[" + value.s() + "]")).getFirst();
        } catch (JsonProcessingException malformed) {
            throw new IllegalArgumentException("job item has a malformed step: " + malformed.getOriginalMessage(),
                    malformed);
        }
    }

    private static AttributeValue retryPolicy(RetryPolicy policy) {
        List<AttributeValue> rules = new ArrayList<>();
        for (RetryPolicy.AutomaticRetry rule : policy.automatic()) {
            Map<String, AttributeValue> map = new HashMap<>();
            rule.exitStatus().ifPresent(status -> map.put("exitStatus", Attributes.n(status)));
            map.put("limit", Attributes.n(rule.limit()));
            rules.add(AttributeValue.fromM(map));
        }
        return AttributeValue.fromM(Map.of(
                "automatic", AttributeValue.fromL(rules),
                "manualAllowed", Attributes.bool(policy.manualAllowed())));
    }

    private static RetryPolicy retryPolicy(AttributeValue value) {
        if (value == null || !value.hasM()) {
            throw new IllegalStateException("job item lacks required attribute 'retryPolicy'");
        }
        Map<String, AttributeValue> map = value.m();
        List<RetryPolicy.AutomaticRetry> rules = new ArrayList<>();
        AttributeValue automatic = map.get("automatic");
        if (automatic != null && automatic.hasL()) {
            for (AttributeValue rule : automatic.l()) {
                Map<String, AttributeValue> fields = rule.m();
                rules.add(new RetryPolicy.AutomaticRetry(
                        Optional.ofNullable(nullableInteger(fields, "exitStatus")),
                        (int) Attributes.number(fields, "limit")));
            }
        }
        return new RetryPolicy(rules, Attributes.bool(map, "manualAllowed"));
    }
}

package io.hybridci.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hybridci.core.build.Build;
import io.hybridci.core.job.Job;
import io.hybridci.core.pipeline.BlockStep;
import io.hybridci.core.pipeline.DeployStep;

/**
 * The JSON shapes the CLI, the dashboard and outside scripts rely on (issue 3): written by hand,
 * field by field, so a renamed record component cannot silently change the API. Absent values
 * are explicit {@code null}s, so every documented field is always present.
 */
final class Views {

    private Views() {
    }

    /** A build as listed and shown: {@code id, state, repo, branch, commit, createdAt, finishedAt, …}. */
    static ObjectNode build(Build build) {
        ObjectNode json = Json.object();
        json.put("id", build.id());
        json.put("state", build.state().name());
        json.put("repo", build.repo());
        json.put("cloneUrl", build.cloneUrl());
        json.put("branch", build.branch());
        json.put("tag", build.tag());
        json.put("commit", build.commit());
        json.put("message", build.message());
        json.put("author", build.author());
        json.put("pusher", build.pusher());
        json.put("source", build.source().wireName());
        if (build.pullRequestNumber() == null) {
            json.putNull("pullRequestNumber");
        } else {
            json.put("pullRequestNumber", build.pullRequestNumber());
        }
        Json.putInstant(json, "createdAt", build.createdAt());
        Json.putInstant(json, "startedAt", build.startedAt());
        Json.putInstant(json, "finishedAt", build.finishedAt());
        Json.putInstant(json, "updatedAt", build.updatedAt());
        return json;
    }

    /**
     * A job for users: {@code id, key, label, state, attempt, exitStatus, agentId, queuedAt,
     * startedAt, finishedAt, …}. No {@code env}: it may carry values a viewer should not see.
     */
    static ObjectNode job(Job job) {
        ObjectNode json = Json.object();
        json.put("id", job.id());
        json.put("buildId", job.buildId());
        json.put("key", job.key());
        json.put("label", job.label());
        json.put("kind", job.kind().name());
        json.put("state", job.state().name());
        json.put("attempt", job.attempt());
        json.put("queue", job.queue());
        if (job.exitStatus() == null) {
            json.putNull("exitStatus");
        } else {
            json.put("exitStatus", job.exitStatus());
        }
        json.put("signal", job.signal());
        json.put("reason", job.reason());
        json.put("agentId", job.agentId());
        ArrayNode dependsOn = json.putArray("dependsOn");
        job.dependsOn().forEach(dependsOn::add);
        Json.putInstant(json, "createdAt", job.createdAt());
        Json.putInstant(json, "queuedAt", job.queuedAt());
        Json.putInstant(json, "assignedAt", job.assignedAt());
        Json.putInstant(json, "startedAt", job.startedAt());
        Json.putInstant(json, "finishedAt", job.finishedAt());
        json.put("retryOf", job.retryOf());
        json.put("retriedBy", job.retriedBy());
        if (job.step() instanceof BlockStep block) {
            json.set("block", block(block));
        }
        return json;
    }

    /** What the dashboard's approval form asks (the same definitions the approval is checked against). */
    private static ObjectNode block(BlockStep step) {
        ObjectNode json = Json.object();
        json.put("prompt", step.prompt().orElse(null));
        ArrayNode fields = json.putArray("fields");
        for (BlockStep.Field field : step.fields()) {
            ObjectNode item = fields.addObject();
            item.put("key", field.key());
            item.put("text", field.text());
            item.put("required", field.required());
            item.put("default", field.defaultValue().orElse(null));
            ArrayNode options = item.putArray("options");
            field.options().forEach(options::add);
        }
        return json;
    }

    /**
     * A job as its agent needs it to run (docs/agent-protocol.md, {@code accept}): command, env and
     * where to check out, which the SQS dispatch message deliberately leaves out.
     */
    static ObjectNode jobToRun(Job job, Build build) {
        ObjectNode json = Json.object();
        json.put("id", job.id());
        json.put("buildId", job.buildId());
        json.put("key", job.key());
        json.put("label", job.label());
        json.put("attempt", job.attempt());
        json.put("kind", job.kind().name());
        json.put("command", job.command());
        ObjectNode env = json.putObject("env");
        job.env().forEach(env::put);
        if (job.timeoutInMinutes() == null) {
            json.putNull("timeoutInMinutes");
        } else {
            json.put("timeoutInMinutes", job.timeoutInMinutes());
        }
        ObjectNode repository = json.putObject("repository");
        repository.put("fullName", build.repo());
        repository.put("cloneUrl", build.cloneUrl());
        json.put("commit", build.commit());
        json.put("branch", build.branch());
        json.put("tag", build.tag());
        if (job.step() instanceof DeployStep step) {
            // What the agent runs around the command (docs/agent-protocol.md); where it deploys is in env.
            ObjectNode deploy = json.putObject("deploy");
            deploy.put("environment", step.deploy().environment());
            deploy.put("strategy", step.deploy().strategy().yamlName());
            deploy.put("healthCheck", step.deploy().healthCheck().orElse(null));
            deploy.put("switch", step.deploy().switchCommand().orElse(null));
            deploy.put("rollback", step.deploy().rollbackCommand().orElse(null));
        }
        return json;
    }
}

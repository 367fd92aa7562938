package io.hybridci.core.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A normalized GitHub {@code pull_request} (events-schema {@code github-pull-request} v1).
 * Every action is published; the bus rule and the planner decide which ones build.
 *
 * @param delivery the {@code X-GitHub-Delivery} id
 * @param action GitHub's action ({@code opened}, {@code synchronize}, {@code closed}, …)
 * @param number the pull request number
 * @param repository the base repository (the one the webhook is installed on)
 * @param pullRequest the head and base of the pull request
 * @param sender the login of the account that triggered the webhook
 */
public record GithubPullRequest(
        String delivery,
        String action,
        int number,
        GithubRepository repository,
        PullRequest pullRequest,
        String sender) implements GithubEvent {

    /** GitHub's event name, also the bus detail-type. */
    public static final String EVENT_NAME = "pull_request";
    /** The events-schema name. */
    public static final String SCHEMA_NAME = "github-pull-request";

    public GithubPullRequest {
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(pullRequest, "pullRequest");
        Objects.requireNonNull(sender, "sender");
    }

    /**
     * The pull request itself.
     *
     * @param title its title, at most {@link GithubNormalizer#MAX_TITLE_CHARS} characters
     * @param htmlUrl its page
     * @param draft whether it is a draft
     * @param headSha the commit to build
     * @param headRef the head branch
     * @param headRepoFullName where the head branch lives; null when that repository was deleted
     * @param headCloneUrl where to clone the head from; null when that repository was deleted
     * @param baseRef the branch it merges into
     * @param baseSha the base branch's commit
     * @param fork the head lives in another repository than the base: its code is untrusted
     */
    public record PullRequest(String title, String htmlUrl, boolean draft, String headSha, String headRef,
                              String headRepoFullName, String headCloneUrl, String baseRef, String baseSha,
                              boolean fork) {
        public PullRequest {
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(htmlUrl, "htmlUrl");
            Objects.requireNonNull(headSha, "headSha");
            Objects.requireNonNull(headRef, "headRef");
            Objects.requireNonNull(baseRef, "baseRef");
            Objects.requireNonNull(baseSha, "baseSha");
        }
    }

    @Override
    public String eventName() {
        return EVENT_NAME;
    }

    @Override
    public String schemaName() {
        return SCHEMA_NAME;
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("delivery", delivery);
        json.put("action", action);
        json.put("number", number);
        json.set("repository", repository.toJson());
        ObjectNode pr = json.putObject("pullRequest");
        pr.put("title", pullRequest.title());
        pr.put("htmlUrl", pullRequest.htmlUrl());
        pr.put("draft", pullRequest.draft());
        pr.put("headSha", pullRequest.headSha());
        pr.put("headRef", pullRequest.headRef());
        pr.put("headRepoFullName", pullRequest.headRepoFullName());
        pr.put("headCloneUrl", pullRequest.headCloneUrl());
        pr.put("baseRef", pullRequest.baseRef());
        pr.put("baseSha", pullRequest.baseSha());
        pr.put("fork", pullRequest.fork());
        json.putObject("sender").put("login", sender);
        return json;
    }

    /**
     * Reads a {@code github-pull-request} detail (what {@link #toJson()} wrote).
     *
     * @throws IllegalArgumentException naming every missing or mistyped field
     */
    public static GithubPullRequest fromJson(JsonNode detail) {
        PayloadReader json = PayloadReader.root(detail);
        PayloadReader pr = json.object("pullRequest");
        GithubPullRequest event = new GithubPullRequest(json.text("delivery"), json.text("action"),
                json.integer("number"), GithubRepository.read(json.object("repository")),
                new PullRequest(pr.text("title"), pr.text("htmlUrl"), pr.bool("draft"), pr.text("headSha"),
                        pr.text("headRef"), pr.optionalText("headRepoFullName"), pr.optionalText("headCloneUrl"),
                        pr.text("baseRef"), pr.text("baseSha"), pr.bool("fork")),
                json.object("sender").text("login"));
        GithubNormalizer.requireNoProblems(SCHEMA_NAME, json);
        return event;
    }
}

package io.hybridci.core.github;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A GitHub webhook normalized to the detail webhook-intake puts on the bus (events-schema
 * {@code github-push} / {@code github-pull-request}): a small, size-bounded subset of GitHub's
 * payload (which may reach 25 MB, when an EventBridge event may hold 256 KB).
 */
public sealed interface GithubEvent permits GithubPush, GithubPullRequest {

    /** The {@code X-GitHub-Delivery} id: the idempotency key of everything this delivery causes. */
    String delivery();

    /** GitHub's event name ({@code push}, {@code pull_request}): the bus detail-type. */
    String eventName();

    /** The events-schema name this detail conforms to. */
    String schemaName();

    /** The detail as JSON, under the schema's field names (written by hand: they are a contract). */
    ObjectNode toJson();
}

package io.hybridci.core.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * A normalized GitHub {@code push} (events-schema {@code github-push} v1).
 *
 * @param delivery the {@code X-GitHub-Delivery} id
 * @param repository where it was pushed
 * @param ref the full ref, e.g. {@code refs/heads/main}
 * @param branch the branch when {@code ref} is under {@code refs/heads/}, else null
 * @param tag the tag when {@code ref} is under {@code refs/tags/}, else null
 * @param before the SHA the ref pointed to before (all zeros for a new ref)
 * @param after the SHA it points to now (all zeros for a deleted ref)
 * @param deleted the push deleted the ref: nothing to build
 * @param created the push created the ref
 * @param forced a force push
 * @param pusher the login of who pushed
 * @param sender the login of the account that triggered the webhook
 * @param headCommit the commit the ref points to now, null when the ref was deleted
 * @param changedPaths paths added, modified or removed, unique, at most {@link GithubNormalizer#MAX_CHANGED_PATHS}
 * @param changedPathsTruncated more paths changed than {@code changedPaths} holds (or GitHub listed only some commits)
 */
public record GithubPush(
        String delivery,
        GithubRepository repository,
        String ref,
        String branch,
        String tag,
        String before,
        String after,
        boolean deleted,
        boolean created,
        boolean forced,
        String pusher,
        String sender,
        HeadCommit headCommit,
        List<String> changedPaths,
        boolean changedPathsTruncated) implements GithubEvent {

    /** GitHub's event name, also the bus detail-type. */
    public static final String EVENT_NAME = "push";
    /** The events-schema name. */
    public static final String SCHEMA_NAME = "github-push";

    public GithubPush {
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(pusher, "pusher");
        Objects.requireNonNull(sender, "sender");
        changedPaths = List.copyOf(changedPaths);
    }

    /**
     * The commit a push moved its ref to.
     *
     * @param id the 40-hex SHA
     * @param message the commit message, at most {@link GithubNormalizer#MAX_MESSAGE_CHARS} characters
     * @param timestamp ISO-8601 UTC ({@code ...Z})
     * @param authorName the author's name
     * @param authorEmail the author's e-mail, null when GitHub gives none
     */
    public record HeadCommit(String id, String message, String timestamp, String authorName, String authorEmail) {
        public HeadCommit {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(timestamp, "timestamp");
            Objects.requireNonNull(authorName, "authorName");
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
        JsonNodeFactory factory = JsonNodeFactory.instance;
        ObjectNode json = factory.objectNode();
        json.put("delivery", delivery);
        json.set("repository", repository.toJson());
        json.put("ref", ref);
        json.put("branch", branch);
        json.put("tag", tag);
        json.put("before", before);
        json.put("after", after);
        json.put("deleted", deleted);
        json.put("created", created);
        json.put("forced", forced);
        json.putObject("pusher").put("login", pusher);
        json.putObject("sender").put("login", sender);
        if (headCommit == null) {
            json.putNull("headCommit");
        } else {
            ObjectNode commit = json.putObject("headCommit");
            commit.put("id", headCommit.id());
            commit.put("message", headCommit.message());
            commit.put("timestamp", headCommit.timestamp());
            ObjectNode author = commit.putObject("author");
            author.put("name", headCommit.authorName());
            if (headCommit.authorEmail() != null) {
                author.put("email", headCommit.authorEmail());
            }
        }
        ArrayNode paths = json.putArray("changedPaths");
        changedPaths.forEach(paths::add);
        json.put("changedPathsTruncated", changedPathsTruncated);
        return json;
    }

    /**
     * Reads a {@code github-push} detail (what {@link #toJson()} wrote).
     *
     * @throws IllegalArgumentException naming every missing or mistyped field
     */
    public static GithubPush fromJson(JsonNode detail) {
        PayloadReader json = PayloadReader.root(detail);
        HeadCommit headCommit = json.optionalObject("headCommit").map(commit -> {
            PayloadReader author = commit.object("author");
            return new HeadCommit(commit.text("id"), commit.text("message"), commit.text("timestamp"),
                    author.text("name"), author.optionalText("email"));
        }).orElse(null);
        List<String> paths = json.optionalArray("changedPaths").stream().map(JsonNode::asText).toList();
        GithubPush push = new GithubPush(json.text("delivery"), GithubRepository.read(json.object("repository")),
                json.text("ref"), json.optionalText("branch"), json.optionalText("tag"), json.text("before"),
                json.text("after"), json.bool("deleted"), json.bool("created"), json.bool("forced"),
                json.object("pusher").text("login"), json.object("sender").text("login"), headCommit, paths,
                json.bool("changedPathsTruncated"));
        GithubNormalizer.requireNoProblems(SCHEMA_NAME, json);
        return push;
    }
}

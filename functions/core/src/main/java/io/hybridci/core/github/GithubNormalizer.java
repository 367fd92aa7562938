package io.hybridci.core.github;

import com.fasterxml.jackson.databind.JsonNode;
import io.hybridci.core.github.GithubPush.HeadCommit;
import io.hybridci.core.github.GithubPullRequest.PullRequest;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Turns GitHub's raw {@code push} and {@code pull_request} webhook payloads (snake_case, up to
 * 25 MB) into the normalized details of events-schema {@code github-push} / {@code github-pull-request}
 * (camelCase, bounded so one event always fits EventBridge's 256 KB).
 *
 * <p>Bounds: the head commit message is cut to {@value #MAX_MESSAGE_CHARS} characters, the PR title to
 * {@value #MAX_TITLE_CHARS}, author names to {@value #MAX_AUTHOR_NAME_CHARS}; {@code changedPaths} keeps
 * the first {@value #MAX_CHANGED_PATHS} distinct paths in commit order and sets
 * {@code changedPathsTruncated} whenever it cannot be the complete list.
 *
 * @see <a href="https://docs.github.com/en/webhooks/webhook-events-and-payloads#push">push payload</a>
 * @see <a href="https://docs.github.com/en/webhooks/webhook-events-and-payloads#pull_request">pull_request payload</a>
 */
public final class GithubNormalizer {

    /** The schema's {@code headCommit.message} maxLength (the "4 KiB"), in characters. */
    public static final int MAX_MESSAGE_CHARS = 4096;
    public static final int MAX_TITLE_CHARS = 1024;
    public static final int MAX_AUTHOR_NAME_CHARS = 256;
    public static final int MAX_CHANGED_PATHS = 1000;
    /**
     * At most this many bytes (UTF-8) of paths in all: 1,000 paths of up to 4,096 characters would be far over
     * EventBridge's 256 KB per event; the rest is dropped and the list marked truncated.
     */
    public static final int MAX_CHANGED_PATHS_BYTES = 128 * 1024;
    /** Longer paths do not exist in practice (PATH_MAX); one is dropped, and the list marked truncated. */
    public static final int MAX_PATH_CHARS = 4096;
    /** The schema's e-mail bound; a longer or odd e-mail is dropped, it is only informational. */
    static final int MAX_EMAIL_CHARS = 320;
    /**
     * GitHub lists at most this many commits in a push delivery; a push listing that many may have had
     * more, whose paths we cannot see.
     */
    static final int GITHUB_MAX_COMMITS_PER_PUSH = 2048;

    private static final String BRANCH_PREFIX = "refs/heads/";
    private static final String TAG_PREFIX = "refs/tags/";

    private GithubNormalizer() {
    }

    /** Whether {@code eventName} (the {@code X-GitHub-Event} header) is one this class normalizes. */
    public static boolean supports(String eventName) {
        return GithubPush.EVENT_NAME.equals(eventName) || GithubPullRequest.EVENT_NAME.equals(eventName);
    }

    /**
     * Normalizes one delivery.
     *
     * @param eventName {@code push} or {@code pull_request} (see {@link #supports})
     * @param delivery the {@code X-GitHub-Delivery} header
     * @param payload the parsed body
     * @throws IllegalArgumentException for an event name {@link #supports} rejects (a caller bug)
     */
    public static Normalization normalize(String eventName, String delivery, JsonNode payload) {
        Objects.requireNonNull(delivery, "delivery");
        return switch (eventName) {
            case GithubPush.EVENT_NAME -> push(delivery, payload);
            case GithubPullRequest.EVENT_NAME -> pullRequest(delivery, payload);
            case null, default -> throw new IllegalArgumentException("not a normalized GitHub event: " + eventName);
        };
    }

    /** Normalizes a {@code push} payload. */
    public static Normalization push(String delivery, JsonNode payload) {
        PayloadReader json = PayloadReader.root(payload);
        String ref = json.text("ref");
        GithubRepository repository = repository(json.object("repository"));
        HeadCommit headCommit = json.optionalObject("head_commit").map(GithubNormalizer::headCommit).orElse(null);
        ChangedPaths changed = changedPaths(json.optionalObjects("commits"));
        GithubPush push = new GithubPush(delivery, repository, ref, suffix(ref, BRANCH_PREFIX), suffix(ref, TAG_PREFIX),
                json.text("before"), json.text("after"), json.bool("deleted"), json.bool("created"),
                json.bool("forced"),
                // The push payload's pusher is a git identity {name, email}; its name is the login.
                json.object("pusher").text("name"), json.object("sender").text("login"), headCommit,
                changed.paths(), changed.truncated());
        return result(json, push);
    }

    /** Normalizes a {@code pull_request} payload. */
    public static Normalization pullRequest(String delivery, JsonNode payload) {
        PayloadReader json = PayloadReader.root(payload);
        GithubRepository repository = repository(json.object("repository"));
        PayloadReader pr = json.object("pull_request");
        PayloadReader head = pr.object("head");
        PayloadReader base = pr.object("base");
        // head.repo is null when the fork was deleted: its code can no longer be fetched, and it is untrusted.
        Optional<PayloadReader> headRepo = head.optionalObject("repo");
        String headRepoFullName = headRepo.map(repo -> repo.text("full_name")).orElse(null);
        String headCloneUrl = headRepo.map(repo -> repo.text("clone_url")).orElse(null);
        boolean fork = headRepoFullName == null
                || !headRepoFullName.toLowerCase(Locale.ROOT).equals(repository.fullName().toLowerCase(Locale.ROOT));
        PullRequest pullRequest = new PullRequest(truncate(pr.text("title"), MAX_TITLE_CHARS), pr.text("html_url"),
                // draft is missing from payloads of older GitHub Enterprise servers: they have no drafts.
                pr.optionalBool("draft", false), head.text("sha"), head.text("ref"), headRepoFullName, headCloneUrl,
                base.text("ref"), base.text("sha"), fork);
        int number = json.integer("number");
        GithubPullRequest event = new GithubPullRequest(delivery, json.text("action"), number, repository,
                pullRequest, json.object("sender").text("login"));
        return result(json, event);
    }

    /** Throws, naming every problem the reader saw; used when reading our own normalized details back. */
    static void requireNoProblems(String schemaName, PayloadReader json) {
        List<String> problems = json.problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid " + schemaName + " detail, missing or invalid fields: "
                    + String.join(", ", problems));
        }
    }

    private static Normalization result(PayloadReader json, GithubEvent event) {
        List<String> problems = json.problems();
        return problems.isEmpty() ? new Normalization.Normalized(event) : new Normalization.MissingFields(problems);
    }

    private static GithubRepository repository(PayloadReader repo) {
        return new GithubRepository(repo.text("full_name"), repo.text("clone_url"), repo.text("html_url"),
                repo.text("default_branch"), repo.bool("private"));
    }

    private static HeadCommit headCommit(PayloadReader commit) {
        PayloadReader author = commit.object("author");
        String timestamp = commit.text("timestamp");
        return new HeadCommit(commit.text("id"), truncate(commit.text("message"), MAX_MESSAGE_CHARS),
                utc(timestamp).orElse(timestamp), truncate(author.text("name"), MAX_AUTHOR_NAME_CHARS),
                plausibleEmail(author.optionalText("email")));
    }

    private record ChangedPaths(List<String> paths, boolean truncated) {}

    /** Distinct added, modified and removed paths, in commit order, bounded. */
    private static ChangedPaths changedPaths(List<PayloadReader> commits) {
        Set<String> paths = new LinkedHashSet<>();
        boolean truncated = commits.size() >= GITHUB_MAX_COMMITS_PER_PUSH;
        long bytes = 0;
        for (PayloadReader commit : commits) {
            for (String list : List.of("added", "modified", "removed")) {
                for (JsonNode path : commit.optionalArray(list)) {
                    if (!path.isTextual() || path.textValue().isEmpty()) {
                        continue;
                    }
                    String value = path.textValue();
                    if (value.length() > MAX_PATH_CHARS) {
                        truncated = true;
                    } else if (!paths.contains(value)) {
                        int size = value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
                        if (paths.size() == MAX_CHANGED_PATHS || bytes + size > MAX_CHANGED_PATHS_BYTES) {
                            truncated = true;
                        } else {
                            paths.add(value);
                            bytes += size;
                        }
                    }
                }
            }
        }
        return new ChangedPaths(List.copyOf(paths), truncated);
    }

    /** The part of {@code ref} after {@code prefix}, or null when {@code ref} is not under it. */
    private static String suffix(String ref, String prefix) {
        return ref.startsWith(prefix) && ref.length() > prefix.length() ? ref.substring(prefix.length()) : null;
    }

    /** GitHub writes commit times with the committer's offset ({@code -05:00}); the schema wants UTC. */
    private static Optional<String> utc(String timestamp) {
        try {
            return Optional.of(OffsetDateTime.parse(timestamp).toInstant().toString());
        } catch (DateTimeParseException notAnInstant) {
            // Left as is: the schema check names the field, which says more than a parse error.
            return Optional.empty();
        }
    }

    private static String plausibleEmail(String email) {
        return email != null && email.indexOf('@') > 0 && email.length() <= MAX_EMAIL_CHARS ? email : null;
    }

    /** At most {@code max} characters, never splitting a surrogate pair (an emoji) in half. */
    static String truncate(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end);
    }
}

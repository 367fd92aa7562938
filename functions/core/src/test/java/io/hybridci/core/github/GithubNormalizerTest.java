package io.hybridci.core.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class GithubNormalizerTest {

    private static final String DELIVERY = "72d3162e-cc78-11e3-81ab-4c9367dc0958";

    private static GithubPush push(ObjectNode payload) {
        return (GithubPush) GithubPayloads.normalized("push", DELIVERY, payload);
    }

    private static GithubPullRequest pullRequest(String fixture) {
        return (GithubPullRequest) GithubPayloads.normalized("pull_request", DELIVERY, GithubPayloads.load(fixture));
    }

    @Test
    void shouldKeepTheBuildRelevantFields_whenABranchIsPushed() {
        GithubPush push = push(GithubPayloads.load("push"));

        assertEquals(DELIVERY, push.delivery());
        assertEquals(new GithubRepository("acme/widgets", "https://github.com/acme/widgets.git",
                "https://github.com/acme/widgets", "main", true), push.repository());
        assertEquals("main", push.branch());
        assertNull(push.tag());
        assertEquals("9f2c1e0b7d4a5c3e8f1b2a6d0c9e7f4a3b5d1c2e", push.after());
        assertEquals("octocat", push.pusher());
        assertEquals("octocat", push.sender());
        assertEquals(new GithubPush.HeadCommit("9f2c1e0b7d4a5c3e8f1b2a6d0c9e7f4a3b5d1c2e",
                "Fix the flaky widget test\n\nThe clock was not frozen.", "2025-03-01T12:00:00Z",
                "Mona Octocat", "mona@example.com"), push.headCommit());
    }

    @Test
    void shouldListEachChangedPathOnceInCommitOrder_whenCommitsAddModifyAndRemove() {
        GithubPush push = push(GithubPayloads.load("push"));

        assertEquals(List.of("test/clock_fixture.c", "test/widget_test.c", "src/widget.c", "src/widget_legacy.c"),
                push.changedPaths());
        assertFalse(push.changedPathsTruncated());
    }

    @Test
    void shouldNameTheTagAndNoBranch_whenATagIsPushed() {
        GithubPush push = push(GithubPayloads.load("push-tag"));

        assertEquals("v1.2.0", push.tag());
        assertNull(push.branch());
        assertTrue(push.created());
        assertEquals(List.of(), push.changedPaths());
    }

    @Test
    void shouldHaveNoHeadCommit_whenABranchIsDeleted() {
        GithubPush push = push(GithubPayloads.load("push-deleted-branch"));

        assertTrue(push.deleted());
        assertNull(push.headCommit());
        assertEquals("feature/old", push.branch());
        assertTrue(push.toJson().get("headCommit").isNull());
    }

    @Test
    void shouldCutTheMessageTo4096Characters_whenTheHeadCommitMessageIsLonger() {
        ObjectNode payload = GithubPayloads.load("push");
        ((ObjectNode) payload.get("head_commit")).put("message", "x".repeat(4095) + "😀" + "tail");

        String message = push(payload).headCommit().message();

        // The emoji straddles the limit: it is dropped whole rather than cut into half a surrogate pair.
        assertEquals("x".repeat(4095), message);
    }

    @Test
    void shouldKeep1000PathsAndSayTruncated_whenMorePathsChanged() {
        ObjectNode payload = GithubPayloads.load("push");
        ArrayNode added = ((ObjectNode) payload.withArray("commits").get(0)).putArray("added");
        for (int i = 0; i < 1500; i++) {
            added.add("gen/file-" + i + ".txt");
        }

        GithubPush push = push(payload);

        assertEquals(1000, push.changedPaths().size());
        assertEquals("gen/file-0.txt", push.changedPaths().getFirst());
        assertTrue(push.changedPathsTruncated());
    }

    @Test
    void shouldKeepAtMost128KiBOfPathsAndSayTruncated_whenLongPathsWouldOverflowTheEvent() {
        ObjectNode payload = GithubPayloads.load("push");
        payload.putArray("commits").addObject().putArray("added");
        ArrayNode added = (ArrayNode) payload.withArray("commits").get(0).get("added");
        for (int i = 0; i < 100; i++) {
            added.add(String.format("deep/%04d/", i) + "d".repeat(4000));
        }

        GithubPush push = push(payload);

        long bytes = push.changedPaths().stream().mapToLong(String::length).sum();
        assertTrue(bytes <= GithubNormalizer.MAX_CHANGED_PATHS_BYTES, "kept " + bytes + " bytes");
        assertEquals(GithubNormalizer.MAX_CHANGED_PATHS_BYTES / 4010, push.changedPaths().size());
        assertTrue(push.changedPathsTruncated());
    }

    @Test
    void shouldNotBeTruncated_whenExactly1000PathsChanged() {
        ObjectNode payload = GithubPayloads.load("push");
        payload.putArray("commits").addObject().putArray("added");
        ArrayNode added = (ArrayNode) payload.withArray("commits").get(0).get("added");
        for (int i = 0; i < 1000; i++) {
            added.add("gen/file-" + i + ".txt");
        }

        GithubPush push = push(payload);

        assertEquals(1000, push.changedPaths().size());
        assertFalse(push.changedPathsTruncated());
    }

    @Test
    void shouldNameEveryMissingField_whenRequiredFieldsAreAbsent() {
        ObjectNode payload = GithubPayloads.load("push");
        payload.remove("after");
        ((ObjectNode) payload.get("repository")).remove("clone_url");
        payload.remove("sender");

        Normalization result = GithubNormalizer.normalize("push", DELIVERY, payload);

        Normalization.MissingFields missing = assertInstanceOf(Normalization.MissingFields.class, result);
        assertEquals(List.of("repository.clone_url", "after", "sender"), missing.fields());
        assertEquals("missing or invalid fields: repository.clone_url, after, sender", missing.message());
    }

    @Test
    void shouldReportAWrongType_whenAFieldHasOne() {
        ObjectNode payload = GithubPayloads.load("pull_request-opened");
        payload.put("number", "42");

        Normalization result = GithubNormalizer.normalize("pull_request", DELIVERY, payload);

        assertEquals(List.of("number"), assertInstanceOf(Normalization.MissingFields.class, result).fields());
    }

    @Test
    void shouldNotBeAFork_whenThePullRequestComesFromABranchOfTheSameRepository() {
        GithubPullRequest event = pullRequest("pull_request-opened");

        assertEquals("opened", event.action());
        assertEquals(42, event.number());
        assertEquals(new GithubPullRequest.PullRequest("Add blue-green deploys",
                "https://github.com/acme/widgets/pull/42", false, "9f2c1e0b7d4a5c3e8f1b2a6d0c9e7f4a3b5d1c2e",
                "feature/blue-green", "acme/widgets", "https://github.com/acme/widgets.git", "main",
                "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d", false), event.pullRequest());
    }

    @Test
    void shouldBeAForkClonedFromTheFork_whenTheHeadRepositoryDiffers() {
        GithubPullRequest event = pullRequest("pull_request-synchronize-fork");

        assertTrue(event.pullRequest().fork());
        assertEquals("stranger/widgets", event.pullRequest().headRepoFullName());
        assertEquals("https://github.com/stranger/widgets.git", event.pullRequest().headCloneUrl());
        assertEquals("stranger", event.sender());
    }

    @Test
    void shouldBeAForkWithoutCloneUrl_whenTheHeadRepositoryWasDeleted() {
        ObjectNode payload = GithubPayloads.load("pull_request-synchronize-fork");
        ((ObjectNode) payload.get("pull_request").get("head")).putNull("repo");

        GithubPullRequest event = (GithubPullRequest) GithubPayloads.normalized("pull_request", DELIVERY, payload);

        assertTrue(event.pullRequest().fork());
        assertNull(event.pullRequest().headCloneUrl());
    }

    @Test
    void shouldReadBackEqualEvents_whenTheNormalizedJsonIsParsed() {
        GithubPush push = push(GithubPayloads.load("push"));
        GithubPullRequest pr = pullRequest("pull_request-synchronize-fork");

        assertEquals(push, GithubPush.fromJson(push.toJson()));
        assertEquals(pr, GithubPullRequest.fromJson(pr.toJson()));
    }

    @Test
    void shouldRefuseWithTheFieldNames_whenANormalizedDetailLacksFields() {
        ObjectNode detail = push(GithubPayloads.load("push")).toJson();
        detail.remove("after");

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> GithubPush.fromJson(detail));

        assertEquals("invalid github-push detail, missing or invalid fields: after", error.getMessage());
    }
}

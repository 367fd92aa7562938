package io.hybridci.aws.dynamodb;

import static io.hybridci.aws.dynamodb.Attributes.number;
import static io.hybridci.aws.dynamodb.Attributes.nullableInstant;
import static io.hybridci.aws.dynamodb.Attributes.nullableInteger;
import static io.hybridci.aws.dynamodb.Attributes.nullableString;
import static io.hybridci.aws.dynamodb.Attributes.putInstant;
import static io.hybridci.aws.dynamodb.Attributes.putInteger;
import static io.hybridci.aws.dynamodb.Attributes.putString;
import static io.hybridci.aws.dynamodb.Attributes.s;
import static io.hybridci.aws.dynamodb.Attributes.string;
import static io.hybridci.aws.dynamodb.Attributes.stringList;

import io.hybridci.core.build.Build;
import io.hybridci.core.build.BuildSource;
import io.hybridci.core.build.BuildState;
import io.hybridci.core.build.ChangedPaths;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A {@link Build} as a {@code state} item: {@code BUILD#<id>} / {@code BUILD}; gsi1 {@code BUILDS}
 * / {@code <createdAt>#<id>} lists builds newest first; gsi2 {@code BRANCH#<repo>#<branch>} /
 * {@code <createdAt>#<id>} lists a branch's builds (absent for tag builds, which have no branch).
 * {@code changedPaths} (L of S) is present only when the push's changed paths are known: absent is UNKNOWN,
 * an empty list is a push that changed nothing.
 */
public final class BuildItems {

    /** gsi1 partition holding every build. */
    public static final String ALL_BUILDS = "BUILDS";
    static final String SK_VALUE = "BUILD";
    private static final String CHANGED_PATHS = "changedPaths";

    private BuildItems() {
    }

    public static String pk(String buildId) {
        return "BUILD#" + buildId;
    }

    public static Map<String, AttributeValue> key(String buildId) {
        return StateItems.key(pk(buildId), SK_VALUE);
    }

    /** The gsi2 partition of one branch's builds. */
    public static String branchPartition(String repo, String branch) {
        return "BRANCH#" + repo + "#" + branch;
    }

    public static Map<String, AttributeValue> toItem(Build build) {
        var item = StateItems.item(pk(build.id()), SK_VALUE, EntityType.BUILD, build.version(), build.updatedAt(),
                build.lastActor());
        String newestFirst = StateItems.sortable(build.createdAt()) + "#" + build.id();
        item.put(StateItems.GSI1_PK, s(ALL_BUILDS));
        item.put(StateItems.GSI1_SK, s(newestFirst));
        if (build.branch() != null) {
            item.put(StateItems.GSI2_PK, s(branchPartition(build.repo(), build.branch())));
            item.put(StateItems.GSI2_SK, s(newestFirst));
        }
        item.put("id", s(build.id()));
        item.put("repo", s(build.repo()));
        item.put("cloneUrl", s(build.cloneUrl()));
        putString(item, "branch", build.branch());
        putString(item, "tag", build.tag());
        item.put("commit", s(build.commit()));
        putString(item, "message", build.message());
        putString(item, "author", build.author());
        putString(item, "pusher", build.pusher());
        item.put("source", s(build.source().wireName()));
        putInteger(item, "pullRequestNumber", build.pullRequestNumber());
        item.put("state", s(build.state().name()));
        putInstant(item, "createdAt", build.createdAt());
        putInstant(item, "startedAt", build.startedAt());
        putInstant(item, "finishedAt", build.finishedAt());
        putInteger(item, "pipelineSteps", build.pipelineSteps());
        build.changedPaths().paths().ifPresent(paths -> item.put(CHANGED_PATHS, stringList(paths)));
        return item;
    }

    public static Build fromItem(Map<String, AttributeValue> item) {
        return new Build(
                string(item, "id"),
                string(item, "repo"),
                string(item, "cloneUrl"),
                nullableString(item, "branch"),
                nullableString(item, "tag"),
                string(item, "commit"),
                nullableString(item, "message"),
                nullableString(item, "author"),
                nullableString(item, "pusher"),
                BuildSource.fromWireName(string(item, "source")),
                nullableInteger(item, "pullRequestNumber"),
                BuildState.valueOf(string(item, "state")),
                Attributes.instant(item, "createdAt"),
                nullableInstant(item, "startedAt"),
                nullableInstant(item, "finishedAt"),
                nullableInteger(item, "pipelineSteps"),
                item.containsKey(CHANGED_PATHS) ? new ChangedPaths(Optional.of(stringList(item, CHANGED_PATHS)))
                        : ChangedPaths.UNKNOWN,
                number(item, StateItems.VERSION),
                Attributes.instant(item, StateItems.UPDATED_AT),
                string(item, StateItems.LAST_ACTOR));
    }
}

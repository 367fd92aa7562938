package io.hybridci.core.github;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * The repository a webhook is about, as the normalized events carry it.
 *
 * @param fullName {@code owner/name}
 * @param cloneUrl the HTTPS clone URL agents use
 * @param htmlUrl the repository's page
 * @param defaultBranch e.g. {@code main}
 * @param isPrivate whether the repository is private (JSON {@code private})
 */
public record GithubRepository(String fullName, String cloneUrl, String htmlUrl, String defaultBranch,
                               boolean isPrivate) {

    public GithubRepository {
        Objects.requireNonNull(fullName, "fullName");
        Objects.requireNonNull(cloneUrl, "cloneUrl");
        Objects.requireNonNull(htmlUrl, "htmlUrl");
        Objects.requireNonNull(defaultBranch, "defaultBranch");
    }

    ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("fullName", fullName);
        json.put("cloneUrl", cloneUrl);
        json.put("htmlUrl", htmlUrl);
        json.put("defaultBranch", defaultBranch);
        json.put("private", isPrivate);
        return json;
    }

    /** Reads what {@link #toJson()} wrote; problems go to the reader. */
    static GithubRepository read(PayloadReader json) {
        return new GithubRepository(json.text("fullName"), json.text("cloneUrl"), json.text("htmlUrl"),
                json.text("defaultBranch"), json.bool("private"));
    }
}

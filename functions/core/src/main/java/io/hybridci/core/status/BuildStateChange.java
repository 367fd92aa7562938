package io.hybridci.core.status;

import com.fasterxml.jackson.databind.JsonNode;
import io.hybridci.core.build.BuildState;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The fields of a {@code Build State Changed} detail (events-schema {@code build-state-changed} v1)
 * that reporting needs.
 *
 * @param buildId the build
 * @param repo    {@code owner/name}
 * @param commit  the 40-hex SHA the status goes on
 * @param to      the state the build moved to
 */
public record BuildStateChange(String buildId, String repo, String commit, BuildState to) {

    public BuildStateChange {
        Objects.requireNonNull(buildId, "buildId");
        Objects.requireNonNull(repo, "repo");
        Objects.requireNonNull(commit, "commit");
        Objects.requireNonNull(to, "to");
    }

    /**
     * Reads a (schema-valid) detail.
     *
     * @throws IllegalArgumentException naming every missing field
     */
    public static BuildStateChange fromJson(JsonNode detail) {
        List<String> missing = new ArrayList<>();
        String buildId = DetailFields.text(detail, "buildId", missing);
        String repo = DetailFields.text(detail, "repo", missing);
        String commit = DetailFields.text(detail, "commit", missing);
        String to = DetailFields.text(detail, "to", missing);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("Build State Changed detail is missing " + String.join(", ", missing));
        }
        return new BuildStateChange(buildId, repo, commit, BuildState.valueOf(to));
    }
}

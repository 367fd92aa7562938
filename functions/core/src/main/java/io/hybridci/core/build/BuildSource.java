package io.hybridci.core.build;

/** What started a build. {@link #wireName()} is the value in events and the API. */
public enum BuildSource {
    /** A GitHub {@code push} webhook. */
    PUSH("push"),
    /** A GitHub {@code pull_request} webhook. */
    PULL_REQUEST("pull_request"),
    /** A person, through the API or the CLI. */
    MANUAL("manual");

    private final String wireName;

    BuildSource(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The source named {@code wireName}, e.g. {@code "pull_request"}. */
    public static BuildSource fromWireName(String wireName) {
        for (BuildSource source : values()) {
            if (source.wireName.equals(wireName)) {
                return source;
            }
        }
        throw new IllegalArgumentException("unknown build source: " + wireName);
    }
}

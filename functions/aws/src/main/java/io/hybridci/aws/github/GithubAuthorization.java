package io.hybridci.aws.github;

/** The {@code Authorization} header value for GitHub's REST API; implementations cache what they can. */
public interface GithubAuthorization {

    /** e.g. {@code Bearer ghs_...}; never logged. */
    String header();

    /** GitHub answered 401: forget cached credentials, so the next {@link #header()} fetches fresh ones. */
    void invalidate();

    /** A fixed token (a fine-grained personal access token). */
    static GithubAuthorization token(String token) {
        return new GithubAuthorization() {
            @Override
            public String header() {
                return "Bearer " + token;
            }

            @Override
            public void invalidate() {
                // Nothing cached: a revoked token stays revoked until the secret changes.
            }

            @Override
            public String toString() {
                return "token[redacted]";
            }
        };
    }
}

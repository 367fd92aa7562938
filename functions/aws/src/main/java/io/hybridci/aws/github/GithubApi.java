package io.hybridci.aws.github;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;

/** What every request to GitHub's REST API carries (https://docs.github.com/en/rest/using-the-rest-api). */
final class GithubApi {

    static final String ACCEPT = "application/vnd.github+json";
    static final String API_VERSION = "2022-11-28";
    static final String USER_AGENT = "hybridci";
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private GithubApi() {
    }

    /** {@code base} + {@code path}, where base may be {@code https://HOST/api/v3} with or without a trailing slash. */
    static URI resolve(URI base, String path) {
        String root = base.toString();
        return URI.create((root.endsWith("/") ? root.substring(0, root.length() - 1) : root) + path);
    }

    static HttpRequest.Builder request(URI uri, String authorization) {
        return HttpRequest.newBuilder(uri)
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", ACCEPT)
                .header("X-GitHub-Api-Version", API_VERSION)
                .header("User-Agent", USER_AGENT)
                .header("Authorization", authorization);
    }
}

package io.hybridci.aws.github;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hybridci.core.port.CommitStatusReporter;
import io.hybridci.core.status.CommitStatus;
import io.hybridci.core.status.StatusReportException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@link CommitStatusReporter} on GitHub's REST API with {@code java.net.http} (no extra HTTP library
 * in the function jar): {@code POST {base}/repos/{owner}/{repo}/statuses/{sha}}. The base is
 * {@code https://api.github.com} or a GitHub Enterprise Server's {@code https://HOST/api/v3}.
 *
 * <p>Rate limits, as GitHub documents them
 * (https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api):
 * after a 403/429 wait {@code Retry-After} seconds if given; else, with
 * {@code X-RateLimit-Remaining: 0}, until {@code X-RateLimit-Reset}; else (secondary limit without
 * headers) a minute. A wait longer than {@code maxWait} is not slept inside the Lambda: it throws, and
 * EventBridge's asynchronous retry comes back later. After a success that used the last request of
 * the window, the next call waits for the reset instead of spending a request on a sure 403.
 * 5xx and I/O errors are retried with exponential back-off; 401 once after fresh credentials.
 */
public final class GithubCommitStatusReporter implements CommitStatusReporter {

    public static final int MAX_ATTEMPTS = 4;
    /** Leaves room in github-status's 30 s timeout for the call itself. */
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(20);
    public static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(1);
    /** GitHub: "If no retry-after header is present, wait at least one minute" (secondary limits). */
    private static final Duration SECONDARY_LIMIT_WAIT = Duration.ofMinutes(1);
    private static final Pattern REPO = Pattern.compile("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+");
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");
    private static final System.Logger LOG = System.getLogger(GithubCommitStatusReporter.class.getName());

    private final HttpClient http;
    private final URI apiBase;
    private final GithubAuthorization authorization;
    private final Clock clock;
    private final Pause pause;
    private final Duration maxWait;
    private final Duration backoff;
    private volatile Instant exhaustedUntil;

    public GithubCommitStatusReporter(HttpClient http, URI apiBase, GithubAuthorization authorization, Clock clock,
                                      Pause pause, Duration maxWait, Duration backoff) {
        this.http = Objects.requireNonNull(http, "http");
        this.apiBase = Objects.requireNonNull(apiBase, "apiBase");
        this.authorization = Objects.requireNonNull(authorization, "authorization");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.pause = Objects.requireNonNull(pause, "pause");
        this.maxWait = Objects.requireNonNull(maxWait, "maxWait");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
    }

    /** The reporter github-status runs with: real sleeps, 20 s longest wait, 1 s back-off base. */
    public static GithubCommitStatusReporter standard(HttpClient http, URI apiBase, GithubAuthorization authorization) {
        return new GithubCommitStatusReporter(http, apiBase, authorization, Clock.systemUTC(), Pause.threadSleep(),
                DEFAULT_MAX_WAIT, DEFAULT_BACKOFF);
    }

    /** One HTTP client per container, with a connect timeout (no hidden defaults). */
    public static HttpClient httpClient() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public void report(String repo, String commit, CommitStatus status) {
        // Both go into the URL path: refuse anything that could reach another endpoint.
        if (!REPO.matcher(repo).matches() || !SHA.matcher(commit).matches()) {
            throw new StatusReportException("not a repository and commit: " + repo + " " + commit, false);
        }
        URI uri = GithubApi.resolve(apiBase, "/repos/" + repo + "/statuses/" + commit);
        String body = body(status);
        boolean freshCredentials = false;
        String lastProblem = "no attempt";
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            waitOutExhaustedWindow();
            HttpResponse<String> response;
            try {
                HttpRequest request = GithubApi.request(uri, authorization.header())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                lastProblem = "I/O error: " + e.getMessage();
                backOff(attempt);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StatusReportException("interrupted while setting a status on " + repo, true, e);
            }
            rememberExhaustedWindow(response);
            int code = response.statusCode();
            if (code >= 200 && code < 300) {
                return;
            }
            lastProblem = "HTTP " + code;
            if (code == 401 && !freshCredentials) {
                authorization.invalidate();
                freshCredentials = true;
                continue;
            }
            if (code == 403 || code == 429) {
                Optional<Duration> wait = rateLimitWait(response);
                if (wait.isPresent()) {
                    waitOrGiveUp(wait.get(), repo);
                    exhaustedUntil = null; // waited for exactly that window already
                    continue;
                }
                throw new StatusReportException("GitHub refused the status on " + repo + " (403): the credentials "
                        + "need \"Commit statuses: read and write\" on it. " + message(response), false);
            }
            if (code >= 500) {
                backOff(attempt);
                continue;
            }
            // 401 again, 404 (no such repository for these credentials), 422 (no such commit, bad field).
            throw new StatusReportException("GitHub refused the status on " + repo + "@" + commit + " (" + code + "): "
                    + message(response), code == 401);
        }
        throw new StatusReportException("GitHub did not take the status on " + repo + "@" + commit + " after "
                + MAX_ATTEMPTS + " attempts; last: " + lastProblem, true);
    }

    static String body(CommitStatus status) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("state", status.state().apiValue());
        if (status.targetUrl() != null) {
            json.put("target_url", status.targetUrl());
        }
        json.put("description", status.description());
        json.put("context", status.context());
        return json.toString();
    }

    private Optional<Duration> rateLimitWait(HttpResponse<String> response) {
        Optional<String> retryAfter = response.headers().firstValue("Retry-After");
        if (retryAfter.isPresent()) {
            try {
                return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(retryAfter.get().trim()))));
            } catch (NumberFormatException httpDate) {
                return Optional.of(SECONDARY_LIMIT_WAIT);
            }
        }
        Optional<Instant> reset = exhaustedWindowEnd(response);
        if (reset.isPresent()) {
            return Optional.of(positive(Duration.between(clock.instant(), reset.get())));
        }
        // 429 is always a limit; a 403 mentioning one is a secondary limit without headers.
        if (response.statusCode() == 429 || response.body().toLowerCase(java.util.Locale.ROOT).contains("rate limit")) {
            return Optional.of(SECONDARY_LIMIT_WAIT);
        }
        return Optional.empty();
    }

    private static Optional<Instant> exhaustedWindowEnd(HttpResponse<String> response) {
        Optional<String> remaining = response.headers().firstValue("X-RateLimit-Remaining");
        Optional<String> reset = response.headers().firstValue("X-RateLimit-Reset");
        if (remaining.isEmpty() || reset.isEmpty() || !remaining.get().trim().equals("0")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.ofEpochSecond(Long.parseLong(reset.get().trim())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private void rememberExhaustedWindow(HttpResponse<String> response) {
        exhaustedWindowEnd(response).ifPresent(end -> exhaustedUntil = end);
    }

    private void waitOutExhaustedWindow() {
        Instant until = exhaustedUntil;
        if (until != null && clock.instant().isBefore(until)) {
            waitOrGiveUp(Duration.between(clock.instant(), until), "GitHub");
        }
        exhaustedUntil = null;
    }

    private void waitOrGiveUp(Duration wait, String repo) {
        if (wait.compareTo(maxWait) > 0) {
            throw new StatusReportException("GitHub rate limit on " + repo + ": next call allowed in "
                    + wait.toSeconds() + " s, longer than this function waits; the event is retried", true);
        }
        LOG.log(System.Logger.Level.INFO, "GitHub rate limit: waiting {0} ms", wait.toMillis());
        pause.sleep(wait);
    }

    private void backOff(int attempt) {
        if (attempt < MAX_ATTEMPTS) {
            pause.sleep(backoff.multipliedBy(1L << (attempt - 1)));
        }
    }

    private static Duration positive(Duration duration) {
        return duration.isNegative() ? Duration.ZERO : duration;
    }

    /** GitHub's {@code message} field (never contains our credentials), cut short. */
    private static String message(HttpResponse<String> response) {
        String body = response.body() == null ? "" : response.body();
        return body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }

    @Override
    public String toString() {
        return "GithubCommitStatusReporter[" + apiBase + "]";
    }
}

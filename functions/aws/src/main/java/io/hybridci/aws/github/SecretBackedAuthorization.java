package io.hybridci.aws.github;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Authorization from the {@code hybridci/github-token} secret, re-read at most every {@link #DEFAULT_TTL}
 * (and at once after a 401), so an updated token or a switch to a GitHub App is picked up by warm
 * functions without a deploy. The delegate (and so a cached installation token) is kept while the
 * secret value stays the same.
 */
public final class SecretBackedAuthorization implements GithubAuthorization {

    public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);

    private final Supplier<String> readSecret;
    private final Function<GithubCredentials, GithubAuthorization> authorizationFor;
    private final Clock clock;
    private final Duration ttl;
    private String secretValue;
    private Instant readAt;
    private GithubAuthorization delegate;

    public SecretBackedAuthorization(Supplier<String> readSecret,
                                     Function<GithubCredentials, GithubAuthorization> authorizationFor,
                                     Clock clock, Duration ttl) {
        this.readSecret = Objects.requireNonNull(readSecret, "readSecret");
        this.authorizationFor = Objects.requireNonNull(authorizationFor, "authorizationFor");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
    }

    @Override
    public synchronized String header() {
        Instant now = clock.instant();
        if (readAt == null || !now.isBefore(readAt.plus(ttl))) {
            String value = readSecret.get();
            if (delegate == null || !value.equals(secretValue)) {
                delegate = authorizationFor.apply(GithubCredentials.parse(value));
                secretValue = value;
            }
            readAt = now;
        }
        return delegate.header();
    }

    @Override
    public synchronized void invalidate() {
        if (delegate != null) {
            delegate.invalidate();
        }
        readAt = null;
    }

    @Override
    public String toString() {
        return "SecretBackedAuthorization[" + delegate + "]";
    }
}

package io.hybridci.core.policy;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The {@code [skip ci]} convention GitHub Actions, GitLab and Buildkite share: a head commit whose
 * message contains {@code [skip ci]} or {@code [ci skip]} (any case, anywhere) builds nothing.
 */
public final class SkipCi {

    private static final Pattern MARKER = Pattern.compile("\\[(skip ci|ci skip)]");

    private SkipCi() {
    }

    /** Whether {@code commitMessage} asks not to build; null (no head commit) never does. */
    public static boolean requested(String commitMessage) {
        return commitMessage != null && MARKER.matcher(commitMessage.toLowerCase(Locale.ROOT)).find();
    }
}

package io.hybridci.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Checks a commit out into an empty directory with the git command line, so every URL git can
 * fetch works (https, ssh with the agent's keys, {@code file://}, a plain local path) and the
 * credentials stay git's business.
 *
 * <p>{@code git init} + {@code git fetch --depth 1 URL SHA} fetches one commit without history;
 * servers that refuse a fetch by SHA (older ones without {@code uploadpack.allowReachableSHA1InWant})
 * get a full fetch of branches and tags instead. Every git line goes to the job's log.
 */
public final class GitCheckout {

    /** A failed step of the checkout; the message is a line a person can act on. */
    public static final class CheckoutFailed extends Exception {
        public CheckoutFailed(String message) {
            super(message);
        }
    }

    /** Where git's output goes, one line at a time. */
    @FunctionalInterface
    public interface Output {
        void line(String line) throws InterruptedException;
    }

    private static final long GIT_TIMEOUT_MINUTES = 30;

    private GitCheckout() {
    }

    /** Checks {@code commit} of {@code url} out into {@code dir} (created if missing, expected empty). */
    public static void checkout(String url, String commit, Path dir, Output output)
            throws CheckoutFailed, InterruptedException {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(commit, "commit");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CheckoutFailed("cannot create the work directory " + dir + ": " + e.getMessage());
        }
        output.line("$ git fetch --depth 1 " + redact(url) + " " + commit);
        run(dir, output, "git", "init", "--quiet");
        if (run(dir, output, "git", "fetch", "--quiet", "--no-tags", "--depth", "1", url, commit) != 0) {
            output.line("fetching the commit alone failed; fetching every branch and tag instead");
            int full = run(dir, output, "git", "fetch", "--quiet", "--tags", url, "+refs/heads/*:refs/remotes/origin/*");
            if (full != 0) {
                throw new CheckoutFailed("git could not fetch " + redact(url) + " (exit status " + full + ")");
            }
            if (run(dir, output, "git", "checkout", "--quiet", "--detach", commit) != 0) {
                throw new CheckoutFailed("commit " + commit + " is not in " + redact(url));
            }
        } else if (run(dir, output, "git", "checkout", "--quiet", "--detach", "FETCH_HEAD") != 0) {
            throw new CheckoutFailed("git could not check out " + commit);
        }
        output.line("checked out " + commit);
    }

    /** The URL without a password or token in its user part ({@code https://x-access-token:…@host/…}). */
    static String redact(String url) {
        return url.replaceFirst("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@]*@", "$1***@");
    }

    private static int run(Path dir, Output output, String... command) throws CheckoutFailed, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().remove(Main.TOKEN_ENV);
        // Never stop to ask for a password: an agent has no one to answer.
        builder.environment().put("GIT_TERMINAL_PROMPT", "0");
        // Commits made by jobs in the checkout need an identity; a fresh CI box has none.
        builder.environment().putIfAbsent("GIT_AUTHOR_NAME", "hybridci");
        builder.environment().putIfAbsent("GIT_AUTHOR_EMAIL", "agent@hybridci.invalid");
        builder.environment().putIfAbsent("GIT_COMMITTER_NAME", "hybridci");
        builder.environment().putIfAbsent("GIT_COMMITTER_EMAIL", "agent@hybridci.invalid");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new CheckoutFailed("cannot run git (is it installed and on PATH?): " + e.getMessage());
        }
        List<String> lines = new ArrayList<>();
        try (InputStream in = process.getInputStream()) {
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
        } catch (IOException e) {
            lines.add("(reading git's output failed: " + e.getMessage() + ")");
        }
        if (!process.waitFor(GIT_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new CheckoutFailed(String.join(" ", command) + " did not finish in " + GIT_TIMEOUT_MINUTES + " minutes");
        }
        for (String line : lines) {
            output.line(line);
        }
        return process.exitValue();
    }
}

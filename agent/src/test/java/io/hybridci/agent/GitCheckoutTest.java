package io.hybridci.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GitCheckoutTest {

    @TempDir
    Path temp;

    private final List<String> lines = new ArrayList<>();

    static String git(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@example.com",
                "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", args) + ": " + out);
        }
        return out.strip();
    }

    /** A repository with two commits; returns their SHAs, oldest first. */
    private List<String> repositoryWithTwoCommits(Path repo) throws Exception {
        Files.createDirectories(repo);
        git(repo, "init", "-q");
        Files.writeString(repo.resolve("file.txt"), "first\n");
        git(repo, "add", "file.txt");
        git(repo, "commit", "-q", "-m", "first");
        String first = git(repo, "rev-parse", "HEAD");
        Files.writeString(repo.resolve("file.txt"), "second\n");
        git(repo, "commit", "-q", "-am", "second");
        return List.of(first, git(repo, "rev-parse", "HEAD"));
    }

    @Test
    void shouldCheckOutTheExactCommit_whenTheUrlIsALocalPath() throws Exception {
        Path repo = temp.resolve("repo");
        List<String> shas = repositoryWithTwoCommits(repo);
        Path work = temp.resolve("work");

        GitCheckout.checkout(repo.toString(), shas.get(0), work, lines::add);

        assertEquals("first\n", Files.readString(work.resolve("file.txt")));
        assertEquals(shas.get(0), git(work, "rev-parse", "HEAD"));
        assertTrue(lines.getLast().contains("checked out " + shas.get(0)));
    }

    @Test
    void shouldCheckOutTheCommit_whenTheUrlIsAFileUrl() throws Exception {
        Path repo = temp.resolve("repo");
        List<String> shas = repositoryWithTwoCommits(repo);
        Path work = temp.resolve("work");

        GitCheckout.checkout(repo.toUri().toString(), shas.get(1), work, lines::add);

        assertEquals("second\n", Files.readString(work.resolve("file.txt")));
        assertEquals(shas.get(1), git(work, "rev-parse", "HEAD"));
    }

    @Test
    void shouldFailWithAReadableMessage_whenTheRepositoryDoesNotExist() {
        Path missing = temp.resolve("no-such-repo");

        GitCheckout.CheckoutFailed e = assertThrows(GitCheckout.CheckoutFailed.class,
                () -> GitCheckout.checkout(missing.toString(), "0".repeat(40), temp.resolve("work"), lines::add));

        assertTrue(e.getMessage().startsWith("git could not fetch " + missing), e.getMessage());
        assertTrue(lines.stream().anyMatch(l -> l.contains("does not appear to be a git repository")), lines.toString());
    }

    @Test
    void shouldFailWithAReadableMessage_whenTheCommitIsNotInTheRepository() throws Exception {
        Path repo = temp.resolve("repo");
        repositoryWithTwoCommits(repo);

        GitCheckout.CheckoutFailed e = assertThrows(GitCheckout.CheckoutFailed.class,
                () -> GitCheckout.checkout(repo.toString(), "1".repeat(40), temp.resolve("work"), lines::add));

        assertEquals("commit " + "1".repeat(40) + " is not in " + repo, e.getMessage());
    }

    @Test
    void shouldHideCredentials_whenAUrlIsLogged() {
        assertEquals("https://***@github.com/o/r.git", GitCheckout.redact("https://x-access-token:ghs_secret@github.com/o/r.git"));
        assertEquals("/srv/git/repo", GitCheckout.redact("/srv/git/repo"));
        assertFalse(GitCheckout.redact("ssh://git:pw@host/r").contains("pw"));
    }
}

package io.hybridci.agent;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentOptionsTest {

    private static AgentOptions parse(String... args) throws AgentOptions.UsageException {
        return AgentOptions.parse(List.of(args), Map.of(), "box-1");
    }

    @Test
    void shouldReadEveryOption_whenAllAreGiven() throws Exception {
        AgentOptions options = parse("--url", "http://127.0.0.1:8080/", "--token", "hcr_abc", "--queue", "linux",
                "--queue", "arm", "--name", "builder", "--work-dir", "/tmp/w", "--spawn", "3", "--cancel-grace=4");

        assertEquals(URI.create("http://127.0.0.1:8080"), options.controlPlane());
        assertEquals("hcr_abc", options.registrationToken().reveal());
        assertEquals(List.of("linux", "arm"), options.queues());
        assertEquals("builder", options.name());
        assertEquals(Path.of("/tmp/w"), options.workDir());
        assertEquals(3, options.spawn());
        assertEquals(Duration.ofSeconds(4), options.cancelGrace());
        assertEquals("builder-2", options.workerName(1));
    }

    @Test
    void shouldUseDefaults_whenOnlyUrlAndTokenAreGiven() throws Exception {
        AgentOptions options = parse("--url", "http://localhost:1", "--token", "hcr_x");

        assertEquals(List.of("default"), options.queues());
        assertEquals("box-1", options.name());
        assertEquals("box-1", options.workerName(0));
        assertEquals(1, options.spawn());
        assertEquals(AgentOptions.DEFAULT_CANCEL_GRACE, options.cancelGrace());
    }

    @Test
    void shouldTakeTheTokenFromTheEnvironment_whenNoTokenArgumentIsGiven() throws Exception {
        AgentOptions options = AgentOptions.parse(List.of("--url", "http://h"), Map.of(Main.TOKEN_ENV, "hcr_env"), "h");

        assertEquals("hcr_env", options.registrationToken().reveal());
    }

    @Test
    void shouldNeverShowTheToken_whenOptionsArePrinted() throws Exception {
        assertFalse(parse("--url", "http://h", "--token", "hcr_secretvalue").toString().contains("secretvalue"));
    }

    @Test
    void shouldNameTheProblem_whenArgumentsAreWrong() {
        assertMessage("--url is required", "--token", "hcr_x");
        assertMessage("--token is required", "--url", "http://h");
        assertMessage("--spawn must be between 1 and 64", "--url", "http://h", "--token", "t", "--spawn", "0");
        assertMessage("--spawn must be a whole number", "--url", "http://h", "--token", "t", "--spawn", "two");
        assertMessage("must be an http:// or https:// URL", "--url", "ftp://h", "--token", "t");
        assertMessage("is not a queue name", "--url", "http://h", "--token", "t", "--queue", "Bad Queue");
        assertMessage("unknown argument '--colour'", "--url", "http://h", "--token", "t", "--colour", "red");
        assertMessage("--queue needs a value", "--url", "http://h", "--token", "t", "--queue");
    }

    private static void assertMessage(String expected, String... args) {
        AgentOptions.UsageException e = assertThrows(AgentOptions.UsageException.class, () -> parse(args));
        assertTrue(e.getMessage().contains(expected), () -> "message was: " + e.getMessage());
    }
}

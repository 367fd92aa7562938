package io.hybridci.core.agentapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hybridci.core.agentadmin.AgentAdmin;
import io.hybridci.core.agentadmin.RegistrationTokenAdmin;
import io.hybridci.core.agentadmin.NewRegistrationToken;
import io.hybridci.core.port.inmemory.InMemoryAgentRepository;
import io.hybridci.core.port.inmemory.InMemoryBuildRepository;
import io.hybridci.core.port.inmemory.InMemoryCredentialStore;
import io.hybridci.core.port.inmemory.InMemoryJobRepository;
import io.hybridci.core.port.inmemory.RecordingEventPublisher;
import io.hybridci.core.rotation.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Session tokens: expiry, renewal at 75 %, the overlap of the old token, revocation and re-registration. */
class SessionLifecycleTest {

    private static final Duration LIFETIME = Duration.ofHours(24);

    private final MovableClock clock = new MovableClock(Instant.parse("2025-05-01T08:00:00Z"));
    private final InMemoryCredentialStore credentials = new InMemoryCredentialStore();
    private final InMemoryAgentRepository agents = new InMemoryAgentRepository();
    private final InMemoryJobRepository jobs = new InMemoryJobRepository();
    private final AgentApi api = new AgentApi(agents, jobs, new InMemoryBuildRepository(), credentials,
            new RecordingEventPublisher(), new AgentApiSettings(LIFETIME, 10, 20, Map.of("default", "http://q/jobs-default"),
            "http://q/agent-updates.fifo", "us-east-1", null), clock);
    private final RegistrationTokenAdmin tokenAdmin = new RegistrationTokenAdmin(credentials, credentials,
            Set.of("default"), clock);

    private String newRegistrationToken() {
        var created = (RegistrationTokenAdmin.Creation.Created) tokenAdmin.create(
                new NewRegistrationToken("test", List.of(), null));
        return created.token().value().reveal();
    }

    private Registration.Registered register(String registrationToken) {
        return assertInstanceOf(Registration.Registered.class, api.register(registrationToken,
                new RegisterRequest("box", List.of("default"), "0.1.0", "box", "linux", "amd64")));
    }

    private Optional<Directive.Session> renewal(List<Directive> directives) {
        return directives.stream().filter(Directive.Session.class::isInstance).map(Directive.Session.class::cast).findFirst();
    }

    @Test
    void shouldRenewOnlyPastThreeQuarters_whenPinging() {
        String token = register(newRegistrationToken()).session().sessionToken().reveal();

        clock.advance(Duration.ofHours(17));
        assertEquals(Optional.empty(), renewal(api.ping(api.authenticate(token).orElseThrow(), Optional.empty())));
        clock.advance(Duration.ofHours(1));
        assertTrue(renewal(api.ping(api.authenticate(token).orElseThrow(), Optional.empty())).isPresent());
    }

    @Test
    void shouldKeepTheOldTokenForTheOverlapOnly_whenTheSessionWasRenewed() {
        String old = register(newRegistrationToken()).session().sessionToken().reveal();
        clock.advance(Duration.ofHours(18));
        String renewed = renewal(api.ping(api.authenticate(old).orElseThrow(), Optional.empty())).orElseThrow()
                .session().sessionToken().reveal();

        clock.advance(AgentApi.SESSION_OVERLAP.minusSeconds(1));
        assertTrue(api.authenticate(old).isPresent(), "the old token works during the overlap");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Optional.empty(), api.authenticate(old), "the old token is refused after the overlap");
        assertTrue(api.authenticate(renewed).isPresent());
    }

    @Test
    void shouldRefuseTheToken_whenTheSessionExpired() {
        String token = register(newRegistrationToken()).session().sessionToken().reveal();

        clock.advance(LIFETIME);

        assertEquals(Optional.empty(), api.authenticate(token));
    }

    @Test
    void shouldRefuseTheSessionButLetTheAgentRegisterAgain_whenAnAdminRemovedIt() {
        String registrationToken = newRegistrationToken();
        Registration.Registered first = register(registrationToken);
        AgentAdmin admin = new AgentAdmin(agents, jobs, credentials, clock);

        admin.remove(first.agent().id(), "user:admin");

        assertEquals(Optional.empty(), api.authenticate(first.session().sessionToken().reveal()));
        Registration.Registered again = register(registrationToken);
        assertTrue(api.authenticate(again.session().sessionToken().reveal()).isPresent());
    }

    @Test
    void shouldRefuseRegistration_whenTheRegistrationTokenIsRevokedOrExpired() {
        String revoked = newRegistrationToken();
        String revokedId = tokenAdmin.list(10, Optional.empty()).items().getFirst().id();
        tokenAdmin.revoke(revokedId);
        var expiring = (RegistrationTokenAdmin.Creation.Created) tokenAdmin.create(
                new NewRegistrationToken("short", List.of(), clock.instant().plusSeconds(60)));
        clock.advance(Duration.ofSeconds(60));

        RegisterRequest request = new RegisterRequest("box", List.of("default"), "0.1.0", "box", "linux", "amd64");
        assertInstanceOf(Registration.Unauthorized.class, api.register(revoked, request));
        assertInstanceOf(Registration.Unauthorized.class, api.register(expiring.token().value().reveal(), request));
    }
}

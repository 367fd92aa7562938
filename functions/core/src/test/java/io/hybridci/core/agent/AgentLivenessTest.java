package io.hybridci.core.agent;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.hybridci.core.agent.AgentTransitionsTest.T0;
import static io.hybridci.core.agent.AgentTransitionsTest.agent;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentLivenessTest {

    @Test
    void shouldBeLost_whenSilentLongerThanTheThreshold() {
        assertTrue(AgentLiveness.isLost(agent(AgentState.CONNECTED), T0.plus(Duration.ofMinutes(3)).plusMillis(1)));
        assertTrue(AgentLiveness.isLost(agent(AgentState.DRAINING), T0.plusSeconds(11), Duration.ofSeconds(10)));
    }

    @Test
    void shouldNotBeLost_whenSilentExactlyTheThresholdOrLess() {
        assertFalse(AgentLiveness.isLost(agent(AgentState.CONNECTED), T0.plus(AgentLiveness.DEFAULT_THRESHOLD)));
        assertFalse(AgentLiveness.isLost(agent(AgentState.PAUSED), T0.plusSeconds(60)));
    }

    @Test
    void shouldNotBeLostAgain_whenAlreadyLostOrDisconnected() {
        assertFalse(AgentLiveness.isLost(agent(AgentState.LOST), T0.plus(Duration.ofDays(1))));
        assertFalse(AgentLiveness.isLost(agent(AgentState.DISCONNECTED), T0.plus(Duration.ofDays(1))));
    }
}

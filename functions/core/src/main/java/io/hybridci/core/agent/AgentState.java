package io.hybridci.core.agent;

/**
 * Where an agent is. Each constant says who moves an agent out of it; the edge table is
 * {@link AgentTransitions#allowed()}.
 */
public enum AgentState {
    /**
     * Registered and heart-beating; idle or busy ({@code currentJobId}). Moved by the api on the
     * agent's or a user's {@code pause} (→ PAUSED), {@code drain} (→ DRAINING), {@code disconnect}
     * (→ DISCONNECTED), and by the reaper when its pings stop (→ LOST).
     */
    CONNECTED,
    /**
     * Heart-beating but taking no new jobs (it finishes its current one). Moved by the api on
     * {@code resume} (→ CONNECTED), {@code drain} or {@code disconnect}, or by the reaper (→ LOST).
     */
    PAUSED,
    /**
     * Finishing its current job, then disconnecting (e.g. before its host shuts down). Moved by the
     * api on {@code disconnect} (→ DISCONNECTED), or by the reaper (→ LOST).
     */
    DRAINING,
    /**
     * Its pings stopped for longer than {@link AgentLiveness#DEFAULT_THRESHOLD}; its job was failed
     * with {@code agent_lost}. Moved by the api when it pings again ({@code Reconnect} → CONNECTED),
     * or on {@code disconnect} (→ DISCONNECTED).
     */
    LOST,
    /** Terminal: gone for good; a returning agent registers again and gets a new id. */
    DISCONNECTED;

    /** Whether the agent is expected to ping (the reaper checks only these for liveness). */
    public boolean isHeartbeating() {
        return switch (this) {
            case CONNECTED, PAUSED, DRAINING -> true;
            case LOST, DISCONNECTED -> false;
        };
    }

    public boolean isTerminal() {
        return this == DISCONNECTED;
    }
}

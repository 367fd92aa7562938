package io.hybridci.core.job;

/**
 * Which of an agent queue's two SQS queues a job is dispatched to (docs/agent-protocol.md, "Priorities").
 * SQS standard queues have no priority, so a job's integer {@code priority} is folded into two bands:
 * {@code jobs-<queue>-high} for priority above 0, {@code jobs-<queue>} for the rest. Agents take from the
 * high queue first. Within a band there is no order beyond SQS's best effort (roughly first in, first out),
 * so priorities 1 and 100 are the same band: a band, not a total order.
 */
public enum PriorityBand {
    /** Priority 0 or below: the agent queue's ordinary {@code jobs-<queue>}. */
    NORMAL,
    /** Priority above 0: {@code jobs-<queue>-high}, polled first. */
    HIGH;

    /** The band of a job of this priority. */
    public static PriorityBand of(int priority) {
        return priority > 0 ? HIGH : NORMAL;
    }
}

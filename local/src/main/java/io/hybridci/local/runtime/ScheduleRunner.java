package io.hybridci.local.runtime;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import org.joda.time.DateTime;
import org.joda.time.DateTimeZone;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * EventBridge scheduled rules for the local cloud: each schedule invokes its function with a real
 * {@link ScheduledEvent} ({@code source: aws.events}, {@code detail-type: Scheduled Event}, the rule ARN in
 * {@code resources}, empty {@code detail}) every period of its {@link ScheduleExpression}.
 *
 * <p>Time comes from an injectable {@link InstantSource}: tests move the clock and call {@link #runDue()},
 * with no waiting; {@link #start()} runs the same thing on a virtual thread against the real clock. As with
 * EventBridge, a rate schedule first fires one period after it is created, and a clock that jumps several
 * periods fires once, not once per missed period. A failing invocation is logged and counted; the next one
 * comes at the next period (EventBridge's asynchronous retries are not reproduced).
 */
public final class ScheduleRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduleRunner.class);
    /** Longest sleep of the background loop, so new schedules and clock changes are noticed promptly. */
    private static final Duration MAX_SLEEP = Duration.ofSeconds(1);

    private static final class Schedule {
        final String name;
        final ScheduleExpression expression;
        final LocalFunction<ScheduledEvent, ?> function;
        Instant nextFire;

        Schedule(String name, ScheduleExpression expression, LocalFunction<ScheduledEvent, ?> function, Instant nextFire) {
            this.name = name;
            this.expression = expression;
            this.function = function;
            this.nextFire = nextFire;
        }
    }

    private final InstantSource clock;
    private final String region;
    private final String accountId;
    private final Map<String, Schedule> schedules = new LinkedHashMap<>();
    private volatile boolean running;
    private volatile Thread loop;

    public ScheduleRunner(InstantSource clock, String region, String accountId) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.region = Objects.requireNonNull(region, "region");
        this.accountId = Objects.requireNonNull(accountId, "accountId");
    }

    /**
     * Adds the schedule {@code name} (the rule name) with an expression such as {@code rate(1 minute)}.
     *
     * @throws IllegalArgumentException for an expression the local scheduler cannot run, or a duplicate name
     */
    public synchronized void add(String name, String expression, LocalFunction<ScheduledEvent, ?> function) {
        Objects.requireNonNull(function, "function");
        ScheduleExpression parsed = ScheduleExpression.parse(expression);
        if (schedules.containsKey(name)) throw new IllegalArgumentException("schedule already exists: " + name);
        schedules.put(name, new Schedule(name, parsed, function, clock.instant().plus(parsed.period())));
    }

    /**
     * Invokes every schedule whose time has come, on the calling thread.
     *
     * @return how many invocations were made
     */
    public int runDue() {
        Instant now = clock.instant();
        List<Schedule> due = new ArrayList<>();
        synchronized (this) {
            for (Schedule schedule : schedules.values()) {
                if (!schedule.nextFire.isAfter(now)) {
                    due.add(schedule);
                    // Next period boundary after now: a clock that jumped fires once, not once per missed period.
                    long periods = Duration.between(schedule.nextFire, now).dividedBy(schedule.expression.period()) + 1;
                    schedule.nextFire = schedule.nextFire.plus(schedule.expression.period().multipliedBy(periods));
                }
            }
        }
        due.forEach(schedule -> fire(schedule, now));
        return due.size();
    }

    /** Invokes schedule {@code name} now, whatever its timing (which stays unchanged). */
    public void triggerNow(String name) {
        Schedule schedule;
        synchronized (this) {
            schedule = schedules.get(name);
        }
        if (schedule == null) throw new IllegalArgumentException("no schedule named " + name);
        fire(schedule, clock.instant());
    }

    /** When schedule {@code name} fires next. */
    public synchronized Instant nextFire(String name) {
        Schedule schedule = schedules.get(name);
        if (schedule == null) throw new IllegalArgumentException("no schedule named " + name);
        return schedule.nextFire;
    }

    private void fire(Schedule schedule, Instant at) {
        try {
            schedule.function.invoke(scheduledEvent(schedule.name, at));
        } catch (RuntimeException e) {
            LOG.error("schedule {}: {} failed: {}", schedule.name, schedule.function.name(), e.toString(), e);
        }
    }

    /** The event EventBridge sends for a scheduled rule. */
    ScheduledEvent scheduledEvent(String ruleName, Instant at) {
        return new ScheduledEvent()
                .withVersion("0")
                .withId(UUID.randomUUID().toString())
                .withDetailType("Scheduled Event")
                .withSource("aws.events")
                .withAccount(accountId)
                .withRegion(region)
                // EventBridge stamps whole seconds.
                .withTime(new DateTime(at.getEpochSecond() * 1000, DateTimeZone.UTC))
                .withResources(List.of("arn:aws:events:" + region + ":" + accountId + ":rule/" + ruleName))
                .withDetail(new LinkedHashMap<>());
    }

    /** Runs due schedules on a virtual thread until {@link #close()}. */
    public synchronized ScheduleRunner start() {
        if (loop != null) return this;
        running = true;
        loop = Thread.ofVirtual().name("schedules").start(() -> {
            while (running) {
                runDue();
                try {
                    Thread.sleep(untilNextFire());
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        return this;
    }

    private synchronized Duration untilNextFire() {
        Instant now = clock.instant();
        Duration wait = MAX_SLEEP;
        for (Schedule schedule : schedules.values()) {
            Duration untilThis = Duration.between(now, schedule.nextFire);
            if (untilThis.compareTo(wait) < 0) wait = untilThis;
        }
        return wait.isNegative() ? Duration.ZERO : wait;
    }

    @Override
    public void close() {
        running = false;
        Thread thread = loop;
        if (thread == null) return;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

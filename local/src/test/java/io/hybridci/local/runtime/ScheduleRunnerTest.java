package io.hybridci.local.runtime;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScheduleRunnerTest {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-03-01T10:00:00.250Z"));
    private final InstantSource clock = now::get;
    private final List<ScheduledEvent> received = new CopyOnWriteArrayList<>();
    private final InvocationStats stats = new InvocationStats();
    private final LocalFunction<ScheduledEvent, Void> reaper = new LocalFunction<>(
            LocalFunction.Settings.of("reaper", 512, Duration.ofSeconds(60)),
            (event, context) -> {
                received.add(event);
                return null;
            }, stats);
    private final ScheduleRunner runner = new ScheduleRunner(clock, "us-east-1", "000000000000");

    @Test
    void shouldFireOncePerPeriod_whenClockAdvances() {
        runner.add("reaper-every-minute", "rate(1 minute)", reaper);
        assertEquals(0, runner.runDue());
        now.set(now.get().plusSeconds(59));
        assertEquals(0, runner.runDue());
        now.set(now.get().plusSeconds(1));
        assertEquals(1, runner.runDue());
        assertEquals(0, runner.runDue());
        now.set(now.get().plusSeconds(60));
        assertEquals(1, runner.runDue());
        assertEquals(2, received.size());
        assertEquals(2, stats.of("reaper").invocations());
    }

    @Test
    void shouldFireOnceAndRealign_whenClockJumpsSeveralPeriods() {
        runner.add("reaper-every-minute", "rate(1 minute)", reaper);
        Instant created = now.get();
        now.set(created.plus(Duration.ofMinutes(5)).plusSeconds(10));
        assertEquals(1, runner.runDue());
        assertEquals(created.plus(Duration.ofMinutes(6)), runner.nextFire("reaper-every-minute"));
    }

    @Test
    void shouldSendRealScheduledEvent_whenFired() {
        runner.add("reaper-every-minute", "rate(1 minute)", reaper);
        now.set(now.get().plusSeconds(60));
        runner.runDue();
        ScheduledEvent event = received.getFirst();
        assertEquals("aws.events", event.getSource());
        assertEquals("Scheduled Event", event.getDetailType());
        assertEquals("0", event.getVersion());
        assertEquals(List.of("arn:aws:events:us-east-1:000000000000:rule/reaper-every-minute"), event.getResources());
        assertEquals(Instant.parse("2026-03-01T10:01:00Z").toEpochMilli(), event.getTime().getMillis());
        assertTrue(event.getDetail().isEmpty());
        assertEquals(36, event.getId().length());
    }

    @Test
    void shouldInvokeImmediatelyWithoutShiftingSchedule_whenTriggeredNow() {
        runner.add("reaper-every-minute", "rate(1 minute)", reaper);
        Instant next = runner.nextFire("reaper-every-minute");
        runner.triggerNow("reaper-every-minute");
        assertEquals(1, received.size());
        assertEquals(next, runner.nextFire("reaper-every-minute"));
        assertThrows(IllegalArgumentException.class, () -> runner.triggerNow("nope"));
    }

    @Test
    void shouldKeepSchedulingAndCountError_whenHandlerThrows() {
        LocalFunction<ScheduledEvent, Void> failing = new LocalFunction<>(
                LocalFunction.Settings.of("flaky", 128, Duration.ofSeconds(5)),
                (event, context) -> { throw new IllegalStateException("boom"); }, stats);
        runner.add("flaky", "rate(10 seconds)", failing);
        now.set(now.get().plusSeconds(10));
        assertEquals(1, runner.runDue());
        now.set(now.get().plusSeconds(10));
        assertEquals(1, runner.runDue());
        assertEquals(2, stats.of("flaky").errors());
    }

    @Test
    void shouldRejectUnsupportedCron_whenAdding() {
        var e = assertThrows(IllegalArgumentException.class, () -> runner.add("nightly", "cron(0 3 * * ? *)", reaper));
        assertTrue(e.getMessage().contains("cron(0 3 * * ? *)"));
    }
}

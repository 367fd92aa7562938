package io.hybridci.local.runtime;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScheduleExpressionTest {

    @Test
    void shouldParseRates_whenUnitsFollowAwsSingularPluralRule() {
        assertEquals(Duration.ofMinutes(1), ScheduleExpression.parse("rate(1 minute)").period());
        assertEquals(Duration.ofMinutes(5), ScheduleExpression.parse("rate(5 minutes)").period());
        assertEquals(Duration.ofSeconds(30), ScheduleExpression.parse("rate(30 seconds)").period());
        assertEquals(Duration.ofSeconds(1), ScheduleExpression.parse("rate(1 second)").period());
        assertEquals(Duration.ofHours(2), ScheduleExpression.parse("rate(2 hours)").period());
        assertEquals(Duration.ofDays(1), ScheduleExpression.parse("rate(1 day)").period());
    }

    @Test
    void shouldRejectWrongPlural_whenValueAndUnitDisagree() {
        var e = assertThrows(IllegalArgumentException.class, () -> ScheduleExpression.parse("rate(1 minutes)"));
        assertTrue(e.getMessage().contains("singular"));
        assertThrows(IllegalArgumentException.class, () -> ScheduleExpression.parse("rate(5 minute)"));
        assertThrows(IllegalArgumentException.class, () -> ScheduleExpression.parse("rate(0 minutes)"));
    }

    @Test
    void shouldRunEveryMinuteCron_whenCronIsTrivial() {
        assertEquals(Duration.ofMinutes(1), ScheduleExpression.parse("cron(* * * * ? *)").period());
    }

    @Test
    void shouldRejectCronWithClearMessage_whenCronIsNotTrivial() {
        var e = assertThrows(IllegalArgumentException.class, () -> ScheduleExpression.parse("cron(0 12 * * ? *)"));
        assertTrue(e.getMessage().contains("rate("), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ScheduleExpression.parse("every minute"));
    }
}

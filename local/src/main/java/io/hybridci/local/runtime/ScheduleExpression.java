package io.hybridci.local.runtime;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An EventBridge schedule expression the local scheduler can run: a fixed period.
 *
 * <p>Accepted: {@code rate(N unit)} with unit {@code minute(s)}, {@code hour(s)}, {@code day(s)} as in AWS
 * (singular only for 1, plural otherwise, as EventBridge insists), plus {@code second(s)}, which AWS does not
 * offer but local tests and demos want; and the one trivial cron, {@code cron(* * * * ? *)} (every minute).
 * Every other {@code cron(...)} is rejected with a message rather than run at the wrong times.
 *
 * @see <a href="https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html">Schedule expressions</a>
 */
public record ScheduleExpression(String expression, Duration period) {

    private static final Pattern RATE = Pattern.compile("rate\\((\\d+) (second|minute|hour|day)(s?)\\)");
    private static final Pattern CRON = Pattern.compile("cron\\((.*)\\)");

    /** Parses {@code expression}, or throws {@link IllegalArgumentException} saying what is wrong. */
    public static ScheduleExpression parse(String expression) {
        String trimmed = expression.strip();
        Matcher rate = RATE.matcher(trimmed);
        if (rate.matches()) {
            long value = Long.parseLong(rate.group(1));
            boolean plural = !rate.group(3).isEmpty();
            if (value == 0) throw new IllegalArgumentException("rate value must be positive: " + expression);
            if (value == 1 && plural || value > 1 && !plural) {
                throw new IllegalArgumentException("use the singular unit for 1 and the plural otherwise, e.g. rate(1 minute), rate(5 minutes): "
                        + expression);
            }
            Duration unit = switch (rate.group(2)) {
                case "second" -> Duration.ofSeconds(1);
                case "minute" -> Duration.ofMinutes(1);
                case "hour" -> Duration.ofHours(1);
                default -> Duration.ofDays(1);
            };
            return new ScheduleExpression(trimmed, unit.multipliedBy(value));
        }
        Matcher cron = CRON.matcher(trimmed);
        if (cron.matches()) {
            if (cron.group(1).strip().split("\\s+").length == 6 && cron.group(1).strip().matches("\\*\\s+\\*\\s+\\*\\s+\\*\\s+\\?\\s+\\*")) {
                return new ScheduleExpression(trimmed, Duration.ofMinutes(1));
            }
            throw new IllegalArgumentException("the local scheduler runs rate(...) expressions and cron(* * * * ? *) only; "
                    + "write this schedule as a rate: " + expression);
        }
        throw new IllegalArgumentException("not a schedule expression (rate(...) or cron(...)): " + expression);
    }
}

package io.hybridci.local.runtime;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The {@link Context} a handler sees in the local cloud: the same fields Lambda fills in, with the
 * remaining time counted down from the function's configured timeout, and a {@link LambdaLogger}
 * that writes to the SLF4J logger {@code lambda.<function name>} (the local stand-in for the log group
 * {@code /aws/lambda/<function name>}).
 *
 * @see <a href="https://docs.aws.amazon.com/lambda/latest/dg/java-context.html">Lambda context object in Java</a>
 */
public final class LocalContext implements Context {

    private final String requestId;
    private final LocalFunction.Settings settings;
    private final long deadlineNanos;
    private final LongSupplier nanoTicker;
    private final LambdaLogger logger;

    LocalContext(String requestId, LocalFunction.Settings settings, LongSupplier nanoTicker) {
        this.requestId = Objects.requireNonNull(requestId, "requestId");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.nanoTicker = nanoTicker;
        this.deadlineNanos = nanoTicker.getAsLong() + settings.timeout().toNanos();
        this.logger = new Slf4jLambdaLogger(LoggerFactory.getLogger("lambda." + settings.name()), requestId);
    }

    /** A context for {@code settings} starting now, with a fresh request id. */
    public static LocalContext startingNow(LocalFunction.Settings settings) {
        return new LocalContext(java.util.UUID.randomUUID().toString(), settings, System::nanoTime);
    }

    @Override public String getAwsRequestId() { return requestId; }
    @Override public String getLogGroupName() { return "/aws/lambda/" + settings.name(); }
    @Override public String getLogStreamName() { return "local/[$LATEST]" + settings.name(); }
    @Override public String getFunctionName() { return settings.name(); }
    @Override public String getFunctionVersion() { return "$LATEST"; }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:" + settings.region() + ":" + settings.accountId() + ":function:" + settings.name();
    }

    @Override public CognitoIdentity getIdentity() { return null; }
    @Override public ClientContext getClientContext() { return null; }

    @Override
    public int getRemainingTimeInMillis() {
        long remaining = (deadlineNanos - nanoTicker.getAsLong()) / 1_000_000;
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, remaining));
    }

    @Override public int getMemoryLimitInMB() { return settings.memoryMb(); }
    @Override public LambdaLogger getLogger() { return logger; }

    /** Lambda prefixes nothing to plain log lines; we add the request id so concurrent invocations stay readable. */
    private record Slf4jLambdaLogger(Logger delegate, String requestId) implements LambdaLogger {
        @Override public void log(String message) { log(message, LogLevel.INFO); }
        @Override public void log(byte[] message) { log(new String(message, StandardCharsets.UTF_8), LogLevel.INFO); }
        @Override public void log(byte[] message, LogLevel level) { log(new String(message, StandardCharsets.UTF_8), level); }

        @Override
        public void log(String message, LogLevel level) {
            String line = requestId + " " + message.stripTrailing();
            switch (level) {
                case TRACE -> delegate.trace(line);
                case DEBUG -> delegate.debug(line);
                case WARN -> delegate.warn(line);
                case ERROR, FATAL -> delegate.error(line);
                case INFO, UNDEFINED -> delegate.info(line);
            }
        }
    }
}

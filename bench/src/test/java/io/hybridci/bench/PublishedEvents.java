package io.hybridci.bench;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every event any client in the test JVM put on a bus (source, detail type, detail), so a test can say that no event
 * was published for a rejected input. Registered globally by the test classpath's {@code execution.interceptors}.
 */
public final class PublishedEvents implements ExecutionInterceptor {

    private static final List<String> EVENTS = new CopyOnWriteArrayList<>();

    /** Each published entry as {@code source|detail-type|detail}. */
    static List<String> all() {
        return List.copyOf(EVENTS);
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (context.request() instanceof PutEventsRequest put) {
            for (PutEventsRequestEntry entry : put.entries()) EVENTS.add(entry.source() + "|" + entry.detailType() + "|" + entry.detail());
        }
    }
}

package io.hybridci.core.port.inmemory;

import io.hybridci.core.port.SecurityLog;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** {@link SecurityLog} in memory; one entry per rejection id, as the conditional put in DynamoDB. */
public final class InMemorySecurityLog implements SecurityLog {
    private final ConcurrentHashMap<String, Rejection> rejections = new ConcurrentHashMap<>();

    @Override
    public void reject(Rejection rejection) {
        rejections.putIfAbsent(rejection.id(), rejection);
    }

    public List<Rejection> rejections() {
        return List.copyOf(rejections.values());
    }
}

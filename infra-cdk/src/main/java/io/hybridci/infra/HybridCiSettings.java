package io.hybridci.infra;

import java.util.Objects;
import java.util.Optional;

/**
 * What differs between deployments of the same topology (CDK context values, see docs/deploy.md).
 *
 * @param production whether this is the production stack: tables get deletion protection
 * @param alarmEmail where alarm notifications go, if anywhere
 * @param jars       where the functions' jars are
 */
public record HybridCiSettings(boolean production, Optional<String> alarmEmail, FunctionJars jars) {

    public HybridCiSettings {
        Objects.requireNonNull(alarmEmail, "alarmEmail");
        Objects.requireNonNull(jars, "jars");
    }
}

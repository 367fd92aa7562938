package io.hybridci.core.userapi;

import io.hybridci.core.build.Build;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The outcome of {@link UserApi#listBuilds}. */
public sealed interface BuildListing {

    /** One page, newest first; {@code next} is an opaque cursor for the following page. */
    record Listed(List<Build> builds, Optional<String> next) implements BuildListing {
        public Listed {
            builds = List.copyOf(builds);
            Objects.requireNonNull(next, "next");
        }
    }

    /** The cursor was not one this API handed out. */
    record BadCursor(String message) implements BuildListing {}
}

package io.apex.migrator.release;

import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** Waits for a release's runs: asks {@code check} every {@code every} until it has an answer. */
final class ReleaseRunsAwait {

    private ReleaseRunsAwait() {
    }

    static boolean until(Duration every, Supplier<Optional<Boolean>> check) {
        RetryPolicy<Optional<Boolean>> poll = RetryPolicy.<Optional<Boolean>>builder()
                .handleResultIf(Optional::isEmpty)
                .withDelay(every)
                .withMaxRetries(-1)
                .build();
        return Failsafe.with(poll).get(check::get).orElseThrow();
    }
}

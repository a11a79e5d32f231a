package io.apex.migrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.apex.migrator.api.Messages;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunState;
import java.io.IOException;
import java.util.Optional;

/**
 * Why a run waits in ready-for-cutover although a cutover was asked for: the readiness gate's reason, as the run's
 * summary keeps it from the gate's last look (README "Readiness gate").
 */
final class WaitingReason {

    private WaitingReason() {
    }

    /** The gate's reason while the run waits with a target not ready to serve; empty otherwise. */
    static Optional<String> of(Run run) {
        if (run.state() != RunState.READY_FOR_CUTOVER || run.summaryJson() == null) {
            return Optional.empty();
        }
        try {
            JsonNode readiness = Messages.get().mapper().readTree(run.summaryJson()).path("readiness");
            return readiness.path("ready").asBoolean(true) ? Optional.empty()
                    : Optional.ofNullable(readiness.path("reason").asText(null));
        } catch (IOException unreadable) {
            return Optional.empty();
        }
    }
}

package io.apex.migrator.state;

import java.time.Instant;
import java.util.UUID;

/** An outbox row not yet acknowledged by Kafka, with the time it was recorded (the CloudEvent's time). */
public record PendingEvent(long seq, UUID id, UUID runId, String commandId, String type, String dataJson,
        Instant recordedAt) {

    public String subject() {
        return runId != null ? runId.toString() : commandId != null ? commandId : "unknown";
    }
}

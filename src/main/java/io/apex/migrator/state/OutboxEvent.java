package io.apex.migrator.state;

import java.util.Objects;
import java.util.UUID;

/**
 * A lifecycle event as the outbox holds it: written in the transaction of the state change it reports, sent by the
 * relay afterwards. Its {@code id} is the CloudEvent id on every send, so consumers deduplicate on it; a
 * {@code onceKey} makes the event one row per run and type (a second recording of it is dropped).
 */
public record OutboxEvent(UUID id, UUID runId, String commandId, String type, String onceKey, String dataJson) {

    public OutboxEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(dataJson, "dataJson");
    }

    /** The CloudEvent subject and Kafka key: the run, else the command. */
    public String subject() {
        return runId != null ? runId.toString() : commandId != null ? commandId : "unknown";
    }
}

package io.apex.migrator.pipeline;

import io.apex.migrator.api.EventData;
import io.apex.migrator.api.EventType;
import io.apex.migrator.api.Messages;
import io.apex.migrator.observability.RunContext;
import io.apex.migrator.state.Outbox;
import io.apex.migrator.state.OutboxEvent;
import io.apex.migrator.state.PendingEvent;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import io.cloudevents.core.message.Encoding;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.CloudEventSerializer;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

/**
 * Lifecycle events as CloudEvents (Kafka binding, structured JSON) on the events topic. A run event is first an outbox
 * row ({@link #event}: recorded with the state change it reports, or on its own by {@link #publishRunEvent}); the
 * {@link OutboxRelay} sends it and marks it sent after Kafka's ack, so it is delivered at least once, with the same
 * CloudEvent {@code id} and {@code time} on every send. Events with a once-key (copied, completed, schema-ready, ...)
 * are recorded once per run.
 */
@ApplicationScoped
public class EventPublisher {

    private static final Logger LOGGER = Logger.getLogger(EventPublisher.class);
    static final URI SOURCE = URI.create("urn:apex-migrator");
    static final URI DATA_SCHEMA = URI.create("urn:apex-migrator:schemas:lifecycle-event-data:v1");

    private final Emitter<byte[]> emitter;
    private final CloudEventSerializer serializer = new CloudEventSerializer();
    private final String topic;
    private final Outbox outbox;
    private final OutboxRelay relay;
    private final PipelineConfig config;

    @Inject
    public EventPublisher(@Channel("events-out") Emitter<byte[]> emitter, Outbox outbox, OutboxRelay relay,
            PipelineConfig config, TopicsConfig topics) {
        this.emitter = emitter;
        this.topic = topics.events();
        // Kafka protocol binding, structured mode: the record value is the whole event as JSON and the
        // content-type header says so; any CloudEvents SDK (or plain JSON parsing) reads it.
        serializer.configure(Map.of(CloudEventSerializer.ENCODING_CONFIG, Encoding.STRUCTURED,
                CloudEventSerializer.EVENT_FORMAT_CONFIG, JsonFormat.CONTENT_TYPE), false);
        this.outbox = outbox;
        this.relay = relay;
        this.config = config;
    }

    /** The outbox row of a run event, to record with the state change it reports. */
    public static OutboxEvent event(EventType type, EventData data, boolean once) {
        UUID runId = data.runId() == null ? null : UUID.fromString(data.runId());
        String subjectKey = data.runId() != null ? data.runId() : data.commandId();
        return new OutboxEvent(UUID.randomUUID(), runId, data.commandId(), type.shortName(),
                once ? subjectKey + "/" + type.shortName() : null, Messages.get().write(data));
    }

    /** Records a run event on its own and has it sent; with {@code once}, a second call for the same run and type does nothing. */
    public boolean publishRunEvent(EventType type, EventData data, boolean once) {
        boolean recorded = outbox.record(List.of(event(type, data, once))).get(0);
        if (!recorded) {
            LOGGER.debugf("%s: event %s was recorded before; not again", data.runId(), type.shortName());
        }
        sendSoon();
        return recorded;
    }

    /** Wakes the relay: events committed by the caller go out now rather than at its next round. */
    public void sendSoon() {
        relay.wake();
    }

    /**
     * Sends an event that is not recorded (rejections: an invalid command writes nothing) and waits for Kafka's ack.
     *
     * @throws IllegalStateException when Kafka did not acknowledge it: the caller keeps its record to try again
     */
    public void publishUnrecorded(EventType type, EventData data) {
        String subject = data.commandId() != null ? data.commandId() : "unknown";
        send(UUID.randomUUID(), type.ceType(), subject, Instant.now(), Messages.get().writeBytes(data));
        LOGGER.infof("command %s: event %s", subject, type.shortName());
    }

    /** Sends one outbox row (the relay's sender); returns once Kafka acknowledged it. */
    void send(PendingEvent pending) {
        EventType type = EventType.fromShortName(pending.type());
        try (RunContext.Scope mdc = RunContext.enter(pending.commandId(),
                pending.runId() == null ? null : pending.runId().toString())) {
            send(pending.id(), type.ceType(), pending.subject(), pending.recordedAt(),
                    pending.dataJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            LOGGER.infof("%s %s: event %s", pending.runId() != null ? "run" : "command", pending.subject(),
                    pending.type());
        }
    }

    private void send(UUID eventId, String ceType, String subject, Instant time, byte[] data) {
        CloudEvent event = CloudEventBuilder.v1()
                .withId(eventId.toString())
                .withSource(SOURCE)
                .withType(ceType)
                .withSubject(subject)
                .withTime(OffsetDateTime.ofInstant(time, ZoneOffset.UTC))
                .withDataSchema(DATA_SCHEMA)
                .withData("application/json", data)
                .build();
        RecordHeaders headers = new RecordHeaders();
        byte[] value = serializer.serialize(topic, headers, event);
        KafkaSend.await(KafkaSend.send(emitter, subject, value, headers), config.publishTimeout());
    }
}

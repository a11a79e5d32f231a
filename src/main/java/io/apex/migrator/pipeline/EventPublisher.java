package io.apex.migrator.pipeline;

import io.apex.migrator.api.EventData;
import io.apex.migrator.api.EventType;
import io.apex.migrator.api.Messages;
import io.apex.migrator.state.RunStore;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
 * Publishes lifecycle events as CloudEvents (Kafka binding, structured JSON) on the events topic. Run events
 * are recorded in the run store first; those with a once-key (copied, completed, schema-ready, ...) are
 * published only by the caller that recorded them, so they reach consumers once.
 */
@ApplicationScoped
public class EventPublisher {

    private static final Logger LOGGER = Logger.getLogger(EventPublisher.class);
    static final URI SOURCE = URI.create("urn:apex-migrator");
    static final URI DATA_SCHEMA = URI.create("urn:apex-migrator:schemas:lifecycle-event-data:v1");

    private final Emitter<byte[]> emitter;
    private final CloudEventSerializer serializer = new CloudEventSerializer();
    private final String topic;
    private final RunStore runStore;
    private final PipelineConfig config;

    @Inject
    public EventPublisher(@Channel("events-out") Emitter<byte[]> emitter, RunStore runStore,
            PipelineConfig config, TopicsConfig topics) {
        this.emitter = emitter;
        this.topic = topics.events();
        // Kafka protocol binding, structured mode: the record value is the whole event as JSON and the
        // content-type header says so; any CloudEvents SDK (or plain JSON parsing) reads it.
        serializer.configure(Map.of(CloudEventSerializer.ENCODING_CONFIG, Encoding.STRUCTURED,
                CloudEventSerializer.EVENT_FORMAT_CONFIG, JsonFormat.CONTENT_TYPE), false);
        this.runStore = runStore;
        this.config = config;
    }

    /** Records and publishes a run event; with {@code once}, a second call for the same run and type does nothing. */
    public boolean publishRunEvent(EventType type, EventData data, boolean once) {
        UUID eventId = UUID.randomUUID();
        UUID runId = data.runId() == null ? null : UUID.fromString(data.runId());
        String subjectKey = data.runId() != null ? data.runId() : data.commandId();
        String onceKey = once ? subjectKey + "/" + type.shortName() : null;
        String json = Messages.get().write(data);
        if (!runStore.recordEvent(eventId, runId, data.commandId(), type.shortName(), onceKey, json)) {
            LOGGER.debugf("run %s: event %s was published before; not again", subjectKey, type.shortName());
            return false;
        }
        send(eventId, type, subjectKey, data);
        return true;
    }

    /** Publishes an event that is not recorded (rejections: an invalid command writes nothing). */
    public void publishUnrecorded(EventType type, EventData data) {
        String subject = data.commandId() != null ? data.commandId() : "unknown";
        send(UUID.randomUUID(), type, subject, data);
    }

    private void send(UUID eventId, EventType type, String subject, EventData data) {
        CloudEvent event = CloudEventBuilder.v1()
                .withId(eventId.toString())
                .withSource(SOURCE)
                .withType(type.ceType())
                .withSubject(subject)
                .withTime(OffsetDateTime.now(ZoneOffset.UTC))
                .withDataSchema(DATA_SCHEMA)
                .withData("application/json", Messages.get().writeBytes(data))
                .build();
        RecordHeaders headers = new RecordHeaders();
        byte[] value = serializer.serialize(topic, headers, event);
        try {
            KafkaSend.await(KafkaSend.send(emitter, subject, value, headers), config.publishTimeout());
        } catch (IllegalStateException e) {
            // The run's state is in the run store either way; a lost event is logged, not a failed run.
            LOGGER.errorf("%s: event %s could not be published: %s", subject, type.shortName(), e.getMessage());
            return;
        }
        LOGGER.infof("%s %s: event %s", data.runId() != null ? "run" : "command", subject, type.shortName());
    }
}

package io.apex.migrator.pipeline;

import static io.apex.migrator.pipeline.LifecycleStack.data;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The commands and events topics of {@link PipelineWorkerResource} (or of workers started with another topic
 * prefix): commands sent as an operator sends them, events read from the beginning as a downstream consumer reads
 * them, a run's events picked by its command id. The clients open on first use.
 */
final class PipelineTopics implements AutoCloseable {

    private static final String TYPE_PREFIX = "io.apex.migrator.";
    private static final Duration SEND_WITHIN = Duration.ofSeconds(60);

    private final String bootstrap;
    private final String topicPrefix;
    private KafkaProducer<String, String> producer;
    private TopicReader<CloudEvent> events;

    /** The topics of {@link PipelineWorkerResource}. */
    PipelineTopics(String bootstrap) {
        this(bootstrap, PipelineWorkerResource.PREFIX);
    }

    /** {@code topicPrefix}: what the workers' topic names start with ({@code apex.} by default). */
    PipelineTopics(String bootstrap, String topicPrefix) {
        this.bootstrap = bootstrap;
        this.topicPrefix = topicPrefix;
    }

    /** Sends a command (JSON) and waits (bounded) for Kafka's acknowledgement. */
    synchronized void send(String json) {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap), new StringSerializer(),
                    new StringSerializer());
        }
        try {
            producer.send(new ProducerRecord<>(topicPrefix + "commands", json))
                    .get(SEND_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not send a command", e);
        }
    }

    /** Waits (bounded) until the events topic can be read: workers create it as they start. */
    PipelineTopics awaitEventsTopic(Duration within) {
        await().atMost(within).ignoreExceptions().until(() -> events() != null);
        return this;
    }

    /** The data of the first event of {@code shortType} (e.g. {@code migration-failed}) of the command's run. */
    JsonNode awaitEvent(String commandId, String shortType, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(300))
                .until(() -> !eventsOf(commandId, shortType).isEmpty());
        return eventsOf(commandId, shortType).get(0);
    }

    /** The data of the events of {@code shortType} of the command's run, in the order read. */
    List<JsonNode> eventsOf(String commandId, String shortType) {
        return eventsOfType(shortType).stream().filter(d -> commandId.equals(d.path("commandId").asText(null)))
                .toList();
    }

    /** The data of every event of {@code shortType}, whatever run or command it is of, in the order read. */
    List<JsonNode> eventsOfType(String shortType) {
        return events().poll().stream().filter(r -> r.value().getType().equals(TYPE_PREFIX + shortType))
                .map(r -> data(r.value())).toList();
    }

    /** The short types of the command's run's events, in the order read. */
    List<String> typesOf(String commandId) {
        return events().poll().stream().filter(r -> commandId.equals(data(r.value()).path("commandId").asText(null)))
                .map(r -> r.value().getType().substring(TYPE_PREFIX.length())).toList();
    }

    private synchronized TopicReader<CloudEvent> events() {
        if (events == null) {
            events = TopicReader.events(bootstrap, topicPrefix + "events");
        }
        return events;
    }

    @Override
    public synchronized void close() {
        if (events != null) {
            events.close();
        }
        if (producer != null) {
            producer.close();
        }
    }
}

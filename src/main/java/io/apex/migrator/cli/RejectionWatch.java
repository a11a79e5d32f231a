package io.apex.migrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.apex.migrator.api.EventType;
import io.apex.migrator.api.Messages;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Watches the events topic from "now" for rejections of the commands the CLI sent (a rejected command writes
 * nothing to the run store, so the event is the only answer).
 */
final class RejectionWatch implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, String> rejections = new ConcurrentHashMap<>();

    RejectionWatch(io.apex.migrator.pipeline.CommandSender sender, String topic) {
        consumer = new KafkaConsumer<>(sender.consumerSettings(Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(15)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
    }

    /** Why the command was rejected, if a rejection has arrived. */
    synchronized Optional<String> rejected(String commandId) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
            try {
                // Structured CloudEvents: the value is the whole event; its data holds the rejection.
                JsonNode event = Messages.get().mapper().readTree(r.value());
                if (EventType.REJECTED.ceType().equals(event.path("type").asText())) {
                    JsonNode data = event.path("data");
                    rejections.put(data.path("commandId").asText(""), data.path("field").asText() + ": "
                            + data.path("reason").asText());
                }
            } catch (IOException e) {
                // not an event of ours; ignore
            }
        }
        return Optional.ofNullable(rejections.get(commandId));
    }

    @Override
    public synchronized void close() {
        consumer.close();
    }
}

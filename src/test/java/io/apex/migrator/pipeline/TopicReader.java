package io.apex.migrator.pipeline;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a topic from its beginning with a plain Kafka client, as a downstream consumer would. */
public final class TopicReader<V> implements AutoCloseable {

    private final KafkaConsumer<String, V> consumer;
    private final List<ConsumerRecord<String, V>> records = new ArrayList<>();

    private TopicReader(KafkaConsumer<String, V> consumer, String topic) {
        this.consumer = consumer;
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        if (partitions.isEmpty()) {
            consumer.close();
            throw new IllegalStateException("topic " + topic + " does not exist (yet)");
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    public static TopicReader<CloudEvent> events(String bootstrap, String topic) {
        return new TopicReader<>(new KafkaConsumer<>(config(bootstrap), new StringDeserializer(),
                new CloudEventDeserializer()), topic);
    }

    public static TopicReader<String> strings(String bootstrap, String topic) {
        return new TopicReader<>(new KafkaConsumer<>(config(bootstrap), new StringDeserializer(),
                new StringDeserializer()), topic);
    }

    public static TopicReader<byte[]> bytes(String bootstrap, String topic) {
        return new TopicReader<>(new KafkaConsumer<>(config(bootstrap), new StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer()), topic);
    }

    private static Map<String, Object> config(String bootstrap) {
        return Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    }

    /** Everything read so far, after reading what has arrived. */
    public synchronized List<ConsumerRecord<String, V>> poll() {
        for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(200))) {
            records.add(r);
        }
        return List.copyOf(records);
    }

    /** Everything on the topic up to its end offsets at the time of the call (one poll may return only a part). */
    public synchronized List<ConsumerRecord<String, V>> pollToEnd(Duration deadline) {
        Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
        long until = System.nanoTime() + deadline.toNanos();
        while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("topic not read to its end offsets " + ends + " within " + deadline);
            }
            poll();
        }
        return List.copyOf(records);
    }

    @Override
    public synchronized void close() {
        consumer.close();
    }
}

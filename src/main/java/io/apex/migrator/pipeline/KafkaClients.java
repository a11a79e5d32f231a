package io.apex.migrator.pipeline;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Settings of the Kafka clients this code creates itself (the topic admin at start, the CLI's command producer
 * and event watcher): the same {@code kafka.*} settings the channels get — bootstrap servers, and TLS/SASL
 * ({@code kafka.security.protocol}, {@code kafka.ssl.*}, {@code kafka.sasl.*}) — each filtered to what its client
 * type knows, so a secured cluster needs its settings in one place only.
 */
@ApplicationScoped
public class KafkaClients {

    private final Map<String, Object> defaults;

    @Inject
    public KafkaClients(@Identifier("default-kafka-broker") Map<String, Object> defaults) {
        this.defaults = Map.copyOf(defaults);
    }

    public Map<String, Object> admin() {
        return only(AdminClientConfig.configNames(), Map.of());
    }

    public Map<String, Object> producer(Map<String, Object> overrides) {
        return only(ProducerConfig.configNames(), overrides);
    }

    public Map<String, Object> consumer(Map<String, Object> overrides) {
        return only(ConsumerConfig.configNames(), overrides);
    }

    public String bootstrap() {
        return String.valueOf(defaults.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
    }

    private Map<String, Object> only(Set<String> known, Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>();
        defaults.forEach((key, value) -> {
            if (known.contains(key)) {
                config.put(key, value);
            }
        });
        config.putAll(overrides);
        return config;
    }
}

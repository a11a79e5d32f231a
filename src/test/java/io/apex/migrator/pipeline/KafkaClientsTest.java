package io.apex.migrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaClientsTest {

    private static final Map<String, Object> KAFKA_SETTINGS = Map.of(
            "bootstrap.servers", "broker:9093",
            "security.protocol", "SASL_SSL",
            "ssl.truststore.location", "/etc/kafka/truststore.p12",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
            "session.timeout.ms", "10000",
            "linger.ms", "5");

    @Test
    void theAdminAtStartGetsTheTlsAndSaslSettingsOfTheChannels() {
        // given
        KafkaClients clients = new KafkaClients(KAFKA_SETTINGS);

        // when
        Map<String, Object> admin = clients.admin();

        // then
        assertThat(admin).containsEntry("bootstrap.servers", "broker:9093")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("ssl.truststore.location", "/etc/kafka/truststore.p12")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsKey("sasl.jaas.config")
                .doesNotContainKeys("session.timeout.ms", "linger.ms");
    }

    @Test
    void producerAndConsumerKeepTheirOwnSettingsAndTheCallersOverrides() {
        // given
        KafkaClients clients = new KafkaClients(KAFKA_SETTINGS);

        // when
        Map<String, Object> producer = clients.producer(Map.of("acks", "all"));
        Map<String, Object> consumer = clients.consumer(Map.of("enable.auto.commit", false));

        // then
        assertThat(producer).containsEntry("security.protocol", "SASL_SSL").containsEntry("linger.ms", "5")
                .containsEntry("acks", "all").doesNotContainKey("session.timeout.ms");
        assertThat(consumer).containsEntry("security.protocol", "SASL_SSL").containsEntry("session.timeout.ms", "10000")
                .containsEntry("enable.auto.commit", false).doesNotContainKey("linger.ms");
        assertThat(clients.bootstrap()).isEqualTo("broker:9093");
    }
}

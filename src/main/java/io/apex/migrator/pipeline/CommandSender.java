package io.apex.migrator.pipeline;

import io.apex.migrator.api.Command;
import io.apex.migrator.api.CommandSignature;
import io.apex.migrator.api.Messages;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends commands to the commands topic for the CLI and the dashboard (a one-shot producer; the service's channels
 * stay off), signed when a signing key is configured ({@link CommandKeys}).
 */
@ApplicationScoped
public class CommandSender {

    private final KafkaClients kafka;
    private final String bootstrap;
    private final TopicsConfig topics;
    private final CommandKeys keys;

    @Inject
    public CommandSender(KafkaClients kafka, TopicsConfig topics, CommandKeys keys) {
        this.kafka = kafka;
        this.bootstrap = kafka.bootstrap();
        this.topics = topics;
        this.keys = keys;
    }

    /** Sends and waits for the broker's acknowledgement. */
    public void send(Command command) {
        // the signature covers exactly the bytes sent
        byte[] value = Messages.get().write(command).getBytes(StandardCharsets.UTF_8);
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topics.commands(), command.commandId(), value);
        keys.sign(value).ifPresent(signature -> record.headers().add(CommandSignature.HEADER,
                signature.getBytes(StandardCharsets.US_ASCII)));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producer(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000)),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending the command", e);
        } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("cannot send the command to Kafka at " + bootstrap + " (topic "
                    + topics.commands() + "): " + cause.getMessage(), cause);
        }
    }

    /** The topic lifecycle events are published on. */
    public String eventsTopic() {
        return topics.events();
    }

    public String bootstrap() {
        return bootstrap;
    }

    /** The consumer settings of a client watching the events topic (same TLS/SASL as everything else). */
    public Map<String, Object> consumerSettings(Map<String, Object> overrides) {
        return kafka.consumer(overrides);
    }
}

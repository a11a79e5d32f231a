package io.apex.migrator.pipeline;

import io.apex.migrator.state.RunStore;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

/**
 * In worker mode, before the Kafka consumers start (Quarkus Messaging starts them at priority 1000): creates the
 * run store's tables and the pipeline's topics with their configured partition counts, so no consumer makes a
 * one-partition topic by subscribing first; then starts the reconciler and the outbox relay.
 */
@ApplicationScoped
public class PipelineStartup {

    private static final Logger LOGGER = Logger.getLogger(PipelineStartup.class);

    void onStart(@Observes @Priority(100) StartupEvent event, PipelineConfig config, TopicsConfig topics,
            RunStore runStore, KafkaClients kafka, Reconciler reconciler, OutboxRelay relay) {
        if (!config.enabled()) {
            return;
        }
        runStore.ensureSchema();
        createTopics(kafka, topics);
        // runs and jobs left by replicas that died, and events they did not send, are taken up from the store
        reconciler.start();
        relay.start();
    }

    static void createTopics(KafkaClients kafka, TopicsConfig topics) {
        String bootstrap = kafka.bootstrap();
        List<NewTopic> wanted = List.of(
                new NewTopic(topics.commands(), 1, topics.replicationFactor()),
                new NewTopic(topics.batches(), topics.batchesPartitions(), topics.replicationFactor()),
                new NewTopic(topics.progress(), topics.progressPartitions(), topics.replicationFactor()),
                new NewTopic(topics.events(), 1, topics.replicationFactor()),
                new NewTopic(topics.deadLetter(), 1, topics.replicationFactor()),
                new NewTopic(topics.capture(), topics.capturePartitions(), topics.replicationFactor()));
        try (Admin admin = Admin.create(kafka.admin())) {
            for (NewTopic topic : wanted) {
                try {
                    admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
                    LOGGER.infof("created topic %s (%s partitions)", topic.name(), topic.numPartitions());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + topic.name() + ": "
                                + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrap + " did not answer within 30 s", e);
        }
    }
}

package io.apex.migrator.pipeline;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;

/**
 * The replica's one Kafka admin client for its look-ups while it runs (the batches topic's partitions, the capture
 * topic's offsets): opened on first use with the channels' Kafka settings ({@link KafkaClients#admin}), so a replica
 * that never asks never connects, shared (Kafka's admin client is thread-safe) and closed on shutdown.
 */
@ApplicationScoped
public class KafkaAdmin {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

    private final KafkaClients kafka;
    private volatile Admin admin;
    private boolean closed;

    @Inject
    public KafkaAdmin(KafkaClients kafka) {
        this.kafka = kafka;
    }

    /** The admin client, opened now if this is the first use; refused once the replica shuts down. */
    public Admin get() {
        Admin a = admin;
        if (a != null) {
            return a;
        }
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the Kafka admin client is closed: the replica is shutting down");
            }
            if (admin == null) {
                admin = Admin.create(kafka.admin());
            }
            return admin;
        }
    }

    @PreDestroy
    synchronized void close() {
        closed = true;
        if (admin != null) {
            admin.close(CLOSE_TIMEOUT);
            admin = null;
        }
    }
}

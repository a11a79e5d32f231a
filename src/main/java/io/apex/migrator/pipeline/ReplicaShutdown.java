package io.apex.migrator.pipeline;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Whether this replica has begun to shut down. Quarkus fires the shutdown event before it closes the worker pools and
 * the Kafka connector, so a task that fails from then on is told apart from one that failed on its own.
 */
@ApplicationScoped
public class ReplicaShutdown {

    private volatile boolean begun;

    void onStop(@Observes ShutdownEvent event) {
        begun = true;
    }

    public boolean begun() {
        return begun;
    }
}

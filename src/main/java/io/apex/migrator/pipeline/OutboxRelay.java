package io.apex.migrator.pipeline;

import io.apex.migrator.state.Outbox;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Sends the outbox: pending events, oldest first, each marked sent only after Kafka acknowledged it. Runs on a
 * thread of its own, woken when an event is recorded and every {@code apex.pipeline.lifecycle.relay-interval}
 * otherwise, so an event recorded while Kafka (or this process) was away goes out once both are back. One relay sends
 * at a time across all replicas (see {@link Outbox#relay}).
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOGGER = Logger.getLogger(OutboxRelay.class);
    private static final int ROUND = 100;

    private final Outbox outbox;
    private final Instance<EventPublisher> publisher;
    private final PipelineConfig config;
    private final Semaphore wakeUps = new Semaphore(0);
    private volatile Thread thread;
    private volatile boolean stopping;
    private boolean failing;

    @Inject
    public OutboxRelay(Outbox outbox, Instance<EventPublisher> publisher, PipelineConfig config) {
        this.outbox = outbox;
        this.publisher = publisher;
        this.config = config;
    }

    /** Has the relay send what is pending now (starts its thread on first use). */
    public void wake() {
        start();
        wakeUps.release();
    }

    /** Starts the relay's thread if it is not running (worker mode starts it at startup). */
    public synchronized void start() {
        if (thread == null && !stopping) {
            thread = new Thread(this::loop, "apex-outbox-relay");
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void loop() {
        while (!stopping) {
            try {
                wakeUps.tryAcquire(config.lifecycle().relayInterval().toMillis(), TimeUnit.MILLISECONDS);
                wakeUps.drainPermits();
                flush();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOGGER.warnf("outbox relay: %s; trying again in %s ms", e.getMessage(),
                        config.lifecycle().relayInterval().toMillis());
            }
        }
    }

    /** Sends rounds of pending events until none is left or one could not be sent; true when none is left. */
    boolean flush() {
        EventPublisher events = publisher.get();
        while (true) {
            Outbox.Round round = outbox.relay(ROUND, events::send);
            if (round.failure() != null) {
                if (!failing) {
                    LOGGER.errorf("outbox relay: an event could not be sent (%s); it stays pending and is sent again "
                            + "every %s ms until Kafka acknowledges it", round.failure().getMessage(),
                            config.lifecycle().relayInterval().toMillis());
                }
                failing = true;
                return false;
            }
            if (failing && round.sent() > 0) {
                LOGGER.infof("outbox relay: sending again (%s events sent)", round.sent());
                failing = false;
            }
            if (!round.more()) {
                return !round.lockHeldElsewhere();
            }
        }
    }

    /** On shutdown: one last attempt to send what is pending (what is left goes out from another replica or later). */
    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        Thread t = thread;
        if (t == null) {
            return;
        }
        t.interrupt();
        try {
            t.join(1000);
            flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOGGER.warnf("outbox relay: events left pending at shutdown (%s)", e.getMessage());
        }
    }
}

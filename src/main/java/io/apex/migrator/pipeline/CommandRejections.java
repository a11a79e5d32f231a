package io.apex.migrator.pipeline;

import io.apex.migrator.api.EventData;
import io.apex.migrator.api.EventType;
import io.apex.migrator.api.InvalidMessageException;
import io.apex.migrator.state.RunStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.RetriableException;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Publishes the {@code migration-rejected} event of a command that cannot be served, and returns only once Kafka
 * acknowledged it: a rejection is recorded nowhere else, so the command's offset may be committed only after it
 * (at least once). {@link EventPublisher} logs an event it could not publish and goes on — right for run events,
 * which the run store keeps — so rejections go through a publisher of their own whose emitter notes the broker's
 * answer; without one this throws {@link PipelineException.Unpublished}, and the consumer holds the command.
 */
@ApplicationScoped
class CommandRejections {

    private static final Logger LOGGER = Logger.getLogger(CommandRejections.class);

    private final AnsweredEmitter emitter;
    private final EventPublisher publisher;

    @Inject
    CommandRejections(@Channel("events-out") Emitter<byte[]> events, RunStore runStore, PipelineConfig config,
            TopicsConfig topics) {
        this.emitter = new AnsweredEmitter(events);
        this.publisher = new EventPublisher(emitter, runStore, config, topics);
    }

    /**
     * Rejects a command; {@code origin} (topic, partition and offset of its record) is named in the reason when the
     * command has no readable id, so the producer can still find what was refused.
     */
    void reject(String commandId, String type, InvalidMessageException e, String origin) {
        String reason = commandId == null ? e.reason() + " (record " + origin + ")" : e.reason();
        LOGGER.warnf("command %s rejected: %s: %s", commandId == null ? "(no id)" : commandId, e.field(), reason);
        CompletableFuture<Void> answer = emitter.expectAnswer();
        publisher.publishUnrecorded(EventType.REJECTED, EventData.rejection(commandId, type, e.field(), reason));
        String what = "the rejection of command " + (commandId == null ? origin : commandId);
        if (!answer.isDone()) {
            // EventPublisher waited apex.pipeline.publish-timeout for it.
            throw new PipelineException.Unpublished(what, true, null);
        }
        try {
            answer.get();
        } catch (ExecutionException failed) {
            throw new PipelineException.Unpublished(what, retriable(failed.getCause()), failed.getCause());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new PipelineException.Unpublished(what, true, interrupted);
        }
    }

    private static boolean retriable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RetriableException) {
                return true;
            }
        }
        return false;
    }

    /** The events emitter, noting per thread whether the broker acknowledged or refused the last message sent. */
    private static final class AnsweredEmitter implements Emitter<byte[]> {

        private final Emitter<byte[]> delegate;
        private final ThreadLocal<CompletableFuture<Void>> answer = new ThreadLocal<>();

        AnsweredEmitter(Emitter<byte[]> delegate) {
            this.delegate = delegate;
        }

        CompletableFuture<Void> expectAnswer() {
            CompletableFuture<Void> next = new CompletableFuture<>();
            answer.set(next);
            return next;
        }

        @Override
        public <M extends Message<? extends byte[]>> void send(M message) {
            CompletableFuture<Void> noted = answer.get() != null ? answer.get() : new CompletableFuture<>();
            answer.remove();
            delegate.send(message
                    .withAckWithMetadata(metadata -> {
                        noted.complete(null);
                        return message.ack(metadata);
                    })
                    .withNackWithMetadata((failure, metadata) -> {
                        noted.completeExceptionally(failure);
                        return message.nack(failure, metadata);
                    }));
        }

        @Override
        public CompletionStage<Void> send(byte[] payload) {
            throw new UnsupportedOperationException("rejections are sent as keyed messages");
        }

        @Override
        public void complete() {
            throw new UnsupportedOperationException("the events channel is shared; it is not this view's to end");
        }

        @Override
        public void error(Exception e) {
            throw new UnsupportedOperationException("the events channel is shared; it is not this view's to end");
        }

        @Override
        public boolean isCancelled() {
            return delegate.isCancelled();
        }

        @Override
        public boolean hasRequests() {
            return delegate.hasRequests();
        }
    }
}

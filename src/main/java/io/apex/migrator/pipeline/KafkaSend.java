package io.apex.migrator.pipeline;

import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.time.Duration;
import org.apache.kafka.common.header.Headers;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/** Sends keyed records through an emitter and waits for the broker's acknowledgement. */
public final class KafkaSend {

    /** Sends in chunks so the emitter's buffer never overflows on a plan of many ranges. */
    private static final int CHUNK = 100;

    private KafkaSend() {
    }

    static <T> CompletableFuture<Void> send(Emitter<T> emitter, String key, T payload) {
        return send(emitter, key, payload, null);
    }

    public static <T> CompletableFuture<Void> send(Emitter<T> emitter, String key, T payload, Headers headers) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        OutgoingKafkaRecordMetadata.OutgoingKafkaRecordMetadataBuilder<Object> metadata =
                OutgoingKafkaRecordMetadata.builder().withKey(key);
        if (headers != null) {
            metadata.withHeaders(headers);
        }
        // The connector's producer span (and the traceparent header) continues the sender's trace, whatever
        // thread the emitter's sink sends on.
        Message<T> message = Message.of(payload, Metadata.of(metadata.build(),
                        TracingMetadata.withCurrent(io.opentelemetry.context.Context.current())),
                () -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                },
                failure -> {
                    acked.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                });
        emitter.send(message);
        return acked;
    }

    static <T> void sendAll(Emitter<T> emitter, List<Keyed<T>> records, Duration timeout) {
        for (int from = 0; from < records.size(); from += CHUNK) {
            List<Keyed<T>> chunk = records.subList(from, Math.min(records.size(), from + CHUNK));
            CompletableFuture<?>[] acks = chunk.stream().map(r -> send(emitter, r.key(), r.payload()))
                    .toArray(CompletableFuture[]::new);
            await(CompletableFuture.allOf(acks), timeout);
        }
    }

    /**
     * The acknowledgement of a send, without waiting for it: completes when Kafka acknowledged the record, fails
     * (with the reason {@link #await} would give) when Kafka refused it or did not answer within {@code timeout}.
     */
    static CompletableFuture<Void> acknowledged(CompletableFuture<Void> sent, Duration timeout) {
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        sent.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((ok, failure) -> {
            if (failure == null) {
                acknowledged.complete(null);
                return;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            acknowledged.completeExceptionally(cause instanceof TimeoutException
                    ? new IllegalStateException("Kafka did not acknowledge within " + timeout.toSeconds() + " s", cause)
                    : new IllegalStateException("Kafka refused a message: " + cause.getMessage(), cause));
        });
        return acknowledged;
    }

    /**
     * Waits for the acknowledgement of a send (at most {@code timeout}).
     *
     * @throws IllegalStateException when Kafka refused it or did not acknowledge it in time, as {@link #acknowledged}
     *         says, or when the thread was interrupted while waiting (a worker shutting down)
     */
    static void await(CompletableFuture<Void> sent, Duration timeout) {
        // get(), not join(): a worker shutting down is interrupted here and must not wait out the timeout
        try {
            acknowledged(sent, timeout).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing to Kafka", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
        }
    }

    /** A payload with its record key. */
    record Keyed<T>(String key, T payload) {
    }
}

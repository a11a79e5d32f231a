package io.apex.migrator.pipeline;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaConnectorIncomingConfiguration;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.fault.KafkaFailureHandler;
import io.vertx.mutiny.core.Vertx;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/**
 * A channel's failure strategy: SmallRye's dead-letter queue, entered only once {@link #beforeDeadLetter} allows it.
 * A nacked record held back there (the step never completes) is neither dead-lettered nor acknowledged: its offset is
 * not committed and the partition's next owner takes it.
 */
public abstract class GatedDeadLetterStrategy implements KafkaFailureHandler.Factory {

    @Inject
    @Identifier(KafkaFailureHandler.Strategy.DEAD_LETTER_QUEUE)
    KafkaFailureHandler.Factory deadLetterQueue;

    /** What must happen before a nacked record goes to the dead-letter topic. */
    @FunctionalInterface
    interface BeforeDeadLetter {

        /** Completes when the record may go to the dead-letter topic; never, when it must stay uncommitted. */
        CompletionStage<Void> of(IncomingKafkaRecord<?, ?> record, Throwable reason);
    }

    /** This channel's step (called for every nacked record; may be on an event loop: must not block). */
    abstract BeforeDeadLetter beforeDeadLetter();

    @Override
    public KafkaFailureHandler create(KafkaConnectorIncomingConfiguration config, Vertx vertx,
            KafkaConsumer<?, ?> consumer, BiConsumer<Throwable, Boolean> reportFailure) {
        return handler(deadLetterQueue.create(config, vertx, consumer, reportFailure), beforeDeadLetter());
    }

    /** {@code deadLetters} behind {@code step}. */
    static KafkaFailureHandler handler(KafkaFailureHandler deadLetters, BeforeDeadLetter step) {
        return new KafkaFailureHandler() {
            @Override
            public <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> record, Throwable reason, Metadata metadata) {
                return Uni.createFrom().completionStage(() -> step.of(record, reason))
                        .emitOn(record::runOnMessageContext)
                        .chain(() -> deadLetters.handle(record, reason, metadata));
            }

            @Override
            public void terminate() {
                deadLetters.terminate();
            }
        };
    }
}

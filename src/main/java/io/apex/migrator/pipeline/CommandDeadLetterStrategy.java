package io.apex.migrator.pipeline;

import io.quarkus.arc.Unremovable;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaConnectorIncomingConfiguration;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.fault.KafkaFailureHandler;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

/**
 * The {@code commands} channel's failure strategy ({@value #NAME}): SmallRye's dead-letter queue, except while the
 * replica shuts down. Quarkus closes the messaging worker pool before the Kafka connector, so a command the consumer
 * hands over meanwhile is nacked without its handler running; dead-lettered, it would be committed and lost (a
 * migration never started, a cutover never made). Such a record is neither dead-lettered nor acknowledged: its offset
 * is not committed and the partition's next owner handles the command.
 */
@ApplicationScoped
@Identifier(CommandDeadLetterStrategy.NAME)
@Unremovable
public class CommandDeadLetterStrategy implements KafkaFailureHandler.Factory {

    static final String NAME = "apex-command-dead-letter";
    private static final Logger LOGGER = Logger.getLogger(CommandDeadLetterStrategy.class);

    @Inject
    @Identifier(KafkaFailureHandler.Strategy.DEAD_LETTER_QUEUE)
    KafkaFailureHandler.Factory deadLetterQueue;
    @Inject
    ReplicaShutdown shutdown;

    @Override
    public KafkaFailureHandler create(KafkaConnectorIncomingConfiguration config, Vertx vertx,
            KafkaConsumer<?, ?> consumer, BiConsumer<Throwable, Boolean> reportFailure) {
        return new Handler(deadLetterQueue.create(config, vertx, consumer, reportFailure), shutdown::begun);
    }

    /** Dead-letters a nacked command unless the replica is shutting down. */
    static final class Handler implements KafkaFailureHandler {

        private final KafkaFailureHandler deadLetters;
        private final BooleanSupplier shuttingDown;

        Handler(KafkaFailureHandler deadLetters, BooleanSupplier shuttingDown) {
            this.deadLetters = deadLetters;
            this.shuttingDown = shuttingDown;
        }

        @Override
        public <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> record, Throwable reason, Metadata metadata) {
            if (shuttingDown.getAsBoolean() || BatchNacks.isStopping(reason)) {
                LOGGER.errorf("command at topic %s, partition %s, offset %s neither dead-lettered nor committed, left "
                        + "to another coordinator: this replica is shutting down (%s: %s)", record.getTopic(),
                        record.getPartition(), record.getOffset(), reason.getClass().getSimpleName(),
                        reason.getMessage());
                return Uni.createFrom().nothing();
            }
            return deadLetters.handle(record, reason, metadata);
        }

        @Override
        public void terminate() {
            deadLetters.terminate();
        }
    }
}

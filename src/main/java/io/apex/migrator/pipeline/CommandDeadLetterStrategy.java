package io.apex.migrator.pipeline;

import io.quarkus.arc.Unremovable;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
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
public class CommandDeadLetterStrategy extends GatedDeadLetterStrategy {

    static final String NAME = "apex-command-dead-letter";
    private static final Logger LOGGER = Logger.getLogger(CommandDeadLetterStrategy.class);

    @Inject
    ReplicaShutdown shutdown;

    @Override
    BeforeDeadLetter beforeDeadLetter() {
        return unlessStopping(shutdown::begun);
    }

    /** Lets a nacked command go to the dead-letter topic unless the replica is shutting down. */
    static BeforeDeadLetter unlessStopping(BooleanSupplier shuttingDown) {
        return (record, reason) -> {
            if (shuttingDown.getAsBoolean() || BatchNacks.isStopping(reason)) {
                LOGGER.errorf("command at topic %s, partition %s, offset %s neither dead-lettered nor committed, left "
                        + "to another coordinator: this replica is shutting down (%s: %s)", record.getTopic(),
                        record.getPartition(), record.getOffset(), reason.getClass().getSimpleName(),
                        reason.getMessage());
                return new CompletableFuture<>();
            }
            return CompletableFuture.completedFuture(null);
        };
    }
}

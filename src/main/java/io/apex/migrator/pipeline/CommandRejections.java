package io.apex.migrator.pipeline;

import io.apex.migrator.api.EventData;
import io.apex.migrator.api.EventType;
import io.apex.migrator.api.InvalidMessageException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.RetriableException;
import org.jboss.logging.Logger;

/**
 * Publishes the {@code migration-rejected} event of a command that cannot be served, and returns only once Kafka
 * acknowledged it: a rejection is recorded nowhere else, so the command's offset may be committed only after it
 * (at least once). When Kafka did not acknowledge it, this throws {@link PipelineException.Unpublished}: retriable
 * (no answer in time, or a retriable error) and the consumer holds the command, or not (Kafka will never take it)
 * and the command goes to the dead-letter topic.
 */
@ApplicationScoped
class CommandRejections {

    private static final Logger LOGGER = Logger.getLogger(CommandRejections.class);

    private final EventPublisher publisher;

    @Inject
    CommandRejections(EventPublisher publisher) {
        this.publisher = publisher;
    }

    /**
     * Rejects a command; {@code origin} (topic, partition and offset of its record) is named in the reason when the
     * command has no readable id, so the producer can still find what was refused.
     */
    void reject(String commandId, String type, InvalidMessageException e, String origin) {
        String reason = commandId == null ? e.reason() + " (record " + origin + ")" : e.reason();
        LOGGER.warnf("command %s rejected: %s: %s", commandId == null ? "(no id)" : commandId, e.field(), reason);
        try {
            publisher.publishUnrecorded(EventType.REJECTED, EventData.rejection(commandId, type, e.field(), reason));
        } catch (IllegalStateException failed) {
            String what = "the rejection of command " + (commandId == null ? origin : commandId);
            throw new PipelineException.Unpublished(what, retriable(failed), failed.getCause());
        }
    }

    private static boolean retriable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RetriableException || t instanceof TimeoutException
                    || t instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }
}

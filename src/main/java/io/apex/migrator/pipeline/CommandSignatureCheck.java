package io.apex.migrator.pipeline;

import io.apex.migrator.api.CommandSignature;
import io.apex.migrator.api.InvalidMessageException;
import io.apex.migrator.api.RawCommand;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jboss.logging.Logger;

/**
 * The first check of the command intake: with a signing key configured, a command record whose
 * {@value CommandSignature#HEADER} header does not sign its exact bytes under an accepted key is rejected
 * ({@code migration-rejected}, reason {@value #UNSIGNED} or {@value #BAD_SIGNATURE}) before it is validated or handled,
 * so it writes nothing. Without a key every record passes (and worker start-up says commands are not authenticated).
 */
@ApplicationScoped
class CommandSignatureCheck {

    static final String UNSIGNED = "unsigned";
    static final String BAD_SIGNATURE = "bad signature";

    private static final Logger LOGGER = Logger.getLogger(CommandSignatureCheck.class);

    private final CommandKeys keys;
    private final CommandRejections rejections;

    @Inject
    CommandSignatureCheck(CommandKeys keys, CommandRejections rejections) {
        this.keys = keys;
        this.rejections = rejections;
    }

    void onStart(@Observes StartupEvent event, PipelineConfig config, TopicsConfig topics) {
        if (!config.enabled()) {
            return;
        }
        // reading the keys here makes a worker with an unusable key fail at start, not at its first command
        if (keys.required()) {
            LOGGER.infof("commands on %s must be signed (HMAC-SHA256, header %s); %d key(s) accepted",
                    topics.commands(), CommandSignature.HEADER, keys.acceptedCount());
        } else {
            LOGGER.warnf("commands on %s are not authenticated: whoever may write to the topic may command "
                    + "(set apex.commands.signing-key, README \"Security\")", topics.commands());
        }
    }

    /**
     * Whether the record may go on to the dispatcher; when it may not, its rejection has been published (and
     * acknowledged) already. {@code origin} names the record in a rejection that has no command id.
     */
    boolean admits(ConsumerRecord<String, byte[]> record, RawCommand raw, String origin) {
        Optional<String> refusal = refusal(record);
        if (refusal.isEmpty()) {
            return true;
        }
        rejections.reject(raw.commandId().orElse(null), raw.type().orElse(null),
                new InvalidMessageException("$", refusal.get()), origin);
        return false;
    }

    private Optional<String> refusal(ConsumerRecord<String, byte[]> record) {
        if (!keys.required()) {
            return Optional.empty();
        }
        Header signature = record.headers().lastHeader(CommandSignature.HEADER);
        if (signature == null || signature.value() == null) {
            return Optional.of(UNSIGNED);
        }
        return keys.verifies(record.value(), signature.value()) ? Optional.empty() : Optional.of(BAD_SIGNATURE);
    }
}

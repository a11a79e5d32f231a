package io.apex.migrator.pipeline;

import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import io.apex.migrator.api.Command;
import io.apex.migrator.api.CreateCollectionsCommand;
import io.apex.migrator.api.InvalidMessageException;
import io.apex.migrator.api.Messages;
import io.apex.migrator.api.MigrateCommand;
import io.apex.migrator.api.RawCommand;
import io.apex.migrator.api.RollbackAliasCommand;
import io.apex.migrator.api.RunControlCommand;
import io.apex.migrator.api.SchemaCommand;
import io.apex.migrator.qdrant.QdrantException;
import io.apex.migrator.qdrant.QdrantTransientException;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The one entry for commands: validates the message (JSON Schema, then the record), drops repeats, and hands
 * it by {@code type} to the area that owns it. An invalid command — or a record that is not a command at all —
 * yields a {@code migration-rejected} event naming the field and writes nothing; the caller's consumer goes on with
 * the next command once Kafka acknowledged the rejection.
 */
@ApplicationScoped
public class CommandDispatcher {

    private static final Logger LOGGER = Logger.getLogger(CommandDispatcher.class);

    private static final int COMMAND_ATTEMPTS = 3;

    private final Coordinator coordinator;
    private final RunControls controls;
    private final CollectionCommands collections;
    private final SchemaCommands schemas;
    private final CommandRejections rejections;
    private final RunStore runStore;
    private final RunFinisher finisher;
    private final PipelineConfig config;
    @Inject
    io.apex.migrator.release.ReleaseCommands releases;

    @Inject
    public CommandDispatcher(Coordinator coordinator, RunControls controls, CollectionCommands collections,
            SchemaCommands schemas, CommandRejections rejections, RunStore runStore, RunFinisher finisher,
            PipelineConfig config) {
        this.coordinator = coordinator;
        this.controls = controls;
        this.collections = collections;
        this.schemas = schemas;
        this.rejections = rejections;
        this.runStore = runStore;
        this.finisher = finisher;
        this.config = config;
    }

    /**
     * Handles one command record's value; never throws for a bad command (only for infrastructure failures).
     * {@code origin} names the record (topic, partition, offset) in a rejection that has no command id to name.
     */
    public void dispatch(RawCommand raw, String origin, BatchDispatcher batches) {
        Command command;
        try {
            command = Messages.get().readCommand(raw);
        } catch (InvalidMessageException e) {
            rejections.reject(raw.commandId().orElse(null), raw.type().orElse(null), e, origin);
            return;
        }
        Duration patience = config.transientPatience();
        try {
            // Every step is idempotent, so the command is simply handled again.
            Failsafe.with(transientRetries(command, patience)).run(attempt -> {
                try {
                    route(command, batches);
                } catch (QdrantTransientException e) {
                    // Like a worker's page: an outage shorter than apex.pipeline.transient-patience is waited out,
                    // and a command gets at least COMMAND_ATTEMPTS attempts however short that is.
                    int attempts = attempt.getAttemptCount() + 1;
                    if (attempts >= COMMAND_ATTEMPTS && attempt.getElapsedTime().compareTo(patience) >= 0) {
                        throw new PatienceSpent(attempts, e);
                    }
                    throw e;
                }
            });
        } catch (InvalidMessageException e) {
            rejections.reject(command.commandId(), command.type().wireName(), e, origin);
        } catch (PatienceSpent e) {
            giveUp(command, "Qdrant stayed unavailable after " + e.attempts + " attempts: "
                    + e.getCause().getMessage(), origin);
        } catch (QdrantException e) {
            giveUp(command, "Qdrant refused: " + e.getMessage(), origin);
        }
    }

    private RetryPolicy<Object> transientRetries(Command command, Duration patience) {
        return RetryPolicy.builder()
                .handle(QdrantTransientException.class)
                .withMaxRetries(-1)
                .withDelayFn(ctx -> Duration.ofMillis(Math.min(1000L * ctx.getAttemptCount(),
                        config.transientMaxBackoff().toMillis())))
                .onRetry(e -> LOGGER.warnf("command %s: Qdrant unavailable (%s); attempt %s, retrying for up to %s s",
                        command.commandId(), e.getLastException().getMessage(), e.getAttemptCount(),
                        patience.toSeconds()))
                .build();
    }

    private void route(Command command, BatchDispatcher batches) {
        if (command instanceof MigrateCommand migrate) {
            if (migrate.dryRun()) {
                coordinator.dryRun(migrate);
            } else {
                coordinator.start(migrate, batches);
            }
        } else if (command instanceof RunControlCommand control) {
            controls.apply(control);
        } else if (command instanceof RollbackAliasCommand rollback) {
            controls.rollback(rollback);
        } else if (command instanceof CreateCollectionsCommand create) {
            collections.create(create);
        } else if (command instanceof SchemaCommand schema) {
            schemas.apply(schema);
        } else if (command instanceof io.apex.migrator.api.ReleaseCommand release) {
            releases.handle(release);
        } else {
            throw new InvalidMessageException("$.type", "'" + command.type().wireName()
                    + "' is not served by this build yet");
        }
    }

    /**
     * Ends a command Qdrant would not serve: a run it already started (accepted, perhaps planned) is failed with
     * the reason, so it never stays 'accepted' for ever; a command without a run is rejected.
     */
    private void giveUp(Command command, String reason, String origin) {
        if (command instanceof MigrateCommand migrate && !migrate.dryRun()) {
            Optional<Run> run = runStore.findByCommand(command.commandId());
            if (run.isPresent() && !run.get().state().isFinal()) {
                finisher.fail(run.get(), "before the copy started: " + reason);
                return;
            }
        }
        rejections.reject(command.commandId(), command.type().wireName(), new InvalidMessageException("$", reason),
                origin);
    }

    /** Transient Qdrant errors outlasted both the attempts and the patience a command gets. */
    private static final class PatienceSpent extends RuntimeException {
        private final int attempts;

        PatienceSpent(int attempts, QdrantTransientException cause) {
            super(cause.getMessage(), cause);
            this.attempts = attempts;
        }
    }
}

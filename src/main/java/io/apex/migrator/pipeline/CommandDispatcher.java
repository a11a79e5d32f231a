package io.apex.migrator.pipeline;

import io.apex.migrator.api.Command;
import io.apex.migrator.api.CreateCollectionsCommand;
import io.apex.migrator.api.EventData;
import io.apex.migrator.api.EventType;
import io.apex.migrator.api.InvalidMessageException;
import io.apex.migrator.api.Messages;
import io.apex.migrator.api.MigrateCommand;
import io.apex.migrator.api.RollbackAliasCommand;
import io.apex.migrator.api.RunControlCommand;
import io.apex.migrator.api.SchemaCommand;
import io.apex.migrator.qdrant.QdrantException;
import io.apex.migrator.qdrant.QdrantTransientException;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The one entry for commands: validates the message (JSON Schema, then the record), drops repeats, and hands
 * it by {@code type} to the area that owns it. An invalid command yields a {@code migration-rejected} event
 * naming the field and writes nothing; the caller's consumer goes on with the next command.
 */
@ApplicationScoped
public class CommandDispatcher {

    private static final Logger LOGGER = Logger.getLogger(CommandDispatcher.class);

    private static final int COMMAND_ATTEMPTS = 3;

    private final Coordinator coordinator;
    private final RunControls controls;
    private final CollectionCommands collections;
    private final SchemaCommands schemas;
    private final EventPublisher events;
    private final RunStore runStore;
    private final RunFinisher finisher;
    private final PipelineConfig config;

    @Inject
    public CommandDispatcher(Coordinator coordinator, RunControls controls, CollectionCommands collections,
            SchemaCommands schemas, EventPublisher events, RunStore runStore, RunFinisher finisher,
            PipelineConfig config) {
        this.coordinator = coordinator;
        this.controls = controls;
        this.collections = collections;
        this.schemas = schemas;
        this.events = events;
        this.runStore = runStore;
        this.finisher = finisher;
        this.config = config;
    }

    /** Handles one command message; never throws for a bad command (only for infrastructure failures). */
    public void dispatch(String json, BatchDispatcher batches) {
        Command command;
        try {
            command = Messages.get().readCommand(json);
        } catch (InvalidMessageException e) {
            reject(Messages.get().peekCommandId(json).orElse(null), Messages.get().peekType(json).orElse(null), e);
            return;
        }
        long patienceEnds = System.nanoTime() + config.transientPatience().toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                route(command, batches);
                return;
            } catch (InvalidMessageException e) {
                reject(command.commandId(), command.type().wireName(), e);
                return;
            } catch (QdrantTransientException e) {
                // Every step is idempotent, so the command is simply handled again.
                // Like a worker's page: an outage shorter than apex.pipeline.transient-patience is waited out.
                if (attempt >= COMMAND_ATTEMPTS && System.nanoTime() - patienceEnds >= 0) {
                    giveUp(command, "Qdrant stayed unavailable after " + attempt + " attempts: " + e.getMessage());
                    return;
                }
                LOGGER.warnf("command %s: Qdrant unavailable (%s); attempt %s, retrying for up to %s s",
                        command.commandId(), e.getMessage(), attempt, config.transientPatience().toSeconds());
                Worker.sleep(Math.min(1000L * attempt, 10_000L));
            } catch (QdrantException e) {
                giveUp(command, "Qdrant refused: " + e.getMessage());
                return;
            }
        }
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
        } else {
            throw new InvalidMessageException("$.type", "'" + command.type().wireName()
                    + "' is not served by this build yet");
        }
    }

    /**
     * Ends a command Qdrant would not serve: a run it already started (accepted, perhaps planned) is failed with
     * the reason, so it never stays 'accepted' for ever; a command without a run is rejected.
     */
    private void giveUp(Command command, String reason) {
        if (command instanceof MigrateCommand migrate && !migrate.dryRun()) {
            Optional<Run> run = runStore.findByCommand(command.commandId());
            if (run.isPresent() && !run.get().state().isFinal()) {
                finisher.fail(run.get(), "before the copy started: " + reason);
                return;
            }
        }
        reject(command.commandId(), command.type().wireName(), new InvalidMessageException("$", reason));
    }

    private void reject(String commandId, String type, InvalidMessageException e) {
        LOGGER.warnf("command %s rejected: %s: %s", commandId == null ? "(no id)" : commandId, e.field(), e.reason());
        events.publishUnrecorded(EventType.REJECTED, EventData.rejection(commandId, type, e.field(), e.reason()));
    }
}

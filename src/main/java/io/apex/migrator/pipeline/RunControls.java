package io.apex.migrator.pipeline;

import io.apex.migrator.api.CommandType;
import io.apex.migrator.api.EventData;
import io.apex.migrator.api.EventType;
import io.apex.migrator.api.InvalidMessageException;
import io.apex.migrator.api.RollbackAliasCommand;
import io.apex.migrator.api.RunControlCommand;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunState;
import io.apex.migrator.state.RunStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Pause, resume, cancel, throttle, manual cutover and alias rollback: the commands that act on runs. */
@ApplicationScoped
public class RunControls {

    private static final Logger LOGGER = Logger.getLogger(RunControls.class);

    private final RunStore runStore;
    private final RunFinisher finisher;
    private final Cutover cutover;
    private final QdrantGateway gateway;
    private final EventPublisher events;

    @Inject
    public RunControls(RunStore runStore, RunFinisher finisher, Cutover cutover, QdrantGateway gateway,
            EventPublisher events) {
        this.runStore = runStore;
        this.finisher = finisher;
        this.cutover = cutover;
        this.gateway = gateway;
        this.events = events;
    }

    public void apply(RunControlCommand command) {
        Run run = runStore.findRun(UUID.fromString(command.runId())).orElseThrow(
                () -> new InvalidMessageException("$.runId", "no run " + command.runId()));
        if (run.state().isFinal()) {
            throw new InvalidMessageException("$.runId", "run " + run.id() + " has ended (" + run.state().db() + ")");
        }
        if (!runStore.markCommandProcessed(command.commandId(), command.type().wireName())) {
            return;
        }
        CommandType type = command.type();
        if (type == CommandType.RUN_PAUSE || type == CommandType.RUN_RESUME) {
            runStore.setPaused(run.id(), type == CommandType.RUN_PAUSE);
        } else if (type == CommandType.RUN_THROTTLE) {
            runStore.setThrottle(run.id(), command.maxPointsPerSecond());
        } else if (type == CommandType.RUN_CANCEL) {
            finisher.cancel(run, "cancelled by command " + command.commandId());
        } else if (type == CommandType.QDRANT_CUTOVER) {
            if (run.state() != RunState.READY_FOR_CUTOVER) {
                throw new InvalidMessageException("$.runId", "run " + run.id() + " is " + run.state().db()
                        + ", not ready-for-cutover");
            }
            finisher.requestCutover(run.id());
        }
        LOGGER.infof("run %s: %s applied (command %s)", run.id(), type.wireName(), command.commandId());
    }

    /** Points the alias back at the collection it had before the last completed run (or the one named). */
    public void rollback(RollbackAliasCommand command) {
        if (runStore.commandSeen(command.commandId())) {
            return;
        }
        String collection = command.collection();
        String runId = null;
        if (collection == null) {
            Run last = runStore.lastCompletedForAlias(command.alias()).orElseThrow(() -> new InvalidMessageException(
                    "$.alias", "no completed migration switched alias '" + command.alias() + "'; name the collection"));
            collection = last.previousCollection();
            runId = last.id().toString();
        }
        if (!gateway.collectionExists(collection)) {
            throw new InvalidMessageException(command.collection() == null ? "$.alias" : "$.collection",
                    "collection '" + collection + "' does not exist (was it dropped at cutover?)");
        }
        // Pointing the alias is idempotent: the command is recorded processed only once the alias points there, so
        // a retry after a transient error moves it instead of finding the command done.
        String previous = cutover.pointAlias(command.alias(), collection);
        if (!runStore.markCommandProcessed(command.commandId(), command.type().wireName())) {
            return;
        }
        LOGGER.infof("alias %s rolled back %s -> %s (command %s)", command.alias(), previous, collection,
                command.commandId());
        events.publishRunEvent(EventType.ALIAS_SWAPPED, EventData.forRun(runId, command.commandId())
                .commandType(command.type().wireName()).collections(null, collection, command.alias())
                .previousCollection(previous).build(), false);
    }
}

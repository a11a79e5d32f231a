package io.apex.migrator.pipeline;

import io.apex.migrator.CrashPoint;
import io.apex.migrator.api.CommandType;
import io.apex.migrator.api.EventData;
import io.apex.migrator.api.EventType;
import io.apex.migrator.api.InvalidMessageException;
import io.apex.migrator.api.RollbackAliasCommand;
import io.apex.migrator.api.RunControlCommand;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.state.CutoverRequest;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunStore;
import io.apex.migrator.state.VerificationStore;
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
    private final VerificationStore verifications;
    private final RunDriver driver;

    @Inject
    public RunControls(RunStore runStore, RunFinisher finisher, Cutover cutover, QdrantGateway gateway,
            EventPublisher events, VerificationStore verifications, RunDriver driver) {
        this.verifications = verifications;
        this.driver = driver;
        this.runStore = runStore;
        this.finisher = finisher;
        this.cutover = cutover;
        this.gateway = gateway;
        this.events = events;
    }

    /**
     * Applies a control command; the command is recorded processed in the same transaction as its effect, so a
     * redelivered command is a no-op and a command that failed half-way is handled again whole.
     */
    public void apply(RunControlCommand command) {
        if (runStore.commandSeen(command.commandId())) {
            LOGGER.infof("command %s seen before; nothing to do", command.commandId());
            return;
        }
        Run run = runStore.findRun(UUID.fromString(command.runId())).orElseThrow(
                () -> new InvalidMessageException("$.runId", "no run " + command.runId()));
        if (run.state().isFinal()) {
            throw new InvalidMessageException("$.runId", "run " + run.id() + " has ended (" + run.state().db() + ")");
        }
        CommandType type = command.type();
        String wire = type.wireName();
        boolean applied;
        if (type == CommandType.RUN_PAUSE || type == CommandType.RUN_RESUME) {
            applied = runStore.setPaused(run.id(), type == CommandType.RUN_PAUSE, command.commandId(), wire);
        } else if (type == CommandType.RUN_THROTTLE) {
            applied = runStore.setThrottle(run.id(), command.maxPointsPerSecond(), command.commandId(), wire);
        } else if (type == CommandType.RUN_CANCEL) {
            applied = finisher.cancel(run, "cancelled by command " + command.commandId(), command.commandId(), wire);
            if (!applied && !runStore.commandSeen(command.commandId())) {
                throw new InvalidMessageException("$.runId", "run " + run.id() + " ended before it could be cancelled");
            }
        } else if (type == CommandType.QDRANT_CUTOVER) {
            // the store decides on the state it reads under the run's lock: one read here could be stale by then
            CutoverRequest request = verifications.requestCutover(run.id(), command.commandId(), wire);
            if (request.refused()) {
                throw new InvalidMessageException("$.runId", CutoverRequest.notWaiting(run.id(), request.stateRead()));
            }
            applied = request.recorded();
            CrashPoint.reached(CrashPoint.MID_CUTOVER_COMMAND, run.source());
            driver.wake(run.id());
        } else {
            throw new InvalidMessageException("$.type", "'" + wire + "' is no run control");
        }
        LOGGER.infof("run %s: %s %s (command %s)", run.id(), wire, applied ? "applied" : "was applied before",
                command.commandId());
    }

    /**
     * Points an existing alias back at the collection it had before the last completed run (or the one named). A
     * rollback never creates an alias: one that does not exist is refused naming {@code $.alias}, nothing written.
     */
    public void rollback(RollbackAliasCommand command) {
        if (runStore.commandSeen(command.commandId())) {
            return;
        }
        if (!gateway.aliases().containsKey(command.alias())) {
            throw new InvalidMessageException("$.alias", "no alias '" + command.alias() + "' exists; a rollback moves "
                    + "an existing alias back and never creates one");
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

package io.apex.migrator.pipeline;

import io.apex.migrator.api.InvalidMessageException;
import io.apex.migrator.api.Messages;
import io.apex.migrator.api.SchemaCommand;
import io.apex.migrator.schema.Migration;
import io.apex.migrator.schema.SchemaException;
import io.apex.migrator.schema.SchemaMigrations;
import io.apex.migrator.schema.Store;
import io.apex.migrator.schema.Version;
import io.apex.migrator.state.SchemaJobs;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * {@code postgres.upgrade} / {@code postgres.downgrade} / {@code neo4j.up} / {@code neo4j.down} over Kafka: the command
 * is checked against the shipped migrations (a target that is one of them, no more steps than there are), then
 * becomes a durable schema job (recorded with the command's processed mark) and is handed to the lifecycle pool, so
 * the commands consumer goes on at once while an index builds for hours; {@link SchemaJobRunner} does the work. A
 * command refused here writes nothing, so a corrected one can be sent again with the same id.
 */
@ApplicationScoped
public class SchemaCommands {

    private static final Logger LOGGER = Logger.getLogger(SchemaCommands.class);

    private final SchemaJobs jobs;
    private final SchemaJobRunner runner;
    private final SchemaMigrations migrations;

    @Inject
    public SchemaCommands(SchemaJobs jobs, SchemaJobRunner runner, SchemaMigrations migrations) {
        this.jobs = jobs;
        this.runner = runner;
        this.migrations = migrations;
    }

    public void apply(SchemaCommand command) {
        validate(command);
        if (!jobs.create(command.commandId(), command.type().wireName(), Messages.get().write(command))) {
            LOGGER.infof("command %s seen before; its job is %s", command.commandId(),
                    jobs.find(command.commandId()).map(SchemaJobs.Job::state).orElse("gone"));
        }
        runner.wake(command.commandId());
    }

    /** @throws InvalidMessageException naming {@code $.target} or {@code $.steps} when the scripts cannot serve it */
    private void validate(SchemaCommand command) {
        Store store = "postgres".equals(command.store()) ? Store.POSTGRES : Store.NEO4J;
        List<Migration> shipped;
        try {
            shipped = migrations.available(store);
        } catch (SchemaException e) {
            throw new InvalidMessageException("$.type", "the " + store.id() + " migrations of this build cannot be "
                    + "read: " + e.getMessage());
        }
        if (command.target() != null) {
            Version target;
            try {
                target = Version.parse(command.target());
            } catch (SchemaException e) {
                throw new InvalidMessageException("$.target", e.getMessage());
            }
            if (shipped.stream().noneMatch(m -> m.version().equals(target))) {
                throw new InvalidMessageException("$.target", "version " + target + " is not among the " + store.id()
                        + " migrations (" + labels(shipped) + ")");
            }
        }
        if (command.steps() != null && command.steps() > shipped.size()) {
            throw new InvalidMessageException("$.steps", "cannot roll back " + command.steps() + " migrations: "
                    + store.id() + " has " + shipped.size() + " (" + labels(shipped) + ")");
        }
    }

    private static String labels(List<Migration> shipped) {
        return shipped.isEmpty() ? "none" : shipped.stream().map(m -> m.version().label())
                .collect(Collectors.joining(", "));
    }
}

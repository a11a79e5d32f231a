package io.apex.migrator.pipeline;

import io.apex.migrator.api.Messages;
import io.apex.migrator.api.SchemaCommand;
import io.apex.migrator.state.SchemaJobs;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * {@code postgres.upgrade} / {@code postgres.downgrade} / {@code neo4j.up} / {@code neo4j.down} over Kafka: the command
 * becomes a durable schema job (recorded with the command's processed mark) and is handed to the lifecycle pool, so
 * the commands consumer goes on at once while an index builds for hours; {@link SchemaJobRunner} does the work.
 */
@ApplicationScoped
public class SchemaCommands {

    private static final Logger LOGGER = Logger.getLogger(SchemaCommands.class);

    private final SchemaJobs jobs;
    private final SchemaJobRunner runner;

    @Inject
    public SchemaCommands(SchemaJobs jobs, SchemaJobRunner runner) {
        this.jobs = jobs;
        this.runner = runner;
    }

    public void apply(SchemaCommand command) {
        if (!jobs.create(command.commandId(), command.type().wireName(), Messages.get().write(command))) {
            LOGGER.infof("command %s seen before; its job is %s", command.commandId(),
                    jobs.find(command.commandId()).map(SchemaJobs.Job::state).orElse("gone"));
        }
        runner.wake(command.commandId());
    }
}

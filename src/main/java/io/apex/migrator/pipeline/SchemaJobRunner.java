package io.apex.migrator.pipeline;

import io.apex.migrator.api.EventData;
import io.apex.migrator.api.EventType;
import io.apex.migrator.api.InvalidMessageException;
import io.apex.migrator.api.Messages;
import io.apex.migrator.api.SchemaCommand;
import io.apex.migrator.observability.RunContext;
import io.apex.migrator.schema.IndexState;
import io.apex.migrator.schema.SchemaException;
import io.apex.migrator.schema.SchemaMigrations;
import io.apex.migrator.schema.SchemaResult;
import io.apex.migrator.schema.Store;
import io.apex.migrator.schema.Version;
import io.apex.migrator.state.Leases;
import io.apex.migrator.state.SchemaJobs;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Runs a schema job under its lease: the schema area's engine applies the migrations under its own lock; the job then
 * ends with {@code schema-ready} (store, version, migrations applied, indexes) or {@code migration-failed} with the
 * engine's message, recorded with the job's end. A job whose replica died mid-way is run again by the replica that
 * takes its expired lease over (applied versions are skipped).
 */
@ApplicationScoped
public class SchemaJobRunner {

    private static final Logger LOGGER = Logger.getLogger(SchemaJobRunner.class);

    private final SchemaJobs jobs;
    private final SchemaMigrations migrations;
    private final Leases leases;
    private final LifecyclePool pool;
    private final EventPublisher events;
    private final PipelineConfig config;

    @Inject
    public SchemaJobRunner(SchemaJobs jobs, SchemaMigrations migrations, Leases leases, LifecyclePool pool,
            EventPublisher events, PipelineConfig config) {
        this.jobs = jobs;
        this.migrations = migrations;
        this.leases = leases;
        this.pool = pool;
        this.events = events;
        this.config = config;
    }

    /** Has the job run: on the lifecycle pool in worker mode, here otherwise. */
    public void wake(String commandId) {
        if (config.enabled()) {
            pool.submit("schema job " + commandId, () -> run(commandId));
        } else {
            run(commandId);
        }
    }

    /** Runs the job if its lease is free (or expired); a job that ended or is held by a live replica is left alone. */
    public void run(String commandId) {
        if (!leases.acquire(Leases.Kind.SCHEMA_JOB, commandId, pool.owner(), config.lifecycle().lease())) {
            return;
        }
        pool.holding(Leases.Kind.SCHEMA_JOB, commandId);
        boolean ended = false;
        try (RunContext.Scope mdc = RunContext.enter(commandId, null)) {
            Optional<SchemaJobs.Job> job = jobs.find(commandId);
            if (job.isEmpty() || !("pending".equals(job.get().state()) || "running".equals(job.get().state()))) {
                return;
            }
            SchemaCommand command;
            try {
                command = (SchemaCommand) Messages.get().readCommand(job.get().commandJson());
            } catch (InvalidMessageException e) {
                // stored by a build that wrote it otherwise: no later attempt would read it either
                ended = jobs.finish(commandId, "failed", EventPublisher.event(EventType.FAILED, EventData.forRun(null,
                        commandId).store(storeOf(job.get().type())).commandType(job.get().type()).reason("the stored schema job cannot be read: " + e.getMessage()).build(), true));
                events.sendSoon();
                return;
            }
            if (job.get().attempts() > 0) {
                LOGGER.infof("schema job %s: taken over (attempt %s)", commandId, job.get().attempts() + 1);
            }
            jobs.begin(commandId);
            EventData.Builder data = EventData.forRun(null, commandId).store(command.store())
                    .commandType(command.type().wireName());
            Store store = "postgres".equals(command.store()) ? Store.POSTGRES : Store.NEO4J;
            try {
                SchemaResult result = command.isUpgrade()
                        ? migrations.upgrade(store, Optional.ofNullable(command.target()), commandId)
                        : migrations.downgrade(store, command.steps() == null ? 1 : command.steps(), commandId);
                pool.released(commandId);
                ended = jobs.finish(commandId, "done", EventPublisher.event(EventType.SCHEMA_READY,
                        data.details(details(result)).build(), true));
            } catch (SchemaException e) {
                pool.released(commandId);
                ended = jobs.finish(commandId, "failed", EventPublisher.event(EventType.FAILED,
                        data.reason(e.getMessage()).build(), true));
            }
            events.sendSoon();
        } finally {
            pool.released(commandId);
            if (!ended) {
                leases.release(Leases.Kind.SCHEMA_JOB, commandId, pool.owner());
            }
        }
    }

    private static String storeOf(String commandType) {
        return io.apex.migrator.api.CommandType.fromWire(commandType).map(io.apex.migrator.api.CommandType::store)
                .orElse(null);
    }

    private static Map<String, Object> details(SchemaResult result) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("store", result.store().name().toLowerCase());
        details.put("direction", result.direction().name().toLowerCase());
        details.put("version", result.version().map(Version::label).orElse("none"));
        details.put("migrated", result.migrated().stream().map(Version::label).toList());
        details.put("repaired", result.repaired());
        details.put("indexes", result.indexes().stream().map(IndexState::name).toList());
        return details;
    }
}

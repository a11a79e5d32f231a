package io.apex.migrator.cli;

import io.apex.migrator.schema.SchemaMigrations;
import io.apex.migrator.schema.Store;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** PostgreSQL + pgvector schema migrations (connection: {@code apex.postgres.*}). */
@Command(name = "postgres", mixinStandardHelpOptions = true, description = "PostgreSQL + pgvector schema migrations.",
        subcommands = {PostgresCommand.Upgrade.class, PostgresCommand.Downgrade.class, PostgresCommand.History.class,
            PostgresCommand.Status.class})
public final class PostgresCommand {

    @Command(name = "upgrade", mixinStandardHelpOptions = true, description = {
        "Apply pending migrations up to TARGET (default: head).",
        "Destructive: first DROPS and rebuilds INVALID indexes a failed concurrent build left, then runs the scripts, "
                + "which may drop what they replace (V002 drops the IVFFlat indexes). With --backup a pg_dump comes "
                + "before all of it. --dry-run shows what would run and changes nothing."})
    static final class Upgrade implements Runnable {
        @Parameters(arity = "0..1", paramLabel = "TARGET", description = "Version to migrate to, e.g. V002 or 2.")
        String target;

        @Option(names = "--backup", paramLabel = "FILE",
                description = "Write a pg_dump of the database to FILE before applying anything (needs pg_dump on PATH).")
        Path backup;

        @Option(names = "--dry-run", description = "Show the scripts that would run and the indexes that would be "
                + "dropped and rebuilt; change nothing.")
        boolean dryRun;

        @Spec
        CommandSpec spec;

        @Inject
        SchemaMigrations migrations;

        @Override
        public void run() {
            if (dryRun) {
                SchemaOutput.preview(spec.commandLine().getOut(), migrations.previewUpgrade(Store.POSTGRES,
                        Optional.ofNullable(target)), Optional.ofNullable(backup));
                return;
            }
            SchemaOutput.result(spec.commandLine().getOut(), migrations.upgrade(Store.POSTGRES, Optional.ofNullable(target),
                    Optional.ofNullable(backup), SchemaOutput.newRunId()));
        }
    }

    @Command(name = "downgrade", mixinStandardHelpOptions = true, description = {
        "Roll back the last N migrations (default 1).",
        "Destructive: runs their rollback scripts, which DROP what those migrations created (tables, columns, "
                + "indexes) and the data in them. --dry-run shows which scripts would run and changes nothing."})
    static final class Downgrade implements Runnable {
        @Parameters(arity = "0..1", paramLabel = "N", defaultValue = "1", description = "How many to roll back.")
        int steps;

        @Option(names = "--dry-run", description = "Show the rollback scripts that would run; change nothing.")
        boolean dryRun;

        @Spec
        CommandSpec spec;

        @Inject
        SchemaMigrations migrations;

        @Override
        public void run() {
            if (dryRun) {
                SchemaOutput.preview(spec.commandLine().getOut(), migrations.previewDowngrade(Store.POSTGRES, steps),
                        Optional.empty());
                return;
            }
            SchemaOutput.result(spec.commandLine().getOut(), migrations.downgrade(Store.POSTGRES, steps,
                    SchemaOutput.newRunId()));
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true, description = "Show the applied migrations.")
    static final class History implements Runnable {
        @Mixin
        OutputFormat output;

        @Spec
        CommandSpec spec;

        @Inject
        SchemaMigrations migrations;

        @Override
        public void run() {
            if (output.json()) {
                output.print(spec.commandLine().getOut(), SchemaOutput.historyJson(migrations.history(Store.POSTGRES)));
                return;
            }
            SchemaOutput.history(spec.commandLine().getOut(), migrations.history(Store.POSTGRES));
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show applied, pending and invalid state.")
    static final class Status implements Runnable {
        @Mixin
        OutputFormat output;

        @Spec
        CommandSpec spec;

        @Inject
        SchemaMigrations migrations;

        @Override
        public void run() {
            if (output.json()) {
                output.print(spec.commandLine().getOut(), SchemaOutput.statusJson(migrations.status(Store.POSTGRES)));
                return;
            }
            SchemaOutput.status(spec.commandLine().getOut(), migrations.status(Store.POSTGRES));
        }
    }
}

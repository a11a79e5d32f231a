package io.apex.migrator.cli;

import io.apex.migrator.schema.SchemaMigrations;
import io.apex.migrator.schema.Store;
import io.apex.migrator.schema.neo4j.CypherTemplates;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Neo4j schema migrations: versions tracked as :SchemaVersion nodes in the graph (connection: {@code apex.neo4j.*}). */
@Command(name = "neo4j", mixinStandardHelpOptions = true, description = "Neo4j schema migrations.",
        subcommands = {Neo4jCommand.Status.class, Neo4jCommand.Up.class, Neo4jCommand.Down.class,
            Neo4jCommand.Create.class})
public final class Neo4jCommand {

    /** Where {@code create} writes when neither --dir nor a directory {@code apex.neo4j.migrations-dir} is given. */
    static final String SOURCE_DIR = "src/main/resources/db/neo4j";

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show applied and pending migrations.")
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
                output.print(spec.commandLine().getOut(), SchemaOutput.statusJson(migrations.status(Store.NEO4J)));
                return;
            }
            SchemaOutput.status(spec.commandLine().getOut(), migrations.status(Store.NEO4J));
        }
    }

    @Command(name = "up", mixinStandardHelpOptions = true, description = {
        "Apply pending migrations up to TARGET (default: all).",
        "The scripts may drop what they replace (constraints, indexes). --dry-run shows which would run and changes "
                + "nothing."})
    static final class Up implements Runnable {
        @Parameters(arity = "0..1", paramLabel = "TARGET", description = "Version to migrate to, e.g. V002 or 2.")
        String target;

        @Option(names = "--dry-run", description = "Show the scripts that would run; change nothing.")
        boolean dryRun;

        @Spec
        CommandSpec spec;

        @Inject
        SchemaMigrations migrations;

        @Override
        public void run() {
            if (dryRun) {
                SchemaOutput.preview(spec.commandLine().getOut(), migrations.previewUpgrade(Store.NEO4J,
                        Optional.ofNullable(target)), Optional.empty());
                return;
            }
            SchemaOutput.result(spec.commandLine().getOut(), migrations.upgrade(Store.NEO4J, Optional.ofNullable(target),
                    SchemaOutput.newRunId()));
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = {
        "Roll back the last N migrations (default 1).",
        "Destructive: runs their rollback scripts, which DROP what those migrations created (constraints, indexes, "
                + "nodes they added). --dry-run shows which scripts would run and changes nothing."})
    static final class Down implements Runnable {
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
                SchemaOutput.preview(spec.commandLine().getOut(), migrations.previewDowngrade(Store.NEO4J, steps),
                        Optional.empty());
                return;
            }
            SchemaOutput.result(spec.commandLine().getOut(), migrations.downgrade(Store.NEO4J, steps,
                    SchemaOutput.newRunId()));
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Write the next-numbered migration pair.")
    static final class Create implements Runnable {
        @Parameters(paramLabel = "DESCRIPTION", description = "What the migration does.")
        String description;

        @Option(names = "--dir", paramLabel = "DIR", description = "Scripts directory (default: apex.neo4j.migrations-dir "
                + "when it is a directory, else " + SOURCE_DIR + ").")
        Path dir;

        @Spec
        CommandSpec spec;

        @Inject
        SchemaMigrations migrations;

        @Override
        public void run() {
            String configured = migrations.migrationsDir(Store.NEO4J);
            Path target = dir != null ? dir : Path.of(configured.startsWith("classpath:") ? SOURCE_DIR : configured);
            for (Path written : CypherTemplates.createNext(target, description)) {
                spec.commandLine().getOut().println("created " + written);
            }
        }
    }
}

package io.apex.migrator.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Neo4j schema migrations: versions tracked as :SchemaVersion nodes in the graph. */
@Command(name = "neo4j", mixinStandardHelpOptions = true, description = "Neo4j schema migrations.",
        subcommands = {Neo4jCommand.Status.class, Neo4jCommand.Up.class, Neo4jCommand.Down.class,
            Neo4jCommand.Create.class})
public final class Neo4jCommand {

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show applied and pending migrations.")
    static final class Status implements Runnable {
        @Override
        public void run() {
            throw new NotImplementedException("neo4j status");
        }
    }

    @Command(name = "up", mixinStandardHelpOptions = true, description = "Apply pending migrations up to TARGET (default: all).")
    static final class Up implements Runnable {
        @Parameters(arity = "0..1", paramLabel = "TARGET", description = "Version to migrate to.")
        String target;

        @Override
        public void run() {
            throw new NotImplementedException("neo4j up");
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = "Roll back the last N migrations (default 1).")
    static final class Down implements Runnable {
        @Parameters(arity = "0..1", paramLabel = "N", defaultValue = "1", description = "How many to roll back.")
        int steps;

        @Override
        public void run() {
            throw new NotImplementedException("neo4j down");
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Write the next-numbered migration pair.")
    static final class Create implements Runnable {
        @Parameters(paramLabel = "DESCRIPTION", description = "What the migration does.")
        String description;

        @Override
        public void run() {
            throw new NotImplementedException("neo4j create");
        }
    }
}

package io.apex.migrator.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** PostgreSQL + pgvector schema migrations. */
@Command(name = "postgres", mixinStandardHelpOptions = true, description = "PostgreSQL + pgvector schema migrations.",
        subcommands = {PostgresCommand.Upgrade.class, PostgresCommand.Downgrade.class, PostgresCommand.History.class,
            PostgresCommand.Status.class})
public final class PostgresCommand {

    @Command(name = "upgrade", mixinStandardHelpOptions = true, description = "Apply pending migrations up to TARGET (default: head).")
    static final class Upgrade implements Runnable {
        @Parameters(arity = "0..1", paramLabel = "TARGET", description = "Version to migrate to.")
        String target;

        @Override
        public void run() {
            throw new NotImplementedException("postgres upgrade");
        }
    }

    @Command(name = "downgrade", mixinStandardHelpOptions = true, description = "Roll back the last N migrations (default 1).")
    static final class Downgrade implements Runnable {
        @Parameters(arity = "0..1", paramLabel = "N", defaultValue = "1", description = "How many to roll back.")
        int steps;

        @Override
        public void run() {
            throw new NotImplementedException("postgres downgrade");
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true, description = "Show the applied migrations.")
    static final class History implements Runnable {
        @Override
        public void run() {
            throw new NotImplementedException("postgres history");
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show applied, pending and invalid state.")
    static final class Status implements Runnable {
        @Override
        public void run() {
            throw new NotImplementedException("postgres status");
        }
    }
}

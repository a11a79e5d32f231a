package io.apex.migrator.cli;

import picocli.CommandLine.Command;

/** Qdrant collections as code and the event-driven data migration. */
@Command(name = "qdrant", mixinStandardHelpOptions = true, description = "Qdrant collections and data migration.",
        subcommands = {QdrantCommand.CreateCollections.class, QdrantCommand.Migrate.class})
public final class QdrantCommand {

    @Command(name = "create-collections", mixinStandardHelpOptions = true,
            description = "Create the versioned collections from their specs (idempotent).")
    static final class CreateCollections implements Runnable {
        @Override
        public void run() {
            throw new NotImplementedException("qdrant create-collections");
        }
    }

    @Command(name = "migrate", mixinStandardHelpOptions = true,
            description = "Copy a collection into its new version through Kafka and swap the alias.")
    static final class Migrate implements Runnable {
        @Override
        public void run() {
            throw new NotImplementedException("qdrant migrate");
        }
    }
}

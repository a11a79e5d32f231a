package io.apex.migrator.cli;

import picocli.CommandLine.Command;

/** Qdrant collections as code and the event-driven data migration. */
@Command(name = "qdrant", mixinStandardHelpOptions = true, description = "Qdrant collections and data migration.",
        subcommands = {CreateCollectionsCommand.class, QdrantCommand.Migrate.class, CutoverCommand.class,
            VerifyCommand.class, RollbackAliasCliCommand.class, RecallCommand.class,
            SnapshotsCommand.class})
public final class QdrantCommand {

    @Command(name = "migrate", mixinStandardHelpOptions = true,
            description = "Copy a collection into its new version through Kafka and swap the alias.")
    static final class Migrate extends QdrantMigrate {
    }
}

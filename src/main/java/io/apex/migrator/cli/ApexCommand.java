package io.apex.migrator.cli;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;

/** The top of the CLI tree; sub-commands mirror the seed's scripts plus the long-running worker. */
@TopCommand
@Command(name = "apex-migrator", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Zero-downtime schema and data migrations for Qdrant, PostgreSQL+pgvector and Neo4j.",
        subcommands = {
            Neo4jCommand.class,
            PostgresCommand.class,
            QdrantCommand.class,
            StatusCommand.class,
            WorkerCommand.class,
            ProxyCommand.class,
            BenchCommand.class,
            ReleaseCliCommand.class
        })
public final class ApexCommand {
}

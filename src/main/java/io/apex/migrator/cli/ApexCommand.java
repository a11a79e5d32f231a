package io.apex.migrator.cli;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

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
            ReleaseCliCommand.class,
            RunCommand.class,
            CompletionCommand.class
        })
public final class ApexCommand {

    // Both are read by io.apex.migrator.CliLogging before Quarkus starts (logging is configured then); declared
    // here so every command accepts them and lists them in its help.
    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Print INFO logs too (default: warnings only; none on the terminal while a progress bar is "
                    + "shown).")
    boolean verbose;

    @Option(names = "--log-file", paramLabel = "PATH", scope = ScopeType.INHERIT,
            description = "Where --follow writes its logs (default: APEX_LOG_FILE, else a new file in the temp "
                    + "directory; its path is printed once).")
    String logFile;
}

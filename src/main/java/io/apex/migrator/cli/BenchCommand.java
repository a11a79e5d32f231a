package io.apex.migrator.cli;

import io.apex.migrator.bench.BenchReport;
import io.apex.migrator.bench.BenchRow;
import io.apex.migrator.bench.QueryBench;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.schema.postgres.PostgresSchemaConfig;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Benchmarks that measure what a migration buys. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks.",
        subcommands = {BenchCommand.Queries.class})
public final class BenchCommand {

    @Command(name = "queries", mixinStandardHelpOptions = true,
            description = "Query latency and recall@10 before (V001) and after (V002) the PostgreSQL migration, "
                    + "and float vs INT8-quantized search on Qdrant. Uses scratch schemas/collections only.")
    static final class Queries implements Callable<Integer> {

        @Option(names = "--vector-rows", defaultValue = "5000", description = "Rows with embeddings (pgvector). Default ${DEFAULT-VALUE}.")
        int vectorRows;

        @Option(names = "--jsonb-rows", defaultValue = "100000", description = "Rows for the JSONB figures. Default ${DEFAULT-VALUE}.")
        int jsonbRows;

        @Option(names = "--qdrant-points", defaultValue = "5000", description = "Points per Qdrant collection. Default ${DEFAULT-VALUE}.")
        int qdrantPoints;

        @Option(names = "--queries", defaultValue = "50", description = "Queries per kind. Default ${DEFAULT-VALUE}.")
        int queries;

        @Option(names = "--dimensions", defaultValue = "1536", description = "Embedding size. Default ${DEFAULT-VALUE}.")
        int dimensions;

        @Option(names = "--seed", defaultValue = "42", description = "Data generator seed. Default ${DEFAULT-VALUE}.")
        long seed;

        @Option(names = "--jsonb-jdbc-url", description = "A PostgreSQL (no pgvector needed) for native JSONB/GIN figures; "
                + "same user/password as apex.postgres.")
        Optional<String> jsonbJdbcUrl;

        @Option(names = "--skip-pgvector", description = "Skip the pgvector (V001 vs V002) part.")
        boolean skipPgvector;

        @Option(names = "--skip-qdrant", description = "Skip the Qdrant part.")
        boolean skipQdrant;

        @Inject
        PostgresSchemaConfig postgres;

        @Inject
        QdrantGateway gateway;

        @Override
        public Integer call() throws Exception {
            List<BenchRow> rows = QueryBench.run(new QueryBench.Options(dimensions, vectorRows, jsonbRows, qdrantPoints,
                    queries, seed, !skipPgvector, !skipQdrant, jsonbJdbcUrl), postgres.settings(), gateway);
            System.out.print(BenchReport.table(rows));
            return 0;
        }
    }
}

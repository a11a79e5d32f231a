package io.apex.migrator.bench;

import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.schema.postgres.PostgresSettings;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Runs the query benchmarks that are asked for and collects their rows. */
public final class QueryBench {

    /** What to run and how big. */
    public record Options(int dimensions, int vectorRows, int jsonbRows, int qdrantPoints, int queries, long seed,
            boolean pgvector, boolean qdrant, Optional<String> jsonbJdbcUrl) {

        public Options {
            if (dimensions < 2 || vectorRows < 20 || jsonbRows < 20 || qdrantPoints < 20 || queries < 1) {
                throw new IllegalArgumentException("bench sizes too small: dimensions >= 2, rows/points >= 20, queries >= 1");
            }
        }
    }

    private QueryBench() {
    }

    public static List<BenchRow> run(Options options, PostgresSettings postgres, QdrantGateway gateway)
            throws SQLException {
        SyntheticEmbeddings embeddings = new SyntheticEmbeddings(options.dimensions(), 64, options.seed());
        List<BenchRow> rows = new ArrayList<>();
        if (options.pgvector()) {
            rows.addAll(new PostgresQueryBench(postgres, embeddings,
                    new QueryMix(options.vectorRows(), options.queries())).run());
        }
        if (options.jsonbJdbcUrl().isPresent()) {
            rows.addAll(new JsonbQueryBench(options.jsonbJdbcUrl().get(), postgres.username(), postgres.password(),
                    new QueryMix(options.jsonbRows(), options.queries())).run());
        }
        if (options.qdrant()) {
            rows.addAll(new QdrantQueryBench(gateway, embeddings, options.qdrantPoints(), options.queries()).run());
        }
        return rows;
    }
}

package io.apex.migrator.bench;

import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.schema.postgres.PostgresSettings;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Runs the query benchmarks that are asked for and collects their rows. */
public final class QueryBench {

    /** What to run and how big. */
    public record Options(int dimensions, int vectorRows, int jsonbRows, int qdrantPoints, int queries, long seed,
            boolean pgvector, boolean qdrant, Optional<String> jsonbJdbcUrl, Optional<String> indexMatrixWorkMem) {

        public Options {
            if (dimensions < 2 || vectorRows < 20 || jsonbRows < 20 || qdrantPoints < 20 || queries < 1) {
                throw new IllegalArgumentException("bench sizes too small: dimensions >= 2, rows/points >= 20, queries >= 1");
            }
            if (pgvector && dimensions != 1536) {
                throw new IllegalArgumentException("the V001-vs-V002 part uses the migrations' vector(1536) columns: "
                        + "--dimensions other than 1536 needs --skip-pgvector (the index matrix takes any)");
            }
            indexMatrixWorkMem.ifPresent(memory -> new PgvectorIndexBench.Options(vectorRows, dimensions, queries, seed, memory));
        }

        /** Only the index matrix (exact vs IVFFlat vs HNSW, JSONB with/without GIN) at the given sizes. */
        public static Options indexMatrix(int dimensions, int rows, int queries, long seed, String maintenanceWorkMem) {
            return new Options(dimensions, rows, rows, rows, queries, seed, false, false, Optional.empty(),
                    Optional.of(maintenanceWorkMem));
        }
    }

    /** The measured rows, and the indexes the index matrix built (empty without it). */
    public record Report(List<BenchRow> rows, List<IndexBuild> builds) {
    }

    private QueryBench() {
    }

    public static Report run(Options options, PostgresSettings postgres, QdrantGateway gateway)
            throws SQLException, IOException {
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
        List<IndexBuild> builds = new ArrayList<>();
        if (options.indexMatrixWorkMem().isPresent()) {
            PgvectorIndexBench.Result matrix = new PgvectorIndexBench(postgres, new PgvectorIndexBench.Options(
                    options.vectorRows(), options.dimensions(), options.queries(), options.seed(),
                    options.indexMatrixWorkMem().get())).run();
            rows.addAll(matrix.rows());
            builds.addAll(matrix.builds());
        }
        return new Report(rows, builds);
    }
}

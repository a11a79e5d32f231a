package io.apex.migrator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.QdrantSettings;
import io.apex.migrator.qdrant.standin.QdrantStandIn;
import io.apex.migrator.schema.postgres.PostgresSettings;
import io.apex.migrator.support.LocalStack;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The query benchmark in CI size: every figure is produced and plausible; figures themselves go to README. */
class QueryBenchIT {

    @Test
    void everyQueryKindIsMeasuredBeforeAndAfterTheMigrationWithRecallInRange() throws Exception {
        // given
        PostgresSettings pgvector = new PostgresSettings(LocalStack.pgvectorJdbcUrl(), "postgres", Optional.of("postgres"),
                "public", "classpath:db/postgres", Duration.ofSeconds(30));
        QdrantStandIn.Shared qdrant = QdrantStandIn.shared();
        QueryBench.Options options = new QueryBench.Options(1536, 200, 500, 200, 5, 7, true, true,
                Optional.of(LocalStack.postgresJdbcUrl()), Optional.empty());

        // when
        List<BenchRow> rows;
        try (QdrantGateway gateway = QdrantGateway.connect(QdrantSettings.of(qdrant.host(), qdrant.port()))) {
            rows = QueryBench.run(options, pgvector, gateway).rows();
        }

        // then
        assertThat(rows).extracting(r -> r.store() + " / " + r.query() + " / " + r.variant().substring(0, 4))
                .contains("postgres+pgvector / vector top-10 / V001", "postgres+pgvector / vector top-10 / V002",
                        "postgres+pgvector / jsonb containment (@>) / V001", "postgres+pgvector / jsonb containment (@>) / V002",
                        "postgres 15 / jsonb containment (@>) / V001", "postgres 15 / type + source (composite) / V002",
                        "qdrant / vector top-10 / floa", "qdrant / vector top-10 / int8");
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.latency().samples()).isEqualTo(5);
            assertThat(r.latency().p50Ms()).isPositive();
            r.recallAt10().ifPresent(recall -> assertThat(recall).isBetween(0.0, 1.0));
        });
        assertThat(rows.stream().filter(r -> r.query().startsWith("vector")))
                .allSatisfy(r -> assertThat(r.recallAt10()).isPresent());
        String table = BenchReport.table(rows);
        System.out.print(table);
        assertThat(table).contains("recall@10", "speed-up");
    }

    @Test
    void theIndexMatrixMeasuresExactIvfflatHnswAndGinWithExactRecallOne() throws Exception {
        // given a few hundred rows of 64-d embeddings (the manual runs use 100,000 and 1,000,000)
        PostgresSettings pgvector = new PostgresSettings(LocalStack.pgvectorJdbcUrl(), "postgres", Optional.of("postgres"),
                "public", "classpath:db/postgres", Duration.ofSeconds(30));
        QueryBench.Options options = QueryBench.Options.indexMatrix(64, 300, 8, 11, "64MB");

        // when
        QueryBench.Report report = QueryBench.run(options, pgvector, null);

        // then every variant is measured once, in order, on all 8 queries
        assertThat(report.rows()).extracting(r -> r.query() + " / " + r.variant()).containsExactly(
                "jsonb containment (@>) / no GIN (sequential scan)",
                "vector top-10 / exact scan (no index)",
                "vector top-10 / IVFFlat lists=100, probes=1",
                "vector top-10 / IVFFlat lists=100, probes=10",
                "vector top-10 / HNSW m=16 ef_construction=64, ef_search=40",
                "vector top-10 / HNSW m=16 ef_construction=64, ef_search=100",
                "jsonb containment (@>) / GIN");
        assertThat(report.rows()).allSatisfy(r -> {
            assertThat(r.store()).isEqualTo("pgvector 300 x 64");
            assertThat(r.latency().samples()).isEqualTo(8);
        });
        // the exact scan is the ground truth computed on the client: the database must agree with it exactly
        assertThat(report.rows().get(1).recallAt10()).hasValue(1.0);
        assertThat(report.rows().stream().filter(r -> r.query().startsWith("vector")))
                .allSatisfy(r -> assertThat(r.recallAt10().getAsDouble()).isBetween(0.0, 1.0));
        assertThat(report.builds()).extracting(IndexBuild::definition).containsExactly(
                "CREATE INDEX idx_bench_ivfflat ON documents USING ivfflat (embedding vector_cosine_ops) WITH (lists = 100)",
                "CREATE INDEX idx_bench_hnsw ON documents USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64)",
                "CREATE INDEX idx_bench_metadata_gin ON documents USING gin (metadata)");
        assertThat(report.builds()).allSatisfy(b -> assertThat(b.bytes()).isPositive());
        assertThat(BenchReport.builds(report.builds())).contains("build s", "size MB", "idx_bench_hnsw");
        // the scratch schema is gone
        try (var c = java.sql.DriverManager.getConnection(LocalStack.pgvectorJdbcUrl(), "postgres", "postgres");
                var rs = c.createStatement().executeQuery(
                        "SELECT count(*) FROM pg_namespace WHERE nspname = '" + PostgresQueryBench.SCHEMA + "'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }
}

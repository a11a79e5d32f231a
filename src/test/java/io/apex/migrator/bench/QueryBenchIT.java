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
                Optional.of(LocalStack.postgresJdbcUrl()));

        // when
        List<BenchRow> rows;
        try (QdrantGateway gateway = QdrantGateway.connect(QdrantSettings.of(qdrant.host(), qdrant.port()))) {
            rows = QueryBench.run(options, pgvector, gateway);
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
}

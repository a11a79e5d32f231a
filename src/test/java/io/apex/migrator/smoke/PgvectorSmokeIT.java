package io.apex.migrator.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import com.pgvector.PGvector;
import io.apex.migrator.support.LocalStack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PgvectorSmokeIT {

    @Test
    void nearestNeighbourQueryUsesTheHnswIndex() throws Exception {
        try (Connection c = DriverManager.getConnection(LocalStack.pgvectorJdbcUrl(), "postgres", "postgres")) {
            // given
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE EXTENSION IF NOT EXISTS vector");
                s.execute("DROP TABLE IF EXISTS smoke_items");
                s.execute("CREATE TABLE smoke_items (id bigserial PRIMARY KEY, embedding vector(3))");
            }
            PGvector.addVectorType(c);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO smoke_items (embedding) VALUES (?)")) {
                for (int i = 0; i < 50; i++) {
                    ps.setObject(1, new PGvector(new float[] {i, i % 7, 1}));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (Statement s = c.createStatement()) {
                s.execute("CREATE INDEX CONCURRENTLY smoke_items_hnsw ON smoke_items "
                        + "USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64)");
            }

            // when
            List<String> plan = new ArrayList<>();
            long nearest;
            try (Statement s = c.createStatement()) {
                s.execute("SET enable_seqscan = off");
                try (ResultSet rs = s.executeQuery(
                        "EXPLAIN SELECT id FROM smoke_items ORDER BY embedding <=> '[10,3,1]' LIMIT 5")) {
                    while (rs.next()) {
                        plan.add(rs.getString(1));
                    }
                }
                try (ResultSet rs = s.executeQuery(
                        "SELECT id FROM smoke_items ORDER BY embedding <=> '[10,3,1]' LIMIT 1")) {
                    rs.next();
                    nearest = rs.getLong(1);
                }
                s.execute("RESET enable_seqscan");
            }

            // then
            assertThat(String.join("\n", plan)).contains("smoke_items_hnsw");
            assertThat(nearest).isEqualTo(11L); // the row inserted as [10,3,1]
        }
    }
}

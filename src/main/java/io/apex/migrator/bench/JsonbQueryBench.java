package io.apex.migrator.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * JSONB figures on a PostgreSQL without pgvector (Debian's real PostgreSQL 15 here, where timings are native):
 * the {@code documents} table's non-vector columns as V001 defines them, then the two V002 indexes that serve
 * this mix. The index definitions mirror V002 (its vector statements cannot run without pgvector).
 */
final class JsonbQueryBench {

    private static final Logger LOGGER = Logger.getLogger(JsonbQueryBench.class);
    private static final String SCHEMA = PostgresQueryBench.SCHEMA;

    private final String jdbcUrl;
    private final String user;
    private final Optional<String> password;
    private final QueryMix mix;

    JsonbQueryBench(String jdbcUrl, String user, Optional<String> password, QueryMix mix) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.mix = mix;
    }

    List<BenchRow> run() throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password.orElse(null))) {
            c.setAutoCommit(true);
            PostgresQueryBench.exec(c, "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            PostgresQueryBench.exec(c, "CREATE SCHEMA " + SCHEMA);
            try {
                PostgresQueryBench.exec(c, "SET search_path TO " + SCHEMA);
                PostgresQueryBench.exec(c, "CREATE TABLE documents (id uuid PRIMARY KEY, document_type text NOT NULL,"
                        + " title text, metadata jsonb NOT NULL DEFAULT '{}'::jsonb,"
                        + " created_at timestamptz NOT NULL DEFAULT now())");
                load(c);
                PostgresQueryBench.exec(c, "ANALYZE documents");
                List<BenchRow> rows = new ArrayList<>(mix.jsonbQueries(c, "postgres 15", "V001 (no GIN)"));
                PostgresQueryBench.exec(c, "CREATE INDEX CONCURRENTLY idx_documents_metadata_gin ON documents USING gin (metadata)");
                PostgresQueryBench.exec(c, "CREATE INDEX CONCURRENTLY idx_documents_type_metadata ON documents"
                        + " (document_type, (metadata ->> 'source'))");
                PostgresQueryBench.exec(c, "ANALYZE documents");
                rows.addAll(mix.jsonbQueries(c, "postgres 15", "V002 (GIN + composite)"));
                return rows;
            } finally {
                PostgresQueryBench.exec(c, "SET search_path TO public");
                PostgresQueryBench.exec(c, "DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            }
        }
    }

    private void load(Connection c) throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO documents (id, document_type, title, metadata) VALUES (?, ?, ?, ?::jsonb)")) {
            for (int i = 0; i < mix.rows(); i++) {
                ps.setObject(1, new UUID(0, i));
                ps.setString(2, QueryMix.documentType(i));
                ps.setString(3, "document " + i);
                ps.setString(4, QueryMix.metadata(i, i % 97));
                ps.addBatch();
                if (i % 1000 == 999) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
        c.commit();
        c.setAutoCommit(true);
        LOGGER.infof("loaded %d documents (JSONB only) into %s", mix.rows(), SCHEMA);
    }
}

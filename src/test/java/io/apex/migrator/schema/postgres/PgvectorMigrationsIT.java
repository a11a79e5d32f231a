package io.apex.migrator.schema.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.apex.migrator.schema.MigrationEngine;
import io.apex.migrator.schema.MigrationSource;
import io.apex.migrator.schema.MigrationState;
import io.apex.migrator.schema.SchemaException;
import io.apex.migrator.schema.SchemaResult;
import io.apex.migrator.schema.SchemaStatus;
import io.apex.migrator.schema.Version;
import io.apex.migrator.support.FreePort;
import io.apex.migrator.support.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real db/postgres migrations on PostgreSQL 15 + pgvector, in the JVM's memory database, in a schema of their
 * own that is dropped before each test and at the end.
 */
class PgvectorMigrationsIT {

    private static final String SCHEMA = "apex_schema_it";
    private static final String MIGRATIONS = "classpath:db/postgres";

    @TempDir
    Path tmp;

    @BeforeEach
    void freshSchema() throws SQLException {
        sql("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        sql("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    }

    @Test
    void upgradeBuildsTheOptimizedIndexesThatQueriesUseAndDowngradeRestoresTheBaselineExactly() throws SQLException {
        // given
        run(MIGRATIONS, e -> e.upgrade(Optional.of("V001"), Optional.empty(), "it-baseline"));
        String baseline = shape();
        insertSampleRows();

        // when
        SchemaResult upgraded = run(MIGRATIONS, e -> e.upgrade(Optional.empty(), Optional.empty(), "it-up"));

        // then the catalog has the optimized shape
        assertThat(upgraded.migrated()).containsExactly(new Version(2));
        assertThat(upgraded.version()).contains(new Version(2));
        List<String[]> indexes = query("SELECT c.relname, am.amname, coalesce(array_to_string(c.reloptions, ','), ''), "
                + "pg_get_indexdef(c.oid), i.indnatts FROM pg_class c JOIN pg_am am ON am.oid = c.relam "
                + "JOIN pg_index i ON i.indexrelid = c.oid JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname = '" + SCHEMA + "' AND c.relname LIKE 'idx\\_%' ORDER BY 1", 5);
        assertThat(indexes).filteredOn(r -> r[1].equals("hnsw"))
                .extracting(r -> r[0]).containsExactlyInAnyOrder("idx_documents_embedding_hnsw",
                        "idx_chunks_embedding_hnsw", "idx_structured_data_embedding_hnsw");
        assertThat(indexes).filteredOn(r -> r[1].equals("hnsw"))
                .allSatisfy(r -> assertThat(r[2]).isEqualTo("m=16,ef_construction=64"))
                .allSatisfy(r -> assertThat(r[3]).contains("vector_cosine_ops"));
        assertThat(indexes).filteredOn(r -> r[1].equals("gin")).extracting(r -> r[0]).containsExactlyInAnyOrder(
                "idx_documents_metadata_gin", "idx_chunks_metadata_gin", "idx_structured_data_raw_json_gin",
                "idx_structured_data_custom_metadata_gin");
        assertThat(indexes).filteredOn(r -> r[1].equals("btree") && Integer.parseInt(r[4]) >= 2)
                .extracting(r -> r[0]).containsExactlyInAnyOrder("idx_documents_type_metadata",
                        "idx_structured_data_type_source", "idx_chunks_document_created");
        assertThat(indexes).noneMatch(r -> r[1].equals("ivfflat"));
        assertThat(query("SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a WHERE a.attrelid = '"
                + SCHEMA + ".structured_data'::regclass AND a.attname = 'embedding' AND NOT a.attisdropped", 1))
                .extracting(r -> r[0]).singleElement().asString()
                .matches("(\\w+\\.)?vector\\(1536\\)"); // qualified when the extension lives in the test schema

        // and queries use the new indexes
        assertThat(explain("SELECT id FROM " + SCHEMA + ".documents ORDER BY embedding <=> '" + vector(3)
                + "' LIMIT 5")).contains("idx_documents_embedding_hnsw");
        assertThat(explain("SELECT id FROM " + SCHEMA + ".documents WHERE metadata @> '{\"source\": \"wiki\"}'"))
                .contains("idx_documents_metadata_gin");
        assertThat(explain("SELECT id FROM " + SCHEMA + ".structured_data WHERE raw_json @> '{\"kind\": \"order\"}'"))
                .contains("idx_structured_data_raw_json_gin");

        // when rolled back
        SchemaResult downgraded = run(MIGRATIONS, e -> e.downgrade(1, "it-down"));

        // then the V001 shape is back, exactly
        assertThat(downgraded.migrated()).containsExactly(new Version(2));
        assertThat(downgraded.version()).contains(new Version(1));
        assertThat(shape()).isEqualTo(baseline);
    }

    @Test
    void reRunningAnAppliedUpgradeIsANoOp() {
        // given
        run(MIGRATIONS, e -> e.upgrade(Optional.empty(), Optional.empty(), "it-first"));
        var before = run(MIGRATIONS, MigrationEngine::history);

        // when
        SchemaResult again = run(MIGRATIONS, e -> e.upgrade(Optional.empty(), Optional.empty(), "it-again"));

        // then
        assertThat(again.migrated()).isEmpty();
        assertThat(again.repaired()).isEmpty();
        assertThat(run(MIGRATIONS, MigrationEngine::history)).isEqualTo(before);
    }

    @Test
    void aScriptEditedAfterItWasAppliedIsRefusedWithItsNameAndBothChecksums() throws Exception {
        // given
        Path dir = copyScripts();
        run(dir.toString(), e -> e.upgrade(Optional.of("1"), Optional.empty(), "it-v1"));
        Path v1 = dir.resolve("V001__baseline.sql");
        String appliedChecksum = io.apex.migrator.schema.Checksum.of(Files.readString(v1)).hex();
        Files.writeString(v1, Files.readString(v1) + "\n-- edited later\n");
        String editedChecksum = io.apex.migrator.schema.Checksum.of(Files.readString(v1)).hex();

        // when / then
        assertThatThrownBy(() -> run(dir.toString(), e -> e.upgrade(Optional.empty(), Optional.empty(), "it-edit")))
                .isInstanceOf(SchemaException.ChecksumMismatch.class)
                .hasMessageContaining("V001__baseline.sql")
                .hasMessageContaining(appliedChecksum)
                .hasMessageContaining(editedChecksum);
        SchemaStatus status = run(dir.toString(), MigrationEngine::status);
        assertThat(status.migrations()).extracting(MigrationState::state)
                .containsExactly(MigrationState.State.CHECKSUM_MISMATCH, MigrationState.State.PENDING);
    }

    @Test
    void anUnknownTargetIsRefusedWithoutAnyHistoryRow() {
        // when / then
        assertThatThrownBy(() -> run(MIGRATIONS, e -> e.upgrade(Optional.of("V009"), Optional.empty(), "it-unknown")))
                .isInstanceOf(SchemaException.UnknownVersion.class)
                .hasMessageContaining("V009").hasMessageContaining("V001, V002");
        assertThat(run(MIGRATIONS, MigrationEngine::history)).isEmpty();
    }

    @Test
    void aMissingRollbackFileRefusesTheDowngradeAndChangesNothing() throws Exception {
        // given
        Path dir = copyScripts();
        Files.delete(dir.resolve("V002__optimize_pgvector_and_jsonb_rollback.sql"));
        run(dir.toString(), e -> e.upgrade(Optional.empty(), Optional.empty(), "it-up"));
        String before = shape();

        // when / then
        assertThatThrownBy(() -> run(dir.toString(), e -> e.downgrade(1, "it-down")))
                .isInstanceOf(SchemaException.MissingRollback.class)
                .hasMessageContaining("V002__optimize_pgvector_and_jsonb_rollback.sql");
        assertThat(run(dir.toString(), MigrationEngine::history)).extracting(h -> h.version().number())
                .containsExactly(1, 2);
        assertThat(shape()).isEqualTo(before);
    }

    @Test
    void anUnreachableDatabaseGivesAClearMessageWithoutThePassword() {
        // given
        String url = "jdbc:postgresql://127.0.0.1:" + FreePort.pick() + "/memory";
        var settings = new PostgresSettings(url, "migrator", Optional.of("s3cret-pw"), SCHEMA, MIGRATIONS,
                Duration.ofSeconds(1));

        // when / then
        assertThatThrownBy(() -> PostgresAdapter.connect(settings))
                .isInstanceOf(SchemaException.StoreUnavailable.class)
                .hasMessageContaining("cannot reach postgres at " + url)
                .hasMessageNotContaining("s3cret-pw");
    }

    // --- fixture helpers ---

    private <T> T run(String migrations, Function<MigrationEngine, T> work) {
        var settings = new PostgresSettings(LocalStack.pgvectorJdbcUrl(), "postgres", Optional.of("postgres"), SCHEMA,
                migrations, Duration.ofSeconds(30));
        try (var adapter = PostgresAdapter.connect(settings)) {
            return work.apply(new MigrationEngine(adapter, new MigrationSource(migrations, "sql"), settings.lockWait()));
        }
    }

    private Path copyScripts() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("postgres"));
        for (String name : List.of("V001__baseline.sql", "V001__baseline_rollback.sql",
                "V002__optimize_pgvector_and_jsonb.sql", "V002__optimize_pgvector_and_jsonb_rollback.sql")) {
            try (var in = getClass().getClassLoader().getResourceAsStream("db/postgres/" + name)) {
                Files.write(dir.resolve(name), in.readAllBytes());
            }
        }
        return dir;
    }

    /** Columns and index definitions of the three tables, as text to compare before/after. */
    private static String shape() throws SQLException {
        List<String> lines = new ArrayList<>();
        for (String[] r : query("SELECT c.relname, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod), "
                + "a.attnotnull, coalesce(pg_get_expr(d.adbin, d.adrelid), '') FROM pg_attribute a "
                + "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
                + "WHERE n.nspname = '" + SCHEMA + "' AND c.relkind = 'r' AND c.relname <> 'apex_schema_history' "
                + "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY 1, 2", 6)) {
            lines.add("column " + String.join(" ", r));
        }
        for (String[] r : query("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = '" + SCHEMA
                + "' AND tablename <> 'apex_schema_history' ORDER BY 1", 2)) {
            lines.add("index " + String.join(" ", r));
        }
        return String.join("\n", lines);
    }

    private static void insertSampleRows() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (int i = 0; i < 20; i++) {
                s.execute("INSERT INTO " + SCHEMA + ".documents (document_type, metadata, embedding) VALUES ('note', "
                        + "'{\"source\": \"" + (i % 2 == 0 ? "wiki" : "mail") + "\"}', '" + vector(i) + "')");
                s.execute("INSERT INTO " + SCHEMA + ".structured_data (data_type, source, raw_json) VALUES ('t', 's', "
                        + "'{\"kind\": \"" + (i % 3 == 0 ? "order" : "invoice") + "\"}')");
            }
        }
    }

    private static String vector(int seed) {
        return IntStream.range(0, 1536).mapToObj(d -> String.valueOf(((d * 31 + seed * 7) % 97) / 97.0))
                .collect(Collectors.joining(",", "[", "]"));
    }

    private static String explain(String select) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            // the search path finds the tables as the product's queries do (the extension lives in public)
            s.execute("SET search_path TO " + SCHEMA + ", public");
            s.execute("SET enable_seqscan = off");
            try (ResultSet rs = s.executeQuery("EXPLAIN " + select)) {
                List<String> plan = new ArrayList<>();
                while (rs.next()) {
                    plan.add(rs.getString(1));
                }
                return String.join("\n", plan);
            }
        }
    }

    private static List<String[]> query(String sql, int columns) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String[]> rows = new ArrayList<>();
            while (rs.next()) {
                String[] row = new String[columns];
                for (int i = 0; i < columns; i++) {
                    row[i] = rs.getString(i + 1);
                }
                rows.add(row);
            }
            return rows;
        }
    }

    private static void sql(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(LocalStack.pgvectorJdbcUrl(), "postgres", "postgres");
    }
}

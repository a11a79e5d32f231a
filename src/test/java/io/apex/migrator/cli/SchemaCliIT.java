package io.apex.migrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.apex.migrator.support.LocalStack;
import io.apex.migrator.support.LocalStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainIntegrationTest;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.GraphDatabase;

/** The schema commands end to end: the packaged CLI tree against the real PostgreSQL 15 + pgvector and Neo4j. */
@QuarkusMainIntegrationTest
@WithTestResource(LocalStackResource.class)
@TestProfile(SchemaCliIT.OwnSchema.class)
class SchemaCliIT {

    static final String SCHEMA = "apex_cli_it";

    /** The PostgreSQL commands work in a schema of their own (the memory database is shared by the whole test JVM). */
    public static final class OwnSchema implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // No HTTP listener: a CLI does not need one, and port 8081 may be taken by another test JVM.
            return Map.of("apex.postgres.schema", SCHEMA, "quarkus.http.host-enabled", "false");
        }
    }

    @TempDir
    Path tmp;

    @BeforeAll
    @AfterAll
    static void clean() throws Exception {
        try (var c = DriverManager.getConnection(LocalStack.pgvectorJdbcUrl(), "postgres", "postgres");
             var s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
        try (var driver = GraphDatabase.driver(LocalStack.neo4jUri(), AuthTokens.none()); var session = driver.session()) {
            session.run("MATCH (n) DETACH DELETE n").consume();
            for (String c : session.run("SHOW CONSTRAINTS YIELD name RETURN name").list(r -> r.get(0).asString())) {
                session.run("DROP CONSTRAINT `" + c + "` IF EXISTS").consume();
            }
            for (String i : session.run("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name")
                    .list(r -> r.get(0).asString())) {
                session.run("DROP INDEX `" + i + "` IF EXISTS").consume();
            }
        }
    }

    @Test
    void aDryRunOfEachDestructiveSchemaCommandListsWhatWouldRunAndChangesNothing(QuarkusMainLauncher launcher) {
        // given
        assertThat(launcher.launch("postgres", "upgrade", "1").exitCode()).isZero();
        LaunchResult help = launcher.launch("postgres", "downgrade", "--help");

        // when
        LaunchResult upgrade = launcher.launch("postgres", "upgrade", "--dry-run", "--backup", tmp.resolve("b.sql")
                .toString());
        LaunchResult downgrade = launcher.launch("postgres", "downgrade", "--dry-run");
        LaunchResult status = launcher.launch("postgres", "status");

        // then
        assertThat(help.getOutput()).contains("Destructive", "DROP", "--dry-run");
        assertThat(upgrade.exitCode()).as(upgrade.getErrorOutput()).isZero();
        assertThat(upgrade.getOutput()).contains("dry run, nothing was changed; schema is at V001",
                "would first write a pg_dump backup to", "would apply V002 V002__optimize_pgvector_and_jsonb.sql");
        assertThat(downgrade.exitCode()).as(downgrade.getErrorOutput()).isZero();
        assertThat(downgrade.getOutput()).contains("would roll back (drops what that migration created) with "
                + "V001 V001__baseline_rollback.sql");
        assertThat(status.getOutput()).contains("postgres schema at V001").containsPattern("V002 +pending");
        assertThat(Files.exists(tmp.resolve("b.sql"))).isFalse();
        assertThat(launcher.launch("postgres", "downgrade", "1").exitCode()).isZero();
    }

    @Test
    void postgresUpgradeStatusAndDowngrade(QuarkusMainLauncher launcher) {
        // when
        LaunchResult upgrade = launcher.launch("postgres", "upgrade");
        LaunchResult status = launcher.launch("postgres", "status");
        LaunchResult downgrade = launcher.launch("postgres", "downgrade", "2");

        // then
        assertThat(upgrade.exitCode()).as(upgrade.getErrorOutput()).isZero();
        assertThat(upgrade.getOutput()).contains("postgres: applied V001, V002; schema is now at V002",
                "idx_documents_embedding_hnsw on documents");
        assertThat(status.getOutput()).contains("postgres schema at V002", "invalid indexes: none")
                .containsPattern("V001 +applied").containsPattern("V002 +applied");
        assertThat(downgrade.exitCode()).as(downgrade.getErrorOutput()).isZero();
        assertThat(downgrade.getOutput()).contains("postgres: rolled back V002, V001; schema is now at no version");
    }

    @Test
    void neo4jUpAndCreate(QuarkusMainLauncher launcher) throws Exception {
        // given
        Path dir = Files.createDirectories(tmp.resolve("neo4j"));
        Files.writeString(dir.resolve("V001__initial_schema.cypher"), "CREATE INDEX x IF NOT EXISTS FOR (n:X) ON (n.x);");

        // when
        LaunchResult up = launcher.launch("neo4j", "up");
        LaunchResult create = launcher.launch("neo4j", "create", "Add tag index", "--dir", dir.toString());

        // then
        assertThat(up.exitCode()).as(up.getErrorOutput()).isZero();
        assertThat(up.getOutput()).contains("neo4j: applied V001, V002; schema is now at V002");
        assertThat(create.exitCode()).as(create.getErrorOutput()).isZero();
        assertThat(dir.resolve("V002__add_tag_index.cypher")).exists().content().contains("// V002: Add tag index");
        assertThat(dir.resolve("V002__add_tag_index_rollback.cypher")).exists();
    }
}

package io.apex.migrator.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlanTest {

    private static final Migration V1 = migration(1, "CREATE TABLE a (x int);", true);
    private static final Migration V2 = migration(2, "CREATE TABLE b (x int);", false);
    private static final Migration V3 = migration(3, "CREATE TABLE c (x int);", true);

    @Test
    void upgradeAppliesPendingVersionsInOrderUpToTheTarget() {
        // when
        Plan plan = Plan.upgrade(List.of(V1, V2, V3), List.of(applied(V1)), Optional.of("2"), "here");

        // then
        assertThat(plan.steps()).extracting(Migration::version).containsExactly(new Version(2));
    }

    @Test
    void anEditedAppliedScriptIsRefusedWithItsFileAndBothChecksums() {
        // given
        AppliedMigration old = new AppliedMigration(V1.version(), "v1", V1.script().name(), Checksum.of("old text"),
                Instant.now(), Duration.ZERO, "me");

        // when / then
        assertThatThrownBy(() -> Plan.upgrade(List.of(V1, V2), List.of(old), Optional.empty(), "here"))
                .isInstanceOf(SchemaException.ChecksumMismatch.class)
                .hasMessageContaining("V001__m1.sql")
                .hasMessageContaining(Checksum.of("old text").hex())
                .hasMessageContaining(V1.checksum().hex());
    }

    @Test
    void anUnknownTargetIsRefusedNamingTheKnownVersions() {
        assertThatThrownBy(() -> Plan.upgrade(List.of(V1, V2), List.of(), Optional.of("V007"), "here"))
                .isInstanceOf(SchemaException.UnknownVersion.class)
                .hasMessageContaining("V007").hasMessageContaining("V001, V002");
    }

    @Test
    void aDowngradeWithoutARollbackScriptIsRefusedBeforeAnythingRuns() {
        assertThatThrownBy(() -> Plan.downgrade(List.of(V1, V2), List.of(applied(V1), applied(V2)), 2, "here"))
                .isInstanceOf(SchemaException.MissingRollback.class)
                .hasMessageContaining("V002__m2_rollback.sql");
    }

    @Test
    void aDowngradeOfMoreThanIsAppliedIsRefused() {
        assertThatThrownBy(() -> Plan.downgrade(List.of(V1, V3), List.of(applied(V1)), 2, "here"))
                .isInstanceOf(SchemaException.InvalidRequest.class).hasMessageContaining("only 1 applied");
    }

    private static Migration migration(int v, String sql, boolean withRollback) {
        return new Migration(new Version(v), "m" + v, new ScriptFile(String.format("V%03d__m%d.sql", v, v), sql),
                withRollback ? Optional.of(new ScriptFile(String.format("V%03d__m%d_rollback.sql", v, v), "--")) : Optional.empty());
    }

    private static AppliedMigration applied(Migration m) {
        return new AppliedMigration(m.version(), m.description(), m.script().name(), m.checksum(), Instant.now(),
                Duration.ofMillis(1), "me");
    }
}

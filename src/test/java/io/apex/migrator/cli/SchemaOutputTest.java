package io.apex.migrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.apex.migrator.schema.AppliedMigration;
import io.apex.migrator.schema.Checksum;
import io.apex.migrator.schema.IndexState;
import io.apex.migrator.schema.MigrationState;
import io.apex.migrator.schema.SchemaStatus;
import io.apex.migrator.schema.Store;
import io.apex.migrator.schema.Version;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SchemaOutputTest {

    private static final AppliedMigration V1 = new AppliedMigration(new Version(1), "baseline", "V001__baseline.sql",
            Checksum.of("select 1"), Instant.parse("2026-11-25T01:00:00Z"), Duration.ofMillis(42), "ops@host (pid 7)");

    @Test
    void historyListsEachAppliedScriptWithChecksumDurationAndRunner() {
        // when
        String out = render(w -> SchemaOutput.history(w, List.of(V1)));

        // then
        assertThat(out).contains("V001", "2026-11-25T01:00:00Z", "42 ms", Checksum.of("select 1").hex().substring(0, 16),
                "V001__baseline.sql", "ops@host (pid 7)");
    }

    @Test
    void statusShowsEachStateAndTheInvalidIndexesTheNextUpgradeRebuilds() {
        // given
        SchemaStatus status = new SchemaStatus(Store.POSTGRES, Optional.of(new Version(1)), List.of(
                new MigrationState(new Version(1), "baseline", MigrationState.State.CHECKSUM_MISMATCH, Optional.of(V1)),
                new MigrationState(new Version(2), "optimize", MigrationState.State.PENDING, Optional.empty())),
                List.of(new IndexState("ux_email", "accounts", "CREATE UNIQUE INDEX ux_email ON accounts (email)", false)));

        // when
        String out = render(w -> SchemaOutput.status(w, status));

        // then
        assertThat(out).contains("postgres schema at V001")
                .containsPattern("V001 +checksum mismatch").containsPattern("V002 +pending")
                .contains("INVALID indexes", "ux_email on accounts");
    }

    private static String render(java.util.function.Consumer<PrintWriter> printer) {
        StringWriter text = new StringWriter();
        printer.accept(new PrintWriter(text));
        return text.toString();
    }
}

package io.apex.migrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.apex.migrator.release.ReleaseView;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** How {@code status} and {@code release status} show a release: its parts with their progress, and what comes next. */
class ReleaseDescribeTest {

    @Test
    void aReleaseIsShownWithEveryPartsStoreSubjectStateAndProgressAndItsNextCommands() {
        // given
        ReleaseView release = new ReleaseView(UUID.fromString("0b5e0000-0000-0000-0000-000000000001"), "phase-2", "c-7",
                "ready-for-cutover", null, null, Instant.parse("2026-11-30T18:00:00Z"), null, List.of(
                        new ReleaseView.Part(1, "postgres", "postgres", "V001", "V002", "done", 1.0, "at V002",
                                "at V002; applied V002", null),
                        new ReleaseView.Part(2, "qdrant", "documents", "documents_v1", "documents_v2", "running",
                                0.5, "1,500 / 3,000 points (run copying)", null, UUID.randomUUID())),
                List.of("cutover", "cancel"));

        // when
        String text = ReleaseCliCommand.describe(release);

        // then
        List<String> lines = text.lines().toList();
        assertThat(lines.get(0)).isEqualTo("release phase-2 (0b5e0000-0000-0000-0000-000000000001): ready-for-cutover");
        assertThat(lines.get(1)).contains("STORE", "SUBJECT", "BEFORE", "TARGET", "STATE", "PROGRESS");
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("postgres", "V001", "V002", "done", "at V002"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("qdrant", "documents", "documents_v1",
                "documents_v2", "running", "1,500 / 3,000 points (run copying)"));
        assertThat(lines.get(lines.size() - 1)).isEqualTo(
                "next: apex-migrator release cutover phase-2, apex-migrator release cancel phase-2");
    }

    @Test
    void aFailedReleaseNamesThePartAndTheReason() {
        ReleaseView release = new ReleaseView(UUID.randomUUID(), "phase-2", "c-8", "failed", "postgres V002",
                "V002__optimize_pgvector_and_jsonb.sql:15: operator class ...", Instant.now(), Instant.now(),
                List.of(), List.of("rollback"));

        assertThat(ReleaseCliCommand.describe(release).lines().findFirst().orElseThrow())
                .endsWith(": failed in postgres V002: V002__optimize_pgvector_and_jsonb.sql:15: operator class ...");
    }
}

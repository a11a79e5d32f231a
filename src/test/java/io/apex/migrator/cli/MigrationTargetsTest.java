package io.apex.migrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunState;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MigrationTargetsTest {

    private static Run completed(String source, String target) {
        return new Run(UUID.randomUUID(), "c-1", source, target, "documents", 100, "{}", RunState.COMPLETED, false, 0,
                10L, 10L, 1, 1, 0, 10, source, null, null, null, Instant.EPOCH, Instant.EPOCH, Instant.EPOCH,
                Instant.EPOCH);
    }

    private static MigrationTargets targets(Map<String, String> aliases, Set<String> collections, Set<String> specs,
            Run lastCompleted) {
        return new MigrationTargets(aliases, collections::contains, specs::contains,
                alias -> Optional.ofNullable(lastCompleted));
    }

    @Test
    void theSourceIsWhatTheAliasServesAndTheTargetItsNextVersion() {
        MigrationTargets.Resolution r = targets(Map.of("documents", "documents_v1"),
                Set.of("documents_v1", "documents_v2"), Set.of(), null).resolve("documents", null, null);
        assertThat(r.source()).isEqualTo("documents_v1");
        assertThat(r.target()).isEqualTo("documents_v2");
        assertThat(r.alreadyServedBy()).isEmpty();
    }

    @Test
    void afterASwapWithNoNextVersionTheAliasAlreadyServesTheVerifiedTarget() {
        Run done = completed("documents_v1", "documents_v2");
        MigrationTargets.Resolution r = targets(Map.of("documents", "documents_v2"),
                Set.of("documents_v1", "documents_v2"), Set.of("documents_v2"), done).resolve("documents", null, null);
        assertThat(r.alreadyServedBy()).contains(done);
        assertThat(r.target()).isEqualTo("documents_v2");
    }

    @Test
    void afterASwapANextVersionWithASpecIsANewMigrationFromWhatTheAliasServes() {
        Run done = completed("documents_v1", "documents_v2");
        MigrationTargets.Resolution r = targets(Map.of("documents", "documents_v2"),
                Set.of("documents_v1", "documents_v2"), Set.of("documents_v3"), done).resolve("documents", null, null);
        assertThat(r.alreadyServedBy()).isEmpty();
        assertThat(r.source()).isEqualTo("documents_v2");
        assertThat(r.target()).isEqualTo("documents_v3");
    }

    @Test
    void aRepeatedExplicitMigrationIntoWhatTheAliasServesIsNotCopiedAgain() {
        Run done = completed("documents_v1", "documents_v2");
        MigrationTargets.Resolution r = targets(Map.of("documents", "documents_v2"),
                Set.of("documents_v1", "documents_v2"), Set.of(), done)
                .resolve("documents", "documents_v1", "documents_v2");
        assertThat(r.alreadyServedBy()).contains(done);
    }

    @Test
    void anAliasMovedByHandIsMigratedEvenIntoTheLastRunsTarget() {
        // the alias was pointed elsewhere since that run: nothing says its target is what readers get
        Run done = completed("documents_v1", "documents_v2");
        MigrationTargets.Resolution r = targets(Map.of("documents", "documents_v1"),
                Set.of("documents_v1", "documents_v2"), Set.of(), done)
                .resolve("documents", "documents_v1", "documents_v2");
        assertThat(r.alreadyServedBy()).isEmpty();
        assertThat(r.target()).isEqualTo("documents_v2");
    }

    @Test
    void aCollectionNamedLikeTheAliasIsTheSourceOfItsFirstVersion() {
        MigrationTargets.Resolution r = targets(Map.of(), Set.of("documents"), Set.of("documents_v2"), null)
                .resolve("documents", null, null);
        assertThat(r.source()).isEqualTo("documents");
        assertThat(r.target()).isEqualTo("documents_v2");
    }
}

package io.apex.migrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.apex.migrator.qdrant.standin.QdrantStandInResource;
import io.apex.migrator.support.LocalStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainIntegrationTest;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import org.junit.jupiter.api.Test;

/** {@code release list | plan} as a user runs them, on the real services and the stand-in. */
@QuarkusMainIntegrationTest
@WithTestResource(LocalStackResource.class)
@WithTestResource(QdrantStandInResource.class)
class ReleaseCliIT {

    @Test
    void listShowsThePhase2ReleaseAndPlanPrintsItsPartsInOrder(QuarkusMainLauncher launcher) {
        // when
        LaunchResult list = launcher.launch("release", "list");
        LaunchResult plan = launcher.launch("release", "plan", "phase-2");

        // then
        assertThat(list.exitCode()).as(list.getErrorOutput()).isZero();
        assertThat(list.getOutput()).contains("phase-2", "postgres, neo4j, qdrant");
        assertThat(plan.getOutput()).contains("release phase-2: Phase 2 schema overhaul")
                .containsSubsequence("postgres", "neo4j", "documents", "chunks", "structured_data", "cutover",
                        "ONE UpdateAliases request", "release-ready")
                .contains("dry run: nothing was written");
    }

    @Test
    void anUnknownReleaseExitsWithOneNamingTheKnownOnes(QuarkusMainLauncher launcher) {
        // when
        LaunchResult result = launcher.launch("release", "plan", "phase-9");

        // then
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.getErrorOutput()).contains("no release 'phase-9'; known releases: phase-2");
    }
}

package io.apex.migrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.apex.migrator.api.Messages;
import io.apex.migrator.pipeline.ReadinessTimeoutResource;
import io.apex.migrator.pipeline.TestCollections;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.QdrantSettings;
import io.apex.migrator.qdrant.standin.QdrantStandIn;
import io.apex.migrator.qdrant.standin.QdrantStandInResource;
import io.apex.migrator.support.LocalStack;
import io.apex.migrator.support.LocalStackResource;
import io.qdrant.client.grpc.Collections.AliasOperations;
import io.qdrant.client.grpc.Collections.CreateAlias;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainIntegrationTest;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code qdrant cutover --local} on a run whose target still indexes when the readiness gate gives up (after 2 s
 * here; {@code on-timeout=wait}) does what the {@code qdrant.cutover} command does on the workers
 * (ReadinessTimeoutWaitIT): one catch-up round and one gate, then the run waits in ready-for-cutover again with the
 * gate's reason and its request used up, the alias where it was; a later cutover, the target indexed by then,
 * swaps. As a user runs it (the packaged application, real PostgreSQL, the stand-in's indexing fault).
 */
@QuarkusMainIntegrationTest
@WithTestResource(LocalStackResource.class)
@WithTestResource(QdrantStandInResource.class)
@WithTestResource(value = ReadinessTimeoutResource.class, initArgs = @ResourceArg(name = "on-timeout", value = "wait"))
class LocalCutoverCliIT {

    private static final int DIMS = 32;
    private static final int POINTS = 1_000;
    /** 99 % of the target's 1,000 vectors (apex.pipeline.readiness.indexed-share). */
    private static final long REQUIRED_INDEXED = 990;

    @AfterEach
    void resetFaults() {
        QdrantStandIn.shared().faults().reset();
    }

    @Test
    void aLocalCutoverWhileTheTargetStillIndexesLeavesTheRunWaitingAndALaterOneSwapsOnceItIsReady(
            QuarkusMainLauncher launcher) {
        // given: a manual --local run waiting in ready-for-cutover, its target still indexing at the gate's timeout
        String alias = "localidx_" + UUID.randomUUID().toString().substring(0, 8);
        String v1 = alias + "_v1";
        String v2 = alias + "_v2";
        try (QdrantGateway gateway = gateway()) {
            TestCollections.create(gateway, v1, DIMS, false);
            TestCollections.seed(gateway, v1, POINTS, DIMS, false, false, 23);
            TestCollections.createIndexed(gateway, v2, DIMS);
            gateway.updateAliases(List.of(AliasOperations.newBuilder().setCreateAlias(CreateAlias.newBuilder()
                    .setAliasName(alias).setCollectionName(v1)).build()));
            targetKeepsIndexing();
            LaunchResult migrate = launcher.launch("qdrant", "migrate", "--collection", alias, "--local",
                    "--batch-size", "250", "--cutover", "manual");
            assertThat(migrate.exitCode()).as(migrate.getOutput() + migrate.getErrorOutput()).isZero();
            Matcher found = Pattern.compile("([0-9a-f-]{36})  " + v1).matcher(migrate.getOutput());
            assertThat(found.find()).as(migrate.getOutput()).isTrue();
            String runId = found.group(1);
            assertThat(migrate.getOutput()).contains("verified; target not ready to serve yet (status yellow; ")
                    .contains("give the go-ahead once it is: apex-migrator qdrant cutover " + runId + " --local");
            assertThat(status(launcher, runId).path("state").asText()).isEqualTo("ready-for-cutover");
            long roundsBefore = rounds(runId);

            // when: the operator gives the go-ahead while the target still indexes
            LaunchResult early = launcher.launch("qdrant", "cutover", runId, "--local");

            // then: one more round and gate, which gave up; the run waits again with the reason, its request used up
            assertThat(early.exitCode()).as(early.getOutput() + early.getErrorOutput()).isEqualTo(1);
            assertThat(early.getOutput()).contains(v1 + " -> " + v2 + "  ready-for-cutover");
            assertThat(early.getErrorOutput())
                    .contains("error: run " + runId + " waits in ready-for-cutover again, the alias unchanged: target "
                            + v2 + " is not ready to serve (status yellow; ")
                    .contains(" of " + REQUIRED_INDEXED + " required vectors indexed)")
                    .contains("apex-migrator qdrant cutover " + runId + " --local");
            JsonNode waiting = status(launcher, runId);
            assertThat(waiting.path("state").asText()).isEqualTo("ready-for-cutover");
            assertThat(waiting.path("failure").isNull()).isTrue();
            JsonNode readiness = waiting.path("verification").path("readiness");
            assertThat(readiness.path("ready").asBoolean(true)).isFalse();
            assertThat(readiness.path("reason").asText()).startsWith("status yellow; ");
            LaunchResult statusText = launcher.launch("status", runId);
            assertThat(statusText.getOutput()).contains("readiness  target not ready to serve: status yellow; ")
                    .contains("qdrant cutover " + runId + " runs the gate again");
            assertThat(rounds(runId)).as("verification rounds (each ends at the gate)").isEqualTo(roundsBefore + 1);
            assertThat(cutoverRequested(runId)).as("cutover still requested").isFalse();
            assertThat(gateway.aliases()).containsEntry(alias, v1);

            // when: the index is built and the operator asks again
            targetFinishesIndexing();
            LaunchResult cutover = launcher.launch("qdrant", "cutover", runId, "--local");

            // then: that gate found the target ready, and the alias moved
            assertThat(cutover.exitCode()).as(cutover.getOutput() + cutover.getErrorOutput()).isZero();
            assertThat(cutover.getOutput()).contains(v1 + " -> " + v2 + "  completed");
            assertThat(gateway.aliases()).containsEntry(alias, v2);
            JsonNode completed = status(launcher, runId);
            assertThat(completed.path("state").asText()).isEqualTo("completed");
            assertThat(completed.path("verification").path("readiness").path("ready").asBoolean()).isTrue();
            assertThat(rounds(runId)).isEqualTo(roundsBefore + 2);
            assertThat(TestCollections.assertSameContent(gateway, v1, v2)).isEqualTo(POINTS);

            // and: a cutover of the completed run is refused, naming the run and its state
            LaunchResult late = launcher.launch("qdrant", "cutover", runId, "--local");
            assertThat(late.exitCode()).isEqualTo(1);
            assertThat(late.getErrorOutput()).contains("error: run " + runId + " is completed, not ready-for-cutover");
        }
    }

    /** The target keeps building its index (status yellow) for longer than the test waits. */
    private static void targetKeepsIndexing() {
        QdrantStandIn.shared().faults().indexingDelay(Duration.ofMinutes(30));
    }

    private static void targetFinishesIndexing() {
        QdrantStandIn.shared().faults().indexingDelay(Duration.ZERO);
    }

    private static JsonNode status(QuarkusMainLauncher launcher, String runId) {
        LaunchResult status = launcher.launch("status", runId, "--output", "json");
        assertThat(status.exitCode()).as(status.getErrorOutput()).isZero();
        try {
            return Messages.get().mapper().readTree(status.getOutput());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The run's verification rounds: the one after the copy and one per cutover that went through the gate. */
    private static long rounds(String runId) {
        return (Long) valueFor(runId, "SELECT count(*) FROM apex_migrator.verify_passes WHERE run_id = ?::uuid "
                + "AND first_of_round");
    }

    private static boolean cutoverRequested(String runId) {
        return (Boolean) valueFor(runId, "SELECT cutover_requested FROM apex_migrator.runs WHERE id = ?::uuid");
    }

    /** The run store's answer to a one-value query about the run (read as the run store's operator would). */
    private static Object valueFor(String runId, String sql) {
        try (Connection c = DriverManager.getConnection(LocalStack.postgresJdbcUrl(), "postgres", "");
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("a row for run " + runId).isTrue();
                return rs.getObject(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static QdrantGateway gateway() {
        QdrantStandIn.Shared standIn = QdrantStandIn.shared();
        return QdrantGateway.connect(QdrantSettings.of(standIn.host(), standIn.port()));
    }
}

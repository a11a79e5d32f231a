package io.apex.migrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.apex.migrator.qdrant.standin.QdrantStandIn;
import io.apex.migrator.qdrant.standin.QdrantStandInResource;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunState;
import io.apex.migrator.support.LocalStackResource;
import io.grpc.Status;
import io.qdrant.client.grpc.Collections.AliasOperations;
import io.qdrant.client.grpc.Collections.CreateAlias;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A bulk load ({@code bulkLoad: true}) turns the target's HNSW indexing off ({@code m = 0}) for the copy; a run that
 * fails or is cancelled before the copy ends must give the target its {@code m} back and leave the alias alone, and a
 * Qdrant error while giving it back is recorded without hiding why the run failed. Through the commands topic, on
 * real Kafka and PostgreSQL 15 and the Qdrant stand-in (which reports the collection's HNSW config).
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
@WithTestResource(QdrantStandInResource.class)
@WithTestResource(PipelineWorkerResource.class)
class BulkLoadRestoreIT extends StandInPipelineRuns {

    @Test
    void aBulkLoadWhoseRangeFailsForGoodGetsItsHnswMBackAndKeepsTheAlias() {
        // given: a bulk load copying slowly (12 ranges, 1 s each, 3 workers), with indexing off
        QdrantMigrationIT.Names n = seeded("bulkfail");
        long m = hnswM(n.v2());
        QdrantStandIn.shared().faults().latency("Points/Upsert", Duration.ofSeconds(1));
        String commandId = "c-" + UUID.randomUUID();
        send(bulkMigrate(commandId, n));
        awaitIndexingOff(n.v2());

        // when: ranges are refused for good (every upsert from now on: a one-shot fault could be taken by an upsert
        // still in flight for another test's run on the shared stand-in)
        QdrantStandIn.shared().faults().errorRate("Points/Upsert", 1.0, Status.Code.INVALID_ARGUMENT);
        JsonNode failed = awaitEvent(commandId, "migration-failed", Duration.ofMinutes(2));

        // then
        Run run = runStore.findByCommand(commandId).orElseThrow();
        assertThat(run.state()).isEqualTo(RunState.FAILED);
        assertThat(failed.path("reason").asText()).contains("range").contains("failed");
        assertThat(hnswM(n.v2())).isEqualTo(m);
        assertThat(failed.path("details").path("bulkLoad").path("restored").asBoolean()).isTrue();
        assertThat(failed.path("details").path("bulkLoad").path("hnswM").asLong()).isEqualTo(m);
        assertThat(summary(run).path(BulkLoad.RESTORE_KEY).path("restored").asBoolean()).isTrue();
        assertThat(gateway.aliases()).containsEntry(n.alias(), n.v1());
    }

    @Test
    void aCancelledBulkLoadGetsItsHnswMBackAndKeepsTheAlias() {
        // given
        QdrantMigrationIT.Names n = seeded("bulkcancel");
        long m = hnswM(n.v2());
        QdrantStandIn.shared().faults().latency("Points/Upsert", Duration.ofSeconds(1));
        String commandId = "c-" + UUID.randomUUID();
        send(bulkMigrate(commandId, n));
        awaitIndexingOff(n.v2());
        Run copying = runStore.findByCommand(commandId).orElseThrow();

        // when
        String cancel = "cancel-" + UUID.randomUUID();
        send("{\"schemaVersion\":1,\"commandId\":\"" + cancel + "\",\"type\":\"run.cancel\",\"runId\":\""
                + copying.id() + "\"}");
        JsonNode failed = awaitEvent(commandId, "migration-failed", Duration.ofMinutes(2));

        // then
        Run run = runStore.findRun(copying.id()).orElseThrow();
        assertThat(run.state()).isEqualTo(RunState.CANCELLED);
        assertThat(failed.path("reason").asText()).contains("cancelled by command " + cancel);
        assertThat(hnswM(n.v2())).isEqualTo(m);
        assertThat(failed.path("details").path("bulkLoad").path("restored").asBoolean()).isTrue();
        assertThat(gateway.aliases()).containsEntry(n.alias(), n.v1());
    }

    @Test
    void aRestoreQdrantRefusesIsRecordedAndTheRunKeepsItsOwnFailure() {
        // given: planning is slow, then refused; indexing is already off when it is
        QdrantMigrationIT.Names n = seeded("bulkrefused");
        QdrantStandIn.shared().faults().latency("Points/Scroll", Duration.ofSeconds(3))
                .errorRate("Points/Scroll", 1.0, Status.Code.INVALID_ARGUMENT);
        String commandId = "c-" + UUID.randomUUID();
        send(bulkMigrate(commandId, n));
        awaitIndexingOff(n.v2());

        // when: Qdrant refuses to give the target its m back too
        QdrantStandIn.shared().faults().errorRate("Collections/Update", 1.0, Status.Code.FAILED_PRECONDITION);
        JsonNode failed = awaitEvent(commandId, "migration-failed", Duration.ofMinutes(2));

        // then: the run's failure is the planner's; the restore's is recorded beside it; the alias stays
        Run run = runStore.findByCommand(commandId).orElseThrow();
        assertThat(run.state()).isEqualTo(RunState.FAILED);
        assertThat(run.failure()).contains("before the copy started").contains("Qdrant refused")
                .doesNotContain("FAILED_PRECONDITION");
        assertThat(failed.path("reason").asText()).isEqualTo(run.failure());
        JsonNode restore = failed.path("details").path("bulkLoad");
        assertThat(restore.path("restored").asBoolean(true)).isFalse();
        assertThat(restore.path("error").asText()).contains("FAILED_PRECONDITION");
        assertThat(summary(run).path(BulkLoad.RESTORE_KEY).path("restored").asBoolean(true)).isFalse();
        assertThat(hnswM(n.v2())).isZero();
        assertThat(gateway.aliases()).containsEntry(n.alias(), n.v1());
    }

    // --- helpers ---------------------------------------------------------------------------------------

    private QdrantMigrationIT.Names seeded(String base) {
        QdrantMigrationIT.Names n = QdrantMigrationIT.Names.create(base);
        TestCollections.create(gateway, n.v1(), 16, false);
        TestCollections.seed(gateway, n.v1(), 1_200, 16, false, false, 13);
        TestCollections.create(gateway, n.v2(), 16, false);
        assertThat(hnswM(n.v2())).isPositive();
        gateway.updateAliases(List.of(AliasOperations.newBuilder().setCreateAlias(CreateAlias.newBuilder()
                .setAliasName(n.alias()).setCollectionName(n.v1())).build()));
        return n;
    }

    private static String bulkMigrate(String commandId, QdrantMigrationIT.Names n) {
        return "{\"schemaVersion\":1,\"commandId\":\"" + commandId + "\",\"type\":\"qdrant.migrate\",\"source\":\""
                + n.v1() + "\",\"target\":\"" + n.v2() + "\",\"alias\":\"" + n.alias()
                + "\",\"batchSize\":100,\"bulkLoad\":true}";
    }

    private long hnswM(String collection) {
        return gateway.collectionInfo(collection).getConfig().getHnswConfig().getM();
    }

    private void awaitIndexingOff(String target) {
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(20)).until(() -> hnswM(target) == 0);
    }
}

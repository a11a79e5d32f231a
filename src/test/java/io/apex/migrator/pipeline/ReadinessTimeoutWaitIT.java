package io.apex.migrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.apex.migrator.qdrant.standin.QdrantStandInResource;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunState;
import io.apex.migrator.state.VerificationStore;
import io.apex.migrator.support.LocalStackResource;
import io.apex.migrator.support.SpecsDirResource;
import io.qdrant.client.grpc.Collections.CollectionConfig;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code apex.pipeline.readiness.on-timeout=wait} (the default): a target still indexing when the readiness gate's
 * timeout passes leaves the run waiting in ready-for-cutover with the gate's reason and the alias where it was; a
 * cutover command runs the gate again and, the target ready by then, swaps; one sent while the target still indexes
 * runs the gate once and leaves the run waiting for the next command. An in-place change fails at the timeout
 * whatever on-timeout says, since readers already see the changed collection (real Kafka and PostgreSQL, the
 * stand-in).
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
@WithTestResource(QdrantStandInResource.class)
@WithTestResource(PipelineWorkerResource.class)
@WithTestResource(value = ReadinessTimeoutResource.class, initArgs = @ResourceArg(name = "on-timeout", value = "wait"))
class ReadinessTimeoutWaitIT extends ReadinessTimeoutRuns {

    @Inject
    VerificationStore verifications;

    @Test
    void aTargetStillIndexingAtTheTimeoutWaitsInReadyForCutoverAndACutoverCommandSwapsOnceItIsReady() {
        // given
        Names n = sourceAndTargetStillIndexing("waitready");
        String commandId = "c-" + UUID.randomUUID();

        // when: an auto cutover whose target is still indexing when the gate gives up
        send(migrate(commandId, n, "auto"));
        Run waiting = awaitWaitingOrEnded(commandId);

        // then: it waits, not failed, with the gate's reason in its summary (what status shows), the alias unmoved
        assertThat(waiting.state()).isEqualTo(RunState.READY_FOR_CUTOVER);
        assertThat(waiting.failure()).isNull();
        JsonNode readiness = summary(waiting).path("readiness");
        assertThat(readiness.path("ready").asBoolean(true)).isFalse();
        assertThat(readiness.path("requiredIndexed").asLong()).isEqualTo(REQUIRED_INDEXED);
        assertThat(readiness.path("reason").asText()).startsWith("status yellow; ")
                .endsWith(" of " + REQUIRED_INDEXED + " required vectors indexed");
        assertThat(gateway.aliases()).containsEntry(n.alias(), n.v1());
        JsonNode indexing = eventsOf(commandId, "migration-indexing").get(0).path("details").path("readiness");
        assertThat(indexing.path("reason").asText()).startsWith("status yellow; ");
        assertThat(typesOf(commandId))
                .doesNotContain("migration-failed", "migration-verified", "alias-swapped", "migration-completed");

        // when: the index is built and an operator asks for the cutover
        targetFinishesIndexing();
        send(cutover(waiting.id()));
        awaitEvent(commandId, "migration-completed", Duration.ofMinutes(1));

        // then: the gate ran again, found the target ready, and the alias moved
        JsonNode verified = eventsOf(commandId, "migration-verified").get(0);
        assertThat(verified.path("details").path("verification").path("readiness").path("ready").asBoolean())
                .isTrue();
        assertThat(run(commandId).state()).isEqualTo(RunState.COMPLETED);
        assertThat(gateway.aliases()).containsEntry(n.alias(), n.v2());
        assertThat(TestCollections.assertSameContent(gateway, n.v1(), n.v2())).isEqualTo(POINTS);
        List<String> types = typesOf(commandId);
        assertThat(types.indexOf("migration-indexing")).isLessThan(types.indexOf("migration-verified"));
        assertThat(types.indexOf("migration-verified")).isLessThan(types.indexOf("alias-swapped"));
        assertThat(types).doesNotContain("migration-failed");
    }

    @Test
    void aCutoverCommandWhileTheTargetStillIndexesRunsTheGateOnceAndTheRunWaitsForTheNextCommand() {
        // given: a manual cutover waiting in ready-for-cutover, its target still indexing at the gate's timeout
        Names n = sourceAndTargetStillIndexing("cutidx");
        String commandId = "c-" + UUID.randomUUID();
        send(migrate(commandId, n, "manual"));
        Run waiting = awaitWaitingOrEnded(commandId);
        assertThat(waiting.state()).isEqualTo(RunState.READY_FOR_CUTOVER);
        int indexingBefore = eventsOf(commandId, "migration-indexing").size();

        // when: an operator asks for the cutover while the target is still indexing
        send(cutover(waiting.id()));

        // then: the gate runs once more, times out, and the run waits again with the request used up
        // (or a gate more than that, which the assertions below report)
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            int indexing = eventsOf(commandId, "migration-indexing").size();
            return indexing > indexingBefore + 1
                    || indexing == indexingBefore + 1 && run(commandId).state() == RunState.READY_FOR_CUTOVER;
        });
        assertThat(eventsOf(commandId, "migration-indexing")).as("migration-indexing events after one command")
                .hasSize(indexingBefore + 1);
        assertThat(run(commandId).state()).isEqualTo(RunState.READY_FOR_CUTOVER);
        assertThat(verifications.cutoverRequested(waiting.id())).as("cutover still requested").isFalse();
        assertThat(summary(run(commandId)).path("readiness").path("ready").asBoolean(true)).isFalse();
        assertThat(gateway.aliases()).containsEntry(n.alias(), n.v1());

        // and nothing more happens by itself: no further pass or gate over three of the gate's timeouts
        await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(20)).until(() ->
                run(commandId).state() == RunState.READY_FOR_CUTOVER
                        && eventsOf(commandId, "migration-indexing").size() == indexingBefore + 1);
        assertThat(typesOf(commandId))
                .doesNotContain("migration-failed", "migration-verified", "alias-swapped", "migration-completed");
        assertThat(gateway.aliases()).containsEntry(n.alias(), n.v1());

        // when: the index is built and the operator asks again
        targetFinishesIndexing();
        send(cutover(waiting.id()));
        awaitEvent(commandId, "migration-completed", Duration.ofMinutes(1));

        // then: that gate found the target ready at its first look, and the alias moved
        assertThat(run(commandId).state()).isEqualTo(RunState.COMPLETED);
        assertThat(gateway.aliases()).containsEntry(n.alias(), n.v2());
        assertThat(eventsOf(commandId, "migration-indexing")).hasSize(indexingBefore + 1);
        assertThat(eventsOf(commandId, "migration-verified").get(0).path("details").path("verification")
                .path("readiness").path("ready").asBoolean()).isTrue();
        assertThat(TestCollections.assertSameContent(gateway, n.v1(), n.v2())).isEqualTo(POINTS);
        assertThat(typesOf(commandId)).doesNotContain("migration-failed");
    }

    @Test
    void aCollectionStillIndexingAtTheTimeoutOfItsInPlaceChangeFailsTheRunAndGetsItsOldParamsBack() {
        // given: a spec that changes HNSW and lowers the indexing threshold so Qdrant indexes these 1,200 points,
        // and a stand-in that keeps the collection yellow after the change
        Names n = Names.create("inplacet");
        TestCollections.create(gateway, n.v1(), DIMS, false);
        TestCollections.seed(gateway, n.v1(), 1_200, DIMS, false, false, 7);
        pointAlias(n.alias(), n.v1());
        CollectionConfig before = gateway.collectionInfo(n.v1()).getConfig();
        SpecsDirResource.write(n.v2(), "name: " + n.alias() + "\nversion: 2\nvectors: { size: " + DIMS
                + ", distance: dot }\nhnsw: { m: 32, ef_construct: 128 }\noptimizers: { indexing_threshold: 10 }\n"
                + "payload_indexes: {}\n");
        targetKeepsIndexing();
        String commandId = "c-" + UUID.randomUUID();
        try {
            // when
            send("{\"schemaVersion\":1,\"commandId\":\"" + commandId + "\",\"type\":\"qdrant.migrate\",\"source\":\""
                    + n.v1() + "\",\"target\":\"" + n.v2() + "\",\"alias\":\"" + n.alias()
                    + "\",\"batchSize\":200,\"inPlace\":true}");
            JsonNode failed = awaitEvent(commandId, "migration-failed", Duration.ofMinutes(1));

            // then: failed with the gate's reason although on-timeout is wait; old params back; alias unmoved
            assertThat(failed.path("reason").asText())
                    .contains("is not ready to serve after 2 s since its in-place change: status yellow; ")
                    .contains("its params before the change are restored");
            JsonNode readiness = failed.path("details").path("verification").path("readiness");
            assertThat(readiness.path("ready").asBoolean(true)).isFalse();
            assertThat(failed.path("reason").asText()).contains(readiness.path("reason").asText());
            assertThat(failed.path("details").path("inPlaceRestore").path("restored").asBoolean()).isTrue();
            CollectionConfig after = gateway.collectionInfo(n.v1()).getConfig();
            assertThat(after.getHnswConfig()).isEqualTo(before.getHnswConfig());
            assertThat(after.getOptimizerConfig()).isEqualTo(before.getOptimizerConfig());
            assertThat(run(commandId).state()).isEqualTo(RunState.FAILED);
            assertThat(gateway.aliases()).containsEntry(n.alias(), n.v1());
            List<String> types = typesOf(commandId);
            assertThat(types.indexOf("migration-indexing")).isBetween(0, types.indexOf("migration-failed"));
            assertThat(types).doesNotContain("schema-ready", "migration-completed", "alias-swapped");
        } finally {
            SpecsDirResource.delete(n.v2());
        }
    }
}

package io.apex.migrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.apex.migrator.api.Messages;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.standin.Faults;
import io.apex.migrator.qdrant.standin.QdrantStandIn;
import io.apex.migrator.qdrant.standin.QdrantStandInResource;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunState;
import io.apex.migrator.state.RunStore;
import io.apex.migrator.support.LocalStackResource;
import io.grpc.Status;
import io.qdrant.client.grpc.CollectionsGrpc;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Replacing a collection that carries the alias' name (real Kafka, PostgreSQL 15, the stand-in; the worker setup of
 * {@link QdrantMigrationIT}): only a verified target replaces it, a Qdrant snapshot of it is taken and recorded with
 * the run before the delete, and the alias creation after the delete is retried until it succeeds. (A replica that
 * crashes between the delete and the alias is {@link LifecycleCrashMatrixIT}'s "after-collection-dropped".)
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
@WithTestResource(QdrantStandInResource.class)
@WithTestResource(PipelineWorkerResource.class)
class CollectionReplacementIT {

    private static final int DIMS = 32;
    private static final int POINTS = 1_200;

    @Inject
    QdrantGateway gateway;
    @Inject
    RunStore runStore;
    @Inject
    CollectionReplacement replacement;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private static KafkaProducer<String, String> producer;

    @AfterEach
    void resetFaults() {
        QdrantStandIn.shared().faults().reset();
    }

    @AfterAll
    static void closeProducer() {
        if (producer != null) {
            producer.close();
        }
    }

    @Test
    void aCollectionNamedLikeTheAliasIsReplacedOnlyByAVerifiedTargetAndSnapshottedBeforeTheDelete() {
        // given a source named like the alias; its copy is held up, so the run is not verified yet
        String alias = name("replace");
        seed(alias);
        Faults.Gate copying = QdrantStandIn.shared().faults().parkNextUpsert(alias + "_v2");
        String commandId = send(alias);
        Run copyingRun = await().atMost(Duration.ofMinutes(1)).until(() -> runStore.findByCommand(commandId)
                .orElse(null), r -> r != null && r.state() == RunState.COPYING);

        // when the replacement is asked for before verification, it is refused and nothing is touched
        assertThatThrownBy(() -> replacement.replace(copyingRun))
                .isInstanceOf(PipelineException.CutoverRefused.class)
                .hasMessageContaining("was not verified; nothing was dropped");
        assertThat(gateway.collectionExists(alias)).isTrue();
        assertThat(QdrantStandIn.shared().snapshotFiles(alias)).isEmpty();

        // when the copy goes on, is verified and cut over
        copying.open();
        Run done = awaitCompleted(commandId);

        // then
        assertReplaced(alias, done);
    }

    @Test
    void anAliasCreationThatFailsAfterTheDeleteIsRetriedUntilTheAliasExists() {
        // given: the first six alias updates fail, more than the gateway's own retries absorb
        String alias = name("retry");
        seed(alias);
        Faults faults = QdrantStandIn.shared().faults();
        faults.failNext(CollectionsGrpc.getUpdateAliasesMethod().getFullMethodName(), 6, Status.Code.UNAVAILABLE);

        // when
        Run done = awaitCompleted(send(alias));

        // then the alias was created after the injected failures, and the snapshot is there to restore from
        assertThat(faults.injectedCount()).isGreaterThanOrEqualTo(6);
        assertReplaced(alias, done);
    }

    private void assertReplaced(String alias, Run done) {
        assertThat(gateway.aliases()).containsEntry(alias, alias + "_v2");
        assertThat(gateway.count(alias + "_v2")).isEqualTo(POINTS);
        assertThat(done.previousCollection()).isEqualTo(alias);
        assertThat(done.aliasGapMs()).isNotNull();
        JsonNode snapshot = summary(done).path(CollectionReplacement.SUMMARY_KEY);
        assertThat(snapshot.path("collection").asText()).isEqualTo(alias);
        assertThat(snapshot.path("name").asText()).startsWith(alias + "-").endsWith(".snapshot");
        assertThat(snapshot.path("sizeBytes").asLong()).isPositive();
        assertThat(snapshot.path("checksum").asText()).hasSize(64);
        assertThat(QdrantStandIn.shared().snapshotFiles(alias)).containsExactly(snapshot.path("name").asText());
        assertThat(runStore.eventTypes(done.id())).containsSubsequence("migration-verified", "alias-swapped",
                "migration-completed", "schema-ready");
    }

    private Run awaitCompleted(String commandId) {
        Run run = await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                .until(() -> runStore.findByCommand(commandId).orElse(null), r -> r != null && r.state().isFinal());
        assertThat(run.state()).as("run %s: %s", run.id(), run.failure()).isEqualTo(RunState.COMPLETED);
        return run;
    }

    private static JsonNode summary(Run run) {
        try {
            return Messages.get().mapper().readTree(run.summaryJson());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void seed(String alias) {
        TestCollections.create(gateway, alias, DIMS, false);
        TestCollections.seed(gateway, alias, POINTS, DIMS, false, false, 7);
        TestCollections.create(gateway, alias + "_v2", DIMS, false);
    }

    private static String name(String base) {
        return base + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    private synchronized String send(String alias) {
        String commandId = "c-" + UUID.randomUUID();
        String json = "{\"schemaVersion\":1,\"commandId\":\"" + commandId + "\",\"type\":\"qdrant.migrate\","
                + "\"source\":\"" + alias + "\",\"target\":\"" + alias + "_v2\",\"alias\":\"" + alias + "\","
                + "\"batchSize\":300,\"dropCollectionNamedLikeAlias\":true}";
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap), new StringSerializer(),
                    new StringSerializer());
        }
        try {
            producer.send(new ProducerRecord<>(PipelineWorkerResource.PREFIX + "commands", commandId, json)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return commandId;
    }
}

package io.apex.migrator.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.apex.migrator.api.Messages;
import io.apex.migrator.pipeline.PipelineWorkerResource;
import io.apex.migrator.pipeline.SourceSnapshot;
import io.apex.migrator.pipeline.TopicReader;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.standin.QdrantStandIn;
import io.apex.migrator.qdrant.standin.QdrantStandInResource;
import io.apex.migrator.schema.SchemaMigrations;
import io.apex.migrator.schema.Store;
import io.apex.migrator.schema.Version;
import io.apex.migrator.api.MigrateCommand;
import io.apex.migrator.pipeline.RunFinisher;
import io.apex.migrator.state.Leases;
import io.apex.migrator.state.ReleaseStore;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunState;
import io.apex.migrator.state.RunStore;
import io.apex.migrator.qdrant.standin.Faults;
import io.apex.migrator.support.LocalStack;
import io.apex.migrator.support.LocalStackResource;
import io.cloudevents.CloudEvent;
import io.qdrant.client.grpc.Collections.AliasOperations;
import io.qdrant.client.grpc.Collections.CreateAlias;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.DeleteAlias;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.Points.PointStruct;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The seed's Phase 2 as one release, on the real services (Kafka, PostgreSQL + pgvector, Neo4j, the run store) and
 * the Qdrant stand-in, from an empty memory system: PostgreSQL at V001, Neo4j empty, the v1 collections with data
 * behind the aliases.
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
@WithTestResource(QdrantStandInResource.class)
@WithTestResource(PipelineWorkerResource.class)
class ReleaseIT {

    private static final int DIMS = 1536;
    private static final Map<String, Integer> POINTS = Map.of("documents", 300, "chunks", 200, "structured_data", 100);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @Inject
    QdrantGateway gateway;
    @Inject
    SchemaMigrations migrations;
    @Inject
    ReleasePlanner planner;
    @Inject
    RunStore runStore;
    @Inject
    ReleaseStore releases;
    @Inject
    Leases leases;
    @Inject
    RunFinisher finisher;

    private String commandId;

    @BeforeEach
    void emptyMemorySystem() {
        QdrantStandIn.shared().faults().reset();
        resetSchema(Store.POSTGRES, Optional.of(1));
        resetSchema(Store.NEO4J, Optional.empty());
        Map<String, String> aliases = gateway.aliases();
        for (String alias : POINTS.keySet()) {
            if (aliases.containsKey(alias)) {
                gateway.updateAliases(List.of(AliasOperations.newBuilder().setDeleteAlias(DeleteAlias.newBuilder()
                        .setAliasName(alias)).build()));
            }
            for (String c : List.of(alias + "_v1", alias + "_v2")) {
                if (gateway.collectionExists(c)) {
                    gateway.deleteCollection(c);
                }
            }
            seed(alias + "_v1", POINTS.get(alias));
            gateway.updateAliases(List.of(AliasOperations.newBuilder().setCreateAlias(CreateAlias.newBuilder()
                    .setAliasName(alias).setCollectionName(alias + "_v1")).build()));
        }
        commandId = "release-" + UUID.randomUUID();
    }

    @AfterEach
    void everyChildRunEnded() {
        // a failed release's other copies go on to their end: let them, so the next test starts from a quiet store
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> POINTS.keySet().stream()
                .map(alias -> runStore.findByCommand(commandId + "/" + alias))
                .allMatch(run -> run.isEmpty() || run.get().state().isFinal()));
        QdrantStandIn.shared().faults().reset();
    }

    @Test
    void planPrintsEveryStoresChangeInOrderAndWritesNothing() {
        // when
        ReleasePlan plan = planner.plan("phase-2");

        // then
        assertThat(plan.applicable()).as(String.join("; ", plan.problems())).isTrue();
        assertThat(plan.steps()).extracting(ReleasePlan.Step::part)
                .containsExactly("postgres", "neo4j", "qdrant", "qdrant", "qdrant", "cutover", "event");
        assertThat(plan.steps().get(0)).satisfies(s -> {
            assertThat(s.now()).isEqualTo("V001");
            assertThat(s.then()).isEqualTo("V002");
            assertThat(s.action()).startsWith("upgrade: apply V002");
        });
        assertThat(plan.steps().get(1).now()).isEqualTo("none");
        assertThat(plan.steps().get(2).action()).contains("create documents_v2 from its spec")
                .contains("copy 300 points of documents_v1");
        assertThat(plan.steps().get(5).action()).contains("ONE UpdateAliases request")
                .contains("documents documents_v1 -> documents_v2", "chunks chunks_v1 -> chunks_v2",
                        "structured_data structured_data_v1 -> structured_data_v2");
        assertThat(version(Store.POSTGRES)).contains("V001");
        assertThat(version(Store.NEO4J)).isEmpty();
        assertThat(POINTS.keySet()).allSatisfy(alias ->
                assertThat(gateway.collectionExists(alias + "_v2")).as(alias + "_v2").isFalse());
    }

    @Test
    void phase2FromAnEmptyMemorySystemSwapsEveryAliasInOneRequestAndAnnouncesOnce() throws Exception {
        // given
        int requestsBefore = QdrantStandIn.shared().faults().aliasRequests().size();

        // when
        send("{\"schemaVersion\":1,\"commandId\":\"" + commandId + "\",\"type\":\"release.apply\","
                + "\"release\":\"phase-2\"}");

        // then
        try (var events = TopicReader.events(bootstrap, PipelineWorkerResource.PREFIX + "events")) {
            JsonNode ready = await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
                    .until(() -> find(events.poll(), "io.apex.migrator.release-ready"), n -> n != null
                            || find(events.poll(), "io.apex.migrator.release-failed") != null);
            assertThat(ready).as("release-ready (release-failed: %s)",
                    find(events.poll(), "io.apex.migrator.release-failed")).isNotNull();
            JsonNode details = ready.path("details");
            assertThat(ready.path("store").asText()).isEqualTo("release");
            assertThat(details.path("release").asText()).isEqualTo("phase-2");
            assertThat(details.path("postgres").path("version").asText()).isEqualTo("V002");
            assertThat(details.path("postgres").path("previous").asText()).isEqualTo("V001");
            assertThat(details.path("neo4j").path("version").asText()).isEqualTo("V001");
            assertThat(details.path("neo4j").path("previous").asText()).isEqualTo("none");
            for (String alias : POINTS.keySet()) {
                assertThat(details.path("aliases").path(alias).path("collection").asText()).isEqualTo(alias + "_v2");
                assertThat(details.path("aliases").path(alias).path("previous").asText()).isEqualTo(alias + "_v1");
            }
            List<ConsumerRecord<String, CloudEvent>> all = events.pollToEnd(Duration.ofSeconds(30));
            assertThat(all.stream().filter(r -> r.value().getType().equals("io.apex.migrator.release-ready"))
                    .filter(r -> commandId.equals(data(r).path("commandId").asText())).map(r -> r.value().getId())
                    .distinct()).hasSize(1);
        }
        assertThat(gateway.aliases()).containsEntry("documents", "documents_v2").containsEntry("chunks", "chunks_v2")
                .containsEntry("structured_data", "structured_data_v2");
        List<Set<String>> requests = QdrantStandIn.shared().faults().aliasRequests();
        assertThat(requests.subList(requestsBefore, requests.size()))
                .containsExactly(Set.of("documents", "chunks", "structured_data"));
        for (Map.Entry<String, Integer> e : POINTS.entrySet()) {
            assertThat(gateway.count(e.getKey() + "_v2")).as(e.getKey() + "_v2").isEqualTo(e.getValue().longValue());
        }
        assertThat(version(Store.POSTGRES)).contains("V002");
        assertThat(version(Store.NEO4J)).contains("V001");
    }

    @Test
    void rollbackPutsTheAliasesBackInOneRequestThenNeo4jDownThenPostgresDowngrade() throws Exception {
        // given: phase 2 applied
        send("{\"schemaVersion\":1,\"commandId\":\"" + commandId + "\",\"type\":\"release.apply\","
                + "\"release\":\"phase-2\"}");
        String rollbackId = commandId + "-rollback";
        try (var events = TopicReader.events(bootstrap, PipelineWorkerResource.PREFIX + "events")) {
            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
                    .until(() -> find(events.poll(), "io.apex.migrator.release-ready"), n -> n != null);
            int requestsBefore = QdrantStandIn.shared().faults().aliasRequests().size();

            // when
            send("{\"schemaVersion\":1,\"commandId\":\"" + rollbackId + "\",\"type\":\"release.rollback\","
                    + "\"release\":\"phase-2\"}");

            // then
            JsonNode rolledBack = await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .until(() -> find(events.poll(), "io.apex.migrator.release-rolled-back", rollbackId),
                            n -> n != null);
            assertThat(rolledBack.path("details").path("release").asText()).isEqualTo("phase-2");
            List<Set<String>> requests = QdrantStandIn.shared().faults().aliasRequests();
            assertThat(requests.subList(requestsBefore, requests.size()))
                    .containsExactly(Set.of("documents", "chunks", "structured_data"));
        }
        assertThat(gateway.aliases()).containsEntry("documents", "documents_v1").containsEntry("chunks", "chunks_v1")
                .containsEntry("structured_data", "structured_data_v1");
        assertThat(version(Store.POSTGRES)).contains("V001");
        assertThat(version(Store.NEO4J)).isEmpty();
    }

    @Test
    void aQdrantRangeThatFailsForGoodFailsTheReleaseNamingThePartAndNoAliasMoves() throws Exception {
        // given: Qdrant refuses every upsert (INVALID_ARGUMENT is not retried: the range is dead-lettered)
        QdrantStandIn.shared().faults().failNext("Points/Upsert", 10_000, io.grpc.Status.Code.INVALID_ARGUMENT);
        int requestsBefore = QdrantStandIn.shared().faults().aliasRequests().size();

        // when
        send("{\"schemaVersion\":1,\"commandId\":\"" + commandId + "\",\"type\":\"release.apply\","
                + "\"release\":\"phase-2\"}");

        // then
        try (var events = TopicReader.events(bootstrap, PipelineWorkerResource.PREFIX + "events")) {
            JsonNode failed = await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
                    .until(() -> find(events.poll(), "io.apex.migrator.release-failed"), n -> n != null);
            assertThat(failed.path("details").path("failedPart").asText()).startsWith("qdrant ");
            assertThat(failed.path("reason").asText()).contains("failed");
        }
        assertThat(gateway.aliases()).containsEntry("documents", "documents_v1").containsEntry("chunks", "chunks_v1")
                .containsEntry("structured_data", "structured_data_v1");
        List<Set<String>> requests = QdrantStandIn.shared().faults().aliasRequests();
        assertThat(requests.subList(requestsBefore, requests.size())).isEmpty();
    }

    @Test
    void aRecallGateMissInOnePartFailsTheReleaseNamingItAndNoAliasMoves() throws Exception {
        // given: the int8 copy of chunks answers far from the exact search
        QdrantStandIn.shared().faults().quantizationNoise("chunks_v2", 0.5);
        int requestsBefore = QdrantStandIn.shared().faults().aliasRequests().size();

        // when
        send("{\"schemaVersion\":1,\"commandId\":\"" + commandId + "\",\"type\":\"release.apply\","
                + "\"release\":\"phase-2\"}");

        // then
        try (var events = TopicReader.events(bootstrap, PipelineWorkerResource.PREFIX + "events")) {
            JsonNode failed = await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
                    .until(() -> find(events.poll(), "io.apex.migrator.release-failed"), n -> n != null);
            assertThat(failed.path("details").path("failedPart").asText()).isEqualTo("qdrant chunks");
            assertThat(failed.path("reason").asText()).startsWith("qdrant chunks: run ").contains("failed")
                    .contains("recall@10");
            assertThat(find(events.pollToEnd(Duration.ofSeconds(30)), "io.apex.migrator.release-ready")).isNull();
        }
        assertThat(gateway.aliases()).containsEntry("documents", "documents_v1").containsEntry("chunks", "chunks_v1")
                .containsEntry("structured_data", "structured_data_v1");
        List<Set<String>> requests = QdrantStandIn.shared().faults().aliasRequests();
        assertThat(requests.subList(requestsBefore, requests.size())).isEmpty();
    }

    @Test
    void aPartThatCannotStartFailsTheReleaseAndTheCopiesAlreadyRunningAreCancelled() throws Exception {
        // given: another migration of structured_data in flight (its lease held by a live replica), so that part
        // cannot start; the copies of documents and chunks start before it, documents' held mid-way
        manifest("phase-2-qdrant", "auto");
        Run other = runStore.createRun(MigrateCommand.of("other-" + UUID.randomUUID(), "structured_data_v1",
                "structured_data_v9", "structured_data"));
        assertThat(leases.acquire(Leases.Kind.RUN, other.id(), "another-replica", Duration.ofMinutes(10))).isTrue();
        Faults.Gate documentsHeld = QdrantStandIn.shared().faults().parkNextUpsert("documents_v2");
        int requestsBefore = QdrantStandIn.shared().faults().aliasRequests().size();
        try (var events = TopicReader.events(bootstrap, PipelineWorkerResource.PREFIX + "events")) {
            // when
            send("{\"schemaVersion\":1,\"commandId\":\"" + commandId + "\",\"type\":\"release.apply\","
                    + "\"release\":\"phase-2-qdrant\"}");

            // then
            JsonNode failed = await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .until(() -> find(events.poll(), "io.apex.migrator.release-failed"), n -> n != null);
            assertThat(failed.path("details").path("failedPart").asText()).isEqualTo("qdrant structured_data");
            assertThat(failed.path("reason").asText()).startsWith("qdrant structured_data: $.alias: run "
                    + other.id());
            for (String alias : List.of("documents", "chunks")) {
                await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(() -> runStore
                        .findByCommand(commandId + "/" + alias).map(r -> r.state().isFinal()).orElse(false));
                assertThat(runStore.findByCommand(commandId + "/" + alias).orElseThrow().state()).as(alias)
                        .isEqualTo(RunState.CANCELLED);
            }
            ReleaseStore.Release release = releases.findByCommand(commandId).orElseThrow();
            assertThat(release.state()).isEqualTo("failed");
            assertThat(releases.parts(release.id())).extracting(ReleaseStore.Part::subject, ReleaseStore.Part::state)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("documents", "cancelled"),
                            org.assertj.core.groups.Tuple.tuple("chunks", "cancelled"),
                            org.assertj.core.groups.Tuple.tuple("structured_data", "failed"));
        } finally {
            documentsHeld.open();
            finisher.cancel(other, "test over", "other-cancel-" + UUID.randomUUID(), "run.cancel");
        }
        assertThat(gateway.aliases()).containsEntry("documents", "documents_v1").containsEntry("chunks", "chunks_v1")
                .containsEntry("structured_data", "structured_data_v1");
        List<Set<String>> requests = QdrantStandIn.shared().faults().aliasRequests();
        assertThat(requests.subList(requestsBefore, requests.size())).isEmpty();
    }

    @Test
    void aPostgresScriptErrorFailsTheReleaseNamingThePartBeforeAnyCopyAndNoAliasMoves() throws Exception {
        // given: a column named like the one V002 adds, of another type: V002's HNSW index on it fails
        memoryDatabase("ALTER TABLE public.structured_data ADD COLUMN embedding text");
        int requestsBefore = QdrantStandIn.shared().faults().aliasRequests().size();
        try {
            // when
            send("{\"schemaVersion\":1,\"commandId\":\"" + commandId + "\",\"type\":\"release.apply\","
                    + "\"release\":\"phase-2\"}");

            // then
            try (var events = TopicReader.events(bootstrap, PipelineWorkerResource.PREFIX + "events")) {
                JsonNode failed = await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
                        .until(() -> find(events.poll(), "io.apex.migrator.release-failed"), n -> n != null);
                assertThat(failed.path("details").path("failedPart").asText()).isEqualTo("postgres V002");
                assertThat(failed.path("reason").asText()).startsWith("postgres V002: ");
            }
            ReleaseStore.Release release = releases.findByCommand(commandId).orElseThrow();
            assertThat(release.state()).isEqualTo("failed");
            assertThat(release.failedPart()).isEqualTo("postgres V002");
            assertThat(POINTS.keySet()).allSatisfy(alias -> assertThat(runStore.findByCommand(commandId + "/" + alias))
                    .as("run of %s", alias).isEmpty());
            assertThat(version(Store.POSTGRES)).contains("V001");
            assertThat(version(Store.NEO4J)).isEmpty();
        } finally {
            memoryDatabase("DROP INDEX IF EXISTS public.idx_structured_data_embedding_hnsw");
            memoryDatabase("ALTER TABLE public.structured_data DROP COLUMN IF EXISTS embedding");
        }
        assertThat(gateway.aliases()).containsEntry("documents", "documents_v1").containsEntry("chunks", "chunks_v1")
                .containsEntry("structured_data", "structured_data_v1");
        List<Set<String>> requests = QdrantStandIn.shared().faults().aliasRequests();
        assertThat(requests.subList(requestsBefore, requests.size())).isEmpty();
    }

    @Test
    void aManualCutoverWaitsInReadyForCutoverThenReleaseCutoverSwapsEveryAliasInOneRequest() throws Exception {
        // given: the Qdrant part of phase 2 with a manual cutover, copied and verified
        manifest("phase-2-manual", "manual");
        int requestsBefore = QdrantStandIn.shared().faults().aliasRequests().size();
        send("{\"schemaVersion\":1,\"commandId\":\"" + commandId + "\",\"type\":\"release.apply\","
                + "\"release\":\"phase-2-manual\"}");
        ReleaseStore.Release waiting = await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
                .until(() -> releases.findByCommand(commandId).orElse(null),
                        r -> r != null && (r.state().equals("ready-for-cutover") || r.isFinal()));
        assertThat(waiting.state()).as("%s: %s", waiting.failedPart(), waiting.failure())
                .isEqualTo("ready-for-cutover");
        assertThat(gateway.aliases()).containsEntry("documents", "documents_v1").containsEntry("chunks", "chunks_v1")
                .containsEntry("structured_data", "structured_data_v1");
        assertThat(QdrantStandIn.shared().faults().aliasRequests()).hasSize(requestsBefore);

        try (var events = TopicReader.events(bootstrap, PipelineWorkerResource.PREFIX + "events")) {
            // when
            send("{\"schemaVersion\":1,\"commandId\":\"" + commandId + "-cutover\",\"type\":\"release.cutover\","
                    + "\"release\":\"phase-2-manual\"}");

            // then
            List<ConsumerRecord<String, CloudEvent>> seen = new ArrayList<>();
            JsonNode ready = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        seen.addAll(events.poll());
                        return find(seen, "io.apex.migrator.release-ready");
                    }, n -> n != null);
            assertThat(ready.path("details").path("aliases").path("chunks").path("collection").asText())
                    .isEqualTo("chunks_v2");
            seen.addAll(events.pollToEnd(Duration.ofSeconds(10)));
            assertThat(seen.stream().filter(r -> r.value().getType().equals("io.apex.migrator.release-ready"))
                    .filter(r -> commandId.equals(data(r).path("commandId").asText())).map(r -> r.value().getId())
                    .distinct()).as("release-ready ids").hasSize(1);
        }
        List<Set<String>> requests = QdrantStandIn.shared().faults().aliasRequests();
        assertThat(requests.subList(requestsBefore, requests.size()))
                .containsExactly(Set.of("documents", "chunks", "structured_data"));
        assertThat(gateway.aliases()).containsEntry("documents", "documents_v2").containsEntry("chunks", "chunks_v2")
                .containsEntry("structured_data", "structured_data_v2");
        assertThat(releases.find(waiting.id()).orElseThrow().state()).isEqualTo("completed");
        // documents asked for a snapshot of its source before its copy; the others did not
        assertThat(SourceSnapshot.recorded(runStore.findByCommand(commandId + "/documents").orElseThrow()))
                .hasValueSatisfying(s -> {
                    assertThat(s.collection()).isEqualTo("documents_v1");
                    assertThat(gateway.listSnapshots("documents_v1")).anyMatch(l -> l.name().equals(s.name()));
                });
        assertThat(SourceSnapshot.recorded(runStore.findByCommand(commandId + "/chunks").orElseThrow())).isEmpty();
    }

    @Test
    void cancellingAReleaseWhileItCopiesCancelsItsCopiesAndMovesNoAlias() throws Exception {
        // given: a release copying, the copy of documents held mid-way
        manifest("phase-2-manual", "manual");
        Faults.Gate documentsHeld = QdrantStandIn.shared().faults().parkNextUpsert("documents_v2");
        int requestsBefore = QdrantStandIn.shared().faults().aliasRequests().size();
        send("{\"schemaVersion\":1,\"commandId\":\"" + commandId + "\",\"type\":\"release.apply\","
                + "\"release\":\"phase-2-manual\"}");
        try (var events = TopicReader.events(bootstrap, PipelineWorkerResource.PREFIX + "events")) {
            assertThat(documentsHeld.awaitArrived(Duration.ofMinutes(3))).as("the copy of documents began").isTrue();

            // when
            send("{\"schemaVersion\":1,\"commandId\":\"" + commandId + "-cancel\",\"type\":\"release.cancel\","
                    + "\"release\":\"phase-2-manual\"}");

            // then
            JsonNode failed = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .until(() -> find(events.poll(), "io.apex.migrator.release-failed"), n -> n != null);
            assertThat(failed.path("details").path("failedPart").asText()).isEqualTo("release");
            assertThat(failed.path("details").path("cancelled").asBoolean()).isTrue();
            assertThat(failed.path("reason").asText()).contains("cancelled by command " + commandId + "-cancel");
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(() -> runStore
                    .findByCommand(commandId + "/documents").map(r -> r.state() == RunState.CANCELLED).orElse(false));
        } finally {
            documentsHeld.open();
        }
        ReleaseStore.Release release = releases.findByCommand(commandId).orElseThrow();
        assertThat(release.state()).isEqualTo("cancelled");
        assertThat(gateway.aliases()).containsEntry("documents", "documents_v1").containsEntry("chunks", "chunks_v1")
                .containsEntry("structured_data", "structured_data_v1");
        List<Set<String>> requests = QdrantStandIn.shared().faults().aliasRequests();
        assertThat(requests.subList(requestsBefore, requests.size())).isEmpty();
    }

    /** Writes a release of phase 2's three collections only (documents snapshotted first), with the given cutover, to {@code apex.releases.dir}. */
    private static void manifest(String name, String cutover) throws java.io.IOException {
        java.nio.file.Files.writeString(PipelineWorkerResource.RELEASES_DIR.resolve(name + ".yaml"), String.join("\n",
                "name: " + name,
                "description: phase 2's collections only",
                "qdrant:",
                "  cutover: " + cutover,
                "  collections:",
                "    - alias: documents",
                "      target: documents_v2",
                "      snapshot: true",
                "    - alias: chunks",
                "      target: chunks_v2",
                "    - alias: structured_data",
                "      target: structured_data_v2",
                ""));
    }

    private static void memoryDatabase(String sql) throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(LocalStack.pgvectorJdbcUrl(), "postgres",
                "postgres"); java.sql.Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private void resetSchema(Store store, Optional<Integer> to) {
        Optional<Version> current = migrations.status(store).current();
        int at = current.map(Version::number).orElse(0);
        int wanted = to.orElse(0);
        if (at > wanted) {
            migrations.downgrade(store, at - wanted, "it-reset");
        } else if (at < wanted) {
            migrations.upgrade(store, Optional.of(Integer.toString(wanted)), "it-reset");
        }
    }

    private Optional<String> version(Store store) {
        return migrations.status(store).current().map(Version::label);
    }

    private void seed(String collection, int count) {
        gateway.createCollection(CreateCollection.newBuilder().setCollectionName(collection)
                .setVectorsConfig(VectorsConfig.newBuilder().setParams(VectorParams.newBuilder().setSize(DIMS)
                        .setDistance(Distance.Cosine))).build());
        SplittableRandom random = new SplittableRandom(collection.hashCode());
        List<PointStruct> points = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            float[] v = new float[DIMS];
            for (int d = 0; d < DIMS; d++) {
                v[d] = (float) (random.nextDouble() * 2 - 1);
            }
            points.add(PointStruct.newBuilder().setId(PointId.newBuilder().setNum(i + 1))
                    .setVectors(io.qdrant.client.VectorsFactory.vectors(v))
                    .putPayload("tenant_id", io.qdrant.client.ValueFactory.value("t" + i % 3))
                    .putPayload("updated_at", io.qdrant.client.ValueFactory.value(Instant.parse(
                            "2026-11-01T00:00:00Z").plusSeconds(i).toString()))
                    .build());
            if (points.size() == 100) {
                gateway.upsert(collection, points);
                points = new ArrayList<>();
            }
        }
        if (!points.isEmpty()) {
            gateway.upsert(collection, points);
        }
    }

    private void send(String json) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(PipelineWorkerResource.PREFIX + "commands", commandId, json)).get();
        }
    }

    private JsonNode find(List<ConsumerRecord<String, CloudEvent>> records, String type) {
        return find(records, type, commandId);
    }

    private static JsonNode find(List<ConsumerRecord<String, CloudEvent>> records, String type, String commandId) {
        for (var r : records) {
            if (r.value().getType().equals(type) && commandId.equals(data(r).path("commandId").asText(null))) {
                return data(r);
            }
        }
        return null;
    }

    private static JsonNode data(ConsumerRecord<String, CloudEvent> r) {
        try {
            return Messages.get().mapper().readTree(r.value().getData().toBytes());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

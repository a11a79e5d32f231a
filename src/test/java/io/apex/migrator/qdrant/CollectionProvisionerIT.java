package io.apex.migrator.qdrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.apex.migrator.qdrant.CollectionOutcome.Result;
import io.apex.migrator.qdrant.standin.QdrantStandIn;
import io.grpc.Status;
import io.qdrant.client.grpc.Collections;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Provisioning against the Qdrant stand-in: a private instance per test, so every test starts empty. */
class CollectionProvisionerIT {

    private static final List<String> BUILT_IN = List.of("chunks_v2", "documents_v2", "structured_data_v2");

    @TempDir
    Path specsDir;

    private QdrantStandIn standIn;
    private QdrantGateway gateway;
    private CollectionProvisioner provisioner;

    @BeforeEach
    void connect() {
        standIn = QdrantStandIn.start();
        gateway = QdrantGateway.connect(QdrantSettings.of(standIn.host(), standIn.port())
                .withRetry(new RetryPolicy(3, java.time.Duration.ofMillis(10), java.time.Duration.ofMillis(50), 0.25)));
        provisioner = new CollectionProvisioner(gateway, Optional.of(specsDir));
    }

    @AfterEach
    void close() {
        gateway.close();
        standIn.close();
    }

    @Test
    void createsTheSpecsCollectionsIndexesAndAliasesThenARerunIsANoOp() {
        // when
        ProvisioningReport first = provisioner.provision(ProvisioningRequest.all());
        ProvisioningReport second = provisioner.provision(ProvisioningRequest.all());

        // then
        assertThat(first.outcomes()).extracting(CollectionOutcome::collection).containsExactlyElementsOf(BUILT_IN);
        assertThat(first.outcomes()).extracting(CollectionOutcome::result).containsOnly(Result.CREATED);
        assertThat(first.outcomes()).extracting(o -> o.indexesCreated().size()).containsExactly(5, 6, 5);
        assertThat(first.outcomes()).extracting(o -> o.alias().kind()).containsOnly(AliasState.Kind.CREATED);
        assertThat(gateway.aliases()).containsEntry("documents", "documents_v2").containsEntry("chunks", "chunks_v2")
                .containsEntry("structured_data", "structured_data_v2");

        Collections.CollectionInfo documents = gateway.collectionInfo("documents_v2");
        assertThat(documents.getConfig().getParams().getVectorsConfig().getParams().getSize()).isEqualTo(1536);
        assertThat(documents.getConfig().getParams().getVectorsConfig().getParams().getDistance())
                .isEqualTo(Collections.Distance.Cosine);
        assertThat(documents.getConfig().getHnswConfig().getM()).isEqualTo(16);
        assertThat(documents.getConfig().getHnswConfig().getEfConstruct()).isEqualTo(64);
        assertThat(documents.getConfig().getQuantizationConfig().getScalar().getType())
                .isEqualTo(Collections.QuantizationType.Int8);
        assertThat(documents.getConfig().getQuantizationConfig().getScalar().getAlwaysRam()).isTrue();
        assertThat(documents.getPayloadSchemaMap()).hasSize(6);
        assertThat(documents.getPayloadSchemaMap().get("tenant_id").getDataType())
                .isEqualTo(Collections.PayloadSchemaType.Keyword);
        assertThat(documents.getPayloadSchemaMap().get("updated_at").getDataType())
                .isEqualTo(Collections.PayloadSchemaType.Datetime);

        assertThat(second.outcomes()).extracting(CollectionOutcome::result).containsOnly(Result.UNCHANGED);
        assertThat(second.outcomes()).allSatisfy(o -> assertThat(o.indexesCreated()).isEmpty());
        assertThat(second.outcomes()).extracting(o -> o.alias().kind()).containsOnly(AliasState.Kind.PRESENT);
        assertThat(second.hasDrift()).isFalse();
    }

    @Test
    void aChangedHnswMIsDriftAndTheCollectionIsLeftAlone() throws Exception {
        // given: documents_v2 exists as the built-in spec says, then the spec is edited
        provisioner.provision(ProvisioningRequest.of("documents_v2"));
        writeSpec("documents_v2.yaml", builtIn("documents_v2").replace("m: 16", "m: 32"));

        // when
        ProvisioningReport report = provisioner.provision(ProvisioningRequest.of("documents_v2"));

        // then
        assertThat(report.hasDrift()).isTrue();
        assertThat(report.drifted()).singleElement().satisfies(o ->
                assertThat(o.drifts()).containsExactly(new Drift("hnsw.m", "32", "16")));
        assertThat(gateway.collectionInfo("documents_v2").getConfig().getHnswConfig().getM()).isEqualTo(16);
        assertThatThrownBy(report::requireNoDrift).isInstanceOf(CollectionDriftException.class)
                .hasMessageContaining("`documents_v2`").hasMessageContaining("hnsw.m: spec 32, collection has 16");
    }

    @Test
    void aChangedQuantizationIsDrift() {
        // given: created without quantization
        provisioner.provision(new ProvisioningRequest(Optional.of("chunks"), Optional.empty(), false,
                Optional.empty()));

        // when
        ProvisioningReport report = provisioner.provision(ProvisioningRequest.of("chunks"));

        // then
        assertThat(report.drifted()).singleElement().satisfies(o -> {
            assertThat(o.collection()).isEqualTo("chunks_v2");
            assertThat(o.drifts()).containsExactly(
                    new Drift("quantization", "int8 quantile=0.99 always_ram=true", "none"));
        });
        assertThat(gateway.collectionInfo("chunks_v2").getConfig().hasQuantizationConfig()).isFalse();
    }

    @Test
    void aMissingPayloadIndexAndAWrongVectorSizeAreDriftAndNoAliasIsCreated() {
        // given: structured_data_v2 made by hand without indexes and with 768-d vectors
        CollectionSpec spec = provisioner.specs().byCollection("structured_data_v2").orElseThrow();
        Collections.CreateCollection byHand = SpecRequests.create(spec, true).toBuilder()
                .setVectorsConfig(Collections.VectorsConfig.newBuilder().setParams(Collections.VectorParams
                        .newBuilder().setSize(768).setDistance(Collections.Distance.Cosine))).build();
        gateway.createCollection(byHand);
        gateway.createPayloadIndex("structured_data_v2", "tenant_id", Collections.PayloadSchemaType.Keyword);
        gateway.createPayloadIndex("structured_data_v2", "document_id", Collections.PayloadSchemaType.Keyword);

        // when
        ProvisioningReport report = provisioner.provision(ProvisioningRequest.of("structured_data"));

        // then
        assertThat(report.drifted()).singleElement().satisfies(o -> {
            assertThat(o.drifts()).containsExactly(
                    new Drift("vectors.size", "1536", "768"),
                    new Drift("payload_indexes.document_id", "uuid index", "keyword index"),
                    new Drift("payload_indexes.data_type", "keyword index", "no index"),
                    new Drift("payload_indexes.source", "keyword index", "no index"),
                    new Drift("payload_indexes.updated_at", "datetime index", "no index"));
            assertThat(o.alias().kind()).isEqualTo(AliasState.Kind.SKIPPED);
        });
        assertThat(gateway.aliases()).doesNotContainKey("structured_data");
        assertThat(gateway.collectionInfo("structured_data_v2").getPayloadSchemaMap()).hasSize(2);
    }

    @Test
    void theAliasIsCreatedOnlyForANewLogicalName() {
        // given: documents v1 is a collection named like the alias; chunks has an alias on its v1
        CollectionSpec chunks = provisioner.specs().byCollection("chunks_v2").orElseThrow();
        gateway.createCollection(SpecRequests.create(chunks, false).toBuilder().setCollectionName("documents").build());
        gateway.createCollection(SpecRequests.create(chunks, false).toBuilder().setCollectionName("chunks_v1").build());
        gateway.updateAliases(List.of(Collections.AliasOperations.newBuilder().setCreateAlias(
                Collections.CreateAlias.newBuilder().setAliasName("chunks").setCollectionName("chunks_v1")).build()));

        // when
        ProvisioningReport report = provisioner.provision(ProvisioningRequest.all());

        // then
        assertThat(report.outcomes()).extracting(o -> o.alias().describe()).containsExactly(
                "chunks -> chunks_v1 (cutover pending)",
                "documents: name taken by collection `documents` (cutover handles it)",
                "structured_data -> structured_data_v2 (created)");
        assertThat(gateway.aliases()).containsEntry("chunks", "chunks_v1")
                .containsEntry("structured_data", "structured_data_v2").doesNotContainKey("documents");
    }

    @Test
    void anUnknownSpecCreatesNothing() {
        assertThatThrownBy(() -> provisioner.provision(ProvisioningRequest.of("documnets")))
                .isInstanceOf(UnknownCollectionSpecException.class).hasMessageContaining("'documnets'");
        assertNothingCreated();
    }

    @Test
    void oneMalformedSpecFileCreatesNothingAtAllAndNamesFileAndLine() throws Exception {
        // given: a broken spec next to the valid built-in ones
        writeSpec("notes_v1.yaml", "name: notes\nversion: 1\nvectors:\n  size: 4\n  distance: [dot\n");

        // when / then
        assertThatThrownBy(() -> provisioner.provision(ProvisioningRequest.all()))
                .isInstanceOf(CollectionSpecException.class)
                .hasMessageContaining(specsDir.resolve("notes_v1.yaml").toString())
                .hasMessageContaining("malformed YAML")
                .satisfies(e -> assertThat(((CollectionSpecException) e).line()).isPositive());
        assertNothingCreated();
    }

    @Test
    void anInvalidCollectionNameOrVectorSizeCreatesNothing() throws Exception {
        writeSpec("bad_v1.yaml", builtIn("documents_v2").replace("name: documents", "name: \"bad/name\"")
                .replace("version: 2", "version: 1"));
        assertThatThrownBy(() -> provisioner.provision(ProvisioningRequest.all()))
                .isInstanceOf(CollectionSpecException.class)
                .hasMessageContaining("line 3: name: 'bad/name' is not a valid collection name");
        Files.delete(specsDir.resolve("bad_v1.yaml"));

        writeSpec("documents_v3.yaml", builtIn("documents_v2").replace("version: 2", "version: 3")
                .replace("size: 1536", "size: -1536"));
        assertThatThrownBy(() -> provisioner.provision(ProvisioningRequest.all()))
                .isInstanceOf(CollectionSpecException.class)
                .hasMessageContaining("documents_v3.yaml line 7: vectors.size: must be in 1..65536, got -1536");
        assertNothingCreated();
    }

    @Test
    void aFailingIndexRemovesTheCollectionItJustCreated() {
        // given: creating payload indexes is refused
        standIn.faults().failNext("qdrant.Points/CreateFieldIndex", 1, Status.Code.INVALID_ARGUMENT);

        // when / then
        assertThatThrownBy(() -> provisioner.provision(ProvisioningRequest.of("documents_v2")))
                .isInstanceOf(QdrantRequestException.class)
                .hasMessageContaining("createPayloadIndex tenant_id").hasMessageContaining("`documents_v2`");
        assertThat(gateway.collectionExists("documents_v2")).isFalse();
    }

    @Test
    void infoOnlyReportsStateAndMemoryWithoutChangingAnything() {
        // given
        provisioner.provision(ProvisioningRequest.of("documents"));

        // when
        List<CollectionStatus> statuses = provisioner.inspect(ProvisioningRequest.all());

        // then
        assertThat(statuses).extracting(s -> s.spec().collection()).containsExactlyElementsOf(BUILT_IN);
        CollectionStatus documents = statuses.get(1);
        assertThat(documents.exists()).isTrue();
        assertThat(documents.indexesPresent()).isEqualTo(6);
        assertThat(documents.hnsw()).isEqualTo("m=16 ef_construct=64");
        assertThat(documents.quantization()).isEqualTo("int8 quantile=0.99 always_ram=true");
        assertThat(documents.alias().kind()).isEqualTo(AliasState.Kind.PRESENT);
        assertThat(statuses.get(0).exists()).isFalse();
        assertThat(statuses.get(0).alias().kind()).isEqualTo(AliasState.Kind.MISSING);
        assertThat(gateway.collectionExists("chunks_v2")).isFalse();
        assertThat(gateway.aliases()).doesNotContainKey("chunks");
    }

    private void assertNothingCreated() {
        assertThat(BUILT_IN).noneMatch(gateway::collectionExists);
        assertThat(gateway.aliases()).isEmpty();
    }

    @Test
    void aFullSpecIsCreatedWithItsShardKeysAndMatchesItselfThenALostShardKeyIsDrift() throws Exception {
        // given: three named dense vectors, a sparse one, custom sharding with three shard keys, strict mode
        writeSpec("media_v1.yaml", FullCollectionSpecTest.FULL);

        // when
        ProvisioningReport first = provisioner.provision(ProvisioningRequest.of("media_v1"));
        ProvisioningReport second = provisioner.provision(ProvisioningRequest.of("media_v1"));

        // then
        assertThat(first.outcomes()).extracting(CollectionOutcome::result).containsExactly(Result.CREATED);
        try (var client = new io.qdrant.client.QdrantClient(io.qdrant.client.QdrantGrpcClient.newBuilder(
                standIn.host(), standIn.port(), false).build())) {
            // in creation order, as Qdrant lists them: the spec's order
            assertThat(client.listShardKeysAsync("media_v1").get()).extracting(d -> SpecRequests.label(d.getKey()))
                    .containsExactly("tenant_a", "tenant_b", "7");
        }
        Collections.CollectionConfig config = gateway.collectionInfo("media_v1").getConfig();
        assertThat(config.getParams().getVectorsConfig().getParamsMap().getMapMap())
                .containsOnlyKeys("text", "image", "colbert");
        assertThat(config.getParams().getShardingMethod()).isEqualTo(Collections.ShardingMethod.Custom);
        assertThat(second.outcomes()).extracting(CollectionOutcome::result).containsExactly(Result.UNCHANGED);
        assertThat(provisioner.inspect(ProvisioningRequest.of("media_v1"))).singleElement().satisfies(status -> {
            assertThat(status.drifts()).isEmpty();
            assertThat(status.vectors()).isEqualTo("colbert 3 euclid multivector, image 4 dot uint8, "
                    + "text 8 cosine float16");
        });

        // when: a shard key is deleted behind the tool's back
        try (var client = new io.qdrant.client.QdrantClient(io.qdrant.client.QdrantGrpcClient.newBuilder(
                standIn.host(), standIn.port(), false).build())) {
            client.deleteShardKeyAsync(Collections.DeleteShardKeyRequest.newBuilder().setCollectionName("media_v1")
                    .setRequest(Collections.DeleteShardKey.newBuilder().setShardKey(SpecRequests.shardKey("tenant_b")))
                    .build()).get();
        }

        // then
        assertThat(provisioner.provision(ProvisioningRequest.of("media_v1")).drifted()).singleElement()
                .satisfies(o -> assertThat(o.drifts()).containsExactly(
                        new Drift("shard_keys.tenant_b", "present", "missing")));
    }

    @Test
    void anInPlaceChangeBringsTheCollectionToItsSpecAndTheRestoreRequestBringsTheOldConfigBack() throws Exception {
        // given: documents_v2 as built, then its spec tuned (HNSW m, product quantization, an optimizer, strict mode)
        provisioner.provision(ProvisioningRequest.of("documents_v2"));
        Collections.CollectionConfig before = gateway.collectionInfo("documents_v2").getConfig();
        writeSpec("documents_v2.yaml", builtIn("documents_v2").replace("m: 16", "m: 32")
                .replaceAll("quantization:\n(  .*\n)+", "quantization:\n  product:\n    compression: x8\n")
                .replace("indexing_threshold: 20000", "indexing_threshold: 30000")
                + "strict_mode:\n  enabled: true\n");
        CollectionSpec spec = provisioner.specs().byCollection("documents_v2").orElseThrow();
        ChangePlan plan = provisioner.plan("documents_v2", "documents_v2");

        // when
        gateway.updateCollection(InPlaceRequests.toSpec("documents_v2", spec, true));

        // then
        assertThat(plan.inPlace()).isTrue();
        assertThat(plan.changes()).extracting(c -> c.drift().field()).containsExactlyInAnyOrder("hnsw.m",
                "quantization", "optimizers.indexing_threshold", "strict_mode.enabled");
        assertThat(DriftDetector.compare(spec, true, gateway.collectionInfo("documents_v2"), List.of())).isEmpty();

        // when: the change is rolled back
        gateway.updateCollection(InPlaceRequests.restore("documents_v2", before));

        // then
        Collections.CollectionConfig after = gateway.collectionInfo("documents_v2").getConfig();
        assertThat(after.getHnswConfig()).isEqualTo(before.getHnswConfig());
        assertThat(after.getQuantizationConfig()).isEqualTo(before.getQuantizationConfig());
        assertThat(after.getOptimizerConfig()).isEqualTo(before.getOptimizerConfig());
        assertThat(after.getParams()).isEqualTo(before.getParams());
        assertThat(after.getStrictModeConfig().getEnabled()).isFalse();
    }

    private void writeSpec(String file, String text) throws Exception {
        Files.writeString(specsDir.resolve(file), text);
    }

    private static String builtIn(String collection) throws Exception {
        return Files.readString(Path.of("src/main/resources/collections/" + collection + ".yaml"));
    }
}

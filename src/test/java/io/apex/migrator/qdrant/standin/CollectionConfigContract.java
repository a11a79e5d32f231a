package io.apex.migrator.qdrant.standin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qdrant.client.grpc.Collections.BinaryQuantization;
import io.qdrant.client.grpc.Collections.BinaryQuantizationEncoding;
import io.qdrant.client.grpc.Collections.CollectionConfig;
import io.qdrant.client.grpc.Collections.CompressionRatio;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.CreateShardKey;
import io.qdrant.client.grpc.Collections.CreateShardKeyRequest;
import io.qdrant.client.grpc.Collections.Datatype;
import io.qdrant.client.grpc.Collections.Disabled;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.HnswConfigDiff;
import io.qdrant.client.grpc.Collections.Modifier;
import io.qdrant.client.grpc.Collections.MultiVectorComparator;
import io.qdrant.client.grpc.Collections.MultiVectorConfig;
import io.qdrant.client.grpc.Collections.ProductQuantization;
import io.qdrant.client.grpc.Collections.QuantizationConfig;
import io.qdrant.client.grpc.Collections.QuantizationConfigDiff;
import io.qdrant.client.grpc.Collections.ShardKey;
import io.qdrant.client.grpc.Collections.ShardKeyDescription;
import io.qdrant.client.grpc.Collections.ShardingMethod;
import io.qdrant.client.grpc.Collections.SparseIndexConfig;
import io.qdrant.client.grpc.Collections.SparseVectorConfig;
import io.qdrant.client.grpc.Collections.SparseVectorParams;
import io.qdrant.client.grpc.Collections.StrictModeConfig;
import io.qdrant.client.grpc.Collections.UpdateCollection;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorParamsDiff;
import io.qdrant.client.grpc.Collections.VectorParamsDiffMap;
import io.qdrant.client.grpc.Collections.VectorParamsMap;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Collections.VectorsConfigDiff;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * The collection-config half of the Qdrant contract: everything a collection spec can say (named vectors with
 * datatype, on_disk, their own HNSW and quantization, multivector; sparse vectors with modifier and index;
 * product and binary quantization; shards, replication, write consistency, custom sharding and its shard keys;
 * strict mode) comes back in collection info as it was set, and UpdateCollection changes what Qdrant changes in
 * place. Runs on the stand-in and, where {@code QDRANT_URL} is set, on a real Qdrant.
 */
abstract class CollectionConfigContract extends QdrantContract {

    @Test
    void everyConfigFieldASpecCanSetIsEchoedInCollectionInfo() throws Exception {
        // given
        String name = uniqueName();
        CreateCollection request = CreateCollection.newBuilder().setCollectionName(name)
                .setVectorsConfig(VectorsConfig.newBuilder().setParamsMap(VectorParamsMap.newBuilder()
                        .putMap("text", VectorParams.newBuilder().setSize(8).setDistance(Distance.Cosine)
                                .setDatatype(Datatype.Float16).setOnDisk(true)
                                .setHnswConfig(HnswConfigDiff.newBuilder().setM(32).setEfConstruct(128))
                                .setQuantizationConfig(QuantizationConfig.newBuilder().setProduct(
                                        ProductQuantization.newBuilder().setCompression(CompressionRatio.x16)
                                                .setAlwaysRam(true)))
                                .build())
                        .putMap("image", VectorParams.newBuilder().setSize(4).setDistance(Distance.Dot)
                                .setDatatype(Datatype.Uint8).build())
                        .putMap("colbert", VectorParams.newBuilder().setSize(3).setDistance(Distance.Euclid)
                                .setMultivectorConfig(MultiVectorConfig.newBuilder()
                                        .setComparator(MultiVectorComparator.MaxSim))
                                .build())))
                .setSparseVectorsConfig(SparseVectorConfig.newBuilder()
                        .putMap("keywords", SparseVectorParams.newBuilder().setModifier(Modifier.Idf)
                                .setIndex(SparseIndexConfig.newBuilder().setOnDisk(true).setFullScanThreshold(500))
                                .build()))
                .setHnswConfig(HnswConfigDiff.newBuilder().setM(24).setEfConstruct(90).setFullScanThreshold(5000)
                        .setOnDisk(true).setPayloadM(12))
                .setQuantizationConfig(QuantizationConfig.newBuilder().setBinary(BinaryQuantization.newBuilder()
                        .setAlwaysRam(true).setEncoding(BinaryQuantizationEncoding.TwoBits)))
                .setOnDiskPayload(false)
                .setShardNumber(2)
                .setReplicationFactor(1)
                .setWriteConsistencyFactor(1)
                .setStrictModeConfig(StrictModeConfig.newBuilder().setEnabled(true).setMaxQueryLimit(100)
                        .setUpsertMaxBatchsize(500))
                .build();

        // when
        create(request);
        CollectionConfig config = client.getCollectionInfoAsync(name).get().getConfig();

        // then
        var vectors = config.getParams().getVectorsConfig().getParamsMap().getMapMap();
        assertThat(vectors).containsOnlyKeys("text", "image", "colbert");
        VectorParams text = vectors.get("text");
        assertThat(text.getDatatype()).isEqualTo(Datatype.Float16);
        assertThat(text.getOnDisk()).isTrue();
        assertThat(text.getHnswConfig().getM()).isEqualTo(32);
        assertThat(text.getHnswConfig().getEfConstruct()).isEqualTo(128);
        assertThat(text.getQuantizationConfig().getProduct().getCompression()).isEqualTo(CompressionRatio.x16);
        assertThat(vectors.get("image").getDatatype()).isEqualTo(Datatype.Uint8);
        assertThat(vectors.get("image").getDistance()).isEqualTo(Distance.Dot);
        assertThat(vectors.get("colbert").hasMultivectorConfig()).isTrue();
        assertThat(vectors.get("colbert").getMultivectorConfig().getComparator())
                .isEqualTo(MultiVectorComparator.MaxSim);
        SparseVectorParams keywords = config.getParams().getSparseVectorsConfig().getMapMap().get("keywords");
        assertThat(keywords.getModifier()).isEqualTo(Modifier.Idf);
        assertThat(keywords.getIndex().getOnDisk()).isTrue();
        assertThat(keywords.getIndex().getFullScanThreshold()).isEqualTo(500);
        assertThat(config.getHnswConfig().getM()).isEqualTo(24);
        assertThat(config.getHnswConfig().getEfConstruct()).isEqualTo(90);
        assertThat(config.getHnswConfig().getFullScanThreshold()).isEqualTo(5000);
        assertThat(config.getHnswConfig().getOnDisk()).isTrue();
        assertThat(config.getHnswConfig().getPayloadM()).isEqualTo(12);
        assertThat(config.getQuantizationConfig().getBinary().getEncoding())
                .isEqualTo(BinaryQuantizationEncoding.TwoBits);
        assertThat(config.getQuantizationConfig().getBinary().getAlwaysRam()).isTrue();
        assertThat(config.getParams().getOnDiskPayload()).isFalse();
        assertThat(config.getParams().getShardNumber()).isEqualTo(2);
        assertThat(config.getParams().getReplicationFactor()).isEqualTo(1);
        assertThat(config.getParams().getWriteConsistencyFactor()).isEqualTo(1);
        assertThat(config.getStrictModeConfig().getEnabled()).isTrue();
        assertThat(config.getStrictModeConfig().getMaxQueryLimit()).isEqualTo(100);
        assertThat(config.getStrictModeConfig().getUpsertMaxBatchsize()).isEqualTo(500);
    }

    @Test
    void aCustomShardedCollectionListsTheShardKeysCreatedAfterIt() throws Exception {
        // given
        String name = uniqueName();
        create(CreateCollection.newBuilder().setCollectionName(name).setShardingMethod(ShardingMethod.Custom)
                .setVectorsConfig(VectorsConfig.newBuilder().setParams(VectorParams.newBuilder().setSize(2)
                        .setDistance(Distance.Dot)))
                .build());

        // when
        createShardKey(name, ShardKey.newBuilder().setKeyword("tenant_a").build());
        createShardKey(name, ShardKey.newBuilder().setNumber(7).build());

        // then
        assertThat(client.getCollectionInfoAsync(name).get().getConfig().getParams().getShardingMethod())
                .isEqualTo(ShardingMethod.Custom);
        assertThat(client.listShardKeysAsync(name).get()).extracting(ShardKeyDescription::getKey)
                .containsExactlyInAnyOrder(ShardKey.newBuilder().setKeyword("tenant_a").build(),
                        ShardKey.newBuilder().setNumber(7).build());
        assertInvalid(() -> createShardKey(name, ShardKey.newBuilder().setKeyword("tenant_a").build()));
    }

    @Test
    void anAutoShardedCollectionRefusesShardKeysAndListsNone() throws Exception {
        // given
        String name = createDense(2, Distance.Dot);

        // then
        assertInvalid(() -> createShardKey(name, ShardKey.newBuilder().setKeyword("tenant_a").build()));
        assertThat(client.listShardKeysAsync(name).get()).isEmpty();
    }

    @Test
    void updateCollectionChangesANamedVectorsOwnParamsAndTheCollectionsInPlaceFields() throws Exception {
        // given
        String name = uniqueName();
        create(CreateCollection.newBuilder().setCollectionName(name)
                .setVectorsConfig(VectorsConfig.newBuilder().setParamsMap(VectorParamsMap.newBuilder()
                        .putMap("text", VectorParams.newBuilder().setSize(4).setDistance(Distance.Cosine)
                                .setQuantizationConfig(QuantizationConfig.newBuilder().setProduct(
                                        ProductQuantization.newBuilder().setCompression(CompressionRatio.x8)))
                                .build())))
                .setSparseVectorsConfig(SparseVectorConfig.newBuilder()
                        .putMap("keywords", SparseVectorParams.getDefaultInstance()))
                .build());

        // when
        client.updateCollectionAsync(UpdateCollection.newBuilder().setCollectionName(name)
                .setVectorsConfig(VectorsConfigDiff.newBuilder().setParamsMap(VectorParamsDiffMap.newBuilder()
                        .putMap("text", VectorParamsDiff.newBuilder().setOnDisk(true)
                                .setHnswConfig(HnswConfigDiff.newBuilder().setM(8))
                                .setQuantizationConfig(QuantizationConfigDiff.newBuilder()
                                        .setDisabled(Disabled.getDefaultInstance()))
                                .build())))
                .setSparseVectorsConfig(SparseVectorConfig.newBuilder().putMap("keywords", SparseVectorParams
                        .newBuilder().setIndex(SparseIndexConfig.newBuilder().setOnDisk(true)).build()))
                .setParams(io.qdrant.client.grpc.Collections.CollectionParamsDiff.newBuilder().setOnDiskPayload(false))
                .setStrictModeConfig(StrictModeConfig.newBuilder().setEnabled(true).setMaxTimeout(30))
                .build()).get();

        // then
        CollectionConfig config = client.getCollectionInfoAsync(name).get().getConfig();
        VectorParams text = config.getParams().getVectorsConfig().getParamsMap().getMapMap().get("text");
        assertThat(text.getOnDisk()).isTrue();
        assertThat(text.getHnswConfig().getM()).isEqualTo(8);
        assertThat(text.hasQuantizationConfig()).isFalse();
        assertThat(text.getSize()).isEqualTo(4);
        assertThat(config.getParams().getSparseVectorsConfig().getMapMap().get("keywords").getIndex().getOnDisk())
                .isTrue();
        assertThat(config.getParams().getOnDiskPayload()).isFalse();
        assertThat(config.getStrictModeConfig().getEnabled()).isTrue();
        assertThat(config.getStrictModeConfig().getMaxTimeout()).isEqualTo(30);
    }

    @Test
    void updateCollectionOfAVectorThatDoesNotExistIsInvalid() throws Exception {
        // given
        String name = createDense(4, Distance.Cosine);
        CollectionConfig before = client.getCollectionInfoAsync(name).get().getConfig();

        // then
        assertInvalid(() -> client.updateCollectionAsync(UpdateCollection.newBuilder().setCollectionName(name)
                .setVectorsConfig(VectorsConfigDiff.newBuilder().setParamsMap(VectorParamsDiffMap.newBuilder()
                        .putMap("nope", VectorParamsDiff.newBuilder().setOnDisk(true).build())))
                .build()).get());
        assertThat(client.getCollectionInfoAsync(name).get().getConfig().getParams())
                .isEqualTo(before.getParams());
    }

    private void createShardKey(String collection, ShardKey key) throws Exception {
        client.createShardKeyAsync(CreateShardKeyRequest.newBuilder().setCollectionName(collection)
                .setRequest(CreateShardKey.newBuilder().setShardKey(key)).build()).get();
    }

    private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(ExecutionException.class).cause()
                .isInstanceOf(StatusRuntimeException.class)
                .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode())
                        .isEqualTo(Status.Code.INVALID_ARGUMENT));
    }
}

package io.apex.migrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.qdrant.client.grpc.Collections.Datatype;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.MultiVectorComparator;
import io.qdrant.client.grpc.Collections.MultiVectorConfig;
import io.qdrant.client.grpc.Collections.SparseVectorConfig;
import io.qdrant.client.grpc.Collections.SparseVectorParams;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorParamsMap;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The target check names every vector that differs from the source's, with both values. */
class VectorShapesTest {

    private static final SparseVectorConfig NO_SPARSE = SparseVectorConfig.getDefaultInstance();

    @Test
    void identicalNamedVectorsFit() {
        VectorsConfig v = named(Map.of("text", params(8, Distance.Cosine), "image", params(4, Distance.Dot)));

        assertThat(VectorShapes.mismatches(v, NO_SPARSE, v, NO_SPARSE)).isEmpty();
    }

    @Test
    void anUnsetDatatypeIsFloat32() {
        VectorsConfig unset = unnamed(params(8, Distance.Dot));
        VectorsConfig float32 = unnamed(params(8, Distance.Dot).toBuilder().setDatatype(Datatype.Float32).build());

        assertThat(VectorShapes.mismatches(unset, NO_SPARSE, float32, NO_SPARSE)).isEmpty();
    }

    @Test
    void eachDifferingFieldIsNamedWithTheVectorAndBothValues() {
        // given: image Dot -> Cosine, text 8 -> 16, late float16 -> uint8, colbert multivector -> none
        VectorsConfig source = named(Map.of(
                "image", params(4, Distance.Dot),
                "text", params(8, Distance.Cosine),
                "late", params(4, Distance.Dot).toBuilder().setDatatype(Datatype.Float16).build(),
                "colbert", params(4, Distance.Cosine).toBuilder().setMultivectorConfig(
                        MultiVectorConfig.newBuilder().setComparator(MultiVectorComparator.MaxSim)).build()));
        VectorsConfig target = named(Map.of(
                "image", params(4, Distance.Cosine),
                "text", params(16, Distance.Cosine),
                "late", params(4, Distance.Dot).toBuilder().setDatatype(Datatype.Uint8).build(),
                "colbert", params(4, Distance.Cosine)));

        // when / then
        assertThat(VectorShapes.mismatches(source, NO_SPARSE, target, NO_SPARSE)).containsExactly(
                "vector `colbert`: multivector MaxSim in the source, none in the target",
                "vector `image`: distance Dot in the source, Cosine in the target",
                "vector `late`: datatype Float16 in the source, Uint8 in the target",
                "vector `text`: size 8 in the source, 16 in the target");
    }

    @Test
    void missingAndExtraVectorsAreNamed() {
        VectorsConfig source = named(Map.of("text", params(8, Distance.Cosine)));
        VectorsConfig target = unnamed(params(8, Distance.Cosine));
        SparseVectorConfig sparse = SparseVectorConfig.newBuilder()
                .putMap("keywords", SparseVectorParams.getDefaultInstance()).build();

        assertThat(VectorShapes.mismatches(source, sparse, target, NO_SPARSE)).containsExactly(
                "vector `text`: in the source, not in the target",
                "the unnamed vector: in the target, not in the source",
                "sparse vector `keywords`: in the source, not in the target");
    }

    private static VectorParams params(long size, Distance distance) {
        return VectorParams.newBuilder().setSize(size).setDistance(distance).build();
    }

    private static VectorsConfig unnamed(VectorParams params) {
        return VectorsConfig.newBuilder().setParams(params).build();
    }

    private static VectorsConfig named(Map<String, VectorParams> vectors) {
        return VectorsConfig.newBuilder().setParamsMap(VectorParamsMap.newBuilder().putAllMap(vectors)).build();
    }
}

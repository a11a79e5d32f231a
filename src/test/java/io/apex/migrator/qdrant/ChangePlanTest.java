package io.apex.migrator.qdrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChangePlanTest {

    static Stream<Arguments> fields() {
        return Stream.of(
                argumentSet("unnamed vector size", "vectors.size", ChangePlan.Mode.COPY),
                argumentSet("unnamed vector distance", "vectors.distance", ChangePlan.Mode.COPY),
                argumentSet("unnamed vs named form", "vectors", ChangePlan.Mode.COPY),
                argumentSet("a named vector added or removed", "named_vectors.image", ChangePlan.Mode.COPY),
                argumentSet("a named vector's datatype", "named_vectors.image.datatype", ChangePlan.Mode.COPY),
                argumentSet("a multivector config", "named_vectors.colbert.multivector", ChangePlan.Mode.COPY),
                argumentSet("a sparse vector added or removed", "sparse_vectors.keywords", ChangePlan.Mode.COPY),
                argumentSet("a sparse modifier", "sparse_vectors.keywords.modifier", ChangePlan.Mode.COPY),
                argumentSet("shard number", "shard_number", ChangePlan.Mode.COPY),
                argumentSet("sharding method", "sharding_method", ChangePlan.Mode.COPY),
                argumentSet("hnsw m", "hnsw.m", ChangePlan.Mode.IN_PLACE),
                argumentSet("a vector's own hnsw", "named_vectors.text.hnsw.ef_construct", ChangePlan.Mode.IN_PLACE),
                argumentSet("a vector's on_disk", "named_vectors.text.on_disk", ChangePlan.Mode.IN_PLACE),
                argumentSet("a vector's quantization", "named_vectors.text.quantization", ChangePlan.Mode.IN_PLACE),
                argumentSet("quantization", "quantization", ChangePlan.Mode.IN_PLACE),
                argumentSet("an optimizer setting", "optimizers.indexing_threshold", ChangePlan.Mode.IN_PLACE),
                argumentSet("a sparse index", "sparse_vectors.keywords.index.on_disk", ChangePlan.Mode.IN_PLACE),
                argumentSet("on_disk_payload", "on_disk_payload", ChangePlan.Mode.IN_PLACE),
                argumentSet("replication factor", "replication_factor", ChangePlan.Mode.IN_PLACE),
                argumentSet("strict mode", "strict_mode.max_query_limit", ChangePlan.Mode.IN_PLACE),
                argumentSet("a payload index", "payload_indexes.tenant_id", ChangePlan.Mode.IN_PLACE));
    }

    @ParameterizedTest
    @MethodSource("fields")
    void eachFieldIsChangedInPlaceOrNeedsACopyAsQdrantAllows(String field, ChangePlan.Mode mode) {
        assertThat(ChangePlan.modeOf(field)).isEqualTo(mode);
    }

    @Test
    void onePlanIsInPlaceOnlyWhenEveryChangeIs() {
        // given
        Drift m = new Drift("hnsw.m", "32", "16");
        Drift size = new Drift("vectors.size", "768", "1536");

        // when
        ChangePlan tuning = ChangePlan.of(List.of(m));
        ChangePlan reshape = ChangePlan.of(List.of(m, size));

        // then
        assertThat(tuning.inPlace()).isTrue();
        assertThat(reshape.inPlace()).isFalse();
        assertThat(reshape.needingCopy()).containsExactly(size);
        assertThat(ChangePlan.of(List.of()).isEmpty()).isTrue();
        assertThat(reshape.describe()).containsExactly("hnsw.m: 16 -> 32 (in place)",
                "vectors.size: 1536 -> 768 (copy)", "needs a copy (the default: copy, verify, swap): [vectors.size]");
        assertThat(tuning.describe()).last().asString().startsWith("every change can be made in place");
    }
}

package io.apex.migrator.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ExactTopKTest {

    @Test
    void streamingTopTenEqualsSortingEveryRow() {
        // given
        SyntheticEmbeddings embeddings = new SyntheticEmbeddings(32, 8, 3);
        float[][] queries = {embeddings.vector(10_000), embeddings.vector(10_001)};
        ExactTopK topK = new ExactTopK(queries, 10);

        // when
        for (int i = 0; i < 2_000; i++) {
            topK.offer(i, embeddings.vector(i));
        }

        // then
        for (int q = 0; q < queries.length; q++) {
            float[] query = queries[q];
            List<Long> sorted = IntStream.range(0, 2_000).boxed()
                    .sorted(Comparator.comparingDouble(i -> -dot(query, embeddings.vector(i))))
                    .limit(10).map(Integer::longValue).toList();
            assertThat(topK.ids(q)).containsExactlyElementsOf(sorted);
        }
    }

    @Test
    void fewerRowsThanKGivesThemAll() {
        ExactTopK topK = new ExactTopK(new float[][] {{1, 0}}, 10);
        topK.offer(7, new float[] {0, 1});
        topK.offer(8, new float[] {1, 0});
        assertThat(topK.ids(0)).containsExactly(8L, 7L);
    }

    @Test
    void indexMatrixOptionsRejectAMemorySettingThatIsNotASize() {
        assertThatThrownBy(() -> new PgvectorIndexBench.Options(1000, 64, 10, 1, "1GB'; DROP TABLE x; --"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maintenance_work_mem");
        assertThat(new PgvectorIndexBench.Options(1000, 64, 10, 1, "2GB").maintenanceWorkMem()).isEqualTo("2GB");
    }

    @Test
    void theMigrationPartNeedsTheMigrationsDimensions() {
        assertThatThrownBy(() -> new QueryBench.Options(128, 1000, 1000, 1000, 10, 1, true, false,
                java.util.Optional.empty(), java.util.Optional.of("1GB")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vector(1536)");
        assertThat(QueryBench.Options.indexMatrix(128, 1_000_000, 200, 1, "2GB").pgvector()).isFalse();
    }

    private static double dot(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}

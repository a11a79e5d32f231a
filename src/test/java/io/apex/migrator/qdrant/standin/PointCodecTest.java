package io.apex.migrator.qdrant.standin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PointCodecTest {

    @Test
    void aDenseVectorBuiltFromItsWireFormHoldsExactlyTheFloatsForEverySize() {
        for (int size : new int[] {0, 1, 31, 32, 33, 1536, 40_000}) {
            // given
            float[] values = new float[size];
            List<Float> expected = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                values[i] = (float) Math.sin(i) * (i % 3 == 0 ? -1e-7f : 3.5f);
                expected.add(values[i]);
            }

            // when
            var dense = PointCodec.dense(values);

            // then
            assertThat(dense.getDataList()).as("size %s", size).isEqualTo(expected);
            assertThat(PointCodec.toArray(dense.getDataList())).isEqualTo(values);
        }
    }
}

package io.apex.migrator.qdrant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qdrant.client.grpc.Common;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PointIdOrderTest {

    private static Common.PointId num(long n) {
        return Common.PointId.newBuilder().setNum(n).build();
    }

    private static Common.PointId uuid(String u) {
        return Common.PointId.newBuilder().setUuid(u).build();
    }

    @Test
    void integersComeBeforeUuidsAndUuidsSortByUnsigned128BitValue() {
        // given
        List<Common.PointId> ids = new ArrayList<>(List.of(
                uuid("ffffffff-0000-0000-0000-000000000000"),
                num(-1L), // 2^64 - 1 as Qdrant's u64
                uuid("00000000-0000-0000-0000-000000000002"),
                num(10),
                uuid("80000000-0000-0000-0000-000000000000"),
                num(2),
                uuid("00000000-0000-0000-8000-000000000000")));

        // when
        ids.sort(PointIdOrder.INSTANCE);

        // then
        assertThat(ids).containsExactly(
                num(2), num(10), num(-1L),
                uuid("00000000-0000-0000-0000-000000000002"),
                uuid("00000000-0000-0000-8000-000000000000"),
                uuid("80000000-0000-0000-0000-000000000000"),
                uuid("ffffffff-0000-0000-0000-000000000000"));
    }

    @Test
    void uuidsInSimpleAndHyphenatedFormCompareByValue() {
        // when
        int order = PointIdOrder.INSTANCE.compare(uuid("550E8400E29B41D4A716446655440000"),
                uuid("550e8400-e29b-41d4-a716-446655440000"));

        // then
        assertThat(order).isZero();
    }

    @Test
    void anIdWithoutValueIsRefused() {
        assertThatThrownBy(() -> PointIdOrder.INSTANCE.compare(Common.PointId.getDefaultInstance(), num(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("neither num nor uuid");
    }
}

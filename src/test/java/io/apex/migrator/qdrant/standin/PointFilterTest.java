package io.apex.migrator.qdrant.standin;

import static io.qdrant.client.ConditionFactory.filter;
import static io.qdrant.client.ConditionFactory.match;
import static io.qdrant.client.ConditionFactory.matchKeyword;
import static io.qdrant.client.ConditionFactory.range;
import static io.qdrant.client.ValueFactory.list;
import static io.qdrant.client.ValueFactory.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.Range;
import io.qdrant.client.grpc.JsonWithInt.Value;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Qdrant's "should" (at least one) over many conditions, some looked up by a payload value, some tried in turn. */
class PointFilterTest {

    private static final List<StoredPoint> POINTS = List.of(
            point(1, Map.of("owner", value(1), "tag", value(3))),
            point(2, Map.of("owner", value(1), "tag", value(4))),
            point(3, Map.of("owner", value("bob"), "tag", value(3))),
            point(4, Map.of("owner", list(List.of(value(7), value(1))), "tag", value(4))),
            point(5, Map.of("owner", value(1.0), "tag", value(3))),
            point(6, Map.of("score", value(0.9))),
            point(7, Map.of()));

    @Test
    void anyOfFiltersGuardedByAMatchSelectsWhatEachFilterSelects() {
        // given: owner 1 with tag 3; owner bob (keyword) with tag 3; owner 7 but not tag 3; a range; a bare match
        Filter any = Filter.newBuilder()
                .addShould(filter(Filter.newBuilder().addMust(match("owner", 1)).addMust(match("tag", 3)).build()))
                .addShould(filter(Filter.newBuilder().addMust(matchKeyword("owner", "bob")).addMust(match("tag", 3))
                        .build()))
                .addShould(filter(Filter.newBuilder().addMust(match("owner", 7)).addMustNot(match("tag", 3)).build()))
                .addShould(range("score", Range.newBuilder().setGte(0.5).build()))
                .addShould(match("tag", 99))
                .build();

        // when
        Predicate<StoredPoint> predicate = PointFilter.of(any);

        // then: 1 (owner 1, tag 3), 3 (bob, tag 3), 4 (7 among its owners, tag 4), 6 (score); not 2 (tag 4),
        // not 5 (owner is a float: an integer match needs an integer), not 7 (no payload)
        assertThat(POINTS.stream().filter(predicate).map(StoredPoint::key)).containsExactly(PointKey.num(1), PointKey.num(3),
                PointKey.num(4), PointKey.num(6));
    }

    @Test
    void aShouldWithoutAnyMatchingConditionExcludesThePoint() {
        // given
        Filter any = Filter.newBuilder().addShould(match("owner", 42)).addShould(matchKeyword("owner", "eve")).build();

        // when / then
        assertThat(POINTS.stream().filter(PointFilter.of(any))).isEmpty();
    }

    private static StoredPoint point(long id, Map<String, Value> payload) {
        return new StoredPoint(PointKey.num(id), payload, Map.of(), Map.of());
    }
}

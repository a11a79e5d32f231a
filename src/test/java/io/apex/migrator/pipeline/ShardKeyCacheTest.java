package io.apex.migrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.qdrant.client.grpc.Collections.ShardKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A copy task's shard keys are at most the cache's max age old; the clock is the test's. */
class ShardKeyCacheTest {

    private static final Duration MAX_AGE = Duration.ofSeconds(1);

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final List<String> listed = new ArrayList<>();
    private final List<ShardKey> keys = new ArrayList<>(List.of(key("tenant-a")));

    private List<ShardKey> list(String collection) {
        listed.add(collection);
        return List.copyOf(keys);
    }

    @Test
    void tasksWithinTheMaxAgeShareOneListing() {
        // given
        ShardKeyCache cache = new ShardKeyCache(this::list, MAX_AGE, clock::get);

        // when
        List<ShardKey> first = cache.keys("source");
        clock.addAndGet(MAX_AGE.toNanos() - 1);
        List<ShardKey> second = cache.keys("source");

        // then
        assertThat(listed).containsExactly("source");
        assertThat(second).isEqualTo(first).containsExactly(key("tenant-a"));
    }

    @Test
    void aKeyCreatedDuringTheRunIsSeenOnceTheListIsOlderThanTheMaxAge() {
        // given a listing, then a shard key created in the source
        ShardKeyCache cache = new ShardKeyCache(this::list, MAX_AGE, clock::get);
        cache.keys("source");
        keys.add(key("tenant-b"));

        // when
        clock.addAndGet(MAX_AGE.toNanos());
        List<ShardKey> later = cache.keys("source");

        // then
        assertThat(listed).containsExactly("source", "source");
        assertThat(later).containsExactly(key("tenant-a"), key("tenant-b"));
    }

    @Test
    void eachCollectionHasItsOwnListing() {
        // given
        ShardKeyCache cache = new ShardKeyCache(this::list, MAX_AGE, clock::get);

        // when
        cache.keys("source-1");
        cache.keys("source-2");
        cache.keys("source-1");

        // then
        assertThat(listed).containsExactly("source-1", "source-2");
    }

    private static ShardKey key(String keyword) {
        return ShardKey.newBuilder().setKeyword(keyword).build();
    }
}

package io.apex.migrator.pipeline;

import io.qdrant.client.grpc.Collections.ShardKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The shard keys a worker copies a collection by, listed again once the list is older than {@code maxAge}: the
 * copy tasks of a run read the same source one after another, and one ListShardKeys call per task was one of the
 * three Qdrant calls of a range that fits in one page (list, scroll, upsert).
 *
 * <p>Why a list up to {@code maxAge} old is safe: a task already used the list it read at its start for its whole
 * copy, so a shard key created while a run copies was never guaranteed to be seen by the tasks running then; the
 * cache only moves that moment up to {@code maxAge} earlier. Points written under such a key during a live run are
 * re-synced by the capture stream like any other write, and verification lists the keys afresh (it does not use
 * this cache), so a difference a copy left is found before the cutover.
 */
final class ShardKeyCache {

    private final Function<String, List<ShardKey>> lister;
    private final long maxAgeNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Listed> lists = new ConcurrentHashMap<>();

    /**
     * @param lister lists a collection's shard keys (one null key for a collection without keys)
     * @param nanoClock {@link System#nanoTime} outside tests
     */
    ShardKeyCache(Function<String, List<ShardKey>> lister, Duration maxAge, LongSupplier nanoClock) {
        this.lister = lister;
        this.maxAgeNanos = maxAge.toNanos();
        this.nanoClock = nanoClock;
    }

    /** The collection's shard keys, listed at most {@code maxAge} ago. */
    List<ShardKey> keys(String collection) {
        long now = nanoClock.getAsLong();
        Listed listed = lists.get(collection);
        if (listed != null && now - listed.at() < maxAgeNanos) {
            return listed.keys();
        }
        // aged from before the call, so an answer is never used for longer than maxAge after it was asked for
        List<ShardKey> keys = lister.apply(collection);
        lists.values().removeIf(l -> now - l.at() >= maxAgeNanos);
        lists.put(collection, new Listed(keys, now));
        return keys;
    }

    private record Listed(List<ShardKey> keys, long at) {
    }
}

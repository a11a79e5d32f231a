package io.apex.migrator.qdrant.standin;

import io.qdrant.client.grpc.Collections.CollectionConfig;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.CollectionStatus;
import io.qdrant.client.grpc.Collections.OptimizerStatus;
import io.qdrant.client.grpc.Collections.PayloadSchemaInfo;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.Collections.VectorParams;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * One collection: its config, its points in id order (a concurrent sorted map, so scroll is a tail-map walk
 * and upserts from several threads need no global lock), its payload indexes, and a modification counter
 * that tells the quantized search index when to rebuild.
 */
final class StoredCollection {

    private final String name;
    private volatile CollectionConfig config;
    private final ConcurrentSkipListMap<PointKey, StoredPoint> points = new ConcurrentSkipListMap<>();
    private final Map<String, PayloadSchemaType> payloadIndexes = new ConcurrentHashMap<>();
    private final AtomicLong modifications = new AtomicLong();
    private final QuantizedVectors quantized = new QuantizedVectors(this);
    private final ShardKeys shardKeys = new ShardKeys();
    private volatile long lastChangeNanos = System.nanoTime();
    /** What {@code indexed_vectors_count} said the last time the collection was green. */
    private volatile long indexedWhenGreen;

    StoredCollection(String name, CollectionConfig config) {
        this.name = name;
        this.config = config;
    }

    String name() {
        return name;
    }

    CollectionConfig config() {
        return config;
    }

    synchronized void updateConfig(java.util.function.UnaryOperator<CollectionConfig> change) {
        config = change.apply(config);
        changed();
    }

    ConcurrentSkipListMap<PointKey, StoredPoint> points() {
        return points;
    }

    Map<String, VectorParams> denseVectors() {
        return CollectionConfigs.denseVectors(config);
    }

    Set<String> sparseVectors() {
        return config.getParams().getSparseVectorsConfig().getMapMap().keySet();
    }

    /** The shard keys of a custom-sharded collection (always empty under auto sharding). */
    ShardKeys shardKeys() {
        return shardKeys;
    }

    boolean customSharding() {
        return config.getParams().getShardingMethod() == io.qdrant.client.grpc.Collections.ShardingMethod.Custom;
    }

    QuantizedVectors quantized() {
        return quantized;
    }

    private void changed() {
        modifications.incrementAndGet();
        lastChangeNanos = System.nanoTime();
    }

    long modifications() {
        return modifications.get();
    }

    void put(StoredPoint point) {
        points.put(point.key(), point);
        changed();
    }

    /** Stores the point only if none has its id; true if it was stored. */
    boolean putIfAbsent(StoredPoint point) {
        boolean stored = points.putIfAbsent(point.key(), point) == null;
        if (stored) {
            changed();
        }
        return stored;
    }

    /**
     * Stores the point if none has its id, or replaces the stored one if {@code replaceable} holds for it, in one
     * atomic step: a concurrent writer can't slip in between the check and the write. The skip-list map may call
     * the function more than once, so it is kept free of side effects.
     */
    void putUnless(StoredPoint point, Predicate<StoredPoint> replaceable) {
        points.compute(point.key(), (key, old) -> old == null || replaceable.test(old) ? point : old);
        changed();
    }

    /**
     * Replaces the stored point with {@code change} applied to it, atomically (a side-effect free function, as for
     * {@link #putUnless}); false if no point has the id, and nothing is stored then.
     */
    boolean update(PointKey key, UnaryOperator<StoredPoint> change) {
        boolean present = points.computeIfPresent(key, (k, old) -> change.apply(old)) != null;
        if (present) {
            changed();
        }
        return present;
    }

    boolean remove(PointKey key) {
        boolean removed = points.remove(key) != null;
        if (removed) {
            quantized.forget(key);
            changed();
        }
        return removed;
    }

    void createIndex(String field, PayloadSchemaType type) {
        payloadIndexes.put(field, type);
    }

    void deleteIndex(String field) {
        payloadIndexes.remove(field);
    }

    CollectionInfo info() {
        return info(0);
    }

    /**
     * The collection's info. With an {@code indexingDelayMillis}, a collection Qdrant would index (HNSW on, data past
     * the indexing threshold) is yellow for that long after its last change, as Qdrant is while its optimizer
     * rebuilds the index (the optimizer itself reports ok: only a failed optimization is an error), and reports the
     * indexed vectors it had when it was last green; then it is green with every vector indexed.
     */
    CollectionInfo info(long indexingDelayMillis) {
        CollectionConfig current = config;
        long count = points.size();
        long indexed = indexedVectors(current, count);
        boolean indexing = indexed > 0 && indexingDelayMillis > 0
                && System.nanoTime() - lastChangeNanos < indexingDelayMillis * 1_000_000;
        if (!indexing) {
            indexedWhenGreen = indexed;
        }
        CollectionInfo.Builder info = CollectionInfo.newBuilder()
                .setStatus(indexing ? CollectionStatus.Yellow : CollectionStatus.Green)
                .setOptimizerStatus(OptimizerStatus.newBuilder().setOk(true))
                .setSegmentsCount(1)
                .setConfig(current)
                .setPointsCount(count)
                .setIndexedVectorsCount(indexing ? Math.min(indexedWhenGreen, indexed) : indexed);
        payloadIndexes.forEach((field, type) -> info.putPayloadSchema(field, PayloadSchemaInfo.newBuilder()
                .setDataType(type)
                .setPoints(points.values().stream().filter(p -> PayloadPaths.has(p.payload(), field)).count())
                .build()));
        return info.build();
    }

    /**
     * Qdrant builds an HNSW index only when indexing is on (m > 0, threshold > 0) and a segment is past
     * the threshold (in KB); the stand-in reports all vectors indexed past that size, none before.
     */
    private long indexedVectors(CollectionConfig current, long count) {
        long threshold = current.getOptimizerConfig().getIndexingThreshold();
        if (threshold == 0 || current.getHnswConfig().getM() == 0 || count == 0) {
            return 0;
        }
        long bytesPerPoint = 4L * denseVectors().values().stream().mapToLong(VectorParams::getSize).sum();
        return count * bytesPerPoint >= threshold * 1024 ? count * denseVectors().size() : 0;
    }
}

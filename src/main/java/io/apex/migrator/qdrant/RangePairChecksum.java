package io.apex.migrator.qdrant;

import io.apex.migrator.api.PointRange;
import io.qdrant.client.grpc.Collections.ShardKey;
import io.qdrant.client.grpc.Common.PointId;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Checksums one range of two collections together, as a verify task reads it: each side is read page by page on
 * {@code reads} (the two sides at once; a side's next page asked for once its current one is digested, or, for pages
 * under a bound, as soon as it has arrived: see {@link #READ_AHEAD_MAX_BYTES}), and the points of the two sides are
 * digested in step, in id order: a point both sides hold as the same bytes is hashed once
 * ({@link RangeChecksum#addPair}). Each side's checksum and point digests are exactly what
 * {@link RangeChecksum#withPoints} makes of that side alone; what changes is the cost when the sides are equal, the
 * common case, where half the hashing was spent on bytes already hashed.
 */
public final class RangePairChecksum {

    /** The two sides' checksums, each with its point digests. */
    public record Sides(RangeChecksum.Detailed source, RangeChecksum.Detailed target) {
    }

    /**
     * A page larger than this (its whole scroll answer) is digested before the next one is asked for. 0: no side reads
     * ahead (each side's next page is asked for once its current one is digested, the two sides still at once). Off
     * because in the two benchmark runs with read-ahead (batch 1,000, pages of 256 × 1536-d, 1.7 MB) both the copy and
     * the verification were 20-30 % slower than in the runs before it, the copy's code unchanged: pages held across
     * young collections on a worker's 256 MB serial-GC heap are the suspect, not confirmed.
     */
    public static final int READ_AHEAD_MAX_BYTES = 0;

    private RangePairChecksum() {
    }

    /**
     * Reads {@code range} from {@code source} and {@code target} (vectors and payload, each side's shard keys one at a
     * time as {@link RangeChecksum} does) and digests both. A side's error is thrown as it is (what a task's retry
     * classifies); the other side's read in flight is abandoned.
     */
    public static Sides read(QdrantGateway gateway, String source, String target, PointRange range, int pageSize,
            Executor reads) {
        return read(gateway, source, target, range, pageSize, reads, READ_AHEAD_MAX_BYTES);
    }

    /** {@link #read} reading the next page ahead only after pages of at most {@code readAheadMaxBytes}. */
    public static Sides read(QdrantGateway gateway, String source, String target, PointRange range, int pageSize,
            Executor reads, int readAheadMaxBytes) {
        Side s = new Side(gateway, source, range, pageSize, reads, readAheadMaxBytes);
        Side t = new Side(gateway, target, range, pageSize, reads, readAheadMaxBytes);
        try {
            s.start();
            t.start();
            RangeChecksum cs = new RangeChecksum();
            RangeChecksum ct = new RangeChecksum();
            for (WirePoint a = s.peek(), b = t.peek(); a != null || b != null; a = s.peek(), b = t.peek()) {
                int order = a == null ? 1 : b == null ? -1 : compare(a, b);
                if (order == 0) {
                    RangeChecksum.addPair(cs, a, ct, b);
                    s.advance();
                    t.advance();
                } else if (order < 0) {
                    cs.add(a);
                    s.advance();
                } else {
                    ct.add(b);
                    t.advance();
                }
            }
            return new Sides(cs.detailed(), ct.detailed());
        } finally {
            s.close();
            t.close();
        }
    }

    /** The order both sides read points in: by shard key ({@link ShardKeys#ORDER}, none first), then by id. */
    private static int compare(WirePoint a, WirePoint b) {
        if (!Objects.equals(a.shardKey(), b.shardKey())) {
            if (a.shardKey() == null || b.shardKey() == null) {
                return a.shardKey() == null ? -1 : 1;
            }
            return ShardKeys.ORDER.compare(a.shardKey(), b.shardKey());
        }
        return PointIdOrder.INSTANCE.compare(a.id(), b.id());
    }

    /**
     * One side of the range: its points one by one, with the current page in memory and, after a page within the
     * read-ahead bound, the next one.
     */
    private static final class Side {

        private record Fetched(int key, List<WirePoint> points, PointId next, int bytes) {
        }

        private final QdrantGateway gateway;
        private final String collection;
        private final PointRange range;
        private final int pageSize;
        private final Executor reads;
        private final int readAheadMaxBytes;
        /** Listed by the first read; used only after a read completed (its future's completion orders the write). */
        private volatile List<ShardKey> keys;
        private CompletableFuture<Fetched> pending;
        /** The next read, when it waits for the current page to be digested first. */
        private Supplier<CompletableFuture<Fetched>> deferred;
        private List<WirePoint> page = List.of();
        private int at;

        Side(QdrantGateway gateway, String collection, PointRange range, int pageSize, Executor reads,
                int readAheadMaxBytes) {
            this.readAheadMaxBytes = readAheadMaxBytes;
            this.gateway = gateway;
            this.collection = collection;
            this.range = range;
            this.pageSize = pageSize;
            this.reads = reads;
        }

        void start() {
            pending = CompletableFuture.supplyAsync(() -> {
                keys = RangeReader.shardKeysOrAll(gateway, collection);
                return fetch(0, range.start().toPointId());
            }, reads);
        }

        /** The next point of this side, or null once the range is read. */
        WirePoint peek() {
            while (at == page.size()) {
                if (pending == null && deferred != null) {
                    // the page just digested was too large to have the next one read alongside it
                    pending = deferred.get();
                    deferred = null;
                }
                if (pending == null) {
                    return null;
                }
                Fetched fetched = join(pending);
                pending = null;
                Supplier<CompletableFuture<Fetched>> next = fetched.next() != null
                        ? () -> fetchAsync(fetched.key(), fetched.next())
                        : fetched.key() + 1 < keys.size()
                                ? () -> fetchAsync(fetched.key() + 1, range.start().toPointId())
                                : null;
                if (next != null && fetched.bytes() <= readAheadMaxBytes) {
                    pending = next.get();
                } else {
                    deferred = next;
                }
                page = fetched.points();
                at = 0;
            }
            return page.get(at);
        }

        void advance() {
            at++;
        }

        void close() {
            deferred = null;
            if (pending != null) {
                pending.cancel(false);
                pending = null;
            }
        }

        private CompletableFuture<Fetched> fetchAsync(int key, PointId from) {
            return CompletableFuture.supplyAsync(() -> fetch(key, from), reads);
        }

        private Fetched fetch(int key, PointId from) {
            WireScrollPage scrolled = gateway.scrollWire(collection, from, pageSize, null, keys.get(key));
            RangeReader.Slice<WirePoint> slice = RangeReader.slice(range, scrolled, WirePoint::id);
            return new Fetched(key, slice.inside(), slice.next(), scrolled.points().isEmpty() ? 0
                    : scrolled.points().get(0).buffer().length);
        }

        /** The read's result, or its own exception (not a wrapper). */
        private static Fetched join(CompletableFuture<Fetched> read) {
            try {
                return read.get();
            } catch (InterruptedException e) {
                read.cancel(true);
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading a range", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException cause) {
                    throw cause;
                }
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
    }
}

package io.apex.migrator.bench;

import io.apex.migrator.api.PointRange;
import io.apex.migrator.qdrant.PointIdOrder;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.RangeReader;
import io.apex.migrator.qdrant.QdrantSettings;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.Points;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The limit the pipeline is measured against: {@code threads} plain threads, one io.qdrant:client gRPC channel,
 * each thread taking the next range of the same plan and doing scroll (vectors + payload) → upsert (wait=true)
 * page by page. No Kafka, no run store, no framework, no retries.
 */
final class BareLoop {

    /** Upserts stay under Qdrant's 4 MiB request limit. */
    private static final int REQUEST_LIMIT_BYTES = 3_500_000;

    record Result(long points, double seconds) {
        double pointsPerSecond() {
            return seconds <= 0 ? 0 : points / seconds;
        }
    }

    private BareLoop() {
    }

    static Result run(QdrantSettings settings, String source, String target, List<PointRange> ranges, int pageSize,
            int threads) throws Exception {
        ManagedChannel channel = ManagedChannelBuilder.forAddress(settings.host(), settings.port())
                .maxInboundMessageSize(256 * 1024 * 1024).usePlaintext().build();
        QdrantGrpcClient.Builder builder = QdrantGrpcClient.newBuilder(channel, true, false);
        settings.apiKey().ifPresent(builder::withApiKey);
        try (QdrantGrpcClient client = builder.build()) {
            return loop(ranges, threads, range -> copyRange(client, source, target, range, pageSize));
        } finally {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /**
     * The same loop with the copy path's wire-level calls ({@link QdrantGateway#scrollWire} →
     * {@link QdrantGateway#upsertWire}): the limit of the pipeline's own way of copying, so pipeline / this is the
     * cost of Kafka, the run store and the framework alone.
     */
    static Result runWire(QdrantSettings settings, String source, String target, List<PointRange> ranges,
            int pageSize, int threads) throws Exception {
        try (QdrantGateway gateway = QdrantGateway.connect(settings)) {
            return loop(ranges, threads, range -> {
                long[] copied = {0};
                RangeReader.readWire(range, from -> gateway.scrollWire(source, from, pageSize), page -> {
                    gateway.upsertWire(target, page);
                    copied[0] += page.size();
                });
                return copied[0];
            });
        }
    }

    @FunctionalInterface
    private interface RangeCopy {
        long copy(PointRange range) throws Exception;
    }

    private static Result loop(List<PointRange> ranges, int threads, RangeCopy copy) throws Exception {
        ConcurrentLinkedQueue<PointRange> queue = new ConcurrentLinkedQueue<>(ranges);
        AtomicLong copied = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long started = System.nanoTime();
            List<Future<?>> loops = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                loops.add(pool.submit(() -> {
                    for (PointRange range = queue.poll(); range != null; range = queue.poll()) {
                        copied.addAndGet(copy.copy(range));
                    }
                    return null;
                }));
            }
            for (Future<?> loop : loops) {
                loop.get();
            }
            return new Result(copied.get(), (System.nanoTime() - started) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    private static long copyRange(QdrantGrpcClient client, String source, String target, PointRange range,
            int pageSize) throws Exception {
        PointId end = range.end() == null ? null : range.end().toPointId();
        PointId offset = range.start().toPointId();
        long copied = 0;
        while (offset != null) {
            Points.ScrollResponse page = client.points().scroll(Points.ScrollPoints.newBuilder()
                    .setCollectionName(source).setOffset(offset).setLimit(pageSize)
                    .setWithVectors(Points.WithVectorsSelector.newBuilder().setEnable(true))
                    .setWithPayload(Points.WithPayloadSelector.newBuilder().setEnable(true)).build()).get();
            List<Points.PointStruct> points = new ArrayList<>(page.getResultCount());
            boolean reachedEnd = false;
            for (Points.RetrievedPoint p : page.getResultList()) {
                if (end != null && PointIdOrder.INSTANCE.compare(p.getId(), end) >= 0) {
                    reachedEnd = true;
                    break;
                }
                points.add(Points.PointStruct.newBuilder().setId(p.getId()).putAllPayload(p.getPayloadMap())
                        .setVectors(Points.Vectors.newBuilder().setVector(Points.Vector.newBuilder()
                                .setDense(p.getVectors().getVector().getDense()))).build());
            }
            int perRequest = points.isEmpty() ? 1 : Math.max(1, REQUEST_LIMIT_BYTES / points.get(0).getSerializedSize());
            for (int from = 0; from < points.size(); from += perRequest) {
                client.points().upsert(Points.UpsertPoints.newBuilder().setCollectionName(target).setWait(true)
                        .addAllPoints(points.subList(from, Math.min(points.size(), from + perRequest))).build()).get();
            }
            copied += points.size();
            offset = reachedEnd || !page.hasNextPageOffset() ? null : page.getNextPageOffset();
            if (end != null && offset != null && PointIdOrder.INSTANCE.compare(offset, end) >= 0) {
                offset = null;
            }
        }
        return copied;
    }
}

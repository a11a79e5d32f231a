package io.apex.migrator.pipeline;

import static io.qdrant.client.ConditionFactory.match;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.VectorsFactory.vectors;

import io.apex.migrator.api.PointKey;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.ScrollPage;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.PointsSelector;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.PointsGrpc;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.logging.Logger;

/**
 * An application that keeps writing to a collection through capture proxies while it migrates, and keeps its own
 * model of what the collection must hold. Each thread owns its points (integer ids ≡ thread mod threads, and UUIDs
 * made from its number) and writes them one call at a time, so the model is exact: after a call is acknowledged,
 * the point is what the thread last wrote. Every call goes to one proxy replica; a call the replica cannot answer
 * (UNAVAILABLE: killed, or refusing) is sent again to the next one, as a client behind a Service would (every write
 * here is idempotent). A call that fails on every replica counts as failed.
 */
final class LiveWriter implements AutoCloseable {

    private static final Logger LOGGER = Logger.getLogger(LiveWriter.class);
    private static final int ATTEMPTS = 6;

    /** What the writer sends; its counts are reported. */
    enum Kind {
        UPSERT, UUID_UPSERT, SET_PAYLOAD, OVERWRITE_PAYLOAD, DELETE_PAYLOAD, CLEAR_PAYLOAD, UPDATE_VECTORS,
        DELETE_BY_ID, DELETE_BY_FILTER, SET_PAYLOAD_BY_FILTER, BATCH
    }

    private record Expected(float[] vector, Map<String, Value> payload) {
    }

    private final String collection;
    private final int threads;
    private final int dims;
    private final int idsPerThread;
    private final double ratePerThread;
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final Map<PointKey, Expected> model = new ConcurrentHashMap<>();
    private final Map<Kind, LongAdder> sent = new ConcurrentHashMap<>();
    private final LongAdder failed = new LongAdder();
    private final LongAdder redirected = new LongAdder();
    private final AtomicLong maxLatencyNanos = new AtomicLong();
    private final List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean running = new AtomicBoolean();
    private final List<Thread> workers = new ArrayList<>();
    private final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile long startedNanos;
    private volatile long stoppedNanos;

    LiveWriter(String collection, List<Integer> proxyPorts, int threads, int idsPerThread, int dims,
            int writesPerSecond) {
        this.collection = collection;
        this.threads = threads;
        this.dims = dims;
        this.idsPerThread = idsPerThread;
        this.ratePerThread = writesPerSecond / (double) threads;
        for (int port : proxyPorts) {
            channels.add(ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
                    .maxInboundMessageSize(64 * 1024 * 1024).build());
        }
        for (Kind k : Kind.values()) {
            sent.put(k, new LongAdder());
        }
    }

    /** Writes the initial points straight to {@code source} (no proxy: no run yet) and records them in the model. */
    void seed(QdrantGateway gateway, String source, int pointsPerThread) {
        SplittableRandom random = new SplittableRandom(7);
        List<PointStruct> page = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < pointsPerThread; i++) {
                PointStruct p = point(intId(t, i), t, random, 0);
                page.add(p);
                remember(p);
                if (page.size() == 500) {
                    gateway.upsert(source, page);
                    page = new ArrayList<>();
                }
            }
        }
        if (!page.isEmpty()) {
            gateway.upsert(source, page);
        }
    }

    void start() {
        running.set(true);
        startedNanos = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int owner = t;
            Thread thread = new Thread(() -> write(owner), "live-writer-" + t);
            thread.setDaemon(true);
            workers.add(thread);
            thread.start();
        }
    }

    /** Stops after each thread's call in flight returned. */
    void stop() throws InterruptedException {
        running.set(false);
        for (Thread t : workers) {
            t.join(TimeUnit.MINUTES.toMillis(2));
        }
        stoppedNanos = System.nanoTime();
    }

    long acknowledged() {
        return sent.values().stream().mapToLong(LongAdder::sum).sum();
    }

    long failed() {
        return failed.sum();
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    /** Calls sent again to another replica because the first could not answer. */
    long redirected() {
        return redirected.sum();
    }

    double writesPerSecond() {
        long end = stoppedNanos == 0 ? System.nanoTime() : stoppedNanos;
        return acknowledged() / ((end - startedNanos) / 1e9);
    }

    Duration slowestCall() {
        return Duration.ofNanos(maxLatencyNanos.get());
    }

    /** Latency of the acknowledged calls (retries on another replica included). */
    io.apex.migrator.bench.LatencySummary latency() {
        synchronized (latencies) {
            return io.apex.migrator.bench.LatencySummary.ofNanos(new ArrayList<>(latencies));
        }
    }

    Map<Kind, Long> counts() {
        Map<Kind, Long> counts = new LinkedHashMap<>();
        sent.forEach((k, v) -> counts.put(k, v.sum()));
        return counts;
    }

    /** Differences between what {@code actual} (a collection or alias) holds and the model; empty when equal. */
    List<String> differences(QdrantGateway gateway, String actual) {
        Map<PointKey, RetrievedPoint> stored = new HashMap<>();
        PointId offset = null;
        do {
            ScrollPage page = gateway.scroll(actual, offset, 1000, true, true);
            page.points().forEach(p -> stored.put(PointKey.of(p.getId()), p));
            offset = page.nextOffset().orElse(null);
        } while (offset != null);
        List<String> differences = new ArrayList<>();
        model.forEach((key, expected) -> {
            RetrievedPoint p = stored.get(key);
            if (p == null) {
                differences.add("missing " + key);
            } else if (!expected.payload().equals(p.getPayloadMap())) {
                differences.add("payload of " + key + ": expected " + expected.payload() + ", found " + p.getPayloadMap());
            } else if (!Arrays.equals(expected.vector(), vector(p))) {
                differences.add("vector of " + key + " differs");
            }
        });
        stored.keySet().stream().filter(k -> !model.containsKey(k)).forEach(k -> differences.add("unexpected " + k));
        return differences;
    }

    int modelSize() {
        return model.size();
    }

    private void write(int owner) {
        SplittableRandom random = new SplittableRandom(1000 + owner);
        PointsGrpc.PointsBlockingStub[] stubs = channels.stream().map(PointsGrpc::newBlockingStub)
                .toArray(PointsGrpc.PointsBlockingStub[]::new);
        long interval = (long) (1e9 / ratePerThread);
        long next = System.nanoTime();
        long counter = 0;
        int replica = owner % stubs.length;
        while (running.get()) {
            long now = System.nanoTime();
            if (now < next) {
                LockSupportPark.until(next);
                continue;
            }
            next += interval;
            counter++;
            Kind kind = pick(random);
            try {
                replica = send(stubs, replica, owner, kind, random, counter);
                sent.get(kind).increment();
            } catch (RuntimeException e) {
                failed.increment();
                if (failures.size() < 20) {
                    failures.add(kind + ": " + e);
                }
            }
        }
    }

    private static Kind pick(SplittableRandom random) {
        int r = random.nextInt(100);
        if (r < 25) {
            return Kind.UPSERT;
        } else if (r < 33) {
            return Kind.UUID_UPSERT;
        } else if (r < 43) {
            return Kind.SET_PAYLOAD;
        } else if (r < 49) {
            return Kind.OVERWRITE_PAYLOAD;
        } else if (r < 53) {
            return Kind.DELETE_PAYLOAD;
        } else if (r < 56) {
            return Kind.CLEAR_PAYLOAD;
        } else if (r < 64) {
            return Kind.UPDATE_VECTORS;
        } else if (r < 88) {
            return Kind.DELETE_BY_ID;
        } else if (r < 91) {
            return Kind.DELETE_BY_FILTER;
        } else if (r < 94) {
            return Kind.SET_PAYLOAD_BY_FILTER;
        }
        return Kind.BATCH;
    }

    /** Sends one write (to another replica when one cannot answer) and updates the model; returns the replica used. */
    private int send(PointsGrpc.PointsBlockingStub[] stubs, int replica, int owner, Kind kind,
            SplittableRandom random, long counter) {
        PointId id = kind == Kind.UUID_UPSERT
                ? PointId.newBuilder().setUuid(new UUID(owner + 1, random.nextInt(idsPerThread / 10 + 1)).toString())
                        .build()
                : intId(owner, random.nextInt(idsPerThread));
        PointKey key = PointKey.of(id);
        Runnable apply;
        java.util.function.Function<PointsGrpc.PointsBlockingStub, Object> call;
        switch (kind) {
            case UPSERT, UUID_UPSERT -> {
                PointStruct p = point(id, owner, random, counter);
                call = s -> s.upsert(Points.UpsertPoints.newBuilder().setCollectionName(collection).setWait(true)
                        .addPoints(p).build());
                apply = () -> remember(p);
            }
            case SET_PAYLOAD -> {
                Map<String, Value> change = Map.of("v", value(counter));
                call = s -> s.setPayload(Points.SetPayloadPoints.newBuilder().setCollectionName(collection)
                        .setWait(true).putAllPayload(change).setPointsSelector(ids(id)).build());
                apply = () -> model.computeIfPresent(key, (k, e) -> {
                    Map<String, Value> payload = new HashMap<>(e.payload());
                    payload.putAll(change);
                    return new Expected(e.vector(), Map.copyOf(payload));
                });
                if (!model.containsKey(key)) {
                    // Qdrant refuses a by-id payload change of a missing point: upsert it instead
                    return send(stubs, replica, owner, Kind.UPSERT, random, counter);
                }
            }
            case OVERWRITE_PAYLOAD -> {
                Map<String, Value> payload = payload(owner, random.nextInt(20), counter);
                call = s -> s.overwritePayload(Points.SetPayloadPoints.newBuilder().setCollectionName(collection)
                        .setWait(true).putAllPayload(payload).setPointsSelector(ids(id)).build());
                apply = () -> model.computeIfPresent(key, (k, e) -> new Expected(e.vector(), payload));
                if (!model.containsKey(key)) {
                    return send(stubs, replica, owner, Kind.UPSERT, random, counter);
                }
            }
            case DELETE_PAYLOAD -> {
                if (!model.containsKey(key)) {
                    return send(stubs, replica, owner, Kind.UPSERT, random, counter);
                }
                call = s -> s.deletePayload(Points.DeletePayloadPoints.newBuilder().setCollectionName(collection)
                        .setWait(true).addKeys("v").setPointsSelector(ids(id)).build());
                apply = () -> model.computeIfPresent(key, (k, e) -> {
                    Map<String, Value> payload = new HashMap<>(e.payload());
                    payload.remove("v");
                    return new Expected(e.vector(), Map.copyOf(payload));
                });
            }
            case CLEAR_PAYLOAD -> {
                if (!model.containsKey(key)) {
                    return send(stubs, replica, owner, Kind.UPSERT, random, counter);
                }
                call = s -> s.clearPayload(Points.ClearPayloadPoints.newBuilder().setCollectionName(collection)
                        .setWait(true).setPoints(ids(id)).build());
                apply = () -> model.computeIfPresent(key, (k, e) -> new Expected(e.vector(), Map.of()));
            }
            case UPDATE_VECTORS -> {
                if (!model.containsKey(key)) {
                    return send(stubs, replica, owner, Kind.UPSERT, random, counter);
                }
                PointStruct fresh = point(id, owner, random, counter);
                call = s -> s.updateVectors(Points.UpdatePointVectors.newBuilder().setCollectionName(collection)
                        .setWait(true).addPoints(Points.PointVectors.newBuilder().setId(id)
                                .setVectors(fresh.getVectors())).build());
                apply = () -> model.computeIfPresent(key, (k, e) -> new Expected(vectorOf(fresh), e.payload()));
            }
            case SET_PAYLOAD_BY_FILTER -> {
                long tag = random.nextInt(20);
                Map<String, Value> change = Map.of("f", value(counter));
                Filter filter = Filter.newBuilder().addMust(match("owner", owner)).addMust(match("tag", tag)).build();
                call = s -> s.setPayload(Points.SetPayloadPoints.newBuilder().setCollectionName(collection)
                        .setWait(true).putAllPayload(change).setPointsSelector(PointsSelector.newBuilder()
                                .setFilter(filter)).build());
                apply = () -> model.replaceAll((k, e) -> {
                    if (!owns(e, owner, tag)) {
                        return e;
                    }
                    Map<String, Value> payload = new HashMap<>(e.payload());
                    payload.putAll(change);
                    return new Expected(e.vector(), Map.copyOf(payload));
                });
            }
            case BATCH -> {
                // an upsert, then a delete of another of the thread's points, in one request
                PointStruct p = point(id, owner, random, counter);
                PointId other = intId(owner, random.nextInt(idsPerThread));
                PointKey otherKey = PointKey.of(other);
                Points.UpdateBatchPoints batch = Points.UpdateBatchPoints.newBuilder().setCollectionName(collection)
                        .setWait(true)
                        .addOperations(Points.PointsUpdateOperation.newBuilder().setUpsert(
                                Points.PointsUpdateOperation.PointStructList.newBuilder().addPoints(p)))
                        .addOperations(Points.PointsUpdateOperation.newBuilder().setDeletePoints(
                                Points.PointsUpdateOperation.DeletePoints.newBuilder().setPoints(ids(other))))
                        .build();
                call = s -> s.updateBatch(batch);
                apply = () -> {
                    remember(p);
                    model.remove(otherKey);
                };
            }
            case DELETE_BY_ID -> {
                call = s -> s.delete(Points.DeletePoints.newBuilder().setCollectionName(collection).setWait(true)
                        .setPoints(ids(id)).build());
                apply = () -> model.remove(key);
            }
            case DELETE_BY_FILTER -> {
                long tag = random.nextInt(20);
                Filter filter = Filter.newBuilder().addMust(match("owner", owner)).addMust(match("tag", tag)).build();
                call = s -> s.delete(Points.DeletePoints.newBuilder().setCollectionName(collection).setWait(true)
                        .setPoints(PointsSelector.newBuilder().setFilter(filter)).build());
                apply = () -> model.entrySet().removeIf(e -> owns(e.getValue(), owner, tag));
            }
            default -> throw new IllegalStateException(kind.toString());
        }
        long started = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            try {
                call.apply(stubs[replica].withDeadlineAfter(60, TimeUnit.SECONDS));
                long took = System.nanoTime() - started;
                maxLatencyNanos.accumulateAndGet(took, Math::max);
                latencies.add(took);
                apply.run();
                return replica;
            } catch (StatusRuntimeException e) {
                if (attempt >= ATTEMPTS || e.getStatus().getCode() != io.grpc.Status.Code.UNAVAILABLE) {
                    throw e;
                }
                redirected.increment();
                replica = (replica + 1) % stubs.length;
            }
        }
    }

    private static boolean owns(Expected e, int owner, long tag) {
        Value o = e.payload().get("owner");
        Value t = e.payload().get("tag");
        return o != null && t != null && o.getIntegerValue() == owner && t.getIntegerValue() == tag;
    }

    private PointId intId(int owner, int i) {
        return PointId.newBuilder().setNum((long) i * threads + owner).build();
    }

    private PointStruct point(PointId id, int owner, SplittableRandom random, long counter) {
        float[] v = new float[dims];
        for (int d = 0; d < dims; d++) {
            v[d] = (float) (random.nextDouble() * 2 - 1);
        }
        return PointStruct.newBuilder().setId(id).setVectors(vectors(v))
                .putAllPayload(payload(owner, random.nextInt(20), counter)).build();
    }

    private static Map<String, Value> payload(int owner, long tag, long counter) {
        return Map.of("owner", value(owner), "tag", value(tag), "v", value(counter));
    }

    private void remember(PointStruct p) {
        model.put(PointKey.of(p.getId()), new Expected(vectorOf(p), Map.copyOf(p.getPayloadMap())));
    }

    private static float[] vectorOf(PointStruct p) {
        Points.Vector in = p.getVectors().getVector();
        List<Float> data = in.hasDense() ? in.getDense().getDataList() : in.getDataList();
        float[] v = new float[data.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = data.get(i);
        }
        return v;
    }

    private static float[] vector(RetrievedPoint p) {
        Points.VectorOutput out = p.getVectors().getVector();
        List<Float> data = out.hasDense() ? out.getDense().getDataList() : out.getDataList();
        float[] v = new float[data.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = data.get(i);
        }
        return v;
    }

    private static PointsSelector ids(PointId id) {
        return PointsSelector.newBuilder().setPoints(Points.PointsIdsList.newBuilder().addIds(id)).build();
    }

    @Override
    public void close() {
        running.set(false);
        channels.forEach(ManagedChannel::shutdownNow);
    }

    /** Parks the thread until a point in time (the writer's pace), not a synchronisation. */
    private static final class LockSupportPark {
        static void until(long nanoTime) {
            java.util.concurrent.locks.LockSupport.parkNanos(Math.max(0, nanoTime - System.nanoTime()));
        }
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%d writes acknowledged (%.0f/s), %d failed, %d sent again to "
                + "another replica, latency %s, slowest %d ms, kinds %s", acknowledged(), writesPerSecond(), failed(),
                redirected(), latency(), slowestCall().toMillis(), counts());
    }
}

package io.apex.migrator.qdrant.standin;

import io.grpc.Status;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Fault injection for a running stand-in, settable from a test at any time: a per-RPC error rate (each call
 * fails with the given probability, drawn from a seeded random), "fail the next N calls", added latency,
 * the {@code retry-after} that RESOURCE_EXHAUSTED carries, and vector perturbation on upsert (noise added to
 * stored vectors, so that a recall gate has something to catch).
 *
 * <p>RPCs are named as gRPC full method names ({@code qdrant.Points/Upsert}, {@code qdrant.Collections/Get});
 * {@code Points/Upsert} is accepted too, and {@link #ANY} applies to every RPC without its own rule.
 *
 * <p>Why the state is a map of JDK types only: a {@code @QuarkusTest} loads this class in its own class
 * loader, while the JVM-wide shared stand-in may have been started from another one. Keeping the state in a
 * {@code ConcurrentMap<String, Object>} of strings, numbers, queues and a {@link Random} lets a {@code Faults}
 * from any class loader steer the same server.
 */
public final class Faults {

    /**
     * Prefix of the keys under which the server keeps state tests read across class loaders (JDK types only), such
     * as its snapshot files; {@link #reset()} leaves them.
     */
    static final String SERVER_STATE = "server:";

    /** Rule key for every RPC. */
    public static final String ANY = "*";

    private static final String SEED = "seed";
    private static final String RETRY_AFTER = "retry-after";
    private static final String INJECTED = "injected";
    private static final String DELAYED = "delayed";
    private static final String RATE = "rate:";
    private static final String LATENCY = "latency:";
    private static final String NEXT = "next:";
    private static final String PERTURB = "perturb:";
    private static final String INDEX_NOISE = "index-noise:";
    private static final String CORRUPT = "corrupt:";
    private static final String OUTAGE = "outage:";
    private static final String OUTAGE_STARTED = "outage-started:";
    private static final String PARK = "park-upsert:";
    private static final String UNREADABLE = "unreadable:";
    private static final Duration PARK_LIMIT = Duration.ofMinutes(2);

    private static final String ALIAS_REQUESTS = "alias-requests";
    private static final String INDEXING_DELAY = "indexing-delay";

    private final ConcurrentMap<String, Object> state;

    Faults(ConcurrentMap<String, Object> state) {
        this.state = state;
        state.putIfAbsent(SEED, new Random(42));
        state.putIfAbsent(RETRY_AFTER, 1L);
        state.putIfAbsent(INJECTED, new AtomicLong());
        state.putIfAbsent(DELAYED, new AtomicLong());
    }

    static ConcurrentMap<String, Object> newState() {
        return new ConcurrentHashMap<>();
    }

    /**
     * Every successful UpdateAliases request so far, as the set of aliases each named (oldest first). Not a fault: it
     * lives here because this state is what every class loader reaches (see above), so a {@code @QuarkusTest} can ask
     * the shared stand-in whether several aliases moved in ONE request.
     */
    @SuppressWarnings("unchecked")
    public List<Set<String>> aliasRequests() {
        return List.copyOf((Queue<Set<String>>) state.computeIfAbsent(ALIAS_REQUESTS,
                k -> new java.util.concurrent.ConcurrentLinkedQueue<Set<String>>()));
    }

    @SuppressWarnings("unchecked")
    void recordAliasRequest(Set<String> aliases) {
        ((Queue<Set<String>>) state.computeIfAbsent(ALIAS_REQUESTS,
                k -> new java.util.concurrent.ConcurrentLinkedQueue<Set<String>>())).add(Set.copyOf(aliases));
    }

    ConcurrentMap<String, Object> state() {
        return state;
    }

    /** Each call of {@code method} fails with probability {@code rate}, with one of {@code codes} (uniformly). */
    public Faults errorRate(String method, double rate, Status.Code... codes) {
        if (rate < 0 || rate > 1 || codes.length == 0) {
            throw new IllegalArgumentException("rate must be in [0, 1] and at least one status given, got "
                    + rate + " " + Arrays.toString(codes));
        }
        state.put(RATE + normalize(method), rate + "|"
                + Arrays.stream(codes).map(Enum::name).collect(Collectors.joining(",")));
        return this;
    }

    /** {@link #errorRate(String, double, Status.Code...)} for every RPC. */
    public Faults errorRate(double rate, Status.Code... codes) {
        return errorRate(ANY, rate, codes);
    }

    /** The next {@code n} calls of {@code method} fail with {@code code}. */
    public Faults failNext(String method, int n, Status.Code code) {
        @SuppressWarnings("unchecked")
        Queue<String> queue = (Queue<String>) state.computeIfAbsent(NEXT + normalize(method),
                k -> new ConcurrentLinkedQueue<String>());
        for (int i = 0; i < n; i++) {
            queue.add(code.name());
        }
        return this;
    }

    /** The next {@code n} calls, whatever the RPC, fail with {@code code}. */
    public Faults failNext(int n, Status.Code code) {
        return failNext(ANY, n, code);
    }

    /**
     * An outage of {@code method}: from its first call after this one, every call of it fails with {@code code}
     * for {@code length}, then it is served again. The clock starts at the first call, so an outage armed before
     * an action meets that action whatever the machine's speed.
     */
    public Faults outage(String method, Duration length, Status.Code code) {
        state.remove(OUTAGE_STARTED + normalize(method));
        state.put(OUTAGE + normalize(method), length.toNanos() + "|" + code.name());
        return this;
    }

    /** Every call of {@code method} is delayed by {@code latency} before it is served. */
    public Faults latency(String method, Duration latency) {
        state.put(LATENCY + normalize(method), latency.toMillis());
        return this;
    }

    public Faults latency(Duration latency) {
        return latency(ANY, latency);
    }

    /** The {@code retry-after} (whole seconds) sent with an injected RESOURCE_EXHAUSTED. */
    public Faults retryAfter(Duration retryAfter) {
        state.put(RETRY_AFTER, Math.max(0, retryAfter.toSeconds()));
        return this;
    }

    /**
     * Upserts into {@code collection} ({@link #ANY}: every collection) store each dense vector with Gaussian
     * noise of standard deviation {@code sigma} added (before Cosine normalisation).
     */
    public Faults perturbVectors(String collection, double sigma) {
        state.put(PERTURB + collection, sigma);
        return this;
    }

    /**
     * A deliberately bad quantization of {@code collection} ({@link #ANY}: every collection): its int8 search
     * index is built from each dense vector plus Gaussian noise of standard deviation {@code sigma}, while the
     * stored original vectors stay exactly as upserted. Quantized (non-exact) searches then pick worse
     * candidates than an exact search, as a badly calibrated quantization would, and a recall gate has
     * something to catch; range checksums, which read the originals, still match.
     */
    public Faults quantizationNoise(String collection, double sigma) {
        state.put(INDEX_NOISE + collection, sigma);
        return this;
    }

    /**
     * The next {@code times} upserts of point {@code id} into {@code collection} store it with a payload field
     * {@code corrupted: true} added: a silent write corruption, which only a checksum comparison finds.
     */
    public Faults corruptPoint(String collection, long id, int times) {
        state.put(CORRUPT + collection + "/" + id, new java.util.concurrent.atomic.AtomicInteger(times));
        return this;
    }

    /**
     * Every scroll of {@code collection} whose page would hold point {@code id} fails with {@code code}: the range
     * holding the point cannot be read (a non-transient code fails a verify task of that range for good), the others
     * can.
     */
    public Faults unreadablePoint(String collection, long id, Status.Code code) {
        state.put(UNREADABLE + collection + "/" + id, code.name());
        return this;
    }

    /**
     * The next upsert into {@code collection} (whatever its {@code update_mode}) is parked once its request has
     * arrived, before anything of it is applied, until the returned gate is opened (at most two minutes): a test
     * forces what happens between a backfill page's read and its insert.
     */
    public Gate parkNextUpsert(String collection) {
        CountDownLatch[] latches = {new CountDownLatch(1), new CountDownLatch(1)};
        state.put(PARK + collection, latches);
        return new Gate(latches[0], latches[1]);
    }

    /** A parked call: wait until it has arrived, then let it go on. */
    public static final class Gate {

        private final CountDownLatch arrived;
        private final CountDownLatch open;

        private Gate(CountDownLatch arrived, CountDownLatch open) {
            this.arrived = arrived;
            this.open = open;
        }

        /** Waits until the call is parked; false when it did not arrive within {@code timeout}. */
        public boolean awaitArrived(Duration timeout) throws InterruptedException {
            return arrived.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Lets the parked call (or the next one, if it has not arrived yet) go on. */
        public void open() {
            open.countDown();
        }
    }

    /** Re-seeds the random that draws error-rate faults and perturbation noise: runs become repeatable. */
    public Faults seed(long seed) {
        state.put(SEED, new Random(seed));
        return this;
    }

    /**
     * How long a collection Qdrant would index stays yellow (its index being built, {@code indexed_vectors_count}
     * behind) after a change: the time a real Qdrant's optimizer takes. Not a fault, but test-steered state like the
     * faults; {@link #reset()} sets it back to none.
     */
    public Faults indexingDelay(Duration delay) {
        state.put(INDEXING_DELAY, delay.toMillis());
        return this;
    }

    /** Removes every fault (the seed is reset to its default). */
    public Faults reset() {
        // the server's own state kept in this map (see SERVER_STATE) is no fault: it survives a reset
        state.keySet().removeIf(key -> !key.startsWith(SERVER_STATE));
        state.put(SEED, new Random(42));
        state.put(RETRY_AFTER, 1L);
        state.put(INJECTED, new AtomicLong());
        state.put(DELAYED, new AtomicLong());
        return this;
    }

    /** How many calls have been failed by injection since the last reset. */
    public long injectedCount() {
        return ((AtomicLong) state.get(INJECTED)).get();
    }

    /** How many calls have been delayed by an added latency since the last reset. */
    public long delayedCount() {
        return ((AtomicLong) state.get(DELAYED)).get();
    }

    // --- read side, used by the server ---------------------------------------------------------------

    long indexingDelayMillis() {
        Object delay = state.get(INDEXING_DELAY);
        return delay instanceof Long millis ? millis : 0;
    }

    /** The status to fail this call with, or null; consumes a fail-next entry if one applies. */
    Status.Code decide(String fullMethod) {
        String code = poll(NEXT + fullMethod);
        if (code == null) {
            code = poll(NEXT + ANY);
        }
        if (code == null) {
            code = outage(fullMethod);
        }
        if (code == null) {
            Object rule = state.get(RATE + fullMethod);
            if (rule == null) {
                rule = state.get(RATE + ANY);
            }
            if (rule != null) {
                String[] parts = ((String) rule).split("\\|");
                double rate = Double.parseDouble(parts[0]);
                List<String> codes = List.of(parts[1].split(","));
                Random random = random();
                synchronized (random) {
                    if (random.nextDouble() < rate) {
                        code = codes.get(random.nextInt(codes.size()));
                    }
                }
            }
        }
        if (code == null) {
            return null;
        }
        ((AtomicLong) state.get(INJECTED)).incrementAndGet();
        return Status.Code.valueOf(code);
    }

    /** The outage's status while an outage of the method (or of every RPC) is on, else null. */
    private String outage(String fullMethod) {
        String method = fullMethod;
        Object rule = state.get(OUTAGE + method);
        if (rule == null) {
            method = ANY;
            rule = state.get(OUTAGE + method);
        }
        if (rule == null) {
            return null;
        }
        String[] parts = ((String) rule).split("\\|");
        long started = (Long) state.computeIfAbsent(OUTAGE_STARTED + method, k -> System.nanoTime());
        return System.nanoTime() - started < Long.parseLong(parts[0]) ? parts[1] : null;
    }

    /** The latency to add to this call (counted as a delayed call when there is one). */
    long latencyMillis(String fullMethod) {
        Object millis = state.get(LATENCY + fullMethod);
        if (millis == null) {
            millis = state.get(LATENCY + ANY);
        }
        if (millis == null || (Long) millis <= 0) {
            return 0;
        }
        ((AtomicLong) state.get(DELAYED)).incrementAndGet();
        return (Long) millis;
    }

    /** Parks this upsert into {@code collection} if a test asked for it (consumes the request). */
    void parkUpsert(String collection) {
        CountDownLatch[] latches = (CountDownLatch[]) state.remove(PARK + collection);
        if (latches == null) {
            return;
        }
        latches[0].countDown();
        try {
            latches[1].await(PARK_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    long retryAfterSeconds() {
        return (Long) state.getOrDefault(RETRY_AFTER, 1L);
    }

    double perturbSigma(String collection) {
        Object sigma = state.get(PERTURB + collection);
        if (sigma == null) {
            sigma = state.get(PERTURB + ANY);
        }
        return sigma == null ? 0 : (Double) sigma;
    }

    double quantizationNoise(String collection) {
        Object sigma = state.get(INDEX_NOISE + collection);
        if (sigma == null) {
            sigma = state.get(INDEX_NOISE + ANY);
        }
        return sigma == null ? 0 : (Double) sigma;
    }

    /** Whether this upsert of the point is to be corrupted (consumes one of the fault's times). */
    boolean corrupts(String collection, PointKey key) {
        Object left = key.uuid() ? null : state.get(CORRUPT + collection + "/" + key.high());
        return left != null && ((java.util.concurrent.atomic.AtomicInteger) left).getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    /** The status a scroll of {@code collection} that would return point {@code key} fails with, or null. */
    Status.Code unreadable(String collection, PointKey key) {
        Object code = key.uuid() ? null : state.get(UNREADABLE + collection + "/" + key.high());
        if (code == null) {
            return null;
        }
        ((AtomicLong) state.get(INJECTED)).incrementAndGet();
        return Status.Code.valueOf((String) code);
    }

    Random random() {
        return (Random) state.get(SEED);
    }

    private String poll(String key) {
        @SuppressWarnings("unchecked")
        Queue<String> queue = (Queue<String>) state.get(key);
        return queue == null ? null : queue.poll();
    }

    private static String normalize(String method) {
        if (method.equals(ANY) || method.startsWith("qdrant.")) {
            return method;
        }
        return "qdrant." + method;
    }
}

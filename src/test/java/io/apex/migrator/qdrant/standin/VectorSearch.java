package io.apex.migrator.qdrant.standin;

import com.google.protobuf.Internal.FloatList;
import io.apex.migrator.qdrant.standin.QuantizedVectors.Codebook;
import io.apex.migrator.qdrant.standin.StoredPoint.SparseVec;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.QuantizationConfig;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Points.SearchParams;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Predicate;

/**
 * Brute-force nearest-neighbour search with Qdrant's scores: Cosine (dot of normalised vectors), Dot,
 * Euclid and Manhattan (distances, smaller is better). When the vector has int8 scalar quantization and the
 * request does not ask for {@code exact} or {@code quantization.ignore}, candidates are chosen by scores on
 * the quantized vectors, as Qdrant's quantized search does; {@code rescore} (default true) then re-scores
 * the {@code oversampling x limit} candidates on the original vectors. So a recall check against an exact
 * search measures a real quantization loss.
 */
final class VectorSearch {

    record Hit(StoredPoint point, float score) {
    }

    /** What to search: a dense query (for {@code vectorName}) or a sparse one. */
    record Request(String vectorName, float[] dense, SparseVec sparse, Predicate<StoredPoint> filter, int limit,
            int offset, SearchParams params, Float scoreThreshold, PointKey exclude) {
    }

    private VectorSearch() {
    }

    static List<Hit> search(StoredCollection collection, Request request) {
        if (request.sparse() != null) {
            return sparse(collection, request);
        }
        VectorParams params = collection.denseVectors().get(request.vectorName());
        if (params == null) {
            throw StandInErrors.invalid("Wrong input: Not existing vector name error: " + request.vectorName());
        }
        float[] query = request.dense().clone();
        if (query.length != params.getSize()) {
            throw StandInErrors.dimension(request.vectorName(), params.getSize(), query.length);
        }
        Distance distance = params.getDistance();
        if (distance == Distance.Cosine) {
            PointCodec.normalize(query);
        }
        QuantizationConfig quantization = CollectionConfigs.quantizationOf(collection.config(), request.vectorName());
        SearchParams sp = request.params();
        boolean quantized = quantization != null && quantization.hasScalar() && !sp.getExact()
                && !(sp.hasQuantization() && sp.getQuantization().getIgnore());
        boolean rescore = !sp.hasQuantization() || !sp.getQuantization().hasRescore()
                || sp.getQuantization().getRescore();
        double oversampling = sp.hasQuantization() && sp.getQuantization().hasOversampling()
                ? Math.max(1.0, sp.getQuantization().getOversampling()) : 1.0;
        int wanted = request.limit() + request.offset();
        int candidates = quantized ? (int) Math.ceil(wanted * oversampling) : wanted;
        Codebook codebook = quantized
                ? collection.quantized().codebook(request.vectorName(), quantization.getScalar()) : null;

        Comparator<Hit> better = betterFirst(distance);
        String name = request.vectorName();
        // Brute force over 200k x 1536-d is ~300M multiply-adds a query: scan in parallel, keep a top-k per
        // chunk, merge. A point is scored on the quantized codes when quantized, else on the original vector.
        List<Hit> hits = collection.points().values().parallelStream()
                .filter(p -> p.dense().containsKey(name) && !p.key().equals(request.exclude())
                        && request.filter().test(p))
                .collect(() -> new TopK(candidates, better), (top, p) -> {
                    FloatList v = p.values(name);
                    top.offer(new Hit(p, codebook == null ? score(distance, query, v)
                            : quantizedScore(distance, query, codebook.codes(p, v), codebook)));
                }, TopK::merge)
                .hits();
        if (codebook != null && rescore) {
            hits.replaceAll(h -> new Hit(h.point(), score(distance, query, h.point().values(request.vectorName()))));
        }
        hits.sort(better);
        return page(hits, request, distance);
    }

    private static List<Hit> sparse(StoredCollection collection, Request request) {
        if (!collection.sparseVectors().contains(request.vectorName())) {
            throw StandInErrors.invalid("Wrong input: Not existing vector name error: " + request.vectorName());
        }
        Comparator<Hit> better = betterFirst(Distance.Dot);
        TopK top = new TopK(request.limit() + request.offset(), better);
        for (StoredPoint p : collection.points().values()) {
            SparseVec v = p.sparse().get(request.vectorName());
            if (v == null || p.key().equals(request.exclude()) || !request.filter().test(p)) {
                continue;
            }
            if (overlaps(v, request.sparse())) {
                top.offer(new Hit(p, (float) v.dot(request.sparse())));
            }
        }
        List<Hit> hits = top.hits();
        hits.sort(better);
        return page(hits, request, Distance.Dot);
    }

    private static boolean overlaps(SparseVec a, SparseVec b) {
        for (int i : a.indices()) {
            for (int j : b.indices()) {
                if (i == j) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<Hit> page(List<Hit> sorted, Request request, Distance distance) {
        boolean distanceLike = distance == Distance.Euclid || distance == Distance.Manhattan;
        List<Hit> out = new ArrayList<>();
        for (int i = request.offset(); i < sorted.size() && out.size() < request.limit(); i++) {
            Hit h = sorted.get(i);
            if (request.scoreThreshold() != null
                    && (distanceLike ? h.score() > request.scoreThreshold() : h.score() < request.scoreThreshold())) {
                continue;
            }
            out.add(h);
        }
        return out;
    }

    /** The best {@code capacity} hits seen, kept in a heap whose top is the worst of them. */
    private static final class TopK {
        private final int capacity;
        private final Comparator<Hit> better;
        private final PriorityQueue<Hit> worstOnTop;

        TopK(int capacity, Comparator<Hit> better) {
            this.capacity = capacity;
            this.better = better;
            this.worstOnTop = new PriorityQueue<>(better.reversed());
        }

        void offer(Hit hit) {
            if (capacity <= 0) {
                return;
            }
            if (worstOnTop.size() < capacity) {
                worstOnTop.add(hit);
            } else if (better.compare(hit, worstOnTop.peek()) < 0) {
                worstOnTop.poll();
                worstOnTop.add(hit);
            }
        }

        void merge(TopK other) {
            other.worstOnTop.forEach(this::offer);
        }

        List<Hit> hits() {
            return new ArrayList<>(worstOnTop);
        }
    }

    /** Best first; equal scores by point id, so results are deterministic. */
    private static Comparator<Hit> betterFirst(Distance distance) {
        Comparator<Hit> byScore = Comparator.comparingDouble(Hit::score);
        if (distance != Distance.Euclid && distance != Distance.Manhattan) {
            byScore = byScore.reversed();
        }
        return byScore.thenComparing(h -> h.point().key());
    }

    /** Four independent accumulators: the loop is bound by add latency, not by multiplies. */
    static float score(Distance distance, float[] q, FloatList v) {
        int n = q.length;
        int tail = n - n % 4;
        float a0 = 0;
        float a1 = 0;
        float a2 = 0;
        float a3 = 0;
        switch (distance) {
            case Cosine, Dot -> {
                for (int i = 0; i < tail; i += 4) {
                    a0 += q[i] * v.getFloat(i);
                    a1 += q[i + 1] * v.getFloat(i + 1);
                    a2 += q[i + 2] * v.getFloat(i + 2);
                    a3 += q[i + 3] * v.getFloat(i + 3);
                }
                for (int i = tail; i < n; i++) {
                    a0 += q[i] * v.getFloat(i);
                }
                return (a0 + a1) + (a2 + a3);
            }
            case Euclid -> {
                for (int i = 0; i < tail; i += 4) {
                    float d0 = q[i] - v.getFloat(i);
                    float d1 = q[i + 1] - v.getFloat(i + 1);
                    float d2 = q[i + 2] - v.getFloat(i + 2);
                    float d3 = q[i + 3] - v.getFloat(i + 3);
                    a0 += d0 * d0;
                    a1 += d1 * d1;
                    a2 += d2 * d2;
                    a3 += d3 * d3;
                }
                for (int i = tail; i < n; i++) {
                    float d = q[i] - v.getFloat(i);
                    a0 += d * d;
                }
                return (float) Math.sqrt((a0 + a1) + (a2 + a3));
            }
            case Manhattan -> {
                for (int i = 0; i < n; i++) {
                    a0 += Math.abs(q[i] - v.getFloat(i));
                }
                return a0;
            }
            default -> throw StandInErrors.invalid("Wrong input: unknown distance " + distance);
        }
    }

    private static float quantizedScore(Distance distance, float[] q, byte[] codes, Codebook book) {
        double acc = 0;
        switch (distance) {
            case Cosine, Dot -> {
                // sum(q * (lo + c * step)) = lo * sum(q) + step * sum(q * c); sum(q) is per query, but cheap
                float sumQ = 0;
                float c0 = 0;
                float c1 = 0;
                int tail = q.length - q.length % 2;
                for (int i = 0; i < tail; i += 2) {
                    sumQ += q[i] + q[i + 1];
                    c0 += q[i] * (codes[i] & 0xFF);
                    c1 += q[i + 1] * (codes[i + 1] & 0xFF);
                }
                for (int i = tail; i < q.length; i++) {
                    sumQ += q[i];
                    c0 += q[i] * (codes[i] & 0xFF);
                }
                return book.lo * sumQ + book.step * (c0 + c1);
            }
            case Euclid -> {
                for (int i = 0; i < q.length; i++) {
                    double d = q[i] - book.value(codes[i]);
                    acc += d * d;
                }
                return (float) Math.sqrt(acc);
            }
            case Manhattan -> {
                for (int i = 0; i < q.length; i++) {
                    acc += Math.abs(q[i] - book.value(codes[i]));
                }
                return (float) acc;
            }
            default -> throw StandInErrors.invalid("Wrong input: unknown distance " + distance);
        }
    }
}

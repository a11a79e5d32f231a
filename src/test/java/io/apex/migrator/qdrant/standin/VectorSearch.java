package io.apex.migrator.qdrant.standin;

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
        PriorityQueue<Hit> worstOnTop = new PriorityQueue<>(better.reversed());
        for (StoredPoint p : collection.points().values()) {
            float[] v = p.dense().get(request.vectorName());
            if (v == null || p.key().equals(request.exclude()) || !request.filter().test(p)) {
                continue;
            }
            float score = codebook == null ? score(distance, query, v)
                    : quantizedScore(distance, query, codebook.codes(p, v), codebook);
            offer(worstOnTop, new Hit(p, score), candidates, better);
        }
        List<Hit> hits = new ArrayList<>(worstOnTop);
        if (codebook != null && rescore) {
            hits.replaceAll(h -> new Hit(h.point(), score(distance, query, h.point().dense().get(request.vectorName()))));
        }
        hits.sort(better);
        return page(hits, request, distance);
    }

    private static List<Hit> sparse(StoredCollection collection, Request request) {
        if (!collection.sparseVectors().contains(request.vectorName())) {
            throw StandInErrors.invalid("Wrong input: Not existing vector name error: " + request.vectorName());
        }
        Comparator<Hit> better = betterFirst(Distance.Dot);
        PriorityQueue<Hit> worstOnTop = new PriorityQueue<>(better.reversed());
        int wanted = request.limit() + request.offset();
        for (StoredPoint p : collection.points().values()) {
            SparseVec v = p.sparse().get(request.vectorName());
            if (v == null || p.key().equals(request.exclude()) || !request.filter().test(p)) {
                continue;
            }
            if (overlaps(v, request.sparse())) {
                offer(worstOnTop, new Hit(p, (float) v.dot(request.sparse())), wanted, better);
            }
        }
        List<Hit> hits = new ArrayList<>(worstOnTop);
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

    private static void offer(PriorityQueue<Hit> worstOnTop, Hit hit, int capacity, Comparator<Hit> better) {
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

    /** Best first; equal scores by point id, so results are deterministic. */
    private static Comparator<Hit> betterFirst(Distance distance) {
        Comparator<Hit> byScore = Comparator.comparingDouble(Hit::score);
        if (distance != Distance.Euclid && distance != Distance.Manhattan) {
            byScore = byScore.reversed();
        }
        return byScore.thenComparing(h -> h.point().key());
    }

    static float score(Distance distance, float[] q, float[] v) {
        double acc = 0;
        switch (distance) {
            case Cosine, Dot -> {
                for (int i = 0; i < q.length; i++) {
                    acc += q[i] * v[i];
                }
                return (float) acc;
            }
            case Euclid -> {
                for (int i = 0; i < q.length; i++) {
                    double d = q[i] - v[i];
                    acc += d * d;
                }
                return (float) Math.sqrt(acc);
            }
            case Manhattan -> {
                for (int i = 0; i < q.length; i++) {
                    acc += Math.abs(q[i] - v[i]);
                }
                return (float) acc;
            }
            default -> throw StandInErrors.invalid("Wrong input: unknown distance " + distance);
        }
    }

    private static float quantizedScore(Distance distance, float[] q, byte[] codes, Codebook book) {
        double acc = 0;
        switch (distance) {
            case Cosine, Dot -> {
                double sumQ = 0;
                double sumQc = 0;
                for (int i = 0; i < q.length; i++) {
                    sumQ += q[i];
                    sumQc += q[i] * (codes[i] & 0xFF);
                }
                return (float) (book.lo * sumQ + book.step * sumQc);
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

package io.apex.migrator.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Exact top-k by cosine similarity of unit vectors (the highest dot product), for several queries at once, fed one
 * row at a time: the ground truth of a table too large to hold in memory is built while the rows stream to the
 * database.
 */
final class ExactTopK {

    private record Hit(long id, double score) {
    }

    private final float[][] queries;
    private final int k;
    private final List<PriorityQueue<Hit>> best = new ArrayList<>();

    ExactTopK(float[][] queries, int k) {
        if (queries.length < 1 || k < 1) {
            throw new IllegalArgumentException("need at least one query and k >= 1");
        }
        this.queries = queries;
        this.k = k;
        for (int q = 0; q < queries.length; q++) {
            best.add(new PriorityQueue<>(k + 1, Comparator.comparingDouble(Hit::score)));
        }
    }

    void offer(long id, float[] row) {
        for (int q = 0; q < queries.length; q++) {
            double score = dot(queries[q], row);
            PriorityQueue<Hit> heap = best.get(q);
            if (heap.size() < k) {
                heap.add(new Hit(id, score));
            } else if (score > heap.peek().score()) {
                heap.poll();
                heap.add(new Hit(id, score));
            }
        }
    }

    /** The ids of the q-th query's top-k, nearest first. */
    List<Long> ids(int q) {
        return best.get(q).stream().sorted(Comparator.comparingDouble(Hit::score).reversed()).map(Hit::id).toList();
    }

    int queryCount() {
        return queries.length;
    }

    float[] query(int q) {
        return queries[q];
    }

    private static double dot(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}

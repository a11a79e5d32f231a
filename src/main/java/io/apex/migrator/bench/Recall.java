package io.apex.migrator.bench;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** recall@k: the share of the exact top-k that an approximate search also returned. */
public final class Recall {

    private Recall() {
    }

    public static <T> double atK(List<T> exact, List<T> approximate, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        List<T> truth = exact.subList(0, Math.min(k, exact.size()));
        if (truth.isEmpty()) {
            return 1.0;
        }
        Set<T> found = new HashSet<>(approximate.subList(0, Math.min(k, approximate.size())));
        long hits = truth.stream().filter(found::contains).count();
        return (double) hits / truth.size();
    }

    /** Mean of per-query recalls. */
    public static double mean(List<Double> recalls) {
        return recalls.stream().mapToDouble(Double::doubleValue).average().orElseThrow(
                () -> new IllegalArgumentException("no recall samples"));
    }
}

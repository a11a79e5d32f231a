package io.apex.migrator.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Prints bench rows as a table; the speed-up of a row is against the first variant of the same store and query. */
public final class BenchReport {

    private BenchReport() {
    }

    public static String table(List<BenchRow> rows) {
        Map<String, BenchRow> baselines = new LinkedHashMap<>();
        rows.forEach(r -> baselines.putIfAbsent(r.store() + "|" + r.query(), r));
        StringBuilder out = new StringBuilder();
        out.append(String.format("| %-22s | %-26s | %-58s | %9s | %9s | %9s | %8s | %9s |%n", "store", "query", "variant",
                "p50 ms", "p90 ms", "p99 ms", "speed-up", "recall@10"));
        out.append(String.format("|%s|%s|%s|%s|%s|%s|%s|%s|%n", "-".repeat(24), "-".repeat(28), "-".repeat(60),
                "-".repeat(11), "-".repeat(11), "-".repeat(11), "-".repeat(10), "-".repeat(11)));
        for (BenchRow r : rows) {
            BenchRow base = baselines.get(r.store() + "|" + r.query());
            double speedUp = r.latency().p50Ms() > 0 ? base.latency().p50Ms() / r.latency().p50Ms() : Double.NaN;
            out.append(String.format("| %-22s | %-26s | %-58s | %9.2f | %9.2f | %9.2f | %7.1fx | %9s |%n", r.store(),
                    r.query(), r.variant(), r.latency().p50Ms(), r.latency().p90Ms(), r.latency().p99Ms(), speedUp,
                    r.recallAt10().isPresent() ? String.format("%.3f", r.recallAt10().getAsDouble()) : "-"));
        }
        return out.toString();
    }

    /** The indexes a benchmark built: plain {@code CREATE INDEX} wall time and on-disk size. */
    public static String builds(List<IndexBuild> builds) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("| %-118s | %9s | %9s |%n", "index (CREATE INDEX ...)", "build s", "size MB"));
        out.append(String.format("|%s|%s|%s|%n", "-".repeat(120), "-".repeat(11), "-".repeat(11)));
        for (IndexBuild b : builds) {
            out.append(String.format("| %-118s | %9.1f | %9.1f |%n", b.definition(), b.took().toMillis() / 1000.0,
                    b.bytes() / (1024.0 * 1024.0)));
        }
        return out.toString();
    }
}

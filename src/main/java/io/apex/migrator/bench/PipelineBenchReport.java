package io.apex.migrator.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/** Prints what {@code bench pipeline} measured, with the machine it ran on, as a Markdown table. */
public final class PipelineBenchReport {

    private PipelineBenchReport() {
    }

    public static String text(PipelineBench.Report report) {
        StringBuilder out = new StringBuilder();
        out.append("machine: ").append(machine()).append('\n');
        out.append(String.format(Locale.ROOT, "source: %,d points, %,d bytes per point on the wire (vectors + payload)%n",
                report.points(), report.meanPointBytes()));
        out.append(String.format(Locale.ROOT, "planning (ids-only scroll, in-process): %d ms for %,d ids = %.0f ms per million ids%n",
                report.plannerMs(), report.points(), report.plannerMsPerMillionIds()));
        out.append(report.separateCoordinator()
                ? "processes: a coordinator process (commands, progress) and N worker processes (batches)\n"
                : "processes: N replicas, each in every role (commands, progress, batches), as deployed\n");
        out.append("points/s: copy phase of the run (copy started → all ranges copied); command→completed: the whole run "
                + "(plan, copy, verification, cutover) from the command sent to migration-completed; bare: plain threads with "
                + "io.qdrant:client's typed stubs (decode + re-encode every point), once per scenario; bare wire: the same "
                + "threads with the pipeline's wire-level scroll/upsert, run right before and right after each round "
                + "(pipeline/bare wire is against their mean); verify points/s: points checksummed on both sides per second of "
                + "verification (first pass dispatched → last pass closed; passes in brackets); cutover s: last pass "
                + "closed → completed (alias swap, events); coord RSS MB: the coordinator process's, '-' when the replicas "
                + "coordinate; run store KB: the measured run's rows in the run store "
                + "(every table's rows of the run, indexes not counted); JIT cores: the CPU the coordinator's and "
                + "workers' JIT compiler threads used during the run, in cores (near 0: the processes are at their compiled "
                + "steady state, as long-running replicas are)\n\n");
        String header = "| workers | conc/worker | batch | page | bulk-load | points/s | MB/s | batch p50 ms | batch p99 ms "
                + "| plan ms | plan ms/M ids | worker RSS MB | coord RSS MB | bare points/s | pipeline/bare | bare wire before | bare wire after | pipeline/bare wire | verify points/s | verify s | cutover s | command→completed s | completed/copy | of linear | run store KB | JIT cores | round |";
        out.append(header).append('\n');
        out.append(header.replaceAll("[^|]", "-")).append('\n');
        for (PipelineBench.Result r : report.results()) {
            PipelineBench.Scenario s = r.scenario();
            double linear = ofLinear(report.results(), r);
            out.append(String.format(Locale.ROOT,
                    "| %d | %d | %d | %d | %s | %,.0f | %.1f | %.0f | %.0f | %d | %.0f | %d | %s | %s | %s | %s | %s | %s "
                    + "| %,.0f (%d) | %.1f | %.2f | %.1f | %.2f | %s | %,d | %.3f | %d |%n",
                    s.workers(), s.concurrency(), s.batchSize(), Math.min(s.pageSize(), s.batchSize()),
                    s.bulkLoad() ? "on" : "off", r.pointsPerSecond(), r.megabytesPerSecond(), r.batchLatency().p50Ms(),
                    r.batchLatency().p99Ms(), r.planningMs(), r.planningMsPerMillionIds(), r.workerPeakRssMb(),
                    r.coordinatorPeakRssMb() > 0 ? Long.toString(r.coordinatorPeakRssMb()) : "-",
                    r.barePointsPerSecond() > 0 ? String.format(Locale.ROOT, "%,.0f", r.barePointsPerSecond()) : "-",
                    r.barePointsPerSecond() > 0 ? String.format(Locale.ROOT, "%.2f", r.ratio()) : "-",
                    r.bareWireBefore() > 0 ? String.format(Locale.ROOT, "%,.0f", r.bareWireBefore()) : "-",
                    r.bareWireAfter() > 0 ? String.format(Locale.ROOT, "%,.0f", r.bareWireAfter()) : "-",
                    r.bareWirePointsPerSecond() > 0 ? String.format(Locale.ROOT, "%.2f", r.wireRatio()) : "-",
                    r.verification().pointsPerSecond(), r.verification().passes(), r.verification().seconds(),
                    r.verification().cutoverSeconds(), r.endToEndSeconds(), r.endToEndOverCopy(),
                    linear > 0 ? String.format(Locale.ROOT, "%.2f", linear) : "-", r.runStoreBytes() / 1024, r.jitCores(),
                    r.round()));
        }
        out.append(summary(report.results()));
        return out.toString();
    }

    /**
     * Per scenario measured in several rounds: pipeline/bare wire and completed/copy as median (min–max); and the CPU
     * the scenario's idle processes used while the bare wire loops ran, which those loops had to share.
     */
    static String summary(List<PipelineBench.Result> results) {
        StringBuilder out = new StringBuilder();
        Map<PipelineBench.Scenario, List<PipelineBench.Result>> byScenario = new LinkedHashMap<>();
        results.forEach(r -> byScenario.computeIfAbsent(r.scenario(), s -> new ArrayList<>()).add(r));
        for (Map.Entry<PipelineBench.Scenario, List<PipelineBench.Result>> e : byScenario.entrySet()) {
            PipelineBench.Scenario s = e.getKey();
            List<PipelineBench.Result> rounds = e.getValue();
            String name = String.format(Locale.ROOT, "%d worker(s) x %d, batch %d, page %d%s", s.workers(),
                    s.concurrency(), s.batchSize(), Math.min(s.pageSize(), s.batchSize()), s.bulkLoad() ? ", bulk-load" : "");
            if (rounds.get(0).bareWirePointsPerSecond() > 0) {
                out.append(String.format(Locale.ROOT, "%s: the coordinator and worker(s), idle, used %.1f %% of one core "
                        + "while the bare wire loops ran%n", name, 100 * rounds.get(0).fleetCpuShareDuringBare()));
            }
            if (rounds.size() < 2) {
                continue;
            }
            out.append(String.format(Locale.ROOT, "%s, %d rounds: ", name, rounds.size()));
            if (rounds.get(0).bareWirePointsPerSecond() > 0) {
                out.append("pipeline/bare wire ").append(spread(rounds.stream().mapToDouble(PipelineBench.Result::wireRatio)
                        .toArray())).append("; ");
            }
            out.append("completed/copy ").append(spread(rounds.stream()
                    .mapToDouble(PipelineBench.Result::endToEndOverCopy).toArray())).append('\n');
        }
        return out.toString();
    }

    /** "median 0.84 (0.80–0.91)". */
    static String spread(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return String.format(Locale.ROOT, "median %.2f (%.2f–%.2f)", median, sorted[0], sorted[n - 1]);
    }

    /**
     * Copy points/s of {@code r} over N times the 1-worker row of the same configuration and round (N = r's workers): 1.00 is
     * linear scale-out; 0 when the run has no such row.
     */
    static double ofLinear(List<PipelineBench.Result> results, PipelineBench.Result r) {
        PipelineBench.Scenario s = r.scenario();
        return results.stream().filter(o -> o.scenario().equals(new PipelineBench.Scenario(1, s.concurrency(),
                s.batchSize(), s.pageSize(), s.bulkLoad())) && o.round() == r.round() && o.pointsPerSecond() > 0)
                .mapToDouble(o -> r.pointsPerSecond() / (s.workers() * o.pointsPerSecond())).findFirst().orElse(0);
    }

    /** nproc, CPU model, RAM and load average, from /proc. */
    static String machine() {
        String model = "unknown CPU";
        long memKb = 0;
        String load = "?";
        try {
            model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(model);
            List<String> mem = Files.readAllLines(Path.of("/proc/meminfo"));
            memKb = mem.stream().filter(l -> l.startsWith("MemTotal:"))
                    .mapToLong(l -> ProcessMemory.parseKb(l.substring("MemTotal:".length()))).findFirst().orElse(0) / 1024;
            String[] avg = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            load = avg[0] + " " + avg[1] + " " + avg[2];
        } catch (IOException | RuntimeException e) {
            // not Linux: say what we know
        }
        return String.format(Locale.ROOT, "%d cores (nproc), %s, %.1f GiB RAM, load average %s",
                Runtime.getRuntime().availableProcessors(), model, memKb / (1024.0 * 1024.0), load);
    }
}

package io.apex.migrator.cli;

import io.apex.migrator.CliLogging;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunState;
import io.apex.migrator.state.RunStore;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Follows runs in the run store with one live progress bar per collection (points, points/s, ETA) on
 * stderr until each run ends; returns the runs as they ended.
 */
final class RunProgress {

    private static final Duration POLL = Duration.ofMillis(500);

    private RunProgress() {
    }

    /**
     * @param commandIds the commands to follow, by label (collection)
     * @param rejected tells, for a command id, why it was rejected (a rejected command makes no run)
     * @param deadline how long to wait for a run to appear
     */
    static Map<String, Optional<Run>> follow(RunStore runStore, Map<String, String> commandIds,
            Function<String, Optional<String>> rejected, Duration deadline, PrintStream err) {
        Map<String, Optional<Run>> ended = new LinkedHashMap<>();
        Map<String, ProgressBar> bars = new LinkedHashMap<>();
        long started = System.nanoTime();
        try {
            while (ended.size() < commandIds.size()) {
                for (Map.Entry<String, String> e : commandIds.entrySet()) {
                    String label = e.getKey();
                    if (ended.containsKey(label)) {
                        continue;
                    }
                    Optional<Run> run = runStore.findByCommand(e.getValue());
                    if (run.isEmpty()) {
                        Optional<String> reason = rejected.apply(e.getValue());
                        if (reason.isPresent()) {
                            err.println(label + ": rejected: " + reason.get());
                            ended.put(label, Optional.empty());
                        } else if (System.nanoTime() - started > deadline.toNanos()) {
                            err.println(label + ": no run started within " + deadline.toSeconds()
                                    + " s; are workers running (apex-migrator worker)?");
                            ended.put(label, Optional.empty());
                        }
                        continue;
                    }
                    Run r = run.get();
                    ProgressBar bar = bars.computeIfAbsent(label, l -> new ProgressBarBuilder().setTaskName(l)
                            .setInitialMax(-1).setStyle(ProgressBarStyle.ASCII).setUnit(" pts", 1).showSpeed()
                            .setUpdateIntervalMillis(250).setConsumer(new ConsoleProgressBarConsumer(err)).build());
                    if (r.sourcePoints() != null) {
                        bar.maxHint(r.sourcePoints());
                    }
                    bar.stepTo(r.copiedPoints());
                    bar.setExtraMessage(r.state().db());
                    if (endsFollow(r.state())) {
                        ended.put(label, Optional.of(r));
                        bar.close();
                    }
                }
                if (ended.size() < commandIds.size()) {
                    Thread.sleep(POLL.toMillis());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            bars.values().forEach(ProgressBar::close);
        }
        return ended;
    }

    /** Says once, before the first bar, where the logs go while bars are drawn (set by CliLogging). */
    static void announceLogFile(PrintStream err) {
        String logFile = System.getProperty(CliLogging.LOG_FILE_PROPERTY);
        if (logFile != null) {
            err.println("logs: " + logFile);
            err.flush();
        }
    }

    /** A followed run ends the bar when it is final, or verified and waiting for its manual cutover. */
    static boolean endsFollow(RunState state) {
        return state.isFinal() || state == RunState.READY_FOR_CUTOVER;
    }

    /** One line per run; a run waiting for its cutover says how to give the go-ahead. */
    static String summary(List<Run> runs, boolean local) {
        StringBuilder out = new StringBuilder();
        for (Run r : runs) {
            // only an in-place change leaves its run on its source: a copy's target must differ from it
            boolean inPlace = r.source().equals(r.target());
            out.append(String.format("%s  %s  %s%s%s%n", r.id(), inPlace ? r.source() + " (in place)"
                    : r.source() + " -> " + r.target(), r.state().db(), inPlace ? "" : "  " + r.copiedPoints()
                    + " points", r.failure() == null ? "" : "  (" + r.failure() + ")"));
            if (r.state() == RunState.READY_FOR_CUTOVER) {
                String cutover = "apex-migrator qdrant cutover " + r.id() + (local ? " --local" : "");
                out.append(WaitingReason.of(r).map(why -> String.format("  verified; target not ready to serve yet (%s); "
                        + "give the go-ahead once it is: %s%n", why, cutover)).orElse(String.format("  verified, waiting "
                        + "for its cutover; give the go-ahead with: %s%n", cutover)));
            }
        }
        return out.toString();
    }
}

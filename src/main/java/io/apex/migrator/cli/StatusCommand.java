package io.apex.migrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.apex.migrator.api.BatchKind;
import io.apex.migrator.api.Messages;
import io.apex.migrator.release.ReleaseView;
import io.apex.migrator.release.ReleaseViews;
import io.apex.migrator.state.BatchRecord;
import io.apex.migrator.state.CapturedWrites;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunStore;
import io.apex.migrator.state.VerificationStore;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code status [ID]}: the Qdrant migration runs and the latest releases from the run store, or one run in detail. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "List migration runs (newest first) and the latest releases with their parts, or show one run with "
                + "its ranges.")
public final class StatusCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "ID", description = "Run id (UUID) or the command id that started it.")
    String id;

    @Mixin
    OutputFormat output;

    @Spec
    CommandSpec spec;

    @Inject
    RunStore runStore;

    @Inject
    VerificationStore verifications;

    @Inject
    CapturedWrites capturedWrites;

    @Inject
    ReleaseViews releaseViews;

    private static final int RELEASES_SHOWN = 5;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Instant now = Instant.now();
        if (id == null) {
            List<Run> runs = runStore.listRuns(50);
            if (output.json()) {
                output.print(out, Map.of("runs", runs.stream().map(r -> RunJson.summary(r, now)).toList()));
                return 0;
            }
            out.printf("%-36s  %-17s  %-40s  %-22s  %8s  %s%n", "RUN", "STATE", "SOURCE -> TARGET", "POINTS", "PTS/S",
                    "ETA");
            for (Run r : runs) {
                out.printf("%-36s  %-17s  %-40s  %-22s  %8.0f  %s%n", r.id(), r.state().db(),
                        r.source() + " -> " + r.target(), r.copiedPoints() + "/" + (r.sourcePoints() == null ? "?"
                                : r.sourcePoints()), r.pointsPerSecond(now), r.eta(now).map(StatusCommand::format)
                                .orElse("-"));
            }
            if (runs.isEmpty()) {
                out.println("(no runs)");
            }
            printReleases(out);
            return 0;
        }
        Run run = find(id);
        if (run == null) {
            spec.commandLine().getErr().println("error: no run " + id);
            return CommandLines.EXIT_FAILURE;
        }
        List<BatchRecord> batches = runStore.batches(run.id(), BatchKind.COPY);
        if (output.json()) {
            output.print(out, RunJson.detail(run, now, capturedWrites.of(run.id()),
                    verifications.report(run.id()).orElse(null),
                    batches.stream().filter(b -> "failed".equals(b.state())).toList()));
            return 0;
        }
        out.printf("run        %s%ncommand    %s%nstate      %s%s%ncopy       %s -> %s (alias %s)%n", run.id(),
                run.commandId(), run.state().db(), run.paused() ? " (paused)" : "", run.source(), run.target(),
                run.alias() == null ? "-" : run.alias());
        out.printf("points     %d of %s, %.0f points/s, ETA %s%n", run.copiedPoints(),
                run.sourcePoints() == null ? "?" : run.sourcePoints(), run.pointsPerSecond(now),
                run.eta(now).map(StatusCommand::format).orElse("-"));
        out.printf("ranges     %d planned, %d done, %d failed%n", run.plannedBatches() == null ? 0
                : run.plannedBatches(), run.doneBatches(), run.failedBatches());
        out.printf("duration   %s%n", format(run.duration(now)));
        if (run.previousCollection() != null) {
            out.printf("alias was  %s%s%n", run.previousCollection(), run.aliasGapMs() == null ? ""
                    : " (dropped; name unavailable for " + run.aliasGapMs() + " ms)");
        }
        long captured = capturedWrites.of(run.id());
        if (captured > 0) {
            out.printf("captured   %d writes through the proxy applied to the target%n", captured);
        }
        verifications.report(run.id()).map(StatusCommand::verification).ifPresent(v -> out.printf("verify     %s%n", v));
        WaitingReason.of(run).ifPresent(r -> out.printf("readiness  target not ready to serve: %s; qdrant cutover %s "
                + "runs the gate again%n", r, run.id()));
        if (run.failure() != null) {
            out.printf("failure    %s%n", run.failure());
        }
        batches.stream().filter(b -> "failed".equals(b.state()))
                .forEach(b -> out.printf("  range %d %s failed: %s%n", b.batchIndex(), b.range(), b.reason()));
        return 0;
    }

    /** The latest releases with their parts (store, version or alias, state, progress). */
    private void printReleases(PrintWriter out) {
        List<ReleaseView> recent = releaseViews.list(RELEASES_SHOWN);
        if (!recent.isEmpty()) {
            out.printf("%nreleases (latest %d)%n", RELEASES_SHOWN);
            recent.forEach(r -> out.print(ReleaseCliCommand.describe(r)));
        }
    }

    /** One line of the stored verification report: passes, what the stream explained, what checksums repaired. */
    private static String verification(String json) {
        try {
            JsonNode r = Messages.get().mapper().readTree(json);
            String line = String.format("%d passes, %d ranges checked; %d differing points converged by the capture "
                    + "stream, %d points repaired by checksum", r.path("passes").asInt(), r.path("rangesChecked").asInt(),
                    r.path("convergedByStream").asLong(), r.path("repairedPoints").asLong());
            return r.hasNonNull("exactCounts") ? line + "; exact counts " + r.path("exactCounts").asText() : line;
        } catch (java.io.IOException e) {
            return json;
        }
    }

    private Run find(String text) {
        try {
            return runStore.findRun(UUID.fromString(text)).orElse(null);
        } catch (IllegalArgumentException notUuid) {
            return runStore.findByCommand(text).orElse(null);
        }
    }

    private static String format(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s % 3600 / 60) : String.format("%dm%02ds", s / 60, s % 60);
    }
}

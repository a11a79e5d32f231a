package io.apex.migrator.cli;

import io.apex.migrator.api.MigrateCommand;
import io.apex.migrator.pipeline.CommandSender;
import io.apex.migrator.pipeline.Coordinator;
import io.apex.migrator.pipeline.InPlaceChange;
import io.apex.migrator.pipeline.LocalPipeline;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunState;
import io.apex.migrator.state.RunStore;
import io.apex.migrator.pipeline.PairVerification;
import io.apex.migrator.qdrant.ChangePlan;
import io.apex.migrator.qdrant.CollectionProvisioner;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code qdrant migrate}: builds one {@code qdrant.migrate} command per collection and submits it to Kafka
 * (workers do the copy), or with {@code --local} runs coordinator and workers in this process. A collection is
 * named by its alias: the source is what the alias points at (or a collection carrying that name), the
 * target the next version ({@code name_vN} to {@code name_vN+1}) unless given.
 */
abstract class QdrantMigrate implements Callable<Integer> {

    private static final Duration RUN_ID_WAIT = Duration.ofSeconds(30);

    static final class Selection {
        @Option(names = "--collection", paramLabel = "NAME", required = true,
                description = "Alias (logical name) of a collection to migrate; repeatable.")
        List<String> collections;

        @Option(names = "--all", required = true, description = "Migrate every aliased collection.")
        boolean all;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Selection selection;

    @Option(names = "--source", description = "Collection to copy from (default: what the alias points at).")
    String source;

    @Option(names = "--target", description = "Collection to copy into (default: the next version, name_vN+1). It must "
            + "exist already or have a collection spec (collections/*.yaml, created from it at the start); otherwise "
            + "the command is rejected.")
    String target;

    @Option(names = "--reverify", description = "When the alias already serves the verified target of a completed run "
            + "(nothing to copy), compare that run's source and target again, point for point (reads only).")
    boolean reverify;

    @Option(names = "--batch-size", defaultValue = "1000", description = "Points per batch task (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--plan", description = "Compare the source's live config with the target's spec and say, field "
            + "by field, whether Qdrant can change it in place or a copy is needed; changes nothing.")
    boolean plan;

    @Option(names = "--in-place", description = "Change the collection behind the alias itself to the target's spec "
            + "(default: the next version's spec, else its own) with UpdateCollection, then run the readiness gate and, "
            + "when quantization changes, the recall gate; nothing is copied and the alias does not move. Refused "
            + "(exit 2, nothing changed) when a field needs a copy (see --plan); a failed gate restores the old params.")
    boolean inPlace;

    @Option(names = "--dry-run", description = "Plan and count only; write nothing.")
    boolean dryRun;

    @Option(names = "--no-swap", description = "Copy but leave the alias where it is.")
    boolean noSwap;

    @Option(names = "--drop-collection-named-like-alias",
            description = "Opt-in, destructive: a collection carrying the alias' name is DELETED at cutover (only once the "
                    + "target is verified, after a Qdrant snapshot of it is taken and recorded with the run) and the alias "
                    + "created right after, retried until it exists (the gap is reported). --dry-run changes nothing.")
    boolean dropNamedLikeAlias;

    @Option(names = "--bulk-load", description = "Build no HNSW graph on the target while copying (m=0); the target's own "
            + "m is restored before verification and cutover.")
    boolean bulkLoad;
    @Option(names = "--cutover", defaultValue = "auto", paramLabel = "auto|manual",
            description = "auto: swap the alias once the copy is verified; manual: wait in ready-for-cutover for "
                    + "'qdrant cutover ID' (default ${DEFAULT-VALUE}).")
    String cutover;

    @Option(names = "--recall-threshold", paramLabel = "0..1",
            description = "recall@10 each quantized vector of the target must reach before the alias moves (default: "
                    + "the target spec's migration.recall_threshold, else apex.pipeline.verify.recall-threshold).")
    Double recallThreshold;
    @Option(names = "--snapshot", description = "Take a Qdrant snapshot of the source before the run changes anything; "
            + "its name is recorded with the run and in its events ('qdrant snapshots list').")
    boolean snapshot;

    @Option(names = "--follow", description = "Show a live progress bar per collection until the runs end.")
    boolean follow;

    @Option(names = "--local", description = "Run coordinator and workers in this process (one-machine job) instead of submitting to Kafka.")
    boolean local;

    @Spec
    CommandSpec spec;

    @Inject
    QdrantGateway gateway;
    @Inject
    LocalPipeline localPipeline;
    @Inject
    CommandSender sender;
    @Inject
    RunStore runStore;
    @Inject
    CollectionProvisioner provisioner;

    @Override
    public Integer call() {
        Map<String, MigrateCommand> commands = new LinkedHashMap<>();
        Map<String, Run> served = new LinkedHashMap<>();
        for (MigrationTargets.Resolution r : resolutions()) {
            r.command().ifPresent(c -> commands.put(r.alias(), c));
            r.alreadyServedBy().ifPresent(run -> served.put(r.alias(), run));
        }
        if (plan) {
            PrintWriter out = spec.commandLine().getOut();
            commands.forEach((alias, c) -> {
                out.printf("%s: %s -> %s%n", alias, c.source(), c.target());
                provisioner.plan(c.source(), c.target()).describe().forEach(line -> out.println("  " + line));
            });
            out.flush();
            return 0;
        }
        if (inPlace) {
            int refused = checkInPlace(commands);
            if (refused != 0 || dryRun) {
                return refused;
            }
        }
        int servedExit = reportServed(served);
        if (commands.isEmpty()) {
            return servedExit;
        }
        int exit = migrate(commands);
        return exit != 0 ? exit : servedExit;
    }

    /**
     * Before anything is sent: exit 2 naming each field (and both values) that needs a copy; a collection that has
     * its spec's config already is said so and left out. {@code commands} keeps what is to be changed.
     */
    private int checkInPlace(Map<String, MigrateCommand> commands) {
        if (bulkLoad || dropNamedLikeAlias || "manual".equals(cutover)) {
            throw new ParameterException(spec.commandLine(), "--in-place cannot be combined with --bulk-load, "
                    + "--drop-collection-named-like-alias or --cutover manual: nothing is copied, the alias does not move");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int exit = 0;
        for (Map.Entry<String, MigrateCommand> e : List.copyOf(commands.entrySet())) {
            MigrateCommand c = e.getValue();
            ChangePlan changes = provisioner.plan(c.source(), c.target());
            if (!changes.inPlace()) {
                err.printf("error: %s: %s cannot take the spec of %s in place: these fields need a copy: %s (run "
                        + "without --in-place: copy, verify, swap); nothing was changed%n", e.getKey(), c.source(),
                        c.target(), String.join("; ", changes.needingCopy().stream().map(InPlaceChange::describe)
                                .toList()));
                exit = CommandLines.EXIT_USAGE;
            } else if (changes.isEmpty()) {
                out.printf("%s: %s already has the config of the spec of %s; nothing to change%n", e.getKey(),
                        c.source(), c.target());
                commands.remove(e.getKey());
            } else if (dryRun) {
                out.printf("%s: would change %s in place to the spec of %s:%n", e.getKey(), c.source(), c.target());
                changes.describe().forEach(line -> out.println("  " + line));
            }
        }
        out.flush();
        err.flush();
        return exit;
    }

    /** Aliases that already serve the verified target of a completed run: said so, re-verified only on request. */
    private int reportServed(Map<String, Run> served) {
        PrintWriter out = spec.commandLine().getOut();
        int exit = 0;
        for (Map.Entry<String, Run> e : served.entrySet()) {
            Run run = e.getValue();
            out.printf("%s: already serves %s, verified and swapped by run %s (from %s); nothing to copy%s%n",
                    e.getKey(), run.target(), run.id(), run.source(), reverify ? ""
                            : ". --reverify compares them again; a new version needs its own collection or spec");
            if (reverify) {
                PairVerification.Report report = PairVerification.run(gateway, run.source(), run.target(), batchSize,
                        Math.min(batchSize, 256), 4);
                out.printf("%s: re-verified %s against %s: %s (%d ranges, %d/%d points)%n", e.getKey(), run.target(),
                        run.source(), report.equal() ? "equal" : "DIFFERENT, " + report.differing().size()
                                + " ranges differ", report.ranges(), report.targetPoints(), report.sourcePoints());
                if (!report.equal()) {
                    exit = CommandLines.EXIT_FAILURE;
                }
            }
        }
        out.flush();
        return exit;
    }

    private int migrate(Map<String, MigrateCommand> commands) {
        if (dryRun && local) {
            for (Map.Entry<String, MigrateCommand> e : commands.entrySet()) {
                Coordinator.DryRun plan = localPipeline.dryRun(e.getValue());
                spec.commandLine().getOut().printf("%s: would copy %d points of %s into %s%s in %d batches; alias %s%n",
                        e.getKey(), plan.points(), e.getValue().source(), e.getValue().target(),
                        plan.targetExists() ? " (exists)" : " (to be created)", plan.batches(),
                        e.getValue().swapAlias() ? "would switch " + (plan.aliasNow() == null ? "(new)" : plan.aliasNow())
                                + " -> " + e.getValue().target() : "untouched");
            }
            return 0;
        }
        if (follow) {
            RunProgress.announceLogFile(System.err);
        }
        return local ? runLocally(commands) : submit(commands);
    }

    private int runLocally(Map<String, MigrateCommand> commands) {
        List<Run> runs = new ArrayList<>();
        for (Map.Entry<String, MigrateCommand> e : commands.entrySet()) {
            CompletableFuture<Optional<Run>> running = CompletableFuture.supplyAsync(() -> localPipeline.run(e.getValue()));
            if (follow) {
                RunProgress.follow(runStore, Map.of(e.getKey(), e.getValue().commandId()), id -> running.isDone()
                        && running.join().isEmpty() ? Optional.of("not started") : Optional.empty(),
                        Duration.ofMinutes(10), System.err);
            }
            running.join().ifPresent(runs::add);
        }
        spec.commandLine().getOut().print(RunProgress.summary(runs, local));
        spec.commandLine().getOut().flush();
        return exitCode(runs, commands.size());
    }

    private int submit(Map<String, MigrateCommand> commands) {
        try (RejectionWatch watch = new RejectionWatch(sender, sender.eventsTopic())) {
            Map<String, String> ids = new LinkedHashMap<>();
            for (Map.Entry<String, MigrateCommand> e : commands.entrySet()) {
                sender.send(e.getValue());
                ids.put(e.getKey(), e.getValue().commandId());
                spec.commandLine().getOut().printf("%s: submitted command %s (%s -> %s)%n", e.getKey(),
                        e.getValue().commandId(), e.getValue().source(), e.getValue().target());
            }
            if (!follow) {
                return printRunIds(ids, watch);
            }
            Map<String, Optional<Run>> ended = RunProgress.follow(runStore, ids, watch::rejected,
                    Duration.ofMinutes(2), System.err);
            List<Run> runs = ended.values().stream().flatMap(Optional::stream).toList();
            spec.commandLine().getOut().print(RunProgress.summary(runs, local));
            spec.commandLine().getOut().flush();
            return exitCode(runs, commands.size());
        }
    }

    /** Waits (bounded) for each command's run to appear, so the user gets the run id to pass to status and run. */
    private int printRunIds(Map<String, String> ids, RejectionWatch watch) {
        PrintWriter out = spec.commandLine().getOut();
        int exit = 0;
        long deadline = System.nanoTime() + RUN_ID_WAIT.toNanos();
        for (Map.Entry<String, String> e : ids.entrySet()) {
            Optional<Run> run = runStore.findByCommand(e.getValue());
            Optional<String> rejected = Optional.empty();
            while (run.isEmpty() && rejected.isEmpty() && System.nanoTime() < deadline) {
                rejected = watch.rejected(e.getValue());
                run = runStore.findByCommand(e.getValue());
            }
            if (run.isPresent()) {
                out.printf("%s: run %s (%s); follow it with: apex-migrator status %s%n", e.getKey(), run.get().id(),
                        run.get().state().db(), run.get().id());
            } else if (rejected.isPresent()) {
                spec.commandLine().getErr().printf("error: %s: rejected: %s%n", e.getKey(), rejected.get());
                exit = CommandLines.EXIT_FAILURE;
            } else {
                out.printf("%s: no run yet after %d s (are workers running?); apex-migrator status %s finds it once "
                        + "it starts%n", e.getKey(), RUN_ID_WAIT.toSeconds(), e.getValue());
            }
        }
        out.flush();
        return exit;
    }

    private static int exitCode(List<Run> runs, int expected) {
        // a manual cutover's run ends its copy waiting in ready-for-cutover: that is success too
        boolean ok = runs.size() == expected && runs.stream().allMatch(r -> r.state() == RunState.COMPLETED
                || r.state() == RunState.READY_FOR_CUTOVER);
        return ok ? 0 : CommandLines.EXIT_FAILURE;
    }

    private List<MigrationTargets.Resolution> resolutions() {
        Map<String, String> aliases = gateway.aliases();
        List<String> names = selection.all ? aliases.keySet().stream().sorted().toList() : selection.collections;
        if (names.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--all: Qdrant has no aliases to migrate");
        }
        if ((source != null || target != null) && names.size() != 1) {
            throw new ParameterException(spec.commandLine(), "--source/--target need exactly one --collection");
        }
        java.util.function.Predicate<String> specExists = c -> provisioner.specs().byCollection(c).isPresent();
        // an in-place change moves no alias, so what an alias already serves is no reason to skip it
        MigrationTargets targets = new MigrationTargets(aliases, gateway::collectionExists, specExists,
                inPlace ? a -> Optional.empty() : runStore::lastCompletedForAlias);
        return names.stream().map(name -> targets.resolve(name, source, target)).map(r -> r.alreadyServedBy().isPresent() ? r : r.withCommand(
                new MigrateCommand("cli-" + UUID.randomUUID(), r.source(), inPlace ? inPlaceSpec(r, specExists)
                        : r.target(), r.alias(), batchSize, dryRun, !noSwap, dropNamedLikeAlias, bulkLoad, cutover,
                        recallThreshold, snapshot, inPlace))).toList();
    }

    /** The spec an in-place change applies: the one asked for, else the next version's, else the source's own. */
    private String inPlaceSpec(MigrationTargets.Resolution r, java.util.function.Predicate<String> specExists) {
        return target != null || specExists.test(r.target()) || !specExists.test(r.source()) ? r.target() : r.source();
    }
}

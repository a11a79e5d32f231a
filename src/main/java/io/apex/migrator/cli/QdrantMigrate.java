package io.apex.migrator.cli;

import io.apex.migrator.api.MigrateCommand;
import io.apex.migrator.pipeline.CommandSender;
import io.apex.migrator.pipeline.Coordinator;
import io.apex.migrator.pipeline.LocalPipeline;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunState;
import io.apex.migrator.state.RunStore;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    private static final Pattern VERSIONED = Pattern.compile("(.+)_v(\\d+)");

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

    @Option(names = "--target", description = "Collection to copy into (default: the next version, name_vN+1).")
    String target;

    @Option(names = "--batch-size", defaultValue = "1000", description = "Points per batch task (default ${DEFAULT-VALUE}).")
    int batchSize;

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

    @Override
    public Integer call() {
        Map<String, MigrateCommand> commands = commands();
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
        spec.commandLine().getOut().print(RunProgress.summary(runs));
        spec.commandLine().getOut().flush();
        return exitCode(runs, commands.size());
    }

    private int submit(Map<String, MigrateCommand> commands) {
        try (RejectionWatch watch = follow ? new RejectionWatch(sender, sender.eventsTopic()) : null) {
            Map<String, String> ids = new LinkedHashMap<>();
            for (Map.Entry<String, MigrateCommand> e : commands.entrySet()) {
                sender.send(e.getValue());
                ids.put(e.getKey(), e.getValue().commandId());
                spec.commandLine().getOut().printf("%s: submitted command %s (%s -> %s)%n", e.getKey(),
                        e.getValue().commandId(), e.getValue().source(), e.getValue().target());
            }
            if (!follow) {
                return 0;
            }
            Map<String, Optional<Run>> ended = RunProgress.follow(runStore, ids, watch::rejected,
                    Duration.ofMinutes(2), System.err);
            List<Run> runs = ended.values().stream().flatMap(Optional::stream).toList();
            spec.commandLine().getOut().print(RunProgress.summary(runs));
            spec.commandLine().getOut().flush();
            return exitCode(runs, commands.size());
        }
    }

    private static int exitCode(List<Run> runs, int expected) {
        // a manual cutover's run ends its copy waiting in ready-for-cutover: that is success too
        boolean ok = runs.size() == expected && runs.stream().allMatch(r -> r.state() == RunState.COMPLETED
                || r.state() == RunState.READY_FOR_CUTOVER);
        return ok ? 0 : CommandLines.EXIT_FAILURE;
    }

    private Map<String, MigrateCommand> commands() {
        Map<String, String> aliases = gateway.aliases();
        List<String> names = selection.all ? aliases.keySet().stream().sorted().toList() : selection.collections;
        if (names.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--all: Qdrant has no aliases to migrate");
        }
        if ((source != null || target != null) && names.size() != 1) {
            throw new ParameterException(spec.commandLine(), "--source/--target need exactly one --collection");
        }
        Map<String, MigrateCommand> commands = new LinkedHashMap<>();
        for (String name : names) {
            String from = source != null ? source : aliases.getOrDefault(name,
                    gateway.collectionExists(name) ? name : name + "_v1");
            String to = target != null ? target : nextVersion(name, from);
            commands.put(name, new MigrateCommand("cli-" + UUID.randomUUID(), from, to, name, batchSize, dryRun,
                    !noSwap, dropNamedLikeAlias, bulkLoad, cutover, recallThreshold, snapshot));
        }
        return commands;
    }

    static String nextVersion(String alias, String source) {
        Matcher m = VERSIONED.matcher(source);
        return m.matches() ? m.group(1) + "_v" + (Integer.parseInt(m.group(2)) + 1) : alias + "_v2";
    }
}

package io.apex.migrator.cli;

import io.apex.migrator.pipeline.CommandSender;
import io.apex.migrator.release.ReleaseManifest;
import io.apex.migrator.release.ReleasePlan;
import io.apex.migrator.release.ReleasePlanner;
import io.apex.migrator.release.ReleaseView;
import io.apex.migrator.release.ReleaseViews;
import io.apex.migrator.state.ReleaseStore;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code apex-migrator release ...} (CLI; the Kafka command is {@link io.apex.migrator.api.ReleaseCommand}). Releases: one schema change across PostgreSQL, Neo4j and Qdrant (manifests in {@code releases/}). */
@Command(name = "release", mixinStandardHelpOptions = true,
        description = "Releases: one schema change across PostgreSQL, Neo4j and Qdrant, cut over together.",
        subcommands = {ReleaseCliCommand.ListReleases.class, ReleaseCliCommand.Plan.class, ReleaseCliCommand.Apply.class,
            ReleaseCliCommand.Cutover.class, ReleaseCliCommand.Cancel.class, ReleaseCliCommand.Rollback.class,
            ReleaseCliCommand.Status.class})
public final class ReleaseCliCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the release manifests.")
    static final class ListReleases implements Runnable {
        @Spec
        CommandSpec spec;

        @Inject
        ReleasePlanner planner;

        @Override
        public void run() {
            TextTable table = new TextTable("RELEASE", "PARTS", "DESCRIPTION");
            for (ReleaseManifest m : planner.manifests().all()) {
                table.row(m.name(), String.join(", ", m.parts()), m.description());
            }
            table.print(spec.commandLine().getOut());
        }
    }

    @Command(name = "plan", mixinStandardHelpOptions = true,
            description = "Dry run: print what applying the release would change in each store, in order; writes nothing.")
    static final class Plan implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "The release, e.g. phase-2.")
        String name;

        @Mixin
        OutputFormat output;

        @Spec
        CommandSpec spec;

        @Inject
        ReleasePlanner planner;

        @Override
        public Integer call() {
            ReleasePlan plan = planner.plan(name);
            PrintWriter out = spec.commandLine().getOut();
            if (output.json()) {
                output.print(out, ReleaseJson.plan(plan));
                return plan.applicable() ? 0 : CommandLines.EXIT_FAILURE;
            }
            print(out, plan);
            if (!plan.applicable()) {
                for (String problem : plan.problems()) {
                    spec.commandLine().getErr().println("problem: " + problem);
                }
                return CommandLines.EXIT_FAILURE;
            }
            return 0;
        }
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = "Apply the release: send release.apply to the workers (expand, copy and verify, ONE alias swap, "
                    + "release-ready); with --follow, wait for its end.")
    static final class Apply implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "The release, e.g. phase-2.")
        String name;

        @Option(names = "--follow", description = "Show the release's parts until it ends (or waits for its cutover).")
        boolean follow;

        @Option(names = "--timeout", defaultValue = "PT2H", description = "How long --follow waits (default ${DEFAULT-VALUE}).")
        Duration timeout;

        @Spec
        CommandSpec spec;

        @Inject
        ReleasePlanner planner;
        @Inject
        CommandSender sender;
        @Inject
        ReleaseStore releases;
        @Inject
        ReleaseViews views;

        @Override
        public Integer call() throws InterruptedException {
            planner.manifests().get(name); // an unknown or invalid manifest fails here, before anything is sent
            io.apex.migrator.api.ReleaseCommand command = io.apex.migrator.api.ReleaseCommand.apply("release-" + name + "-" + UUID.randomUUID(), name);
            PrintWriter out = spec.commandLine().getOut();
            try (RejectionWatch watch = follow ? new RejectionWatch(sender, sender.eventsTopic()) : null) {
                sender.send(command);
                out.printf("release %s: submitted command %s%n", name, command.commandId());
                out.flush();
                if (!follow) {
                    return 0;
                }
                long deadline = System.nanoTime() + timeout.toNanos();
                String shown = "";
                while (System.nanoTime() < deadline) {
                    Optional<String> rejected = watch.rejected(command.commandId());
                    if (rejected.isPresent()) {
                        spec.commandLine().getErr().println("error: release.apply rejected: " + rejected.get());
                        return CommandLines.EXIT_FAILURE;
                    }
                    Optional<ReleaseStore.Release> release = releases.findByCommand(command.commandId());
                    if (release.isPresent()) {
                        String now = describe(views.view(release.get()));
                        if (!now.equals(shown)) {
                            spec.commandLine().getErr().print(now);
                            spec.commandLine().getErr().flush();
                            shown = now;
                        }
                        if (release.get().isFinal() || release.get().state().equals("ready-for-cutover")) {
                            out.print(now);
                            return release.get().state().equals("failed") ? CommandLines.EXIT_FAILURE : 0;
                        }
                    }
                    Thread.sleep(1000);
                }
                spec.commandLine().getErr().println("error: release " + name + " did not end within " + timeout);
                return CommandLines.EXIT_FAILURE;
            }
        }
    }

    @Command(name = "cutover", mixinStandardHelpOptions = true,
            description = "Cut over a release waiting in ready-for-cutover (manual cutover): every alias swapped in ONE "
                    + "request, then release-ready; with --follow, wait for its end.")
    static final class Cutover extends Control {
        @Override
        io.apex.migrator.api.ReleaseCommand command() {
            return io.apex.migrator.api.ReleaseCommand.cutover("release-cutover-" + name + "-" + UUID.randomUUID(), name);
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = "Cancel a release before its cutover: its running copies are cancelled, no alias moves (the "
                    + "schema parts applied stay; `release rollback` undoes them); with --follow, wait for its end.")
    static final class Cancel extends Control {
        @Override
        io.apex.migrator.api.ReleaseCommand command() {
            return io.apex.migrator.api.ReleaseCommand.cancel("release-cancel-" + name + "-" + UUID.randomUUID(), name);
        }
    }

    /** A command on the active apply of a release (cutover, cancel): sent, and with --follow awaited. */
    abstract static class Control implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "The release, e.g. phase-2.")
        String name;

        @Option(names = "--follow", description = "Wait until the release ends.")
        boolean follow;

        @Option(names = "--timeout", defaultValue = "PT30M", description = "How long --follow waits (default ${DEFAULT-VALUE}).")
        Duration timeout;

        @Spec
        CommandSpec spec;

        @Inject
        CommandSender sender;
        @Inject
        ReleaseStore releases;
        @Inject
        ReleaseViews views;

        abstract io.apex.migrator.api.ReleaseCommand command();

        @Override
        public Integer call() throws InterruptedException {
            io.apex.migrator.api.ReleaseCommand command = command();
            PrintWriter out = spec.commandLine().getOut();
            try (RejectionWatch watch = follow ? new RejectionWatch(sender, sender.eventsTopic()) : null) {
                sender.send(command);
                out.printf("release %s: submitted %s command %s%n", name, command.type().wireName(), command.commandId());
                out.flush();
                if (!follow) {
                    return 0;
                }
                long deadline = System.nanoTime() + timeout.toNanos();
                while (System.nanoTime() < deadline) {
                    Optional<String> rejected = watch.rejected(command.commandId());
                    if (rejected.isPresent()) {
                        spec.commandLine().getErr().println("error: " + command.type().wireName() + " rejected: "
                                + rejected.get());
                        return CommandLines.EXIT_FAILURE;
                    }
                    Optional<ReleaseStore.Release> release = releases.latest(name);
                    if (release.isPresent() && release.get().isFinal()) {
                        out.print(describe(views.view(release.get())));
                        return release.get().state().equals("failed") ? CommandLines.EXIT_FAILURE : 0;
                    }
                    Thread.sleep(1000);
                }
                spec.commandLine().getErr().println("error: release " + name + " did not end within " + timeout);
                return CommandLines.EXIT_FAILURE;
            }
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Undo the latest apply of the release: aliases back in one request, Neo4j down, PostgreSQL "
                    + "downgrade, release-rolled-back; with --follow, wait for its end.")
    static final class Rollback implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "The release, e.g. phase-2.")
        String name;

        @Option(names = "--follow", description = "Wait until the release is rolled back.")
        boolean follow;

        @Option(names = "--timeout", defaultValue = "PT1H", description = "How long --follow waits (default ${DEFAULT-VALUE}).")
        Duration timeout;

        @Spec
        CommandSpec spec;

        @Inject
        CommandSender sender;
        @Inject
        ReleaseStore releases;
        @Inject
        ReleaseViews views;

        @Override
        public Integer call() throws InterruptedException {
            io.apex.migrator.api.ReleaseCommand command = io.apex.migrator.api.ReleaseCommand.rollback(
                    "release-rollback-" + name + "-" + UUID.randomUUID(), name);
            PrintWriter out = spec.commandLine().getOut();
            try (RejectionWatch watch = follow ? new RejectionWatch(sender, sender.eventsTopic()) : null) {
                sender.send(command);
                out.printf("release %s: submitted command %s%n", name, command.commandId());
                out.flush();
                if (!follow) {
                    return 0;
                }
                long deadline = System.nanoTime() + timeout.toNanos();
                while (System.nanoTime() < deadline) {
                    Optional<String> rejected = watch.rejected(command.commandId());
                    if (rejected.isPresent()) {
                        spec.commandLine().getErr().println("error: release.rollback rejected: " + rejected.get());
                        return CommandLines.EXIT_FAILURE;
                    }
                    Optional<ReleaseStore.Release> release = releases.latest(name);
                    if (release.isPresent() && release.get().state().equals("rolled-back")) {
                        out.print(describe(views.view(release.get())));
                        return 0;
                    }
                    Thread.sleep(1000);
                }
                spec.commandLine().getErr().println("error: release " + name + " not rolled back within " + timeout);
                return CommandLines.EXIT_FAILURE;
            }
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Show the releases (or the latest apply of NAME) with their parts.")
    static final class Status implements Callable<Integer> {
        @Parameters(arity = "0..1", paramLabel = "NAME", description = "A release; default: the latest 20 applies.")
        String name;

        @Mixin
        OutputFormat output;

        @Spec
        CommandSpec spec;

        @Inject
        ReleaseStore releases;
        @Inject
        ReleaseViews views;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (name == null && output.json()) {
                output.print(out, Map.of("releases", releases.list(20).stream().map(ReleaseJson::release).toList()));
                return 0;
            }
            if (name == null) {
                TextTable table = new TextTable("RELEASE", "ID", "STATE", "PARTS", "STARTED", "FINISHED", "FAILURE");
                for (ReleaseView r : views.list(20)) {
                    table.row(r.name(), r.id(), r.state(), r.parts().stream().map(p -> p.subject() + " " + p.state())
                            .collect(java.util.stream.Collectors.joining(", ")), r.createdAt(),
                            r.finishedAt() == null ? "" : r.finishedAt(),
                            r.failure() == null ? "" : r.failedPart() + ": " + r.failure());
                }
                table.print(out);
                return 0;
            }
            Optional<ReleaseStore.Release> release = releases.latest(name);
            if (release.isEmpty()) {
                spec.commandLine().getErr().println("error: release " + name + " was never applied");
                return CommandLines.EXIT_FAILURE;
            }
            if (output.json()) {
                output.print(out, ReleaseJson.release(release.get(), releases.parts(release.get().id())));
                return 0;
            }
            out.print(describe(views.view(release.get())));
            return 0;
        }
    }

    /** A release with its parts: store, version or alias, state, progress. */
    static String describe(ReleaseView release) {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        out.printf("release %s (%s): %s%s%n", release.name(), release.id(), release.state(),
                release.failure() == null ? "" : " in " + release.failedPart() + ": " + release.failure());
        TextTable table = new TextTable("#", "STORE", "SUBJECT", "BEFORE", "TARGET", "STATE", "PROGRESS", "DETAIL");
        for (ReleaseView.Part p : release.parts()) {
            table.row(p.position(), p.store(), p.subject(), p.previous() == null ? "" : p.previous(), p.target(),
                    p.state(), p.progressText(), p.detail() == null ? "" : p.detail());
        }
        table.print(out);
        if (!release.actions().isEmpty()) {
            out.printf("next: %s%n", String.join(", ", release.actions().stream()
                    .map(a -> "apex-migrator release " + a + " " + release.name()).toList()));
        }
        out.flush();
        return text.toString();
    }

    static void print(PrintWriter out, ReleasePlan plan) {
        out.println("release " + plan.release() + (plan.description().isEmpty() ? "" : ": " + plan.description()));
        TextTable table = new TextTable("#", "PART", "SUBJECT", "NOW", "AFTER", "ACTION");
        for (ReleasePlan.Step s : plan.steps()) {
            table.row(s.position(), s.part(), s.subject(), s.now() == null ? "" : s.now(),
                    s.then() == null ? "" : s.then(), s.action());
        }
        table.print(out);
        out.println(plan.applicable() ? "dry run: nothing was written"
                : "dry run: nothing was written; " + plan.problems().size() + " problem(s) stop this release");
    }
}

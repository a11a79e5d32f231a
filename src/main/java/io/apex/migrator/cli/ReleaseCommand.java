package io.apex.migrator.cli;

import io.apex.migrator.release.ReleaseManifest;
import io.apex.migrator.release.ReleasePlan;
import io.apex.migrator.release.ReleasePlanner;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Releases: one schema change across PostgreSQL, Neo4j and Qdrant (manifests in {@code releases/}). */
@Command(name = "release", mixinStandardHelpOptions = true,
        description = "Releases: one schema change across PostgreSQL, Neo4j and Qdrant, cut over together.",
        subcommands = {ReleaseCommand.ListReleases.class, ReleaseCommand.Plan.class})
public final class ReleaseCommand {

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

        @Spec
        CommandSpec spec;

        @Inject
        ReleasePlanner planner;

        @Override
        public Integer call() {
            ReleasePlan plan = planner.plan(name);
            PrintWriter out = spec.commandLine().getOut();
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

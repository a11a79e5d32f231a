package io.apex.migrator.cli;

import io.apex.migrator.pipeline.CollectionReplacement;
import io.apex.migrator.pipeline.SourceSnapshot;
import io.apex.migrator.qdrant.CollectionSnapshot;
import io.apex.migrator.qdrant.QdrantException;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunStore;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code qdrant snapshots list|delete}: the Qdrant snapshots this tool took (of a source, {@code migrate --snapshot};
 * of a collection dropped at cutover), as the runs recorded them. Only those can be deleted here.
 */
@Command(name = "snapshots", mixinStandardHelpOptions = true,
        description = "The Qdrant snapshots this tool took (migrate --snapshot, and of collections dropped at cutover).",
        subcommands = {SnapshotsCommand.ListSnapshots.class, SnapshotsCommand.DeleteSnapshot.class})
final class SnapshotsCommand {

    /** Where runs record the snapshots they took, and what the run took it of. */
    private static final List<String> KEYS = List.of(SourceSnapshot.SUMMARY_KEY, CollectionReplacement.SUMMARY_KEY);
    private static final int RUNS = 1000;

    /** A snapshot recorded with a run. */
    record Recorded(Run run, String kind, CollectionSnapshot snapshot) {
    }

    static List<Recorded> recorded(RunStore runStore) {
        List<Recorded> out = new ArrayList<>();
        for (Run run : runStore.listRuns(RUNS)) {
            SourceSnapshot.recorded(run).ifPresent(s -> out.add(new Recorded(run, "source", s)));
            CollectionReplacement.recordedIn(run).ifPresent(s -> out.add(new Recorded(run, "dropped", s)));
        }
        return out;
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the snapshots runs recorded, and whether Qdrant still lists each.")
    static final class ListSnapshots implements Callable<Integer> {

        @Option(names = "--collection", paramLabel = "NAME", description = "Only the snapshots of this collection.")
        Optional<String> collection;

        @Spec
        CommandSpec spec;
        @Inject
        RunStore runStore;
        @Inject
        QdrantGateway gateway;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            TextTable table = new TextTable("COLLECTION", "SNAPSHOT", "KIND", "RUN", "SIZE", "ON SERVER");
            for (Recorded r : recorded(runStore)) {
                if (collection.isPresent() && !collection.get().equals(r.snapshot().collection())) {
                    continue;
                }
                table.row(r.snapshot().collection(), r.snapshot().name(), r.kind(), r.run().id(),
                        r.snapshot().sizeBytes(), onServer(r.snapshot()));
            }
            table.print(out);
            out.flush();
            return 0;
        }

        /** yes, no, or unknown (a dropped collection's snapshots are no longer listed by Qdrant). */
        private String onServer(CollectionSnapshot s) {
            try {
                return gateway.listSnapshots(s.collection()).stream().anyMatch(l -> l.name().equals(s.name()))
                        ? "yes" : "no";
            } catch (QdrantException e) {
                return "unknown";
            }
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete a snapshot a run recorded (only those: other snapshots are not this tool's).")
    static final class DeleteSnapshot implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "COLLECTION")
        String collection;
        @Parameters(index = "1", paramLabel = "SNAPSHOT")
        String name;

        @Spec
        CommandSpec spec;
        @Inject
        RunStore runStore;
        @Inject
        QdrantGateway gateway;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            boolean ours = recorded(runStore).stream().anyMatch(r -> r.snapshot().collection().equals(collection)
                    && r.snapshot().name().equals(name));
            if (!ours) {
                err.println("error: no run recorded snapshot " + name + " of " + collection
                        + "; only snapshots this tool took are deleted here (see 'qdrant snapshots list')");
                err.flush();
                return CommandLines.EXIT_FAILURE;
            }
            gateway.deleteSnapshot(collection, name);
            out.println("deleted snapshot " + name + " of " + collection);
            out.flush();
            return 0;
        }
    }
}

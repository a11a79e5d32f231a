package io.apex.migrator.cli;

import io.apex.migrator.api.CommandType;
import io.apex.migrator.api.RunControlCommand;
import io.apex.migrator.pipeline.CommandSender;
import io.apex.migrator.pipeline.LocalPipeline;
import io.apex.migrator.pipeline.PipelineException;
import io.apex.migrator.state.CutoverRequest;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunState;
import io.apex.migrator.state.RunStore;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code qdrant cutover ID}: the go-ahead for a run waiting in ready-for-cutover ({@code --cutover manual}). */
@Command(name = "cutover", mixinStandardHelpOptions = true,
        description = {"Swap the alias of a run that waits in ready-for-cutover (migrate --cutover manual). The "
                + "run first catches up with writes made to the source while it waited (re-checksums every range, "
                + "re-copies what changed), then swaps once the target is ready to serve (readiness gate). A target "
                + "still indexing when the gate times out leaves the run waiting again: send cutover once more later.",
            "Sends a qdrant.cutover command to the workers over Kafka, or with --local does it in this process."})
final class CutoverCommand implements Callable<Integer> {

    @Parameters(paramLabel = "ID", description = "Run id (UUID) or the command id that started it.")
    String id;

    @Option(names = "--local", description = "Catch up and swap in this process (for runs made with migrate --local).")
    boolean local;

    @Spec
    CommandSpec spec;

    @Inject
    RunStore runStore;
    @Inject
    CommandSender sender;
    @Inject
    LocalPipeline localPipeline;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<Run> found = find();
        if (found.isEmpty()) {
            err.println("error: no run " + id);
            return CommandLines.EXIT_FAILURE;
        }
        Run run = found.get();
        if (run.state() != RunState.READY_FOR_CUTOVER) {
            err.println("error: " + CutoverRequest.notWaiting(run.id(), run.state()));
            return CommandLines.EXIT_FAILURE;
        }
        if (local) {
            Run done;
            try {
                done = localPipeline.cutover(run).orElseThrow();
            } catch (PipelineException.CutoverRefused movedOn) {
                // refused, nothing recorded: the run left ready-for-cutover after the check above (another cutover, a cancel)
                err.println("error: " + movedOn.getMessage());
                return CommandLines.EXIT_FAILURE;
            }
            out.printf("%s -> %s  %s%s%n", done.source(), done.target(), done.state().db(),
                    done.failure() == null ? "" : ": " + done.failure());
            out.flush();
            if (done.state() == RunState.READY_FOR_CUTOVER) {
                String why = WaitingReason.of(done).map(r -> "target " + done.target() + " is not ready to serve ("
                        + r + ")").orElse("the target is not ready to serve");
                err.println("error: run " + done.id() + " waits in ready-for-cutover again, the alias unchanged: " + why
                        + "; give the go-ahead again once it is ready: apex-migrator qdrant cutover " + done.id()
                        + " --local");
            }
            return done.state() == RunState.COMPLETED ? 0 : CommandLines.EXIT_FAILURE;
        }
        String commandId = "cli-" + UUID.randomUUID();
        sender.send(new RunControlCommand(commandId, CommandType.QDRANT_CUTOVER, run.id().toString(), null));
        out.printf("run %s: cutover requested (command %s); follow it with: status %s%n", run.id(), commandId, run.id());
        out.flush();
        return 0;
    }

    private Optional<Run> find() {
        try {
            return runStore.findRun(UUID.fromString(id));
        } catch (IllegalArgumentException notUuid) {
            return runStore.findByCommand(id);
        }
    }
}

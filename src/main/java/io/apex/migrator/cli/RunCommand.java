package io.apex.migrator.cli;

import io.apex.migrator.api.CommandType;
import io.apex.migrator.api.RunControlCommand;
import io.apex.migrator.pipeline.CommandSender;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunStore;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code run pause|resume|cancel|throttle RUN-ID}: the run-control commands, sent to the workers over Kafka. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Control a running Qdrant migration (sends a run.* command to the workers over Kafka).",
        subcommands = {RunCommand.Pause.class, RunCommand.Resume.class, RunCommand.Cancel.class,
            RunCommand.Throttle.class})
public final class RunCommand {

    /** One run-control command: finds the run, sends the command, prints its id. */
    abstract static class Control implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "RUN-ID", description = "Run id (UUID) or the command id that started it.")
        String id;

        @Spec
        CommandSpec spec;

        @Inject
        RunStore runStore;
        @Inject
        CommandSender sender;

        abstract CommandType type();

        Integer maxPointsPerSecond() {
            return null;
        }

        @Override
        public Integer call() {
            Optional<Run> run = find(runStore, id);
            if (run.isEmpty()) {
                spec.commandLine().getErr().println("error: no run " + id);
                return CommandLines.EXIT_FAILURE;
            }
            String commandId = "cli-" + UUID.randomUUID();
            sender.send(new RunControlCommand(commandId, type(), run.get().id().toString(), maxPointsPerSecond()));
            spec.commandLine().getOut().printf("run %s: %s sent (command %s); follow it with: status %s%n",
                    run.get().id(), type().wireName(), commandId, run.get().id());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true,
            description = "Pause a run: workers finish the ranges in flight and take no new ones.")
    static final class Pause extends Control {
        @Override
        CommandType type() {
            return CommandType.RUN_PAUSE;
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a paused run.")
    static final class Resume extends Control {
        @Override
        CommandType type() {
            return CommandType.RUN_RESUME;
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = "Cancel a run: it ends as failed; the alias stays where it was.")
    static final class Cancel extends Control {
        @Override
        CommandType type() {
            return CommandType.RUN_CANCEL;
        }
    }

    @Command(name = "throttle", mixinStandardHelpOptions = true,
            description = "Cap a run's copy rate (0 = unlimited).")
    static final class Throttle extends Control {

        @Parameters(index = "1", paramLabel = "POINTS-PER-SECOND",
                description = "The cap, 0 (unlimited) to " + RunControlCommand.MAX_POINTS_PER_SECOND + ".")
        int pointsPerSecond;

        @Override
        CommandType type() {
            return CommandType.RUN_THROTTLE;
        }

        @Override
        Integer maxPointsPerSecond() {
            return pointsPerSecond;
        }
    }

    static Optional<Run> find(RunStore runStore, String id) {
        try {
            return runStore.findRun(UUID.fromString(id));
        } catch (IllegalArgumentException notUuid) {
            return runStore.findByCommand(id);
        }
    }
}

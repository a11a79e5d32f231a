package io.apex.migrator.cli;

import picocli.CommandLine;

/** Builds the configured command line: one place that maps errors to exit codes and messages. */
public final class CommandLines {

    /** Exit code of a command that failed for a reason the user can fix (bad input, drift, a refused change). */
    public static final int EXIT_FAILURE = 1;
    /** Exit code of a usage error: options that cannot go together, a change that cannot be made as asked. */
    public static final int EXIT_USAGE = picocli.CommandLine.ExitCode.USAGE;

    private CommandLines() {
    }

    public static CommandLine create(CommandLine.IFactory factory) {
        CommandLine cl = new CommandLine(ApexCommand.class, factory);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println(commandLine.getColorScheme().errorText("error: " + ex.getMessage()));
            return EXIT_FAILURE;
        });
        return cl;
    }
}

package io.apex.migrator.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A real service running as a child process, with its output in a log file. Start-up waits for a readiness
 * check with a deadline; a process that dies or never becomes ready is reported with its own log tail.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final int LOG_TAIL_LINES = 40;

    private final String name;
    private final Process process;
    private final Path log;

    private ServiceProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} with stdout and stderr appended to {@code log}. */
    public static ServiceProcess start(String name, List<String> command, Path workDir, Path log) {
        return start(name, command, workDir, java.util.Map.of(), log);
    }

    /** {@link #start(String, List, Path, Path)} with extra environment variables (e.g. secrets). */
    public static ServiceProcess start(String name, List<String> command, Path workDir,
            java.util.Map<String, String> environment, Path log) {
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().putAll(environment);
            return new ServiceProcess(name, pb.start(), log);
        } catch (IOException e) {
            throw new ServiceStartException(name + " could not be started (" + command.get(0) + "): " + e.getMessage(), e);
        }
    }

    /** Waits until {@code ready} holds; fails with the log tail if the process exits or the deadline passes. */
    public ServiceProcess awaitReady(BooleanSupplier ready, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new ServiceStartException(name + " exited with code " + process.exitValue()
                        + " before it was ready. Last lines of " + log + ":\n" + tail(log));
            }
            if (ready.getAsBoolean()) {
                return this;
            }
            pause(Duration.ofMillis(100));
        }
        close();
        throw new ServiceStartException(name + " was not ready within " + timeout.toSeconds() + " s. Last lines of "
                + log + ":\n" + tail(log));
    }

    /** True when something accepts TCP connections on 127.0.0.1:{@code port}. */
    public static boolean acceptsConnections(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Runs a short command to completion, failing with its output when it exits non-zero. */
    public static void runToCompletion(String name, List<String> command, Path workDir, Path log, Duration timeout) {
        ServiceProcess p = start(name, command, workDir, log);
        try {
            if (!p.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.close();
                throw new ServiceStartException(name + " did not finish within " + timeout.toSeconds() + " s:\n" + tail(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceStartException(name + " was interrupted", e);
        }
        if (p.process.exitValue() != 0) {
            throw new ServiceStartException(name + " failed with exit code " + p.process.exitValue() + ":\n" + tail(log));
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code of a process that has ended ({@link IllegalStateException} while it runs). */
    public int exitCode() {
        if (process.isAlive()) {
            throw new IllegalStateException(name + " is still running");
        }
        return process.exitValue();
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    /** Kills the process without letting it shut down cleanly (a crash). */
    public void kill() {
        process.destroyForcibly();
        waitForExit(Duration.ofSeconds(10));
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            if (!waitForExit(Duration.ofSeconds(15))) {
                kill();
            }
        }
    }

    private boolean waitForExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static String tail(Path log) {
        try {
            if (!Files.exists(log)) {
                return "(no log written)";
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceStartException("interrupted while waiting", e);
        }
    }
}

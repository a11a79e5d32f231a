package io.apex.migrator.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One child JVM of the packaged application in {@code worker} mode, in one role: a replica as deployed (every
 * consumer: commands, progress and batches, as k8s/worker-deployment.yaml runs it), the coordinator alone (commands
 * and progress consumers, no batch consumer) or a worker alone (batch consumer only). Knows its peak RSS (VmHWM).
 */
final class AppProcess implements AutoCloseable {

    enum Role { REPLICA, COORDINATOR, WORKER }

    private final String name;
    private final Process process;
    private final int httpPort;
    private final Path log;

    private AppProcess(String name, Process process, int httpPort, Path log) {
        this.name = name;
        this.process = process;
        this.httpPort = httpPort;
        this.log = log;
    }

    /**
     * Starts {@code java [jvmOptions] -D... -jar app worker}; the connection settings come from the inherited
     * environment (and the given system properties), never from a secret on the command line.
     */
    static AppProcess start(String name, Role role, Path appJar, List<String> jvmOptions, List<String> properties,
            Path logDir) throws IOException {
        int port = freePort();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(properties);
        cmd.add("-Dquarkus.http.port=" + port);
        cmd.add("-Dapex.pipeline.worker-id=" + name);
        if (role == Role.COORDINATOR) {
            cmd.add("-Dmp.messaging.incoming.batches-in.enabled=false");
        } else if (role == Role.WORKER) {
            cmd.add("-Dmp.messaging.incoming.commands.enabled=false");
            cmd.add("-Dmp.messaging.incoming.progress-in.enabled=false");
        }
        cmd.add("-jar");
        cmd.add(appJar.toString());
        cmd.add("worker");
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + ".log");
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new AppProcess(name, process, port, log);
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    /**
     * Waits until /q/health/live answers 200 (the bench then waits for the consumer groups; readiness would also
     * ask for stores the pipeline does not use, such as Neo4j).
     */
    AppProcess awaitReady(Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; last lines of "
                        + log + ":\n" + tail());
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                        + "/q/health/live")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        throw new IllegalStateException(name + " not ready after " + timeout.toSeconds() + " s; last lines of " + log
                + ":\n" + tail());
    }

    /** Peak resident set size so far (VmHWM of /proc/PID/status), in bytes; empty where /proc is not there. */
    Optional<Long> peakRssBytes() {
        return ProcessMemory.peakRssBytes(process.pid());
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()).stream()
                    .map(l -> l.length() > 400 ? l.substring(0, 400) + "..." : l).toList());
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}

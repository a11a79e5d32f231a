package io.apex.migrator.pipeline;

import static org.awaitility.Awaitility.await;

import io.apex.migrator.support.FreePort;
import io.apex.migrator.support.ProjectDir;
import io.apex.migrator.support.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.GroupState;

/**
 * Worker (and proxy) processes of the packaged application ({@code target/quarkus-app/quarkus-run.jar worker}), each its own
 * JVM with its own log, configured by system properties (endpoints, tuning) and environment variables (secrets,
 * as in a deployment). Killing one is a real crash: SIGKILL, no shutdown hooks, no offset commits.
 */
final class WorkerFleet implements AutoCloseable {

    private final Path dir;
    private final Map<String, String> properties;
    private final Map<String, String> environment;
    /** Guarded by itself: tests start replicas side by side. */
    private final Map<String, ServiceProcess> workers = new LinkedHashMap<>();

    WorkerFleet(Path dir, Map<String, String> properties, Map<String, String> environment) {
        this.dir = dir;
        this.properties = Map.copyOf(properties);
        this.environment = Map.copyOf(environment);
    }

    /** Starts a worker and waits until it serves HTTP (its consumers join their groups right after). */
    ServiceProcess start(String name, Map<String, String> extraProperties) {
        return start(name, "worker", extraProperties, null);
    }

    /**
     * Starts a capture proxy replica ({@code apex-migrator proxy}) serving gRPC on {@code grpcPort}, and waits until it
     * takes calls (it registers with the run store and reads the cutover holds before it listens).
     */
    ServiceProcess startProxy(String name, int grpcPort, Map<String, String> extraProperties) {
        Map<String, String> all = new LinkedHashMap<>(extraProperties);
        all.put("apex.proxy.port", String.valueOf(grpcPort));
        all.put("apex.pipeline.enabled", "false");
        return start(name, "proxy", all, grpcPort);
    }

    private ServiceProcess start(String name, String mode, Map<String, String> extraProperties, Integer readyPort) {
        int port = FreePort.pick();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        cmd.addAll(WorkerClassCache.jvmOptions());
        // e.g. APEX_TEST_JVM_ARGS_WORKER_1="-XX:StartFlightRecording=filename=/tmp/w1.jfr" to profile one process
        String extra = System.getenv("APEX_TEST_JVM_ARGS_" + name.replace('-', '_').toUpperCase());
        if (extra != null) {
            cmd.addAll(List.of(extra.split(" ")));
        }
        Map<String, String> all = new LinkedHashMap<>(properties);
        all.putAll(extraProperties);
        all.put("quarkus.http.port", String.valueOf(port));
        all.put("apex.pipeline.worker-id", name);
        // Vert.x's file cache in the fleet's dir instead of /tmp/vertx-cache, where a killed replica leaves it behind
        all.put("quarkus.vertx.cache-directory", dir.resolve(name + "-vertx-cache").toString());
        all.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(List.of("-jar", jar().toString(), mode));
        int ready = readyPort == null ? port : readyPort;
        ServiceProcess worker = ServiceProcess.start(name, cmd, dir, environment, dir.resolve(name + ".log"))
                .awaitReady(() -> ServiceProcess.acceptsConnections(ready), Duration.ofSeconds(180));
        synchronized (workers) {
            workers.put(name, worker);
        }
        return worker;
    }

    ServiceProcess get(String name) {
        synchronized (workers) {
            return workers.get(name);
        }
    }

    private List<ServiceProcess> started() {
        synchronized (workers) {
            return List.copyOf(workers.values());
        }
    }

    /** Stops (gracefully) every running process of the fleet but {@code keep} (null: all of them). */
    void stopAllExcept(ServiceProcess keep) {
        stopSideBySide(started().stream().filter(w -> w != keep && w.isAlive()).toList());
    }

    /**
     * Stops processes gracefully, all at once: a replica takes seconds to shut down (its consumers leave their groups
     * one after another), and one after another they made a test wait for the sum.
     */
    private static void stopSideBySide(List<ServiceProcess> processes) {
        List<Thread> stopping = processes.stream().map(p -> new Thread(p::close, "stop-" + p.pid())).toList();
        stopping.forEach(Thread::start);
        for (Thread t : stopping) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Every log written so far, one entry per worker process started. */
    List<Path> logs() {
        return started().stream().map(ServiceProcess::log).toList();
    }

    static Path jar() {
        Path jar = ProjectDir.resolve(Path.of("target", "quarkus-app", "quarkus-run.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: the reliability tests run the packaged application "
                    + "(mvn verify packages it before the integration tests)");
        }
        return jar;
    }

    /** Waits until each consumer group is stable with {@code members} members (rebalances settled). */
    static void awaitGroupsStable(String bootstrap, int members, String... groups) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            await().atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() -> admin
                    .describeConsumerGroups(List.of(groups)).all().get(30, TimeUnit.SECONDS).values().stream()
                    .allMatch(g -> g.groupState() == GroupState.STABLE && g.members().size() == members));
        }
    }

    static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stopSideBySide(started());
    }
}

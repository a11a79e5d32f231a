package io.apex.migrator.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A real single-node KRaft Kafka broker in its own JVM, started from the test classpath (which carries
 * kafka_2.13). It can be stopped and started again on the same port and log dir, as a broker restart.
 */
public final class KafkaBroker implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private ServiceProcess process;

    private KafkaBroker(Path dir, int port, int controllerPort) {
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /** Formats a fresh log dir under {@code dir} and starts the broker. */
    public static KafkaBroker start(Path dir) {
        KafkaBroker broker = new KafkaBroker(dir, FreePort.pick(), FreePort.pick());
        broker.format();
        broker.startProcess();
        return broker;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Starts the broker again on the same port and log dir (after {@link #stop()} or {@link #kill()}). */
    public void restart() {
        stop();
        startProcess();
    }

    public void stop() {
        if (process != null) {
            process.close();
        }
    }

    public void kill() {
        if (process != null) {
            process.kill();
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void format() {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("server.properties"), serverProperties());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> cmd = java("kafka.tools.StorageTool");
        cmd.addAll(List.of("format", "-t", clusterId(), "-c", dir.resolve("server.properties").toString(), "--standalone"));
        ServiceProcess.runToCompletion("kafka storage format", cmd, dir, dir.resolve("format.log"), Duration.ofSeconds(60));
    }

    private void startProcess() {
        List<String> cmd = java("kafka.Kafka");
        cmd.add(dir.resolve("server.properties").toString());
        process = ServiceProcess.start("Kafka broker", cmd, dir, dir.resolve("kafka.log"))
                .awaitReady(() -> ServiceProcess.acceptsConnections(port), Duration.ofSeconds(180));
    }

    private List<String> java(String mainClass) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-Xmx512m", "-XX:+UseSerialGC"));
        cmd.addAll(List.of(jitOptions().trim().split("\\s+")));
        cmd.addAll(List.of("-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-cp", System.getProperty("java.class.path"), mainClass));
        return cmd;
    }

    /**
     * C1 only by default: a test broker lives for minutes, and C2's compiling would take CPU from the tests on two
     * cores. The pipeline benchmark runs the broker with the JVM's default JIT, as a deployed broker runs
     * ({@code LOCAL_KAFKA_JIT_OPTIONS}, set by scripts/bench-pipeline).
     */
    private static String jitOptions() {
        String options = System.getenv("LOCAL_KAFKA_JIT_OPTIONS");
        return options == null || options.isBlank() ? "-XX:TieredStopAtLevel=1" : options;
    }

    private static String clusterId() {
        // Kafka cluster ids are 16 bytes, base64url without padding. One starting with '-' (1 in 64) is taken
        // for an option by the storage tool's argument parser ("expected one argument"): draw again.
        while (true) {
            UUID u = UUID.randomUUID();
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16).putLong(u.getMostSignificantBits())
                    .putLong(u.getLeastSignificantBits());
            String id = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
            if (!id.startsWith("-")) {
                return id;
            }
        }
    }

    private String serverProperties() {
        return String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                "num.partitions=1",
                "auto.create.topics.enable=true",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=4",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "min.insync.replicas=1",
                "group.initial.rebalance.delay.ms=0",
                // tests that kill consumers may use short session timeouts (the broker's default minimum is 6 s)
                "group.min.session.timeout.ms=1000",
                "log.flush.interval.messages=1000000",
                "") ;
    }
}

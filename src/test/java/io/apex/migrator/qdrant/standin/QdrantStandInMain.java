package io.apex.migrator.qdrant.standin;

import java.util.concurrent.CountDownLatch;

/**
 * Runs the Qdrant stand-in (a TEST DOUBLE, not a real Qdrant) as its own process, for the benchmark and the
 * local demo. Prints {@code rest-port=N} and then {@code port=N} on stdout once it listens (gRPC on {@code port}, Qdrant's
 * REST API on {@code rest-port}), then serves until the process is stopped.
 *
 * <pre>
 * QdrantStandInMain [--port N] [--rest-port N] [--api-key-env VAR] [--gc-on-delete] [--latency-ms N] [--seed-collection NAME --seed-points N [--seed-dimensions 1536]]
 * </pre>
 * {@code --api-key-env} names an environment variable holding the API key to require: a key never goes on a
 * command line, where {@code ps} would show it. {@code --gc-on-delete}: a delete answers once the deleted collection's
 * heap is collected (see {@link QdrantStandIn#start(int, java.util.Optional, boolean)}). {@code --latency-ms}: every
 * gRPC call is answered after that delay ({@link Faults#latency(java.time.Duration)}), as a Qdrant across a network
 * would be (the benchmark's scale-out figures).
 */
public final class QdrantStandInMain {

    private QdrantStandInMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = 0;
        int restPort = 0;
        String seedCollection = null;
        int seedPoints = 0;
        int dimensions = 1536;
        String apiKeyEnv = null;
        boolean gcOnDelete = false;
        long latencyMs = 0;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (args[i].equals("--gc-on-delete")) {
                gcOnDelete = true;
                continue;
            }
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(required(args[i], value));
                case "--rest-port" -> restPort = Integer.parseInt(required(args[i], value));
                case "--api-key-env" -> apiKeyEnv = required(args[i], value);
                case "--seed-collection" -> seedCollection = required(args[i], value);
                case "--seed-points" -> seedPoints = Integer.parseInt(required(args[i], value));
                case "--seed-dimensions" -> dimensions = Integer.parseInt(required(args[i], value));
                case "--latency-ms" -> latencyMs = Long.parseLong(required(args[i], value));
                default -> usage("unknown argument: " + args[i]);
            }
            i++;
        }
        if (seedPoints > 0 && seedCollection == null) {
            usage("--seed-points needs --seed-collection");
        }
        String apiKey = apiKeyEnv == null ? null : System.getenv(apiKeyEnv);
        if (apiKeyEnv != null && (apiKey == null || apiKey.isBlank())) {
            usage("--api-key-env " + apiKeyEnv + ": that environment variable is not set");
        }
        QdrantStandIn standIn = QdrantStandIn.start(port, restPort, java.util.Optional.ofNullable(apiKey),
                gcOnDelete);
        Runtime.getRuntime().addShutdownHook(new Thread(standIn::close));
        if (latencyMs > 0) {
            standIn.faults().latency(java.time.Duration.ofMillis(latencyMs));
            System.err.printf("every gRPC call answered after %d ms%n", latencyMs);
        }
        if (seedCollection != null) {
            standIn.seed(seedCollection, new SyntheticPoints(seedPoints, dimensions, 42));
            System.err.printf("seeded %d synthetic %d-d points into `%s`%n", seedPoints, dimensions, seedCollection);
        }
        System.err.printf("Qdrant stand-in (TEST DOUBLE, not a real Qdrant) listening on %s:%d (gRPC) and %d (REST)%n",
                standIn.host(), standIn.port(), standIn.restPort());
        System.out.println("rest-port=" + standIn.restPort());
        System.out.println("port=" + standIn.port());
        System.out.flush();
        new CountDownLatch(1).await();
    }

    private static String required(String flag, String value) {
        if (value == null) {
            usage(flag + " needs a value");
        }
        return value;
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: QdrantStandInMain [--port N] [--rest-port N] [--api-key-env VAR] [--gc-on-delete] [--latency-ms N] "
                + "[--seed-collection NAME --seed-points N [--seed-dimensions D]]");
        System.exit(2);
    }
}

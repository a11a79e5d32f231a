package io.apex.migrator.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * Starts the local stack for a person (scripts/local-stack up): the real services plus the Qdrant stand-in (a
 * test double: no Qdrant server can run here); writes the connection settings as an env file and keeps the
 * services running until the process is stopped.
 */
public final class LocalStackMain {

    private LocalStackMain() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Path envFile = Path.of(args.length > 0 ? args[0] : "target/local-stack/env");
        LocalStack.startAll();
        Map<String, String> config = new java.util.LinkedHashMap<>(LocalStack.config());
        // No Qdrant server can run on these machines: the local stack serves the TEST DOUBLE in its place.
        io.apex.migrator.qdrant.standin.QdrantStandIn qdrant = io.apex.migrator.qdrant.standin.QdrantStandIn.start();
        Runtime.getRuntime().addShutdownHook(new Thread(qdrant::close));
        seedSampleCollections(qdrant);
        config.put("apex.qdrant.host", qdrant.host());
        config.put("apex.qdrant.port", Integer.toString(qdrant.port()));
        String env = config.entrySet().stream()
                .map(e -> envName(e.getKey()) + "='" + e.getValue() + "'")
                .collect(Collectors.joining("\n", "", "\n"));
        Files.createDirectories(envFile.toAbsolutePath().getParent());
        Path tmp = envFile.resolveSibling(envFile.getFileName() + ".tmp");
        Files.writeString(tmp, env);
        Files.move(tmp, envFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        System.out.println("local stack ready; settings in " + envFile);
        new CountDownLatch(1).await();
    }

    /**
     * The seed's v1 state, done the zero-downtime way: {@code documents_v1} / {@code chunks_v1} with sample
     * 1536-d points, read through the aliases {@code documents} / {@code chunks} that a migration will swap.
     */
    private static void seedSampleCollections(io.apex.migrator.qdrant.standin.QdrantStandIn qdrant) {
        Map<String, Integer> samples = Map.of("documents", 3_000, "chunks", 2_000);
        try (var gateway = io.apex.migrator.qdrant.QdrantGateway.connect(
                io.apex.migrator.qdrant.QdrantSettings.of(qdrant.host(), qdrant.port()))) {
            samples.forEach((alias, points) -> {
                qdrant.seed(alias + "_v1", new io.apex.migrator.qdrant.standin.SyntheticPoints(points, 1536, 42));
                gateway.updateAliases(java.util.List.of(io.qdrant.client.grpc.Collections.AliasOperations.newBuilder()
                        .setCreateAlias(io.qdrant.client.grpc.Collections.CreateAlias.newBuilder()
                                .setAliasName(alias).setCollectionName(alias + "_v1")).build()));
            });
        }
    }

    /** The env var that overrides a config key, by MicroProfile Config's naming rule. */
    static String envName(String key) {
        return key.toUpperCase().replaceAll("[^A-Z0-9]", "_");
    }
}

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

    /** The env var that overrides a config key, by MicroProfile Config's naming rule. */
    static String envName(String key) {
        return key.toUpperCase().replaceAll("[^A-Z0-9]", "_");
    }
}

package io.apex.migrator.support;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;

/** A real Neo4j 5 with Bolt, running inside this JVM (neo4j-harness); auth disabled. */
public final class Neo4jServer implements AutoCloseable {

    private final Neo4j neo4j;

    private Neo4jServer(Neo4j neo4j) {
        this.neo4j = neo4j;
    }

    public static Neo4jServer start() {
        try {
            return new Neo4jServer(Neo4jBuilders.newInProcessBuilder().withDisabledServer().build());
        } catch (RuntimeException e) {
            throw new ServiceStartException("Neo4j (harness) failed to start: " + e, e);
        }
    }

    public String boltUri() {
        return neo4j.boltURI().toString();
    }

    @Override
    public void close() {
        neo4j.close();
        removeHarnessLogConfigs();
    }

    /** The harness leaves /tmp/log4j-*.xml behind. */
    private static void removeHarnessLogConfigs() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (DirectoryStream<Path> files = Files.newDirectoryStream(tmp, "log4j-*.xml")) {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
        } catch (IOException ignored) {
            // best effort cleanup of temp files
        }
    }
}

package io.apex.migrator.support;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.neo4j.configuration.GraphDatabaseSettings;
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
        Path home = neo4j.config().get(GraphDatabaseSettings.neo4j_home);
        neo4j.close();
        removeHarnessLogConfigs(home);
    }

    /**
     * The harness leaves log4j-*.xml files in java.io.tmpdir behind. Only those that name this instance's home (their
     * log files live there) are deleted: the others may belong to another JVM's Neo4j.
     */
    private static void removeHarnessLogConfigs(Path home) {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (DirectoryStream<Path> files = Files.newDirectoryStream(tmp, "log4j-*.xml")) {
            for (Path f : files) {
                try {
                    if (Files.readString(f).contains(home.toString())) {
                        Files.deleteIfExists(f);
                    }
                } catch (IOException ignored) {
                    // gone meanwhile, or not ours to read
                }
            }
        } catch (IOException ignored) {
            // best effort cleanup of temp files
        }
    }
}

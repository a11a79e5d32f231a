package io.apex.migrator.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * PostgreSQL 17 + pgvector compiled to WASM (PGlite), served over the wire protocol by pglite-server in a
 * Node process. All connections share one backend session: use it only where pgvector is needed.
 */
public final class PgliteServer implements AutoCloseable {

    /** Where {@code npm ci} (scripts/install-deps) puts PGlite. */
    public static final Path PACKAGE_DIR = Path.of("scripts", "pglite");

    private final ServiceProcess process;
    private final int port;

    private PgliteServer(ServiceProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    public static PgliteServer start(Path dir) {
        Path packageDir = ProjectDir.resolve(PACKAGE_DIR);
        Path server = packageDir.resolve("node_modules/.bin/pglite-server");
        if (!Files.exists(server)) {
            throw new ServiceStartException("PGlite is not installed at " + server
                    + ": run scripts/install-deps (npm ci in " + PACKAGE_DIR + ")");
        }
        int port = FreePort.pick();
        List<String> cmd = List.of("node", server.toString(), "-p", String.valueOf(port), "-h", "127.0.0.1",
                "-e", "@electric-sql/pglite-pgvector:vector", "-m", "8");
        PgliteServer pglite = new PgliteServer(null, port);
        ServiceProcess p = ServiceProcess.start("PGlite (pglite-server)", cmd, packageDir, dir.resolve("pglite.log"))
                .awaitReady(pglite::answersQueries, Duration.ofSeconds(180));
        return new PgliteServer(p, port);
    }

    /** JDBC URL; prepareThreshold=0 because all connections share one session (named statements collide). */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?prepareThreshold=0&sslmode=disable";
    }

    public String user() {
        return "postgres";
    }

    private boolean answersQueries() {
        if (!ServiceProcess.acceptsConnections(port)) {
            return false;
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl(), user(), "postgres")) {
            return c.createStatement().execute("select 1");
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        process.close();
    }
}

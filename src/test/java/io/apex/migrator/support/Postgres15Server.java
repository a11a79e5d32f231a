package io.apex.migrator.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Debian's real PostgreSQL 15 (with pgvector, which scripts/install-deps builds from Debian's source package) in a
 * throwaway cluster on its own port. As root, the cluster runs as the {@code postgres} OS user, since PostgreSQL
 * refuses to run as root.
 */
public final class Postgres15Server implements AutoCloseable {

    static final Path BIN = Path.of(System.getenv().getOrDefault("APEX_PG15_BIN", "/usr/lib/postgresql/15/bin"));

    private final Path dir;
    private final int port;

    private Postgres15Server(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    public static Postgres15Server start(Path dir) {
        if (!Files.isExecutable(BIN.resolve("initdb"))) {
            throw new ServiceStartException("PostgreSQL 15 binaries not found in " + BIN
                    + ": run scripts/install-deps (apt-get install postgresql-15)");
        }
        Postgres15Server pg = new Postgres15Server(dir, FreePort.pick());
        pg.initAndStart();
        return pg;
    }

    /**
     * Creates {@code database} on the server at {@code serverJdbcUrl} (dropping an old one) with pgvector installed
     * in its {@code public} schema, and returns its JDBC URL.
     */
    public static String createDatabaseWithPgvector(String serverJdbcUrl, String database) {
        String url = serverJdbcUrl.replaceFirst("/postgres$", "/" + database);
        try (Connection c = DriverManager.getConnection(serverJdbcUrl, "postgres", "");
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_available_extensions WHERE name = 'vector'")) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    throw new ServiceStartException("pgvector is not installed in " + BIN.getParent()
                            + ": run scripts/install-deps (builds it from Debian's source package)");
                }
            }
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new ServiceStartException("creating database " + database + ": " + e.getMessage(), e);
        }
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION vector SCHEMA public");
        } catch (SQLException e) {
            throw new ServiceStartException("creating extension vector in " + database + ": " + e.getMessage(), e);
        }
        return url;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public String user() {
        return "postgres";
    }

    public int port() {
        return port;
    }

    /**
     * Makes {@code role} authenticate with its password (SCRAM) over TCP; every other role keeps trust. Takes effect
     * for new connections at once (the configuration is reloaded).
     */
    public void requirePasswordFor(String role) {
        Path hba = dir.resolve("data/pg_hba.conf");
        try {
            Files.writeString(hba, "host all " + role + " 127.0.0.1/32 scram-sha-256\n" + Files.readString(hba));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        asPostgres("pg_ctl reload", BIN.resolve("pg_ctl") + " -D " + dir.resolve("data") + " reload",
                Duration.ofSeconds(30));
    }

    /** Stops the server (fast shutdown), e.g. to simulate the database going away. */
    public void stop() {
        asPostgres("pg_ctl stop", BIN.resolve("pg_ctl") + " -D " + dir.resolve("data") + " -m fast -w stop",
                Duration.ofSeconds(60));
    }

    /** Starts a stopped server again on the same port and data dir. */
    public void startAgain() {
        pgCtlStart();
    }

    @Override
    public void close() {
        if (Files.exists(dir.resolve("data/postmaster.pid"))) {
            stop();
        }
    }

    private void initAndStart() {
        try {
            Files.createDirectories(dir);
            chownToPostgres(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        asPostgres("initdb", BIN.resolve("initdb") + " -D " + dir.resolve("data")
                + " -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync", Duration.ofSeconds(120));
        pgCtlStart();
    }

    private void pgCtlStart() {
        asPostgres("pg_ctl start", BIN.resolve("pg_ctl") + " -D " + dir.resolve("data") + " -l " + dir.resolve("pg.log")
                + " -o '-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                + " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200' -w -t 60 start",
                Duration.ofSeconds(90));
        Duration timeout = Duration.ofSeconds(30);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!answersQueries()) {
            if (System.nanoTime() > deadline) {
                throw new ServiceStartException("PostgreSQL 15 not ready within " + timeout.toSeconds() + " s:\n"
                        + ServiceProcess.tail(dir.resolve("pg.log")));
            }
            ServiceProcess.pause(Duration.ofMillis(100));
        }
    }

    private boolean answersQueries() {
        try (Connection c = DriverManager.getConnection(jdbcUrl(), user(), "")) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private void asPostgres(String what, String shellCommand, Duration timeout) {
        List<String> cmd = new ArrayList<>();
        if (isRoot()) {
            cmd.addAll(List.of("su", "postgres", "-s", "/bin/sh", "-c", shellCommand));
        } else {
            cmd.addAll(List.of("/bin/sh", "-c", shellCommand));
        }
        try {
            ServiceProcess.runToCompletion("PostgreSQL 15 " + what, cmd, dir, dir.resolve(what.replace(' ', '-') + ".log"),
                    timeout);
        } catch (ServiceStartException e) {
            throw new ServiceStartException(e.getMessage() + "\nServer log:\n" + ServiceProcess.tail(dir.resolve("pg.log")), e);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void chownToPostgres(Path dir) throws IOException {
        if (isRoot()) {
            ServiceProcess.runToCompletion("chown", List.of("chown", "-R", "postgres:postgres", dir.toString()),
                    dir, dir.resolve("chown.log"), Duration.ofSeconds(30));
        }
    }
}

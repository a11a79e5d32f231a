package io.apex.migrator.schema.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.apex.migrator.schema.MigrationEngine;
import io.apex.migrator.schema.MigrationSource;
import io.apex.migrator.schema.SchemaException;
import io.apex.migrator.schema.SchemaResult;
import io.apex.migrator.schema.Version;
import io.apex.migrator.support.Postgres15Server;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.jboss.logmanager.LogContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code postgres upgrade --backup FILE} with Debian's real PostgreSQL 15 and its real pg_dump, on a cluster of its
 * own where one role must give its password (SCRAM): the password path, the JDBC URL's TLS mode reaching pg_dump,
 * the timeout, and a backup that comes before anything changes the database.
 */
class PgDumpBackupIT {

    private static final String ROLE = "dumper";
    private static final String PASSWORD = "pw-" + UUID.randomUUID();

    @TempDir
    Path tmp;

    private static Path serverDir;
    private static Postgres15Server server;
    private String url;

    @BeforeAll
    static void startServer() throws Exception {
        // not a JUnit @TempDir: those are private to root, and the cluster runs as the postgres user
        serverDir = Files.createTempDirectory("apex-pg-dump-");
        server = Postgres15Server.start(serverDir);
        server.requirePasswordFor(ROLE);
        try (Connection c = superuser(server.jdbcUrl()); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + PASSWORD + "'");
        }
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
        if (serverDir != null) {
            try (var files = Files.walk(serverDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void theBackupConnectsWithThePasswordWhichNeverReachesACommandLineOrALog(TestInfo test) throws Exception {
        // given a database of the password-only role at V001, and a session that keeps pg_dump waiting on its table
        url = database(test);
        PostgresSettings settings = settings(Optional.of(PASSWORD));
        run(settings, PgDumpBackup.fromProcessEnvironment(), e -> e.upgrade(Optional.of("1"), Optional.empty(), "v1"));
        Path backup = tmp.resolve("before-v2.sql");
        List<String> logged = new ArrayList<>();
        Handler capture = capturing(logged);
        LogContext.getLogContext().getLogger("").addHandler(capture);
        CompletableFuture<SchemaResult> upgrade;
        String commandLine;
        Map<String, String> environment;
        try (Connection blocker = superuser(url); Statement s = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            s.execute("LOCK TABLE notes IN ACCESS EXCLUSIVE MODE");

            // when
            upgrade = CompletableFuture.supplyAsync(() -> run(settings, PgDumpBackup.fromProcessEnvironment(),
                    e -> e.upgrade(Optional.empty(), Optional.of(backup), "backup-pw")));
            ProcessHandle pgDump = await().atMost(Duration.ofSeconds(60)).until(PgDumpBackupIT::runningPgDump,
                    Optional::isPresent).orElseThrow();
            commandLine = procFile(pgDump, "cmdline");
            environment = environ(procFile(pgDump, "environ"));
            blocker.rollback();
        }
        SchemaResult result;
        try {
            result = upgrade.get(2, TimeUnit.MINUTES);
        } finally {
            LogContext.getLogContext().getLogger("").removeHandler(capture);
        }

        // then the dump holds the V001 state, pg_dump had the password from its environment only
        assertThat(result.migrated()).containsExactly(new Version(2));
        assertThat(Files.readString(backup)).contains("CREATE TABLE public.notes", "kept by the backup")
                .doesNotContain("author");
        assertThat(commandLine).contains("pg_dump").doesNotContain(PASSWORD).doesNotContain(ROLE);
        assertThat(environment).containsEntry("PGPASSWORD", PASSWORD).containsEntry("PGUSER", ROLE)
                .containsEntry("PGSSLMODE", "prefer");
        assertThat(logged).anySatisfy(line -> assertThat(line).contains("backing up"));
        assertThat(String.join("\n", logged)).doesNotContain(PASSWORD);
        assertThat(Files.exists(tmp.resolve("before-v2.sql.partial"))).isFalse();
    }

    @Test
    void withoutThePasswordTheServerRefusesTheDumpAndNothingIsApplied(TestInfo test) throws Exception {
        // given
        url = database(test);
        run(settings(Optional.of(PASSWORD)), PgDumpBackup.fromProcessEnvironment(),
                e -> e.upgrade(Optional.of("1"), Optional.empty(), "v1"));
        Path backup = tmp.resolve("no-password.sql");

        // when / then: pg_dump never prompts (--no-password) and fails as the server asks for a password
        assertThatThrownBy(() -> new PgDumpBackup(System.getenv(), PgDumpBackup.DEFAULT_TIMEOUT)
                .run(settings(Optional.empty()), backup, "no-password"))
                .isInstanceOf(SchemaException.BackupFailed.class)
                .hasMessageContaining("no password supplied")
                .hasMessageContaining("nothing was applied");
        assertThat(Files.exists(backup)).isFalse();
    }

    @Test
    void theTlsModeOfTheJdbcUrlReachesPgDump(TestInfo test) {
        // given a server without TLS and a URL that requires it
        url = database(test) + "?sslmode=require";
        Path backup = tmp.resolve("tls.sql");

        // when / then: the old URI dropped sslmode and dumped in plain text; now pg_dump insists on TLS too
        assertThatThrownBy(() -> new PgDumpBackup(System.getenv(), PgDumpBackup.DEFAULT_TIMEOUT)
                .run(settings(Optional.of(PASSWORD)), backup, "tls"))
                .isInstanceOf(SchemaException.BackupFailed.class)
                .hasMessageContaining("server does not support SSL")
                .hasMessageNotContaining(PASSWORD);
        assertThat(Files.exists(backup)).isFalse();
    }

    @Test
    void withoutPgDumpOnThePathTheUpgradeIsRefusedBeforeTheRepairOrAnyScript(TestInfo test) throws Exception {
        // given an INVALID index (a failed concurrent build) that the next upgrade would rebuild
        url = database(test);
        PostgresSettings settings = settings(Optional.of(PASSWORD)).with("classpath:db/pg15/failing", "public");
        assertThatThrownBy(() -> run(settings, PgDumpBackup.fromProcessEnvironment(),
                e -> e.upgrade(Optional.empty(), Optional.empty(), "fail")))
                .isInstanceOf(SchemaException.ScriptFailed.class);
        execute("DELETE FROM accounts WHERE id = 3");
        Map<String, String> noPgDump = new HashMap<>(System.getenv());
        noPgDump.put("PATH", Files.createDirectories(tmp.resolve("empty-bin")).toString());
        Path backup = tmp.resolve("never.sql");

        // when / then
        assertThatThrownBy(() -> run(settings, new PgDumpBackup(noPgDump, PgDumpBackup.DEFAULT_TIMEOUT),
                e -> e.upgrade(Optional.empty(), Optional.of(backup), "no-pg-dump")))
                .isInstanceOf(SchemaException.BackupFailed.class)
                .hasMessageContaining("needs pg_dump on PATH")
                .hasMessageContaining("nothing was applied");
        assertThat(queryLong("SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                + "WHERE c.relname = 'accounts_email_key' AND NOT i.indisvalid")).isEqualTo(1);
        assertThat(queryLong("SELECT count(*) FROM apex_schema_history")).isEqualTo(1);
        assertThat(Files.exists(backup)).isFalse();
    }

    @Test
    void aPgDumpThatDoesNotFinishIsStoppedAtTheTimeoutAndNothingIsApplied(TestInfo test) throws Exception {
        // given pg_dump kept waiting by a session holding its table
        url = database(test);
        PostgresSettings settings = settings(Optional.of(PASSWORD));
        run(settings, PgDumpBackup.fromProcessEnvironment(), e -> e.upgrade(Optional.of("1"), Optional.empty(), "v1"));
        Path backup = tmp.resolve("slow.sql");
        try (Connection blocker = superuser(url); Statement s = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            s.execute("LOCK TABLE notes IN ACCESS EXCLUSIVE MODE");

            // when / then
            assertThatThrownBy(() -> run(settings, new PgDumpBackup(System.getenv(), Duration.ofSeconds(2)),
                    e -> e.upgrade(Optional.empty(), Optional.of(backup), "slow")))
                    .isInstanceOf(SchemaException.BackupFailed.class)
                    .hasMessageContaining("did not finish within 2 s and was stopped")
                    .hasMessageContaining("nothing was applied");
            blocker.rollback();
        }
        assertThat(queryLong("SELECT count(*) FROM information_schema.columns WHERE table_name = 'notes' "
                + "AND column_name = 'author'")).isZero();
        assertThat(Files.exists(backup)).isFalse();
        assertThat(Files.exists(tmp.resolve("slow.sql.partial"))).isFalse();
        assertThat(runningPgDump()).isEmpty();
    }

    // --- fixture helpers ---

    private PostgresSettings settings(Optional<String> password) {
        return new PostgresSettings(url, ROLE, password, "public", "classpath:db/pg15/backup", Duration.ofSeconds(60));
    }

    private static <T> T run(PostgresSettings settings, PgDumpBackup pgDump, Function<MigrationEngine, T> work) {
        try (var adapter = PostgresAdapter.connect(settings, pgDump)) {
            return work.apply(new MigrationEngine(adapter, new MigrationSource(settings.migrationsDir(), "sql"),
                    settings.lockWait()));
        }
    }

    /** A pg_dump started by this JVM (the real binary, after Debian's wrapper exec'd it), if one runs. */
    private static Optional<ProcessHandle> runningPgDump() {
        return ProcessHandle.current().descendants().filter(p -> {
            try {
                return procFile(p, "cmdline").contains("pg_dump");
            } catch (Exception gone) {
                return false;
            }
        }).findFirst();
    }

    private static String procFile(ProcessHandle process, String name) throws Exception {
        return new String(Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), name)),
                StandardCharsets.UTF_8).replace('\0', ' ');
    }

    private static Map<String, String> environ(String environ) {
        Map<String, String> out = new HashMap<>();
        for (String entry : environ.split(" ")) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                out.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        return out;
    }

    private String database(TestInfo test) {
        String name = "backup_" + test.getTestMethod().orElseThrow().getName().toLowerCase()
                .replaceAll("[^a-z0-9]", "").substring(0, 20);
        try (Connection c = superuser(server.jdbcUrl()); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + name + " OWNER " + ROLE);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return server.jdbcUrl().replaceFirst("/postgres$", "/" + name);
    }

    private static Connection superuser(String jdbcUrl) throws SQLException {
        return DriverManager.getConnection(jdbcUrl.replaceFirst("\\?.*$", ""), "postgres", "");
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = superuser(url); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private long queryLong(String sql) throws SQLException {
        try (Connection c = superuser(url); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Handler capturing(List<String> into) {
        return new Handler() {
            @Override
            public void publish(LogRecord record) {
                synchronized (into) {
                    into.add(record.getMessage() + " " + java.util.Arrays.toString(record.getParameters()));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
    }
}

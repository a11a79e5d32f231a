package io.apex.migrator.schema.postgres;

import io.apex.migrator.schema.SchemaException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * {@code --backup FILE}: a plain-SQL pg_dump taken before an upgrade changes anything. pg_dump connects as the JDBC URL
 * does (hosts, database, user, sslmode and certificates, through {@link LibpqEnvironment}); its command line holds no
 * connection detail and the password travels as PGPASSWORD only. The dump is written next to FILE and moved into
 * place only when pg_dump succeeded, so FILE is never a partial dump; pg_dump is stopped after the timeout.
 */
final class PgDumpBackup {

    private static final Logger LOGGER = Logger.getLogger(PgDumpBackup.class);
    static final Duration DEFAULT_TIMEOUT = Duration.ofHours(1);
    private static final int OUTPUT_SHOWN = 2_000;

    private final Map<String, String> environment;
    private final Duration timeout;

    /**
     * @param environment the environment pg_dump is looked up in (PATH) and inherits, minus any PG* variable
     *        (the JDBC URL decides the connection; PGPASSFILE is kept)
     */
    PgDumpBackup(Map<String, String> environment, Duration timeout) {
        this.environment = Map.copyOf(environment);
        this.timeout = timeout;
    }

    static PgDumpBackup fromProcessEnvironment() {
        return new PgDumpBackup(System.getenv(), DEFAULT_TIMEOUT);
    }

    void run(PostgresSettings settings, Path file, String runId) {
        Map<String, String> libpq = LibpqEnvironment.of(settings);
        Path pgDump = findOnPath("pg_dump").orElseThrow(() -> new SchemaException.BackupFailed(
                "--backup needs pg_dump on PATH (PostgreSQL client tools, e.g. apt-get install postgresql-client), "
                        + "and it was not found; nothing was applied. Run without --backup to skip the backup."));
        Path target = file.toAbsolutePath();
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        Path output = null;
        LOGGER.infof("[run %s] backing up %s (sslmode %s) to %s with pg_dump", runId, settings.where(),
                libpq.get("PGSSLMODE"), target);
        try {
            output = Files.createTempFile("apex-pg_dump-", ".log");
            ProcessBuilder pb = new ProcessBuilder(List.of(pgDump.toString(), "--no-password", "--format=plain",
                    "--file=" + partial)).redirectErrorStream(true).redirectOutput(output.toFile());
            pb.environment().clear();
            environment.forEach((name, value) -> {
                if (!name.startsWith("PG") || name.equals("PGPASSFILE")) {
                    pb.environment().put(name, value);
                }
            });
            pb.environment().putAll(libpq);
            Process process = pb.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new SchemaException.BackupFailed("pg_dump of " + settings.where() + " did not finish within "
                        + timeout.toSeconds() + " s and was stopped; nothing was applied");
            }
            if (process.exitValue() != 0) {
                throw new SchemaException.BackupFailed("pg_dump of " + settings.where() + " failed (exit "
                        + process.exitValue() + "); nothing was applied: " + shown(output));
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new SchemaException.BackupFailed("could not run pg_dump: " + e.getMessage() + "; nothing was applied");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaException.BackupFailed("interrupted while pg_dump ran; nothing was applied");
        } finally {
            deleteQuietly(partial);
            if (output != null) {
                deleteQuietly(output);
            }
        }
        LOGGER.infof("[run %s] backup written to %s", runId, target);
    }

    private Optional<Path> findOnPath(String program) {
        String path = environment.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static String shown(Path output) throws IOException {
        String text = new String(Files.readAllBytes(output), StandardCharsets.UTF_8).strip();
        return text.length() > OUTPUT_SHOWN ? text.substring(0, OUTPUT_SHOWN) + "..." : text;
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOGGER.debugf("could not delete %s: %s", path, e.getMessage());
        }
    }
}

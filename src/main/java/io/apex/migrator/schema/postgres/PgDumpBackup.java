package io.apex.migrator.schema.postgres;

import io.apex.migrator.schema.SchemaException;
import java.io.File;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/** {@code --backup FILE}: a plain-SQL pg_dump taken before an upgrade; the password goes through PGPASSWORD only. */
final class PgDumpBackup {

    private static final Logger LOGGER = Logger.getLogger(PgDumpBackup.class);

    private PgDumpBackup() {
    }

    static void run(PostgresSettings settings, Path file, String runId) {
        Path pgDump = findOnPath("pg_dump").orElseThrow(() -> new SchemaException.BackupFailed(
                "--backup needs pg_dump on PATH (PostgreSQL client tools, e.g. apt-get install postgresql-client), "
                        + "and it was not found; nothing was applied. Run without --backup to skip the backup."));
        ProcessBuilder pb = new ProcessBuilder(List.of(pgDump.toString(), "--no-password", "--format=plain",
                "--file=" + file.toAbsolutePath(), "--dbname=" + libpqUri(settings)))
                .redirectErrorStream(true);
        settings.password().ifPresent(p -> pb.environment().put("PGPASSWORD", p));
        LOGGER.infof("[run %s] backing up %s to %s with pg_dump", runId, settings.where(), file.toAbsolutePath());
        try {
            Process process = pb.start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(1, TimeUnit.HOURS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new SchemaException.BackupFailed("pg_dump of " + settings.where() + " failed; nothing was applied: "
                        + new String(output, StandardCharsets.UTF_8).strip());
            }
        } catch (IOException e) {
            throw new SchemaException.BackupFailed("could not run pg_dump: " + e.getMessage() + "; nothing was applied");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaException.BackupFailed("interrupted while pg_dump ran; nothing was applied");
        }
    }

    /** jdbc:postgresql://host:port/db?params → postgresql://user@host:port/db (JDBC-only parameters dropped). */
    static String libpqUri(PostgresSettings settings) {
        String rest = settings.jdbcUrl().substring("jdbc:postgresql://".length());
        int query = rest.indexOf('?');
        String hostAndDb = query < 0 ? rest : rest.substring(0, query);
        return "postgresql://" + URLEncoder.encode(settings.username(), StandardCharsets.UTF_8) + "@" + hostAndDb;
    }

    private static Optional<Path> findOnPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}

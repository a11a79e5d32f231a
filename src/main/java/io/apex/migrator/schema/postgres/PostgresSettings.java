package io.apex.migrator.schema.postgres;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/** Validated PostgreSQL migration settings; {@link #toString()} leaves the password out. */
public record PostgresSettings(String jdbcUrl, String username, Optional<String> password, String schema,
        String migrationsDir, Duration lockWait) {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Pattern SECRET_PARAM = Pattern.compile("(?i)(password=)[^&]*");

    public PostgresSettings {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("apex.postgres.jdbc-url must be a jdbc:postgresql: URL, got "
                    + (jdbcUrl == null ? "nothing" : redact(jdbcUrl)));
        }
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        if (schema == null || !IDENTIFIER.matcher(schema).matches()) {
            throw new IllegalArgumentException("apex.postgres.schema must be a lower-case SQL identifier, got " + schema);
        }
        Objects.requireNonNull(migrationsDir, "migrationsDir");
        if (lockWait == null || lockWait.isNegative()) {
            throw new IllegalArgumentException("apex.postgres.lock-wait must be zero or positive");
        }
    }

    /** Same settings against other scripts or another schema (tests, {@code --dir}). */
    public PostgresSettings with(String newMigrationsDir, String newSchema) {
        return new PostgresSettings(jdbcUrl, username, password, newSchema, newMigrationsDir, lockWait);
    }

    public PostgresSettings withLockWait(Duration newLockWait) {
        return new PostgresSettings(jdbcUrl, username, password, schema, migrationsDir, newLockWait);
    }

    /** The URL without any password parameter, for messages and logs. */
    public String where() {
        return redact(jdbcUrl);
    }

    static String redact(String url) {
        return SECRET_PARAM.matcher(url).replaceAll("$1***");
    }

    @Override
    public String toString() {
        return "PostgresSettings[url=" + where() + ", user=" + username + ", schema=" + schema + ", migrations="
                + migrationsDir + ", lockWait=" + lockWait + "]";
    }

    /** JDBC connection properties: the credentials (from here only, never logged) and a connect timeout. */
    public java.util.Properties connectionProperties(Duration connectTimeout) {
        java.util.Properties props = new java.util.Properties();
        props.setProperty("user", username);
        password.ifPresent(p -> props.setProperty("password", p));
        props.setProperty("connectTimeout", Long.toString(Math.max(1, connectTimeout.toSeconds())));
        return props;
    }
}

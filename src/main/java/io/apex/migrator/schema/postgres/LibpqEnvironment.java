package io.apex.migrator.schema.postgres;

import io.apex.migrator.schema.SchemaException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The libpq environment (PGHOST, PGSSLMODE, ...) that makes a client tool such as pg_dump connect exactly as the JDBC
 * URL does: same hosts, database, user and TLS checks. Environment variables, not a conninfo on the command line, so
 * nothing of the connection shows in a process list; the password goes as PGPASSWORD only.
 */
final class LibpqEnvironment {

    /** pgjdbc parameters with the libpq variable carrying the same setting. */
    private static final Map<String, String> PARAMETERS = Map.of(
            "sslrootcert", "PGSSLROOTCERT",
            "sslcert", "PGSSLCERT",
            "sslkey", "PGSSLKEY",
            "connecttimeout", "PGCONNECT_TIMEOUT",
            "applicationname", "PGAPPNAME",
            "options", "PGOPTIONS",
            "gssencmode", "PGGSSENCMODE");
    /** pgjdbc parameters pg_dump cannot be given; a backup that would drop them is refused rather than weakened. */
    private static final Set<String> UNSUPPORTED = Set.of("sslpassword", "sslpasswordcallback", "sslfactory",
            "sslhostnameverifier", "sslnegotiation");
    private static final Map<String, String> TARGET_SERVER_TYPES = Map.of("any", "any", "master", "read-write",
            "primary", "read-write", "secondary", "standby", "preferslave", "prefer-standby",
            "prefersecondary", "prefer-standby", "preferprimary", "primary");
    private static final Set<String> SSL_MODES = Set.of("disable", "allow", "prefer", "require", "verify-ca",
            "verify-full");

    private LibpqEnvironment() {
    }

    /**
     * The variables for {@code settings}; PGPASSWORD is among them only when a password is configured.
     *
     * @throws SchemaException.BackupFailed when the URL carries a parameter libpq cannot honour
     */
    static Map<String, String> of(PostgresSettings settings) {
        String rest = settings.jdbcUrl().substring("jdbc:postgresql:".length());
        if (!rest.startsWith("//")) {
            throw refused("a jdbc:postgresql://host/database URL is needed, got " + settings.where());
        }
        rest = rest.substring(2);
        int query = rest.indexOf('?');
        String hostsAndDb = query < 0 ? rest : rest.substring(0, query);
        Map<String, String> parameters = parameters(query < 0 ? "" : rest.substring(query + 1));
        int slash = hostsAndDb.indexOf('/');
        String hosts = slash < 0 ? hostsAndDb : hostsAndDb.substring(0, slash);
        String database = slash < 0 ? "" : decode(hostsAndDb.substring(slash + 1));

        Map<String, String> env = new LinkedHashMap<>();
        List<String> hostNames = new ArrayList<>();
        List<String> ports = new ArrayList<>();
        for (String hostPort : hosts.isEmpty() ? new String[] {"localhost"} : hosts.split(",")) {
            int colon = hostPort.lastIndexOf(':');
            boolean hasPort = colon > 0 && !hostPort.endsWith("]");
            String host = hasPort ? hostPort.substring(0, colon) : hostPort;
            hostNames.add(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
            ports.add(hasPort ? hostPort.substring(colon + 1) : "5432");
        }
        env.put("PGHOST", String.join(",", hostNames));
        env.put("PGPORT", String.join(",", ports));
        env.put("PGDATABASE", database.isEmpty() ? settings.username() : database);
        env.put("PGUSER", settings.username());
        env.put("PGSSLMODE", sslMode(parameters));
        parameters.forEach((name, value) -> {
            if (UNSUPPORTED.contains(name)) {
                throw refused("the JDBC URL sets '" + name + "', which pg_dump cannot be given; the backup would "
                        + "not connect as the migration does");
            }
            String variable = PARAMETERS.get(name);
            if (variable != null) {
                env.put(variable, value);
            }
        });
        if (parameters.containsKey("targetservertype")) {
            String type = TARGET_SERVER_TYPES.get(parameters.get("targetservertype").toLowerCase(Locale.ROOT));
            if (type == null) {
                throw refused("unknown targetServerType '" + parameters.get("targetservertype") + "'");
            }
            env.put("PGTARGETSESSIONATTRS", type);
        }
        settings.password().or(() -> java.util.Optional.ofNullable(parameters.get("password")))
                .ifPresent(p -> env.put("PGPASSWORD", p));
        return env;
    }

    /** pgjdbc's effective sslmode: {@code ssl=true} alone means verify-full, nothing means prefer (as in libpq). */
    private static String sslMode(Map<String, String> parameters) {
        String mode = parameters.get("sslmode");
        if (mode != null) {
            if (!SSL_MODES.contains(mode)) {
                throw refused("unknown sslmode '" + mode + "'");
            }
            return mode;
        }
        String ssl = parameters.get("ssl");
        return ssl != null && !"false".equalsIgnoreCase(ssl) ? "verify-full" : "prefer";
    }

    private static Map<String, String> parameters(String query) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq)).toLowerCase(Locale.ROOT);
            out.put(name, eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return out;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static SchemaException.BackupFailed refused(String why) {
        return new SchemaException.BackupFailed("--backup: " + why + "; nothing was applied");
    }
}

package io.apex.migrator.cli;

import io.apex.migrator.schema.AppliedMigration;
import io.apex.migrator.schema.Direction;
import io.apex.migrator.schema.IndexState;
import io.apex.migrator.schema.MigrationState;
import io.apex.migrator.schema.SchemaPreview;
import io.apex.migrator.schema.SchemaResult;
import io.apex.migrator.schema.SchemaStatus;
import io.apex.migrator.schema.Version;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/** Renders schema results as the plain tables the schema commands print on stdout. */
final class SchemaOutput {

    private static final String ROW = "%-7s %-18s %-28s %10s  %s%n";

    private SchemaOutput() {
    }

    static String newRunId() {
        return "cli-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static void result(PrintWriter out, SchemaResult r) {
        String store = r.store().id();
        String at = r.version().map(Version::label).orElse("no version (nothing applied)");
        r.repaired().forEach(name -> out.println(store + ": rebuilt INVALID index " + name));
        if (r.migrated().isEmpty()) {
            out.println(store + ": nothing to " + (r.direction() == Direction.UP ? "apply" : "roll back")
                    + "; schema is at " + at);
        } else {
            out.println(store + ": " + (r.direction() == Direction.UP ? "applied " : "rolled back ")
                    + r.migrated().stream().map(Version::label).collect(Collectors.joining(", ")) + "; schema is now at "
                    + at + " (run " + r.runId() + ")");
        }
        indexes(out, r.indexes());
        out.flush();
    }

    /** A dry run: what would run and what would be dropped, with "nothing was changed" said plainly. */
    static void preview(PrintWriter out, SchemaPreview p, Optional<java.nio.file.Path> backup) {
        String store = p.store().id();
        out.println(store + ": dry run, nothing was changed; schema is at "
                + p.current().map(Version::label).orElse("no version"));
        if (p.scripts().isEmpty() && p.invalidIndexes().isEmpty()) {
            out.println(store + ": nothing to " + (p.direction() == Direction.UP ? "apply" : "roll back"));
        }
        if (backup.isPresent() && !(p.scripts().isEmpty() && p.invalidIndexes().isEmpty())) {
            out.println("would first write a pg_dump backup to " + backup.get().toAbsolutePath());
        }
        p.invalidIndexes().forEach(i -> out.println("would DROP and rebuild INVALID index " + i.name() + " on "
                + i.target()));
        p.scripts().forEach(script -> out.println((p.direction() == Direction.UP ? "would apply " : "would roll back "
                + "(drops what that migration created) with ") + script));
        out.flush();
    }

    static void status(PrintWriter out, SchemaStatus s) {
        out.println(s.store().id() + " schema at " + s.current().map(Version::label).orElse("no version"));
        out.printf(Locale.ROOT, ROW, "VERSION", "STATE", "APPLIED AT", "DURATION", "DESCRIPTION / APPLIED BY");
        for (MigrationState m : s.migrations()) {
            out.printf(Locale.ROOT, ROW, m.version().label(), m.state().name().toLowerCase(Locale.ROOT).replace('_', ' '),
                    m.applied().map(a -> a.appliedAt().toString()).orElse("-"),
                    m.applied().map(a -> a.duration().toMillis() + " ms").orElse("-"),
                    m.description() + m.applied().map(a -> " / " + a.appliedBy()).orElse(""));
        }
        if (s.invalidIndexes().isEmpty()) {
            out.println("invalid indexes: none");
        } else {
            out.println("INVALID indexes (a concurrent build failed; the next upgrade drops and rebuilds them):");
            s.invalidIndexes().forEach(i -> out.println("  " + i.name() + " on " + i.target() + ": " + i.definition()));
        }
        out.flush(); // printf does not flush picocli's auto-flushing writer
    }

    static void history(PrintWriter out, List<AppliedMigration> history) {
        if (history.isEmpty()) {
            out.println("no migrations applied");
            return;
        }
        out.printf(Locale.ROOT, "%-7s %-28s %10s  %-16s %-40s %s%n", "VERSION", "APPLIED AT", "DURATION", "CHECKSUM",
                "SCRIPT", "APPLIED BY");
        for (AppliedMigration a : history) {
            out.printf(Locale.ROOT, "%-7s %-28s %10s  %-16s %-40s %s%n", a.version().label(), a.appliedAt(),
                    a.duration().toMillis() + " ms", a.checksum().hex().substring(0, 16), a.script(), a.appliedBy());
        }
        out.flush();
    }

    /** {@code --output json} of a status: store, version, each migration with its history record, invalid indexes. */
    static Map<String, Object> statusJson(SchemaStatus s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("store", s.store().id());
        m.put("version", s.current().map(Version::label).orElse(null));
        m.put("migrations", s.migrations().stream().map(ms -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("version", ms.version().label());
            row.put("description", ms.description());
            row.put("state", ms.state().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            row.put("applied", ms.applied().map(SchemaOutput::appliedJson).orElse(null));
            return row;
        }).toList());
        m.put("invalidIndexes", s.invalidIndexes().stream().map(i -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", i.name());
            row.put("target", i.target());
            row.put("definition", i.definition());
            return row;
        }).toList());
        return m;
    }

    /** {@code --output json} of a history: the applied migrations, oldest first. */
    static Map<String, Object> historyJson(List<AppliedMigration> history) {
        return Map.of("applied", history.stream().map(SchemaOutput::appliedJson).toList());
    }

    private static Map<String, Object> appliedJson(AppliedMigration a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", a.version().label());
        m.put("description", a.description());
        m.put("script", a.script());
        m.put("checksum", a.checksum().hex());
        m.put("appliedAt", a.appliedAt().toString());
        m.put("durationMs", a.duration().toMillis());
        m.put("appliedBy", a.appliedBy());
        return m;
    }

    private static void indexes(PrintWriter out, List<IndexState> indexes) {
        out.println("indexes (" + indexes.size() + "):");
        for (IndexState i : indexes) {
            out.println("  " + i.name() + " on " + i.target() + (i.valid() ? "" : " [INVALID]") + ": " + i.definition());
        }
    }
}

package io.apex.migrator.schema;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one place that orders migrations and compares checksums: what an upgrade applies or a downgrade rolls
 * back, computed and validated before anything runs (so a bad request changes nothing).
 */
record Plan(Direction direction, List<Migration> steps) {

    Plan {
        steps = List.copyOf(steps);
    }

    static Plan upgrade(List<Migration> available, List<AppliedMigration> applied, Optional<String> target,
            String location) {
        validate(available, applied, location);
        Optional<Version> current = current(applied);
        Optional<Version> to = target.map(Version::parse);
        if (to.isPresent() && available.stream().noneMatch(m -> m.version().equals(to.get()))) {
            throw new SchemaException.UnknownVersion(target.get(), "is not among the migrations in " + location
                    + " (" + available.stream().map(m -> m.version().label()).collect(Collectors.joining(", ")) + ")");
        }
        if (to.isPresent() && current.isPresent() && to.get().compareTo(current.get()) < 0) {
            throw new SchemaException.InvalidRequest("the schema is at " + current.get() + ", above the target "
                    + to.get() + ": use downgrade to go back");
        }
        var appliedVersions = applied.stream().map(AppliedMigration::version).collect(Collectors.toSet());
        List<Migration> steps = new ArrayList<>();
        for (Migration m : available) {
            if (appliedVersions.contains(m.version()) || to.isPresent() && m.version().compareTo(to.get()) > 0) {
                continue;
            }
            if (current.isPresent() && m.version().compareTo(current.get()) < 0) {
                throw new SchemaException.InvalidScripts(m.script().name() + " is pending but " + current.get()
                        + " is already applied: a new migration needs a version above the applied ones");
            }
            steps.add(m);
        }
        return new Plan(Direction.UP, steps);
    }

    static Plan downgrade(List<Migration> available, List<AppliedMigration> applied, int count, String location) {
        if (count < 1) {
            throw new SchemaException.InvalidRequest("downgrade needs N >= 1, got " + count);
        }
        validate(available, applied, location);
        if (count > applied.size()) {
            throw new SchemaException.InvalidRequest("cannot roll back " + count + " migrations: only " + applied.size()
                    + " applied");
        }
        Map<Version, Migration> byVersion = byVersion(available);
        List<Migration> steps = applied.stream().map(AppliedMigration::version)
                .sorted(Comparator.reverseOrder()).limit(count).map(byVersion::get).toList();
        for (Migration m : steps) {
            if (m.rollback().isEmpty()) {
                throw new SchemaException.MissingRollback(m.version(), MigrationSource.rollbackName(m), location);
            }
        }
        return new Plan(Direction.DOWN, steps);
    }

    /** Every applied migration must still have its script, unchanged. */
    static void validate(List<Migration> available, List<AppliedMigration> applied, String location) {
        for (MigrationState s : states(available, applied)) {
            switch (s.state()) {
                case MISSING_SCRIPT -> throw new SchemaException.InvalidScripts(s.version() + " is applied but has no "
                        + "script in " + location);
                case CHECKSUM_MISMATCH -> {
                    Migration m = byVersion(available).get(s.version());
                    throw new SchemaException.ChecksumMismatch(m.script().name(), m.version(),
                            s.applied().orElseThrow().checksum(), m.checksum());
                }
                default -> {
                }
            }
        }
    }

    static List<MigrationState> states(List<Migration> available, List<AppliedMigration> applied) {
        Map<Version, Migration> scripts = byVersion(available);
        Map<Version, AppliedMigration> done = applied.stream()
                .collect(Collectors.toMap(AppliedMigration::version, Function.identity()));
        List<MigrationState> out = new ArrayList<>();
        for (Migration m : available) {
            AppliedMigration a = done.get(m.version());
            MigrationState.State state = a == null ? MigrationState.State.PENDING
                    : a.checksum().equals(m.checksum()) ? MigrationState.State.APPLIED
                    : MigrationState.State.CHECKSUM_MISMATCH;
            out.add(new MigrationState(m.version(), m.description(), state, Optional.ofNullable(a)));
        }
        for (AppliedMigration a : applied) {
            if (!scripts.containsKey(a.version())) {
                out.add(new MigrationState(a.version(), a.description(), MigrationState.State.MISSING_SCRIPT,
                        Optional.of(a)));
            }
        }
        out.sort(Comparator.comparing(MigrationState::version));
        return out;
    }

    static Optional<Version> current(List<AppliedMigration> applied) {
        return applied.stream().map(AppliedMigration::version).max(Comparator.naturalOrder());
    }

    private static Map<Version, Migration> byVersion(List<Migration> available) {
        return available.stream().collect(Collectors.toMap(Migration::version, Function.identity()));
    }
}

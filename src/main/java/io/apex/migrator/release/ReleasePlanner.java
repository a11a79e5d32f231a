package io.apex.migrator.release;

import io.apex.migrator.qdrant.CollectionSpecs;
import io.apex.migrator.qdrant.QdrantConfig;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.schema.MigrationState;
import io.apex.migrator.schema.SchemaMigrations;
import io.apex.migrator.schema.SchemaStatus;
import io.apex.migrator.schema.Store;
import io.apex.migrator.schema.Version;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Plans a release from the stores as they are: which schema versions are applied, where each alias points, how many
 * points each copy moves. Only reads: {@code release plan} is the dry run, and {@code release apply} starts from the
 * same reading.
 */
@ApplicationScoped
public class ReleasePlanner {

    private final SchemaMigrations migrations;
    private final QdrantGateway gateway;
    private final ReleasesConfig releases;
    private final QdrantConfig qdrant;

    @Inject
    public ReleasePlanner(SchemaMigrations migrations, QdrantGateway gateway, ReleasesConfig releases,
            QdrantConfig qdrant) {
        this.migrations = migrations;
        this.gateway = gateway;
        this.releases = releases;
        this.qdrant = qdrant;
    }

    /** The manifests, read afresh (a file changed in {@code apex.releases.dir} is seen at once). */
    public ReleaseManifests manifests() {
        return ReleaseManifests.load(releases.dir(), CollectionSpecs.load(qdrant.specsDir()));
    }

    /** The version a schema store ({@code postgres}, {@code neo4j}) is at. */
    public Optional<Version> schemaVersion(String store) {
        return migrations.status(store.equals("postgres") ? Store.POSTGRES : Store.NEO4J).current();
    }

    /** The plan of the release {@code name}. */
    public ReleasePlan plan(String name) {
        return plan(manifests().get(name));
    }

    /** The plan of a manifest. */
    public ReleasePlan plan(ReleaseManifest manifest) {
        List<ReleasePlan.Step> steps = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String part : manifest.parts()) {
            switch (part) {
                case "postgres" -> steps.add(schemaStep(steps.size() + 1, Store.POSTGRES, manifest.postgres(),
                        problems));
                case "neo4j" -> steps.add(schemaStep(steps.size() + 1, Store.NEO4J, manifest.neo4j(), problems));
                default -> qdrantSteps(manifest, steps, problems);
            }
        }
        if (!manifest.collections().isEmpty()) {
            Map<String, String> aliases = gateway.aliases();
            String swaps = manifest.collections().stream()
                    .map(c -> c.alias() + " " + aliases.getOrDefault(c.alias(), "(none)") + " -> " + c.target())
                    .collect(Collectors.joining(", "));
            steps.add(new ReleasePlan.Step(steps.size() + 1, "cutover", "aliases", null, null,
                    (manifest.qdrant().manualCutover() ? "waits in ready-for-cutover for `release cutover`, then " : "")
                            + "ONE UpdateAliases request: " + swaps));
        }
        steps.add(new ReleasePlan.Step(steps.size() + 1, "event", "release-ready", null, null,
                "one release-ready CloudEvent naming every store's version and every alias's collection"));
        return new ReleasePlan(manifest.name(), manifest.description(), steps, problems);
    }

    private ReleasePlan.Step schemaStep(int position, Store store, ReleaseManifest.SchemaTarget target,
            List<String> problems) {
        String name = store.name().toLowerCase();
        SchemaStatus status = migrations.status(store);
        String now = status.current().map(Version::label).orElse("none");
        Version wanted = target.version();
        boolean known = status.migrations().stream().anyMatch(m -> m.version().equals(wanted));
        if (!known) {
            problems.add(name + ": no migration " + wanted.label() + " among the scripts ("
                    + migrations.migrationsDir(store) + ")");
            return new ReleasePlan.Step(position, name, name, now, wanted.label(), "unknown target version");
        }
        if (status.current().isPresent() && status.current().get().compareTo(wanted) > 0) {
            return new ReleasePlan.Step(position, name, name, now, now, "nothing: already past " + wanted.label()
                    + " (a release never downgrades)");
        }
        List<MigrationState> pending = status.in(MigrationState.State.PENDING).stream()
                .filter(m -> m.version().compareTo(wanted) <= 0).toList();
        if (!status.in(MigrationState.State.CHECKSUM_MISMATCH).isEmpty()) {
            problems.add(name + ": applied scripts changed since (checksum mismatch): "
                    + status.in(MigrationState.State.CHECKSUM_MISMATCH).stream().map(m -> m.version().label())
                            .collect(Collectors.joining(", ")));
        }
        String action = pending.isEmpty() ? "nothing: already at " + wanted.label()
                : (store == Store.POSTGRES ? "upgrade" : "up") + ": apply " + pending.stream()
                        .map(m -> m.version().label() + " (" + m.description() + ")")
                        .collect(Collectors.joining(", "));
        return new ReleasePlan.Step(position, name, name, now, wanted.label(), action);
    }

    private void qdrantSteps(ReleaseManifest manifest, List<ReleasePlan.Step> steps, List<String> problems) {
        Map<String, String> aliases = gateway.aliases();
        for (ReleaseManifest.CollectionMigration c : manifest.collections()) {
            String now = aliases.get(c.alias());
            String source = c.source() != null ? c.source() : now;
            int position = steps.size() + 1;
            if (now == null && gateway.collectionExists(c.alias())) {
                problems.add("qdrant: a collection is named '" + c.alias() + "', like the alias: one request cannot "
                        + "swap it; migrate it behind an alias first (qdrant migrate --drop-collection-named-like-alias)");
            }
            if (c.target().equals(now)) {
                steps.add(new ReleasePlan.Step(position, "qdrant", c.alias(), now, c.target(),
                        "nothing: the alias already points at " + c.target()));
                continue;
            }
            if (source == null || !gateway.collectionExists(source)) {
                problems.add("qdrant: alias '" + c.alias() + "': " + (source == null
                        ? "points at nothing and the manifest names no source" : "source collection '" + source
                        + "' does not exist"));
                steps.add(new ReleasePlan.Step(position, "qdrant", c.alias(), now, c.target(), "no source to copy"));
                continue;
            }
            long points = gateway.count(source);
            long batches = (points + c.batchSize() - 1) / c.batchSize();
            boolean exists = gateway.collectionExists(c.target());
            steps.add(new ReleasePlan.Step(position, "qdrant", c.alias(), now, c.target(),
                    (exists ? "use the existing " + c.target() + " (checked against its spec)"
                            : "create " + c.target() + " from its spec")
                            + (c.snapshot() ? ", snapshot " + source : "")
                            + ", copy " + points + " points of " + source + " in " + batches + " batches of "
                            + c.batchSize() + (c.bulkLoad() ? " (bulk load)" : "")
                            + ", verify (checksums, counts, recall gate); alias untouched until the cutover"));
        }
    }
}

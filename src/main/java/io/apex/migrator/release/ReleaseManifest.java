package io.apex.migrator.release;

import static io.apex.migrator.yaml.InvalidYamlValueException.check;

import io.apex.migrator.schema.SchemaException;
import io.apex.migrator.schema.Version;
import io.apex.migrator.yaml.InvalidYamlValueException;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A release: one schema change across the stores, applied in order (expand first), cut over together, announced once.
 * Read from {@code releases/NAME.yaml} (snake_case keys); validated here so an invalid manifest never reaches a store.
 *
 * @param name the release's name; the file is named after it
 * @param description what the release changes, for people
 * @param postgres the PostgreSQL + pgvector version the release brings the memory database to (absent: untouched)
 * @param neo4j the Neo4j version the release brings the graph to (absent: untouched)
 * @param qdrant the Qdrant collections the release migrates behind their aliases (absent: none)
 * @param order the order of the parts when the default (postgres, neo4j, qdrant) is not enough; the alias cutover
 *        always comes last
 */
@RegisterForReflection
public record ReleaseManifest(String name, String description, SchemaTarget postgres, SchemaTarget neo4j,
        QdrantParts qdrant, List<String> order) {

    /** The parts of a release, by the name {@code order} uses. */
    public static final List<String> DEFAULT_ORDER = List.of("postgres", "neo4j", "qdrant");

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");
    private static final Pattern COLLECTION = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}");

    public ReleaseManifest {
        check(name != null, "name", "is required");
        check(NAME.matcher(name).matches(), "name", "must be 1-100 of a-z, 0-9, '.', '_', '-' (starting with a "
                + "letter or digit), got '" + name + "'");
        description = description == null ? "" : description.strip();
        check(postgres != null || neo4j != null || qdrant != null, "name",
                "the release changes nothing: give postgres, neo4j or qdrant");
        List<String> present = DEFAULT_ORDER.stream().filter(p -> switch (p) {
            case "postgres" -> postgres != null;
            case "neo4j" -> neo4j != null;
            default -> qdrant != null;
        }).toList();
        if (order == null || order.isEmpty()) {
            order = present;
        } else {
            order = List.copyOf(order);
            check(new HashSet<>(order).size() == order.size(), "order", "names a part twice: " + order);
            check(new HashSet<>(order).equals(new HashSet<>(present)), "order",
                    "must name each part of the release once (" + String.join(", ", present) + "), got " + order);
        }
    }

    /** The version a schema store is brought to. */
    @RegisterForReflection
    public record SchemaTarget(String target) {

        public SchemaTarget {
            check(target != null, "target", "is required (e.g. V002)");
            try {
                target = Version.parse(target).label();
            } catch (SchemaException e) {
                throw new InvalidYamlValueException("target", "'" + target + "' is not a version (e.g. V002 or 2)");
            }
        }

        public Version version() {
            return Version.parse(target);
        }
    }

    /**
     * The Qdrant part: collections copied, verified, then cut over together.
     *
     * @param cutover {@code auto} (swap every alias once all copies are verified) or {@code manual} (wait in
     *        ready-for-cutover for {@code release cutover})
     */
    @RegisterForReflection
    public record QdrantParts(String cutover, List<CollectionMigration> collections) {

        public QdrantParts {
            cutover = cutover == null ? "auto" : cutover;
            check(cutover.equals("auto") || cutover.equals("manual"), "cutover",
                    "must be 'auto' or 'manual', got '" + cutover + "'");
            check(collections != null && !collections.isEmpty(), "collections", "must name at least one collection");
            collections = List.copyOf(collections);
            Set<String> aliases = new HashSet<>();
            Set<String> targets = new HashSet<>();
            for (int i = 0; i < collections.size(); i++) {
                CollectionMigration c = collections.get(i);
                check(aliases.add(c.alias()), "collections[" + i + "].alias", "alias '" + c.alias()
                        + "' is migrated twice in this release");
                check(targets.add(c.target()), "collections[" + i + "].target", "collection '" + c.target()
                        + "' is the target of two migrations in this release");
            }
        }

        public boolean manualCutover() {
            return "manual".equals(cutover);
        }
    }

    /**
     * One collection of the release.
     *
     * @param alias the alias readers use, swapped at the release's cutover
     * @param target the collection to create from its spec ({@code collections/TARGET.yaml}) and copy into
     * @param source the collection to copy from (default: what the alias points at when the release is applied)
     * @param batchSize points per batch task (1..100000, default 1000)
     * @param bulkLoad build no HNSW graph on the target while copying (default false)
     * @param snapshot take a Qdrant snapshot of the source before its run changes anything (default false)
     */
    @RegisterForReflection
    public record CollectionMigration(String alias, String target, String source, Integer batchSize,
            Boolean bulkLoad, Boolean snapshot) {

        public CollectionMigration {
            check(alias != null, "alias", "is required");
            check(COLLECTION.matcher(alias).matches(), "alias", "is not a valid alias name: '" + alias + "'");
            check(target != null, "target", "is required (a collection spec, e.g. documents_v2)");
            check(COLLECTION.matcher(target).matches(), "target", "is not a valid collection name: '" + target + "'");
            check(!alias.equals(target), "target", "must differ from the alias '" + alias + "'");
            check(source == null || COLLECTION.matcher(source).matches(), "source",
                    "is not a valid collection name: '" + source + "'");
            check(source == null || !source.equals(target), "source", "must differ from the target '" + target + "'");
            batchSize = batchSize == null ? 1000 : batchSize;
            check(batchSize >= 1 && batchSize <= 100_000, "batch_size", "must be in 1..100000, got " + batchSize);
            bulkLoad = Boolean.TRUE.equals(bulkLoad);
            snapshot = Boolean.TRUE.equals(snapshot);
        }
    }

    /** The Qdrant collections of the release, or none. */
    public List<CollectionMigration> collections() {
        return qdrant == null ? List.of() : qdrant.collections();
    }

    /** Parts in the order they are applied (the cutover follows them all). */
    public List<String> parts() {
        return new ArrayList<>(order);
    }
}

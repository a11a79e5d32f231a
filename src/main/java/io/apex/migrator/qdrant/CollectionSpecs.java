package io.apex.migrator.qdrant;

import io.apex.migrator.yaml.YamlFolder;
import io.apex.migrator.yaml.YamlLines;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * The collection specs: the built-in ones ({@code collections/*.yaml} on the classpath) plus those in an optional
 * directory ({@code apex.qdrant.specs-dir}), where a spec replaces a built-in one of the same collection name.
 * Adding a spec or a new version is adding a file: no code. Loading validates every file; one bad file fails the
 * whole load, so nothing is provisioned from a half-valid set.
 */
public final class CollectionSpecs {

    /** Classpath directory of the built-in specs. */
    public static final String CLASSPATH_DIR = "collections";

    private static final Logger LOGGER = Logger.getLogger(CollectionSpecs.class);

    private final Map<String, CollectionSpec> byCollection;

    private CollectionSpecs(Map<String, CollectionSpec> byCollection) {
        this.byCollection = byCollection;
    }

    /** Loads the built-in specs and those in {@code externalDir}. */
    public static CollectionSpecs load(Optional<Path> externalDir) {
        Map<String, String> sources = new LinkedHashMap<>(YamlFolder.classpath(CLASSPATH_DIR));
        externalDir.ifPresent(dir -> sources.putAll(YamlFolder.directory(dir, problem -> new CollectionSpecException(
                dir.toString(), 0, "apex.qdrant.specs-dir " + problem.getMessage(), problem.getCause()))));
        return parse(sources);
    }

    /** Parses spec texts keyed by their source (a name ending in {@code <collection>.yaml}). */
    static CollectionSpecs parse(Map<String, String> sources) {
        Map<String, CollectionSpec> specs = new TreeMap<>();
        Map<String, String> origin = new TreeMap<>();
        for (Map.Entry<String, String> source : sources.entrySet()) {
            CollectionSpec spec = SpecParser.parse(source.getKey(), source.getValue());
            String expectedFile = spec.collection() + ".yaml";
            if (!fileName(source.getKey()).equals(expectedFile)) {
                throw new CollectionSpecException(source.getKey(), YamlLines.lineOf(source.getValue(),
                        List.of("name")).orElse(0), "defines collection '" + spec.collection()
                        + "', so the file must be named " + expectedFile, null);
            }
            String previous = origin.put(spec.collection(), source.getKey());
            if (previous != null) {
                LOGGER.infof("collection spec %s replaces %s", source.getKey(), previous);
            }
            specs.put(spec.collection(), spec);
        }
        return new CollectionSpecs(specs);
    }

    /** All specs, by logical name then version. */
    public List<CollectionSpec> all() {
        return byCollection.values().stream()
                .sorted(Comparator.comparing(CollectionSpec::name).thenComparingInt(CollectionSpec::version))
                .toList();
    }

    /** The spec of a physical collection, e.g. {@code documents_v2}. */
    public Optional<CollectionSpec> byCollection(String collection) {
        return Optional.ofNullable(byCollection.get(collection));
    }

    /**
     * The specs a command means. {@code spec} is a collection name ({@code documents_v2}) or a logical name
     * ({@code documents}); {@code version} picks that version of each logical name; neither means the newest
     * version of every logical name.
     *
     * @throws UnknownCollectionSpecException if nothing matches
     */
    public List<CollectionSpec> select(Optional<String> spec, Optional<Integer> version) {
        if (spec.isPresent() && byCollection.containsKey(spec.get())) {
            CollectionSpec exact = byCollection.get(spec.get());
            if (version.isPresent() && version.get() != exact.version()) {
                throw new UnknownCollectionSpecException("'" + spec.get() + "' of version " + version.get(),
                        known());
            }
            return List.of(exact);
        }
        Map<String, List<CollectionSpec>> byName = new TreeMap<>();
        for (CollectionSpec s : all()) {
            if (spec.isEmpty() || s.name().equals(spec.get())) {
                byName.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(s);
            }
        }
        List<CollectionSpec> selected = new ArrayList<>();
        for (List<CollectionSpec> versions : byName.values()) {
            if (version.isPresent()) {
                versions.stream().filter(s -> s.version() == version.get()).forEach(selected::add);
            } else {
                selected.add(versions.get(versions.size() - 1));
            }
        }
        if (selected.isEmpty()) {
            String asked = spec.map(s -> "'" + s + "'").orElse("") + version.map(v -> (spec.isPresent() ? " " : "")
                    + "of version " + v).orElse("");
            throw new UnknownCollectionSpecException(asked.isEmpty() ? "at all" : asked, known());
        }
        return selected;
    }

    private List<String> known() {
        return byCollection.isEmpty() ? List.of("(none)") : List.copyOf(new TreeSet<>(byCollection.keySet()));
    }

    private static String fileName(String source) {
        int slash = Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\'));
        return source.substring(slash + 1);
    }
}

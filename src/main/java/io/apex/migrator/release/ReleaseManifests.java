package io.apex.migrator.release;

import io.apex.migrator.qdrant.CollectionSpecs;
import io.apex.migrator.yaml.YamlFolder;
import io.apex.migrator.yaml.YamlLines;
import io.apex.migrator.yaml.YamlRecords;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * The release manifests: the built-in ones ({@code releases/*.yaml} on the classpath) plus those in
 * {@code apex.releases.dir}, where a manifest replaces a built-in one of the same name. Every file is validated when
 * loaded — its YAML, its values, and that each Qdrant target has a collection spec — and one bad file fails the load,
 * naming the file, the line and the key.
 */
public final class ReleaseManifests {

    /** Classpath directory of the built-in manifests. */
    public static final String CLASSPATH_DIR = "releases";

    private static final Logger LOGGER = Logger.getLogger(ReleaseManifests.class);

    private final Map<String, ReleaseManifest> byName;

    private ReleaseManifests(Map<String, ReleaseManifest> byName) {
        this.byName = byName;
    }

    /** Loads the built-in manifests and those in {@code externalDir}, checking their targets against {@code specs}. */
    public static ReleaseManifests load(Optional<Path> externalDir, CollectionSpecs specs) {
        Map<String, String> sources = new LinkedHashMap<>(YamlFolder.classpath(CLASSPATH_DIR));
        externalDir.ifPresent(dir -> sources.putAll(YamlFolder.directory(dir, problem -> new ReleaseException
                .InvalidManifest(dir.toString(), 0, "apex.releases.dir " + problem.getMessage(), problem))));
        return parse(sources, specs);
    }

    /** Parses manifest texts keyed by their source (a name ending in {@code <release>.yaml}). */
    static ReleaseManifests parse(Map<String, String> sources, CollectionSpecs specs) {
        Map<String, ReleaseManifest> manifests = new TreeMap<>();
        for (Map.Entry<String, String> source : sources.entrySet()) {
            String file = source.getKey();
            String text = source.getValue();
            ReleaseManifest manifest = YamlRecords.read(file, text, ReleaseManifest.class, "release",
                    ReleaseException.InvalidManifest::new);
            String expected = manifest.name() + ".yaml";
            if (!fileName(file).equals(expected)) {
                throw new ReleaseException.InvalidManifest(file, YamlLines.lineOf(text, List.of("name")).orElse(0),
                        "defines release '" + manifest.name() + "', so the file must be named " + expected, null);
            }
            List<ReleaseManifest.CollectionMigration> collections = manifest.collections();
            for (int i = 0; i < collections.size(); i++) {
                String target = collections.get(i).target();
                if (specs.byCollection(target).isEmpty()) {
                    String key = "qdrant.collections[" + i + "].target";
                    throw new ReleaseException.InvalidManifest(file, YamlLines.lineOf(text, List.of("qdrant", "collections[" + i + "].target")).orElse(0),
                            key + ": no collection spec '" + target + "' (add collections/" + target + ".yaml)", null);
                }
            }
            if (manifests.put(manifest.name(), manifest) != null) {
                LOGGER.infof("release manifest %s replaces the built-in one of release %s", file, manifest.name());
            }
        }
        return new ReleaseManifests(manifests);
    }

    /** The manifest of a release. */
    public ReleaseManifest get(String name) {
        ReleaseManifest manifest = byName.get(name);
        if (manifest == null) {
            throw new ReleaseException.UnknownRelease(name, byName.keySet());
        }
        return manifest;
    }

    /** All manifests, by name. */
    public List<ReleaseManifest> all() {
        return List.copyOf(byName.values());
    }

    private static String fileName(String source) {
        int slash = Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\'));
        return source.substring(slash + 1);
    }
}

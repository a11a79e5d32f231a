package io.apex.migrator.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code apex.qdrant.specs-dir} of a test: a test writes the collection specs it needs into {@link #DIR} (specs are
 * read on every call, so no restart) under names of its own, and deletes them when done.
 */
public final class SpecsDirResource implements QuarkusTestResourceLifecycleManager {

    public static final Path DIR = ProjectDir.resolve(Path.of("target", "it-specs"));

    /** The config entry, for resources that set it beside their own. */
    public static Map.Entry<String, String> entry() {
        try {
            Files.createDirectories(DIR);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.entry("apex.qdrant.specs-dir", DIR.toString());
    }

    /** Writes the spec of {@code collection} ({@code <name>_v<version>}); returns its file. */
    public static Path write(String collection, String yaml) {
        try {
            return Files.writeString(Files.createDirectories(DIR).resolve(collection + ".yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void delete(String collection) {
        try {
            Files.deleteIfExists(DIR.resolve(collection + ".yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, String> start() {
        return Map.ofEntries(entry());
    }

    @Override
    public void stop() {
        // nothing to stop: configuration only
    }
}

package io.apex.migrator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The files of a classpath folder as its {@code index.txt} names them, one per line ({@code #} starts a comment).
 * A native image keeps resources, not folders: there is no directory or jar to list, so code that lists a
 * built-in folder (collection specs, migration scripts) falls back to its index there. A test keeps each index
 * equal to its folder.
 */
public final class ResourceIndex {

    /** The index file's name inside the folder it lists. */
    public static final String FILE = "index.txt";

    private ResourceIndex() {
    }

    /** The names listed in {@code folder/index.txt}, or empty when the folder has no index. */
    public static Optional<List<String>> names(ClassLoader loader, String folder) throws IOException {
        try (InputStream in = loader.getResourceAsStream(folder + "/" + FILE)) {
            if (in == null) {
                return Optional.empty();
            }
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList());
        }
    }
}

package io.apex.migrator.schema;

import io.apex.migrator.ResourceIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;

/** Writes the next-numbered migration pair (forward + rollback) into a scripts directory. */
public final class MigrationFiles {

    private MigrationFiles() {
    }

    /**
     * Creates {@code V<next>__<slug>.<ext>} and its {@code _rollback} file from the templates; refuses a blank
     * description, a missing directory, or existing files (nothing is overwritten).
     */
    public static List<Path> createNext(Path dir, String description, String extension,
            BiFunction<Version, String, String> forward, BiFunction<Version, String, String> rollback) {
        String slug = description == null ? "" : description.strip().toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        if (slug.isEmpty()) {
            throw new SchemaException.InvalidRequest("a migration needs a description with letters or digits, got '"
                    + description + "'");
        }
        if (!Files.isDirectory(dir)) {
            throw new SchemaException.InvalidRequest("migrations directory " + dir.toAbsolutePath() + " does not exist");
        }
        List<Migration> existing = new MigrationSource(dir.toString(), extension).load();
        Version next = new Version(existing.isEmpty() ? 1 : existing.get(existing.size() - 1).version().number() + 1);
        String base = next.label() + "__" + slug;
        Path up = dir.resolve(base + "." + extension);
        Path down = dir.resolve(base + "_rollback." + extension);
        try {
            Files.writeString(up, forward.apply(next, description.strip()), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE_NEW);
            Files.writeString(down, rollback.apply(next, description.strip()), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE_NEW);
            // the built-in folders carry an index for the native image (ResourceIndex): keep it complete
            Path index = dir.resolve(ResourceIndex.FILE);
            if (Files.isRegularFile(index)) {
                Files.writeString(index, up.getFileName() + "\n" + down.getFileName() + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.APPEND);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + up + " / " + down, e);
        }
        return List.of(up, down);
    }
}

package io.apex.migrator.schema;

import io.apex.migrator.ResourceIndex;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads the versioned scripts of one store from a location: {@code classpath:db/postgres} or a directory.
 * Names: {@code V<number>__<description>.<ext>} and {@code V<number>__<description>_rollback.<ext>}.
 */
public final class MigrationSource {

    private static final String CLASSPATH = "classpath:";

    private final String location;
    private final String extension;
    private final Pattern name;

    public MigrationSource(String location, String extension) {
        this.location = location;
        this.extension = extension;
        this.name = Pattern.compile("V(\\d+)__([A-Za-z0-9][A-Za-z0-9_\\-]*?)(_rollback)?\\." + Pattern.quote(extension));
    }

    public String location() {
        return location;
    }

    /** The file name a rollback script of {@code migration} must have. */
    public static String rollbackName(Migration migration) {
        String file = migration.script().name();
        int dot = file.lastIndexOf('.');
        return file.substring(0, dot) + "_rollback" + file.substring(dot);
    }

    /** All migrations in version order; fails on duplicate versions, orphan rollbacks or unreadable files. */
    public List<Migration> load() {
        Map<String, String> files = readAll();
        Map<Integer, ScriptFile> ups = new TreeMap<>();
        Map<Integer, ScriptFile> downs = new HashMap<>();
        Map<Integer, String> descriptions = new HashMap<>();
        for (var e : new TreeMap<>(files).entrySet()) {
            Matcher m = name.matcher(e.getKey());
            if (!m.matches()) {
                throw new SchemaException.InvalidScripts(e.getKey() + " in " + location
                        + " is not named V<number>__<description>[_rollback]." + extension);
            }
            int version = Integer.parseInt(m.group(1));
            if (version < 1) {
                throw new SchemaException.InvalidScripts(e.getKey() + ": versions start at 1");
            }
            ScriptFile file = new ScriptFile(e.getKey(), e.getValue());
            Map<Integer, ScriptFile> target = m.group(3) == null ? ups : downs;
            ScriptFile previous = target.put(version, file);
            if (previous != null) {
                throw new SchemaException.InvalidScripts("two scripts for " + new Version(version) + " in " + location
                        + ": " + previous.name() + " and " + file.name());
            }
            if (m.group(3) == null) {
                descriptions.put(version, m.group(2).replace('_', ' '));
            }
        }
        for (var down : downs.entrySet()) {
            if (!ups.containsKey(down.getKey())) {
                throw new SchemaException.InvalidScripts(down.getValue().name() + " in " + location
                        + " rolls back a migration that has no forward script");
            }
        }
        List<Migration> out = new ArrayList<>();
        ups.forEach((v, file) -> out.add(new Migration(new Version(v), descriptions.get(v), file,
                Optional.ofNullable(downs.get(v)))));
        return List.copyOf(out);
    }

    private Map<String, String> readAll() {
        try {
            if (location.startsWith(CLASSPATH)) {
                return readClasspath(location.substring(CLASSPATH.length()).replaceAll("^/+|/+$", ""));
            }
            return readDirectory(Path.of(location));
        } catch (IOException | URISyntaxException e) {
            throw new SchemaException.InvalidScripts("cannot read migrations from " + location + ": " + e, e);
        }
    }

    private Map<String, String> readDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new SchemaException.InvalidScripts("migrations directory " + dir.toAbsolutePath() + " does not exist");
        }
        Map<String, String> out = new HashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().endsWith("." + extension))::iterator) {
                out.put(f.getFileName().toString(), Files.readString(f, StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /**
     * Lists a classpath folder. Class loaders cannot list folders portably, so this reads the folder from the
     * file system or from the jar that holds it (Quarkus' packaged app keeps resources in the application jar).
     */
    private Map<String, String> readClasspath(String folder) throws IOException, URISyntaxException {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        URL url = loader.getResource(folder);
        if (url != null && "file".equals(url.getProtocol())) {
            return readDirectory(Path.of(url.toURI()));
        }
        CodeSource code = MigrationSource.class.getProtectionDomain().getCodeSource();
        if (code == null || code.getLocation() == null) {
            // a native image: no file or jar to list, the folder's index names its scripts
            return readIndexed(loader, folder);
        }
        Path source = Path.of(code.getLocation().toURI());
        if (Files.isDirectory(source)) {
            return readDirectory(source.resolve(folder));
        }
        Map<String, String> out = new HashMap<>();
        try (ZipFile jar = new ZipFile(source.toFile())) {
            for (ZipEntry entry : java.util.Collections.list(jar.entries())) {
                String entryName = entry.getName();
                if (!entry.isDirectory() && entryName.startsWith(folder + "/")
                        && entryName.indexOf('/', folder.length() + 1) < 0 && entryName.endsWith("." + extension)) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        out.put(entryName.substring(folder.length() + 1),
                                new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        if (out.isEmpty()) {
            throw new SchemaException.InvalidScripts("no migrations found at " + location);
        }
        return out;
    }

    /** The scripts {@code folder/index.txt} names: how a native image lists them (package-private for its test). */
    Map<String, String> readIndexed(ClassLoader loader, String folder) throws IOException {
        List<String> names = ResourceIndex.names(loader, folder).orElseThrow(() -> new SchemaException.InvalidScripts(
                "cannot list " + location + ": no " + folder + "/" + ResourceIndex.FILE + " on the classpath"));
        Map<String, String> out = new HashMap<>();
        for (String file : names) {
            if (!file.endsWith("." + extension)) {
                continue;
            }
            try (InputStream in = loader.getResourceAsStream(folder + "/" + file)) {
                if (in == null) {
                    throw new SchemaException.InvalidScripts(folder + "/" + ResourceIndex.FILE + " names " + file
                            + ", which is not on the classpath");
                }
                out.put(file, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        if (out.isEmpty()) {
            throw new SchemaException.InvalidScripts("no migrations found at " + location);
        }
        return out;
    }
}

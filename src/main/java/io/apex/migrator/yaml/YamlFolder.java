package io.apex.migrator.yaml;

import io.apex.migrator.ResourceIndex;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The {@code *.yaml} files of a built-in classpath folder (a directory in tests and dev mode, a jar entry in the
 * packaged application, the folder's index in a native image) or of a directory, as text keyed by their source
 * ({@code classpath:collections/documents_v2.yaml}, or the path).
 */
public final class YamlFolder {

    private static final Logger LOGGER = Logger.getLogger(YamlFolder.class);

    private YamlFolder() {
    }

    /**
     * The files of {@code dir}; {@code problems} turns a directory that is missing or unreadable into the caller's
     * exception (its message says what is wrong: "is not a directory (or does not exist)").
     */
    public static Map<String, String> directory(Path dir, Function<UncheckedIOException, RuntimeException> problems) {
        if (!Files.isDirectory(dir)) {
            throw problems.apply(new UncheckedIOException("is not a directory (or does not exist)",
                    new IOException(dir.toString())));
        }
        Map<String, String> sources = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".yaml")).toList()) {
                sources.put(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw problems.apply(new UncheckedIOException("cannot be read: " + e, e));
        }
        return sources;
    }

    /** The files of the classpath folder {@code folder}. */
    public static Map<String, String> classpath(String folder) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        Map<String, String> sources = new TreeMap<>();
        try {
            Enumeration<URL> roots = loader.getResources(folder);
            List<List<String>> listings = new ArrayList<>();
            while (roots.hasMoreElements()) {
                listings.add(listYaml(loader, roots.nextElement(), folder));
            }
            if (listings.isEmpty()) {
                // a native image may keep the files without their folder: the folder's index names them
                ResourceIndex.names(loader, folder)
                        .map(list -> list.stream().filter(n -> n.endsWith(".yaml")).toList()).ifPresent(listings::add);
            }
            for (List<String> listing : listings) {
                for (String name : listing) {
                    String resource = folder + "/" + name;
                    try (InputStream in = loader.getResourceAsStream(resource)) {
                        if (in != null) {
                            sources.putIfAbsent("classpath:" + resource,
                                    new String(in.readAllBytes(), StandardCharsets.UTF_8));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the built-in files of " + folder, e);
        }
        return sources;
    }

    private static List<String> listYaml(ClassLoader loader, URL root, String folder) throws IOException {
        List<String> names = new ArrayList<>();
        if ("file".equals(root.getProtocol())) {
            try (Stream<Path> files = Files.list(Path.of(root.toURI()))) {
                files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".yaml")).forEach(names::add);
            } catch (URISyntaxException e) {
                throw new IOException(e);
            }
        } else if ("jar".equals(root.getProtocol())) {
            JarURLConnection connection = (JarURLConnection) root.openConnection();
            connection.setUseCaches(false);
            try (JarFile jar = connection.getJarFile()) {
                String prefix = folder + "/";
                for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements();) {
                    String entry = entries.nextElement().getName();
                    String rest = entry.startsWith(prefix) ? entry.substring(prefix.length()) : "";
                    if (rest.endsWith(".yaml") && !rest.contains("/")) {
                        names.add(rest);
                    }
                }
            }
        } else {
            // a native image ("resource:" URLs): the folder's index names the files
            Optional<List<String>> indexed = ResourceIndex.names(loader, folder);
            if (indexed.isEmpty()) {
                LOGGER.warnf("cannot list the built-in files at %s", root);
            }
            indexed.ifPresent(list -> list.stream().filter(n -> n.endsWith(".yaml")).forEach(names::add));
        }
        return names;
    }
}

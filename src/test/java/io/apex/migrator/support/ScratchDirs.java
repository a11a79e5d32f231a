package io.apex.migrator.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Temporary directories of the tests' services (data dirs, logs) that are deleted when their owner is done with
 * them, unless a test failed, so that whoever looks into the failure finds the logs. A directory created while a
 * test class runs belongs to that class and goes when the class ends with every test passed
 * ({@link ScratchDirsCleanup}); one of a JVM-wide service ({@link #createForJvm}) goes when the JVM exits after its
 * service stopped, unless any test of the JVM failed. Only directories registered here are ever deleted.
 * <p>
 * Plain tests and {@code @QuarkusTest}s load this class in different class loaders, so the registry is kept in
 * system properties (strings only) under an interned-string lock, as {@link LocalStack} keeps its services.
 */
public final class ScratchDirs {

    static final String REGISTRY = "apex.scratch-dirs";
    /** The test class running now (set by {@link ScratchDirsCleanup}); the owner of the directories it creates. */
    static final String CURRENT_CLASS = "apex.scratch-dirs.current-class";
    /** Set once a test of this JVM failed: the JVM-wide services' directories are kept. */
    static final String JVM_FAILED = "apex.scratch-dirs.jvm-failed";
    static final String JVM_OWNER = "(jvm)";
    private static final String LOCK = REGISTRY.intern();
    /**
     * Loaded with this class: {@link #deleteForJvm} runs in a shutdown hook, when a {@code @QuarkusTest}'s class loader
     * may be closed and could not load it any more.
     */
    private static final SimpleFileVisitor<Path> DELETER = new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) {
                return FileVisitResult.CONTINUE; // a service removed it while we walked
            }
            throw e;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            Files.deleteIfExists(d);
            return FileVisitResult.CONTINUE;
        }
    };

    private ScratchDirs() {
    }

    /** A new directory in java.io.tmpdir for the test class running now (for the JVM when none runs). */
    public static Path create(String prefix) {
        return register(System.getProperty(CURRENT_CLASS, JVM_OWNER), newTempDir(prefix));
    }

    /** A new directory for a service that lives as long as the JVM; delete it with {@link #deleteForJvm}. */
    public static Path createForJvm(String prefix) {
        return register(JVM_OWNER, newTempDir(prefix));
    }

    /** At the JVM's end, once the service in {@code dir} stopped: deletes it unless a test of the JVM failed. */
    public static void deleteForJvm(Path dir) {
        if (Boolean.getBoolean(JVM_FAILED)) {
            System.err.println("Kept for its logs (a test failed): " + dir);
        } else {
            delete(dir);
        }
    }

    /** Removes and returns the directories {@code owner} created. */
    static List<Path> takeOwnedBy(String owner) {
        synchronized (LOCK) {
            List<Path> owned = new ArrayList<>();
            List<String> rest = new ArrayList<>();
            for (String entry : entries()) {
                int tab = entry.indexOf('\t');
                if (entry.substring(0, tab).equals(owner)) {
                    owned.add(Path.of(entry.substring(tab + 1)));
                } else {
                    rest.add(entry);
                }
            }
            System.setProperty(REGISTRY, String.join("\n", rest));
            return owned;
        }
    }

    /** Deletes {@code dir} and everything under it, without following links out of it. */
    static void delete(Path dir) {
        try {
            Files.walkFileTree(dir, DELETER);
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            System.err.println("Could not delete " + dir + ": " + e);
        }
    }

    private static Path register(String owner, Path dir) {
        synchronized (LOCK) {
            List<String> all = entries();
            all.add(owner + "\t" + dir);
            System.setProperty(REGISTRY, String.join("\n", all));
        }
        return dir;
    }

    private static List<String> entries() {
        String value = System.getProperty(REGISTRY, "");
        List<String> list = new ArrayList<>();
        for (String line : value.split("\n")) {
            if (!line.isEmpty()) {
                list.add(line);
            }
        }
        return list;
    }

    private static Path newTempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

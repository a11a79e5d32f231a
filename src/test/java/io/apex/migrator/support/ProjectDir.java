package io.apex.migrator.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the project root (where pom.xml is), whatever the working directory of the JVM. */
public final class ProjectDir {

    private ProjectDir() {
    }

    public static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("pom.xml"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("no pom.xml above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    public static Path resolve(Path relative) {
        return root().resolve(relative);
    }
}

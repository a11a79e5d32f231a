package io.apex.migrator.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.apex.migrator.ResourceIndex;
import io.apex.migrator.support.ProjectDir;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The native image holds only the resources {@code quarkus.native.resources.includes} names, and lists a folder only
 * through its {@code index.txt}: both must keep up with src/main/resources (the JVM build never notices a gap).
 */
class NativeResourcesTest {

    private static final Path RESOURCES = ProjectDir.resolve(Path.of("src/main/resources"));

    @Test
    void everyResourceTheCodeReadsIsIncludedInTheNativeImage() throws IOException {
        // given: what Quarkus adds by itself (its config, static web resources) aside
        List<PathMatcher> includes = Arrays.stream(nativeIncludes().split(","))
                .map(glob -> FileSystems.getDefault().getPathMatcher("glob:" + glob.strip())).toList();
        List<Path> resources;
        try (Stream<Path> files = Files.walk(RESOURCES)) {
            resources = files.filter(Files::isRegularFile).map(RESOURCES::relativize)
                    .filter(p -> !p.toString().equals("application.properties"))
                    .filter(p -> !p.startsWith(Path.of("META-INF", "resources"))).toList();
        }

        // then
        assertThat(resources).as("resources").isNotEmpty();
        assertThat(resources).as("resources not in quarkus.native.resources.includes")
                .allSatisfy(p -> assertThat(includes).anyMatch(m -> m.matches(p)));
    }

    @Test
    void eachFolderIndexListsExactlyItsFolder() throws IOException {
        for (String folder : List.of("collections", "db/postgres", "db/neo4j", "releases")) {
            // when: read as the native image reads it, from the classpath
            List<String> indexed = ResourceIndex.names(getClass().getClassLoader(), folder).orElseThrow();

            // then
            List<String> present;
            try (Stream<Path> files = Files.list(RESOURCES.resolve(folder))) {
                present = files.map(p -> p.getFileName().toString()).filter(n -> !n.equals(ResourceIndex.FILE))
                        .toList();
            }
            assertThat(indexed).as(folder + "/" + ResourceIndex.FILE).containsExactlyInAnyOrderElementsOf(present);
        }
    }

    private static String nativeIncludes() throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(RESOURCES.resolve("application.properties"))) {
            properties.load(in);
        }
        String includes = properties.getProperty("quarkus.native.resources.includes");
        assertThat(includes).as("quarkus.native.resources.includes").isNotBlank();
        return includes;
    }
}

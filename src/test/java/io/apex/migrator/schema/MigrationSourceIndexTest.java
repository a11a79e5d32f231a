package io.apex.migrator.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.apex.migrator.support.ProjectDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The native image's way to list built-in scripts (the folder's index.txt) gives what the folder holds. */
class MigrationSourceIndexTest {

    private final ClassLoader loader = getClass().getClassLoader();

    @Test
    void theIndexedScriptsAreTheFolderScriptsWithTheirText() throws Exception {
        for (List<String> store : List.of(List.of("db/postgres", "sql"), List.of("db/neo4j", "cypher"))) {
            // given
            MigrationSource source = new MigrationSource("classpath:" + store.get(0), store.get(1));

            // when
            Map<String, String> indexed = source.readIndexed(loader, store.get(0));

            // then
            Map<String, String> folder = new HashMap<>();
            try (Stream<Path> files = Files.list(ProjectDir.resolve(Path.of("src/main/resources", store.get(0))))) {
                for (Path f : files.filter(f -> f.toString().endsWith("." + store.get(1))).toList()) {
                    folder.put(f.getFileName().toString(), Files.readString(f));
                }
            }
            assertThat(indexed).as(store.get(0)).isNotEmpty().isEqualTo(folder);
        }
    }

    @Test
    void aFolderWithoutIndexIsAClearError() {
        MigrationSource source = new MigrationSource("classpath:db/runstore", "sql");

        assertThatThrownBy(() -> source.readIndexed(loader, "db/runstore"))
                .isInstanceOf(SchemaException.InvalidScripts.class)
                .hasMessageContaining("classpath:db/runstore").hasMessageContaining("db/runstore/index.txt");
    }
}

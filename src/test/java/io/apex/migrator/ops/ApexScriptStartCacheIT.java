package io.apex.migrator.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.apex.migrator.support.ProjectDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/apex records the JDK's class cache on its first call after a build and starts from it afterwards, with the
 * same output as the bare jar (README "Performance" > "Start-up").
 */
class ApexScriptStartCacheIT {

    private static final Path APP = ProjectDir.resolve(Path.of("target", "quarkus-app"));

    @TempDir
    Path tmp;

    @Test
    void theFirstCallRecordsTheCacheAndTheNextStartsFromItPrintingTheSame() throws Exception {
        deleteCaches();
        String bare = run(List.of("java", "-jar", APP.resolve("quarkus-run.jar").toString(), "--help"), null);

        String recording = run(List.of("bash", "scripts/apex", "--help"), null);
        assertThat(caches()).as("cache recorded by the first call").hasSize(1);
        Path classLog = tmp.resolve("classes.log");
        String cached = run(List.of("bash", "scripts/apex", "--help"), "-Xlog:class+load=info:file=" + classLog);

        assertThat(recording).isEqualTo(bare);
        assertThat(cached).isEqualTo(bare);
        List<String> appClassesFromCache = Files.readAllLines(classLog).stream()
                .filter(l -> l.contains("io.apex.migrator.") && l.contains("shared objects file")).toList();
        assertThat(appClassesFromCache).as("the app's classes loaded from the cache").isNotEmpty();
    }

    private String run(List<String> command, String javaToolOptions) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(ProjectDir.root().toFile())
                .redirectError(tmp.resolve("stderr.log").toFile());
        pb.environment().put("APEX_KAFKA_BOOTSTRAP", "127.0.0.1:1");
        if (javaToolOptions != null) {
            pb.environment().put("JAVA_TOOL_OPTIONS", javaToolOptions);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).as(command + " ended").isTrue();
        assertThat(p.exitValue()).as(command + " exit code; stderr: " + Files.readString(tmp.resolve("stderr.log")))
                .isZero();
        return out;
    }

    private static List<Path> caches() throws IOException {
        try (Stream<Path> files = Files.list(APP)) {
            return files.filter(f -> f.getFileName().toString().matches("apex-.*\\.(jsa|aot)")).toList();
        }
    }

    private static void deleteCaches() throws IOException {
        for (Path cache : caches()) {
            Files.delete(cache);
        }
    }
}

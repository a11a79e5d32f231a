package io.apex.migrator.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.QdrantSettings;
import io.apex.migrator.qdrant.standin.QdrantStandIn;
import io.apex.migrator.support.LocalStack;
import io.apex.migrator.support.ProjectDir;
import io.qdrant.client.grpc.Collections.AliasOperations;
import io.qdrant.client.grpc.Collections.CreateAlias;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.Points.PointStruct;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainIntegrationTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged artifact (the JVM jar, or the native binary with -Dnative) runs the CLI. */
@QuarkusMainIntegrationTest
class PackagedCliIT {

    /** CSI and OSC escape sequences a terminal-aware writer may add around what it draws. */
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[ -/]*[@-~]|\u001B\\][^\u0007]*\u0007");
    /** What a log line of the console handler looks like: a timestamp, then a level. */
    private static final Pattern LOG_LINE = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2},\\d{3}\\s+(TRACE|DEBUG|INFO|WARN|ERROR)");

    @Test
    @Launch("--help")
    void thePackagedCliPrintsItsCommandTree(LaunchResult result) {
        assertThat(result.getOutput()).contains("neo4j", "postgres", "qdrant", "worker", "run", "completion");
    }

    @Test
    void aFollowedMigrationInATerminalDrawsAnIntactBarAndKeepsItsLogsInAFile(@TempDir Path dir) throws Exception {
        // given: a collection of 3000 points behind an alias, its next version created
        String alias = "pty_" + UUID.randomUUID().toString().substring(0, 8);
        QdrantStandIn.Shared standIn = QdrantStandIn.shared();
        Map<String, String> config = new LinkedHashMap<>(LocalStack.config());
        config.put("apex.qdrant.host", standIn.host());
        config.put("apex.qdrant.port", Integer.toString(standIn.port()));
        config.put("apex.qdrant.rest-port", Integer.toString(standIn.restPort()));
        try (QdrantGateway gateway = QdrantGateway.connect(QdrantSettings.of(standIn.host(), standIn.port()))) {
            for (String c : List.of(alias + "_v1", alias + "_v2")) {
                gateway.createCollection(CreateCollection.newBuilder().setCollectionName(c).setVectorsConfig(
                        VectorsConfig.newBuilder().setParams(VectorParams.newBuilder().setSize(4)
                                .setDistance(Distance.Dot))).build());
            }
            List<PointStruct> points = new ArrayList<>();
            for (int i = 1; i <= 3000; i++) {
                points.add(PointStruct.newBuilder().setId(PointId.newBuilder().setNum(i))
                        .setVectors(io.qdrant.client.VectorsFactory.vectors(i, 1, 2, 3)).build());
            }
            gateway.upsert(alias + "_v1", points);
            gateway.updateAliases(List.of(AliasOperations.newBuilder().setCreateAlias(CreateAlias.newBuilder()
                    .setAliasName(alias).setCollectionName(alias + "_v1")).build()));
        }
        Path log = dir.resolve("migrate.log");

        // when: the packaged CLI follows a local migration in a pseudo-terminal (script(1) gives it one)
        Terminal run = inTerminal(dir, config, "qdrant", "migrate", "--collection", alias, "--local", "--follow",
                "--batch-size", "100", "--log-file", log.toString());

        // then: the bar's every redraw is a whole bar line, and nothing else reached the terminal but the answer
        assertThat(run.exitCode()).as(run.text()).isZero();
        List<String> segments = run.segments();
        List<String> bars = segments.stream().filter(s -> s.startsWith(alias)).toList();
        assertThat(bars).as(run.text()).isNotEmpty().allSatisfy(bar -> assertThat(bar).as("a bar line")
                .matches(Pattern.quote(alias) + "\\s+(\\?|\\d+)\\s*%\\s*\\[[=> ]*\\]\\s+\\S+/\\S+ pts.*")
                .doesNotContain("INFO", "WARN", "ERROR", "[io.", "[org."));
        assertThat(segments).as(run.text()).noneMatch(s -> LOG_LINE.matcher(s).find())
                .noneMatch(s -> s.contains("org.apache.kafka"));
        assertThat(segments.stream().filter(s -> s.equals("logs: " + log))).as(run.text()).hasSize(1);
        assertThat(run.text()).contains(alias + "_v1 -> " + alias + "_v2  completed  3000 points");
        // the logs went to the file instead
        assertThat(Files.readString(log)).contains("INFO");
    }

    private record Terminal(int exitCode, String text) {

        /** What the terminal shows, split at every line feed and carriage return (a bar redraw starts with one). */
        List<String> segments() {
            return Arrays.stream(ANSI.matcher(text).replaceAll("").split("[\r\n]+")).map(String::strip)
                    .filter(s -> !s.isEmpty()).toList();
        }
    }

    /** Runs the packaged jar under script(1): a pseudo-terminal on stdout and stderr, as a user's shell gives it. */
    private static Terminal inTerminal(Path dir, Map<String, String> config, String... args)
            throws IOException, InterruptedException {
        Path jar = ProjectDir.resolve(Path.of("target", "quarkus-app", "quarkus-run.jar"));
        assertThat(jar).as("the packaged jar").exists();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(List.of(args));
        String shell = command.stream().map(PackagedCliIT::quote).collect(Collectors.joining(" "));
        Path typescript = dir.resolve("typescript");
        Process process = new ProcessBuilder("script", "-qfec", "stty cols 160 rows 40; " + shell,
                typescript.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("script.out").toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE).start();
        process.getOutputStream().close();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("the CLI ends").isTrue();
        return new Terminal(process.exitValue(), Files.readString(typescript, StandardCharsets.UTF_8)
                .replaceFirst("(?s)^Script started[^\n]*\n", "").replaceFirst("(?s)\nScript done.*$", ""));
    }

    private static String quote(String arg) {
        return "'" + arg.replace("'", "'\"'\"'") + "'";
    }
}

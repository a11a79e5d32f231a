package io.apex.migrator.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.apex.migrator.support.FreePort;
import io.apex.migrator.support.LocalStack;
import io.apex.migrator.support.ProjectDir;
import io.apex.migrator.support.ServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `worker` mode of the packaged artifact serves health over HTTP against the real services. */
class PackagedWorkerIT {

    @TempDir
    Path dir;

    @Test
    void theWorkerServesLivenessAndReadinessAndStopsOnSigterm() throws Exception {
        // given
        int port = FreePort.pick();
        List<String> properties = new ArrayList<>();
        for (Map.Entry<String, String> e : LocalStack.config().entrySet()) {
            properties.add("-D" + e.getKey() + "=" + e.getValue());
        }
        var qdrant = io.apex.migrator.qdrant.standin.QdrantStandIn.shared();
        properties.add("-Dapex.qdrant.host=" + qdrant.host());
        properties.add("-Dapex.qdrant.port=" + qdrant.port());
        properties.add("-Dquarkus.http.port=" + port);
        List<String> cmd = launcher(properties);
        cmd.add("worker");
        HttpClient http = HttpClient.newHttpClient();

        // when
        try (ServiceProcess worker = ServiceProcess.start("worker", cmd, dir, dir.resolve("worker.log"))
                .awaitReady(() -> ServiceProcess.acceptsConnections(port), Duration.ofSeconds(120))) {

            // then
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(get(http, port, "/q/health/ready").statusCode()).isEqualTo(200));
            HttpResponse<String> live = get(http, port, "/q/health/live");
            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(live.body()).contains("\"status\": \"UP\"");
            assertThat(get(http, port, "/q/metrics").body()).contains("jvm_memory_used_bytes");
            worker.close();
            assertThat(worker.isAlive()).isFalse();
        }
    }

    private static HttpResponse<String> get(HttpClient http, int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The native runner when built with -Dnative, else the JVM jar, with the given system properties. */
    private static List<String> launcher(List<String> properties) throws IOException {
        Path target = ProjectDir.resolve(Path.of("target"));
        List<String> cmd = new ArrayList<>();
        try (Stream<Path> files = Files.list(target)) {
            var runner = files.filter(p -> p.getFileName().toString().endsWith("-runner")).findFirst();
            if (runner.isPresent()) {
                cmd.add(runner.get().toString());
                cmd.addAll(properties);
                return cmd;
            }
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.addAll(properties);
        cmd.addAll(List.of("-jar", target.resolve("quarkus-app/quarkus-run.jar").toString()));
        return cmd;
    }
}

package io.apex.migrator.qdrant.standin;

import static org.assertj.core.api.Assertions.assertThat;

import io.apex.migrator.support.FreePort;
import io.apex.migrator.support.ProjectDir;
import io.apex.migrator.support.ServiceProcess;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stand-in as its own process, as the benchmark and the local demo run it. */
class QdrantStandInMainIT {

    @Test
    void theMainServesOnTheGivenPortAndSeedsSyntheticPoints(@TempDir Path dir) throws Exception {
        // given
        int port = FreePort.pick();
        Path log = dir.resolve("standin.log");

        // when
        try (ServiceProcess process = startMain(port, log, "--port", Integer.toString(port), "--seed-collection", "demo",
                "--seed-points", "500", "--seed-dimensions", "16");
                QdrantClient client = new QdrantClient(
                        QdrantGrpcClient.newBuilder("127.0.0.1", port, false).build())) {

            // then
            assertThat(client.countAsync("demo").get()).isEqualTo(500);
            assertThat(client.getCollectionInfoAsync("demo").get().getConfig().getParams().getVectorsConfig()
                    .getParams().getSize()).isEqualTo(16);
            assertThat(Files.readString(log)).contains("port=" + port).contains("TEST DOUBLE");
        }
    }

    @Test
    void withGcOnDeleteADeleteAnswersAfterRemovingTheCollection(@TempDir Path dir) throws Exception {
        // given: the benchmark's flag, which collects a deleted collection's heap before the delete answers
        int port = FreePort.pick();
        Path log = dir.resolve("standin.log");
        try (ServiceProcess process = startMain(port, log, "--gc-on-delete", "--port", Integer.toString(port),
                "--seed-collection", "doomed", "--seed-points", "300", "--seed-dimensions", "16");
                QdrantClient client = new QdrantClient(
                        QdrantGrpcClient.newBuilder("127.0.0.1", port, false).build())) {

            // when
            boolean deleted = client.deleteCollectionAsync("doomed").get().getResult();

            // then
            assertThat(deleted).isTrue();
            assertThat(client.collectionExistsAsync("doomed").get()).isFalse();
            assertThat(client.listCollectionsAsync().get()).isEmpty();
        }
    }

    /** {@code java QdrantStandInMain args} on the test classpath, once it has printed its port. */
    private static ServiceProcess startMain(int port, Path log, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), QdrantStandInMain.class.getName()));
        command.addAll(List.of(args));
        return ServiceProcess.start("qdrant-standin", command, ProjectDir.root(), log)
                .awaitReady(() -> printedPort(log, port), Duration.ofSeconds(60));
    }

    /** The main prints its port once seeding is done; the socket accepts connections before that. */
    private static boolean printedPort(Path log, int port) {
        try {
            return Files.exists(log) && Files.readString(log).contains("port=" + port);
        } catch (java.io.IOException e) {
            return false;
        }
    }
}

package io.apex.migrator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.QdrantSettings;
import io.apex.migrator.qdrant.ScrollPage;
import io.apex.migrator.qdrant.standin.QdrantStandIn;
import io.apex.migrator.qdrant.standin.QdrantStandInResource;
import io.apex.migrator.support.LocalStackResource;
import io.apex.migrator.support.ProjectDir;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench pipeline} at a tiny size, so the command keeps working: it starts a coordinator and a worker process
 * of the packaged app, migrates the source through Kafka, reports sane figures, and the target equals the source.
 * No figure is checked against a speed: benchmarks print, tests do not time.
 */
@QuarkusMainTest
@WithTestResource(LocalStackResource.class)
@WithTestResource(QdrantStandInResource.class)
class PipelineBenchIT {

    @TempDir
    Path logs;

    @Test
    void theBenchmarkMigratesThroughThePipelineAndTheBareLoopAndReportsItsFigures(QuarkusMainLauncher launcher) {
        // given
        String source = "bench_it_" + UUID.randomUUID().toString().substring(0, 8);
        Path jar = ProjectDir.resolve(Path.of("target", "quarkus-app", "quarkus-run.jar"));

        // when
        LaunchResult result = launcher.launch("bench", "pipeline", "--points", "2000", "--source", source,
                "--batch-size", "500", "--concurrency", "2", "--keep-target", "--app-jar", jar.toString(),
                "--log-dir", logs.toString());

        // then
        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        String out = result.getOutput();
        assertThat(out).contains("machine: " + Runtime.getRuntime().availableProcessors() + " cores (nproc)")
                .contains("source: 2,000 points");
        String row = out.lines().filter(l -> l.startsWith("| 1 | 2 | 500 |")).findFirst().orElseThrow();
        String[] cells = Arrays.stream(row.split("\\|")).map(String::trim).filter(c -> !c.isEmpty()).toArray(String[]::new);
        assertThat(cells).hasSize(18);
        assertThat(number(cells[5])).as("points/s").isPositive();
        assertThat(number(cells[6])).as("MB/s").isPositive();
        assertThat(number(cells[8])).as("batch p99 ms").isGreaterThanOrEqualTo(number(cells[7]));
        assertThat(number(cells[11])).as("worker peak RSS MB").isBetween(50.0, 4096.0);
        assertThat(number(cells[12])).as("coordinator peak RSS MB").isBetween(50.0, 4096.0);
        assertThat(number(cells[13])).as("bare points/s").isPositive();
        assertThat(number(cells[14])).as("pipeline/bare").isPositive();
        assertThat(number(cells[15])).as("bare wire points/s").isPositive();
        assertThat(number(cells[16])).as("pipeline/bare wire").isPositive();
        assertThat(number(cells[17])).as("command→completed s").isPositive();
        QdrantStandIn.Shared standIn = QdrantStandIn.shared();
        try (QdrantGateway gateway = QdrantGateway.connect(QdrantSettings.of(standIn.host(), standIn.port()))) {
            List<RetrievedPoint> expected = all(gateway, source);
            assertThat(expected).hasSize(2000);
            List<RetrievedPoint> copied = all(gateway, PipelineBench.TARGET);
            assertThat(copied).hasSameSizeAs(expected);
            // unit vectors are stored as sent (as Qdrant does), so the copy is exact: ids, payload, every float bit
            assertThat(copied).isEqualTo(expected);
            gateway.deleteCollection(PipelineBench.TARGET);
            gateway.deleteCollection(source);
        }
    }

    private static double number(String cell) {
        return Double.parseDouble(cell.replace(",", ""));
    }

    private static List<RetrievedPoint> all(QdrantGateway gateway, String collection) {
        List<RetrievedPoint> points = new ArrayList<>();
        PointId offset = null;
        while (true) {
            ScrollPage page = gateway.scroll(collection, offset, 500, true, true);
            points.addAll(page.points());
            if (page.isLast()) {
                return points;
            }
            offset = page.nextOffset().orElseThrow();
        }
    }
}

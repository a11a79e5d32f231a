package io.apex.migrator.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.QdrantSettings;
import io.apex.migrator.qdrant.ScrollPage;
import io.apex.migrator.qdrant.standin.QdrantStandIn;
import io.apex.migrator.qdrant.standin.QdrantStandInResource;
import io.apex.migrator.state.RunStoreSchema;
import io.apex.migrator.support.LocalStack;
import io.apex.migrator.support.LocalStackResource;
import io.apex.migrator.support.ProjectDir;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainIntegrationTest;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
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
@QuarkusMainIntegrationTest
@WithTestResource(LocalStackResource.class)
@WithTestResource(QdrantStandInResource.class)
class PipelineBenchIT {

    @TempDir
    Path logs;

    @Test
    void aSourceTheBenchmarkDoesNotOwnIsRefusedAndLeftAlone(QuarkusMainLauncher launcher) {
        // given a real collection of 3 points
        String real = "documents_" + UUID.randomUUID().toString().substring(0, 8);
        QdrantStandIn.Shared standIn = QdrantStandIn.shared();
        try (QdrantGateway gateway = QdrantGateway.connect(QdrantSettings.of(standIn.host(), standIn.port()))) {
            gateway.createCollection(io.qdrant.client.grpc.Collections.CreateCollection.newBuilder()
                    .setCollectionName(real).setVectorsConfig(io.qdrant.client.grpc.Collections.VectorsConfig.newBuilder()
                            .setParams(io.qdrant.client.grpc.Collections.VectorParams.newBuilder().setSize(4)
                                    .setDistance(io.qdrant.client.grpc.Collections.Distance.Dot))).build());
            List<io.qdrant.client.grpc.Points.PointStruct> points = new ArrayList<>();
            for (long id = 1; id <= 3; id++) {
                points.add(io.qdrant.client.grpc.Points.PointStruct.newBuilder().setId(PointId.newBuilder().setNum(id))
                        .setVectors(io.qdrant.client.grpc.Points.Vectors.newBuilder().setVector(
                                io.qdrant.client.grpc.Points.Vector.newBuilder().setDense(
                                        io.qdrant.client.grpc.Points.DenseVector.newBuilder()
                                                .addAllData(List.of(1f, 0f, 0f, 0f))))).build());
            }
            gateway.upsert(real, points);

            // when
            LaunchResult refused = launcher.launch("bench", "pipeline", "--points", "10", "--source", real);
            LaunchResult dryRun = launcher.launch("bench", "pipeline", "--dry-run", "--source", "bench_dry");
            LaunchResult help = launcher.launch("bench", "pipeline", "--help");

            // then
            assertThat(refused.exitCode()).isEqualTo(2);
            assertThat(refused.getErrorOutput()).contains("--source '" + real + "' is not a benchmark collection",
                    "names starting with 'bench_'", "Nothing was changed");
            assertThat(gateway.count(real)).isEqualTo(3);
            assertThat(dryRun.exitCode()).as(dryRun.getErrorOutput()).isZero();
            assertThat(dryRun.getOutput()).contains("dry run, nothing was changed", "bench_dry, bench_target",
                    "run-store schema " + PipelineBench.RUN_STORE_SCHEMA);
            assertThat(gateway.collectionExists("bench_dry")).isFalse();
            assertThat(help.getOutput()).contains("DELETES", "bench_", "--dry-run");
            gateway.deleteCollection(real);
        }
    }

    @Test
    void theBenchmarkMigratesThroughThePipelineAndTheBareLoopAndReportsItsFigures(QuarkusMainLauncher launcher)
            throws Exception {
        // given
        String source = "bench_it_" + UUID.randomUUID().toString().substring(0, 8);
        Path jar = ProjectDir.resolve(Path.of("target", "quarkus-app", "quarkus-run.jar"));
        long productionBenchRuns = benchRunsIn(RunStoreSchema.DEFAULT);

        // when
        LaunchResult result = launcher.launch("bench", "pipeline", "--points", "2000", "--source", source,
                "--batch-size", "500", "--concurrency", "2", "--rounds", "2", "--keep-target", "--app-jar", jar.toString(),
                "--log-dir", logs.toString());

        // then
        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        String out = result.getOutput();
        assertThat(out).contains("machine: " + Runtime.getRuntime().availableProcessors() + " cores (nproc)")
                .contains("source: 2,000 points")
                .contains("processes: N replicas, each in every role (commands, progress, batches), as deployed");
        List<String> rows = out.lines().filter(l -> l.startsWith("| 1 | 2 | 500 |")).toList();
        assertThat(rows).as("one row per round").hasSize(2);
        String[][] rounds = rows.stream().map(r -> Arrays.stream(r.split("\\|")).map(String::trim)
                .filter(c -> !c.isEmpty()).toArray(String[]::new)).toArray(String[][]::new);
        for (int round = 1; round <= 2; round++) {
            String[] cells = rounds[round - 1];
            assertThat(cells).hasSize(27);
            assertThat(number(cells[5])).as("points/s").isPositive();
            assertThat(number(cells[6])).as("MB/s").isPositive();
            assertThat(number(cells[8])).as("batch p99 ms").isGreaterThanOrEqualTo(number(cells[7]));
            assertThat(number(cells[11])).as("worker peak RSS MB").isBetween(50.0, 4096.0);
            assertThat(cells[12]).as("coordinator peak RSS MB: no coordinator process, the replica coordinates")
                    .isEqualTo("-");
            assertThat(number(cells[13])).as("bare points/s").isPositive();
            assertThat(number(cells[14])).as("pipeline/bare").isPositive();
            assertThat(number(cells[15])).as("bare wire before").isPositive();
            assertThat(number(cells[16])).as("bare wire after").isPositive();
            assertThat(number(cells[17])).as("pipeline/bare wire: against the mean of the loops before and after")
                    .isCloseTo(number(cells[5]) / ((number(cells[15]) + number(cells[16])) / 2), within(0.01));
            assertThat(cells[18]).as("verify points/s (passes)").matches("[0-9,]+ \\([0-9]+\\)");
            assertThat(number(cells[18].replaceAll(" \\(.*", ""))).as("verify points/s").isPositive();
            assertThat(number(cells[19])).as("verify s").isNotNegative();
            assertThat(number(cells[20])).as("cutover s").isNotNegative();
            assertThat(number(cells[21])).as("command→completed s").isPositive();
            assertThat(number(cells[22])).as("completed/copy").isGreaterThanOrEqualTo(1.0);
            assertThat(number(cells[23])).as("of linear (one worker: itself)").isEqualTo(1.0);
            assertThat(number(cells[24])).as("run store KB (the run's rows: 4 ranges, a verify pass, events)").isPositive();
            assertThat(number(cells[25])).as("JIT cores: a young worker's compiler threads are busy (read from /proc, as RSS)")
                    .isPositive().isLessThanOrEqualTo(Runtime.getRuntime().availableProcessors());
            assertThat(number(cells[26])).as("round").isEqualTo(round);
        }
        assertThat(rounds[1][15]).as("round 2 is compared with the loop that ran after round 1").isEqualTo(rounds[0][16]);
        assertThat(out).contains("1 worker(s) x 2, batch 500, page 256, 2 rounds: pipeline/bare wire median ")
                .containsPattern("1 worker\\(s\\) x 2, batch 500, page 256: the coordinator and worker\\(s\\), idle, "
                        + "used [0-9.]+ % of one core while the bare wire loops ran");
        assertThat(benchRunsIn(PipelineBench.RUN_STORE_SCHEMA)).as("runs in the benchmark's own run store").isPositive();
        assertThat(benchRunsIn(RunStoreSchema.DEFAULT)).as("benchmark runs in the production run store")
                .isEqualTo(productionBenchRuns);
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

    /** Runs started by the benchmark (command ids "bench-...") in the run store of {@code schema}. */
    private static long benchRunsIn(String schema) throws Exception {
        try (Connection c = DriverManager.getConnection(LocalStack.postgresJdbcUrl(), "postgres", "");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_tables WHERE schemaname = '" + schema
                        + "' AND tablename = 'runs'")) {
            rs.next();
            if (rs.getLong(1) == 0) {
                return 0;
            }
        }
        try (Connection c = DriverManager.getConnection(LocalStack.postgresJdbcUrl(), "postgres", "");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + schema + ".runs WHERE command_id LIKE 'bench-%'")) {
            rs.next();
            return rs.getLong(1);
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

package io.apex.migrator.cli;

import io.apex.migrator.bench.BenchReport;
import io.apex.migrator.bench.PipelineBench;
import io.apex.migrator.bench.PipelineBenchReport;
import io.apex.migrator.pipeline.CommandKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.ConfigProvider;
import io.apex.migrator.bench.QueryBench;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.schema.postgres.PostgresSchemaConfig;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Benchmarks that measure what a migration buys. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks.",
        subcommands = {BenchCommand.Queries.class, BenchCommand.Pipeline.class})
public final class BenchCommand {

    @Command(name = "queries", mixinStandardHelpOptions = true,
            description = {"Query latency and recall@10 before (V001) and after (V002) the PostgreSQL migration, "
                    + "and float vs INT8-quantized search on Qdrant.",
                "Destructive on its own scratch names only: it DROPS and recreates the PostgreSQL schema "
                    + "'apex_bench' and the Qdrant collections 'apex_bench_float' and 'apex_bench_int8', and drops them "
                    + "afterwards. --dry-run lists them and changes nothing."})
    static final class Queries implements Callable<Integer> {

        @Option(names = "--vector-rows", defaultValue = "5000", description = "Rows with embeddings (pgvector). Default ${DEFAULT-VALUE}.")
        int vectorRows;

        @Option(names = "--jsonb-rows", defaultValue = "100000", description = "Rows for the JSONB figures. Default ${DEFAULT-VALUE}.")
        int jsonbRows;

        @Option(names = "--qdrant-points", defaultValue = "5000", description = "Points per Qdrant collection. Default ${DEFAULT-VALUE}.")
        int qdrantPoints;

        @Option(names = "--queries", defaultValue = "50", description = "Queries per kind. Default ${DEFAULT-VALUE}.")
        int queries;

        @Option(names = "--dimensions", defaultValue = "1536", description = "Embedding size. Default ${DEFAULT-VALUE}.")
        int dimensions;

        @Option(names = "--seed", defaultValue = "42", description = "Data generator seed. Default ${DEFAULT-VALUE}.")
        long seed;

        @Option(names = "--jsonb-jdbc-url", description = "A PostgreSQL (no pgvector needed) for the JSONB/GIN "
                + "figures at --jsonb-rows; same user/password as apex.postgres. Without it, the JSONB figures come "
                + "from the pgvector database at --vector-rows only.")
        Optional<String> jsonbJdbcUrl;

        @Option(names = "--index-matrix", description = "Also measure the seed's index claims at --vector-rows x "
                + "--dimensions: exact scan vs IVFFlat (lists=100; probes 1, 10) vs HNSW (m=16, ef_construction=64; "
                + "ef_search 40, 100), recall@10 against the exact top-10, JSONB containment without and with GIN, "
                + "index build time and size. Loads by binary COPY into the scratch schema apex_bench.")
        boolean indexMatrix;

        @Option(names = "--maintenance-work-mem", defaultValue = "1GB",
                description = "maintenance_work_mem of the index matrix's builds (e.g. 512MB, 2GB). Default ${DEFAULT-VALUE}.")
        String maintenanceWorkMem;

        @Option(names = "--skip-pgvector", description = "Skip the pgvector (V001 vs V002) part.")
        boolean skipPgvector;

        @Option(names = "--skip-qdrant", description = "Skip the Qdrant part.")
        boolean skipQdrant;

        @Option(names = "--dry-run", description = "List what would be created and dropped; change nothing.")
        boolean dryRun;

        @Inject
        PostgresSchemaConfig postgres;

        @Inject
        QdrantGateway gateway;

        @Override
        public Integer call() throws Exception {
            if (dryRun) {
                System.out.println("dry run, nothing was changed; the benchmark would create, fill and then drop:");
                if (!skipPgvector || indexMatrix) {
                    System.out.println("  PostgreSQL schema apex_bench (DROP SCHEMA ... CASCADE first if it exists)");
                }
                if (!skipQdrant) {
                    System.out.println("  Qdrant collections apex_bench_float, apex_bench_int8 (deleted first if they exist)");
                }
                return 0;
            }
            QueryBench.Options options;
            try {
                options = new QueryBench.Options(dimensions, vectorRows, jsonbRows, qdrantPoints, queries, seed,
                        !skipPgvector, !skipQdrant, jsonbJdbcUrl,
                        indexMatrix ? Optional.of(maintenanceWorkMem) : Optional.empty());
            } catch (IllegalArgumentException e) {
                System.err.println(e.getMessage());
                return 2;
            }
            QueryBench.Report report = QueryBench.run(options, postgres.settings(), gateway);
            System.out.print(BenchReport.table(report.rows()));
            if (!report.builds().isEmpty()) {
                System.out.println();
                System.out.print(BenchReport.builds(report.builds()));
            }
            return 0;
        }
    }

    @Command(name = "pipeline", mixinStandardHelpOptions = true,
            description = {"Migrates N synthetic points through the real pipeline (a coordinator and worker processes of "
                    + "this app, Kafka, the run store, Qdrant) and the bare io.qdrant:client scroll->upsert loop at the "
                    + "same concurrency; prints points/s, MB/s, batch latency, planning time, peak RSS and the ratio.",
                "Destructive on its own collections only: it DELETES and recreates collections whose names start with "
                    + "'bench_' (reserved for it: --source, bench_target, bench_bare_target, bench_warm_up_target, "
                    + "<source>_warmup) and refuses any other --source. Its processes keep their runs in the run-store "
                    + "schema '" + PipelineBench.RUN_STORE_SCHEMA + "', apart from the production runs, and use the "
                    + "topics 'apex-bench.*'. --dry-run lists all of it and changes nothing."})
    static final class Pipeline implements Callable<Integer> {

        @Option(names = "--points", defaultValue = "100000", description = "Points in the source. Default ${DEFAULT-VALUE}.")
        int points;

        @Option(names = "--dimensions", defaultValue = "1536", description = "Vector size. Default ${DEFAULT-VALUE}.")
        int dimensions;

        @Option(names = "--source", defaultValue = "bench_source",
                description = "Source collection, named bench_*: (re)created with --points synthetic points unless it holds "
                        + "exactly that many. Default ${DEFAULT-VALUE}.")
        String source;

        @Option(names = "--workers", split = ",", defaultValue = "1", description = "Worker processes (list). Default ${DEFAULT-VALUE}.")
        List<Integer> workers;

        @Option(names = "--concurrency", split = ",", defaultValue = "4",
                description = "Batch tasks in flight per worker process (list). Default ${DEFAULT-VALUE}.")
        List<Integer> concurrency;

        @Option(names = "--batch-size", split = ",", defaultValue = "1000", description = "Points per batch task (list). Default ${DEFAULT-VALUE}.")
        List<Integer> batchSizes;

        @Option(names = "--page-size", defaultValue = "256", description = "Points per scroll/upsert page. Default ${DEFAULT-VALUE}.")
        int pageSize;

        @Option(names = "--bulk-load", split = ",", defaultValue = "false", description = "Bulk-load mode off/on (list: false,true). Default ${DEFAULT-VALUE}.")
        List<Boolean> bulkLoad;

        @Option(names = "--matrix", description = "The scaling table: concurrency 1/2/4, 1 vs 2 workers, batch 64/256/1000, "
                + "bulk-load off/on (overrides the lists above).")
        boolean matrix;

        @Option(names = "--no-bare", description = "Skip the bare-client loop.")
        boolean noBare;

        @Option(names = "--no-warm-up", description = "Measure cold processes: skip the warm-up migrations "
                + "(--warm-up-points each) a scenario's processes, and the bare loops, do before the measured ones.")
        boolean noWarmUp;

        @Option(names = "--warm-up-points", defaultValue = "50000",
                description = "Points of the warm-up collection (at most --points). Default ${DEFAULT-VALUE}.")
        int warmUpPoints;

        @Option(names = "--warm-up-rounds", defaultValue = "3",
                description = "Warm-up migrations before each measured one. Default ${DEFAULT-VALUE}.")
        int warmUpRounds;

        @Option(names = "--rounds", defaultValue = "1",
                description = "Measured migrations per scenario, in the same warmed-up processes, with the bare wire loop "
                        + "run before the first and after each: every row's pipeline/bare wire is against the loops "
                        + "right before and after it. Default ${DEFAULT-VALUE}.")
        int rounds;

        @Option(names = "--separate-coordinator", description = "Run the coordinator (commands and progress consumers) "
                + "in a process of its own, the workers with the batch consumer only. Default: every replica takes "
                + "every role, as k8s/worker-deployment.yaml deploys them.")
        boolean separateCoordinator;

        @Option(names = "--keep-target", description = "Leave the pipeline's target collection (bench_target) for inspection.")
        boolean keepTarget;

        @Option(names = "--app-jar", description = "The packaged app to start as coordinator/workers (default: the running one, "
                + "else target/quarkus-app/quarkus-run.jar).")
        Optional<Path> appJar;

        @Option(names = "--worker-jvm-options", defaultValue = "-Xmx256m -XX:+UseSerialGC",
                description = "JVM options of each worker process. Default '${DEFAULT-VALUE}'.")
        String workerJvmOptions;

        @Option(names = "--coordinator-jvm-options", defaultValue = "-Xmx256m -XX:+UseSerialGC",
                description = "JVM options of the coordinator process (--separate-coordinator). Default '${DEFAULT-VALUE}'.")
        String coordinatorJvmOptions;

        @Option(names = "--jfr", description = "Record a JFR profile of every child process into this directory.")
        Optional<Path> jfr;

        @Option(names = "--log-dir", defaultValue = "target/bench-pipeline", description = "Child process logs. Default ${DEFAULT-VALUE}.")
        Path logDir;

        @Option(names = "--dry-run", description = "List the collections, topics and run-store schema the benchmark "
                + "would create and delete; change nothing.")
        boolean dryRun;

        @Option(names = "--run-timeout", defaultValue = "PT20M", description = "Longest wait for one run (ISO-8601). Default ${DEFAULT-VALUE}.")
        Duration runTimeout;

        @Inject
        QdrantGateway gateway;

        @Inject
        DataSource dataSource;
        @Inject
        CommandKeys commandKeys;

        @org.eclipse.microprofile.config.inject.ConfigProperty(name = "kafka.bootstrap.servers")
        String kafkaBootstrap;

        @Override
        public Integer call() throws Exception {
            try {
                PipelineBench.requireOwnedSource(source);
                if (rounds < 1) {
                    throw new IllegalArgumentException("--rounds must be at least 1, was " + rounds
                            + ". Nothing was changed.");
                }
            } catch (IllegalArgumentException e) {
                System.err.println(e.getMessage());
                return 2;
            }
            List<PipelineBench.Scenario> scenarios = new ArrayList<>();
            if (matrix) {
                scenarios.add(new PipelineBench.Scenario(1, 1, 1000, pageSize, false));
                scenarios.add(new PipelineBench.Scenario(1, 2, 1000, pageSize, false));
                scenarios.add(new PipelineBench.Scenario(1, 4, 1000, pageSize, false));
                scenarios.add(new PipelineBench.Scenario(2, 2, 1000, pageSize, false));
                scenarios.add(new PipelineBench.Scenario(2, 4, 1000, pageSize, false));
                scenarios.add(new PipelineBench.Scenario(1, 4, 64, pageSize, false));
                scenarios.add(new PipelineBench.Scenario(1, 4, 256, pageSize, false));
                scenarios.add(new PipelineBench.Scenario(1, 4, 1000, pageSize, true));
            } else {
                for (int w : workers) {
                    for (int c : concurrency) {
                        for (int b : batchSizes) {
                            for (boolean bulk : bulkLoad) {
                                scenarios.add(new PipelineBench.Scenario(w, c, b, pageSize, bulk));
                            }
                        }
                    }
                }
            }
            List<String> jvm = new ArrayList<>(List.of(workerJvmOptions.trim().split("\\s+")));
            List<String> coordinatorJvm = new ArrayList<>(List.of(coordinatorJvmOptions.trim().split("\\s+")));
            if (jfr.isPresent()) {
                java.nio.file.Files.createDirectories(jfr.get());
                String recording = "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                        + jfr.get().toAbsolutePath() + "/";
                jvm.add(recording);
                coordinatorJvm.add(recording);
            }
            PipelineBench.Options options = new PipelineBench.Options(source, points, dimensions, scenarios,
                    appJar.orElseGet(Pipeline::runningJar), jvm, coordinatorJvm, childProperties(), logDir, !noBare,
                    keepTarget, runTimeout, noWarmUp ? 0 : warmUpRounds, warmUpPoints, rounds, separateCoordinator);
            if (dryRun) {
                System.out.println("dry run, nothing was changed; the benchmark would delete and recreate the collections "
                        + String.join(", ", PipelineBench.collections(options)) + " (" + scenarios.size()
                        + " scenarios), use the topics apex-bench.* and keep its runs in the run-store schema "
                        + PipelineBench.RUN_STORE_SCHEMA);
                return 0;
            }
            PipelineBench.Report report = new PipelineBench(gateway, dataSource, kafkaBootstrap, commandKeys).run(options);
            System.out.print(PipelineBenchReport.text(report));
            System.out.flush();
            return 0;
        }

        /** Connection settings this process resolved, handed on to the children (secrets stay in the environment). */
        private static List<String> childProperties() {
            var config = ConfigProvider.getConfig();
            List<String> properties = new ArrayList<>();
            for (String key : List.of("apex.qdrant.host", "apex.qdrant.port", "apex.qdrant.tls", "kafka.bootstrap.servers",
                    "quarkus.datasource.jdbc.url", "quarkus.datasource.username")) {
                config.getOptionalValue(key, String.class).ifPresent(v -> properties.add("-D" + key + "=" + v));
            }
            return properties;
        }

        private static Path runningJar() {
            String classpath = System.getProperty("java.class.path", "");
            if (classpath.endsWith("quarkus-run.jar") && !classpath.contains(java.io.File.pathSeparator)) {
                return Path.of(classpath).toAbsolutePath();
            }
            return Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
        }
    }
}

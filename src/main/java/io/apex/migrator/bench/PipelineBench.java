package io.apex.migrator.bench;

import io.apex.migrator.api.CommandSignature;
import io.apex.migrator.api.Messages;
import io.apex.migrator.api.MigrateCommand;
import io.apex.migrator.api.PointRange;
import io.apex.migrator.pipeline.CommandKeys;
import io.apex.migrator.pipeline.RangePlanner;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.state.RunState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.GroupState;
import org.jboss.logging.Logger;

/**
 * {@code bench pipeline}: for each scenario, starts N replicas of the packaged app (each in every role, as deployed;
 * or a coordinator process and N worker processes),
 * warms them up, migrates the source through the real pipeline (Kafka, run store, Qdrant) in one or more rounds,
 * reads the figures back from the run store and /proc, and runs the bare wire loop over the same plan at the same
 * total concurrency before the first round and after each, then the typed bare loop once.
 */
public final class PipelineBench {

    private static final Logger LOGGER = Logger.getLogger(PipelineBench.class);
    static final String TARGET = "bench_target";
    static final String BARE_TARGET = "bench_bare_target";
    static final String WARM_UP_TARGET = "bench_warm_up_target";
    /**
     * The benchmark's own topics and consumer groups: it never takes commands meant for (or leaves tasks to) a
     * real worker fleet sharing the Kafka cluster.
     */
    static final String TOPICS = "apex-bench.";
    /**
     * The run-store schema of the benchmark's processes: their runs, batches and events stay out of the production run
     * store ({@code apex_migrator}) of the same database.
     */
    public static final String RUN_STORE_SCHEMA = "apex_bench_runs";
    private static final Map<String, String> GROUPS = Map.of("commands", "apex-bench-coordinator",
            "batches-in", "apex-bench-workers", "progress-in", "apex-bench-tracker");

    /** What a run of the benchmark is given. */
    public record Options(String source, int points, int dimensions, List<Scenario> scenarios, Path appJar,
            List<String> workerJvmOptions, List<String> coordinatorJvmOptions, List<String> childProperties,
            Path logDir, boolean bare, boolean keepTarget, Duration runTimeout, int warmUpRounds, int warmUpPointsAtMost,
            int rounds, boolean separateCoordinator) {

        public Options {
            if (rounds < 1) {
                throw new IllegalArgumentException("--rounds must be at least 1: " + rounds);
            }
        }

        boolean warmUp() {
            return warmUpRounds > 0;
        }

        String warmUpSource() {
            return source + "_warmup";
        }

        int warmUpPoints() {
            return Math.min(points, warmUpPointsAtMost);
        }
    }

    /** One configuration of the pipeline. */
    public record Scenario(int workers, int concurrency, int batchSize, int pageSize, boolean bulkLoad) {
        int threads() {
            return workers * concurrency;
        }
    }

    /**
     * The figures of one measured run of a scenario ({@code round} of the scenario's rounds, its processes left
     * running between them). The bare wire loop runs before the first round and after every round, so each round is
     * compared with the loops right before and after it ({@code bareWireBefore}, {@code bareWireAfter}): the
     * machine's drift between runs shows in every row instead of hiding in one loop run once.
     */
    public record Result(Scenario scenario, int round, long points, double copySeconds, double pointsPerSecond,
            double megabytesPerSecond, LatencySummary batchLatency, long planningMs, double planningMsPerMillionIds,
            long workerPeakRssMb, long coordinatorPeakRssMb, double bareSeconds, double barePointsPerSecond,
            double bareWireBefore, double bareWireAfter, double fleetCpuShareDuringBare, double endToEndSeconds,
            Verification verification, long runStoreBytes, double jitCores) {

        /** command→completed over the copy phase alone (the bound: 2.2). */
        public double endToEndOverCopy() {
            return copySeconds <= 0 ? 0 : endToEndSeconds / copySeconds;
        }

        public double ratio() {
            return barePointsPerSecond <= 0 ? 0 : pointsPerSecond / barePointsPerSecond;
        }

        /** The mean of the bare wire loops run right before and right after this round (0: none ran). */
        public double bareWirePointsPerSecond() {
            return bareWireBefore <= 0 || bareWireAfter <= 0 ? 0 : (bareWireBefore + bareWireAfter) / 2;
        }

        public double wireRatio() {
            double bareWire = bareWirePointsPerSecond();
            return bareWire <= 0 ? 0 : pointsPerSecond / bareWire;
        }

        Result withBare(double bareSeconds, double barePointsPerSecond, double bareWireBefore, double bareWireAfter,
                double fleetCpuShareDuringBare) {
            return new Result(scenario, round, points, copySeconds, pointsPerSecond, megabytesPerSecond, batchLatency,
                    planningMs, planningMsPerMillionIds, workerPeakRssMb, coordinatorPeakRssMb, bareSeconds,
                    barePointsPerSecond, bareWireBefore, bareWireAfter, fleetCpuShareDuringBare, endToEndSeconds,
                    verification, runStoreBytes, jitCores);
        }
    }

    /**
     * The run after its copy, from the run store: verification (the first verify pass dispatched → the last pass
     * closed; {@code points} counts both sides' ranges once per pass, as the verify tasks report them) and the cutover
     * (the last pass closed → the run completed: swap, events).
     */
    public record Verification(int passes, long points, double seconds, double cutoverSeconds) {
        public double pointsPerSecond() {
            return seconds <= 0 ? 0 : points / seconds;
        }
    }

    /** Everything a run measured. */
    public record Report(int points, int meanPointBytes, long plannerMs, double plannerMsPerMillionIds,
            boolean separateCoordinator, List<Result> results) {
    }

    /** A run of the benchmark as its processes recorded it in {@link #RUN_STORE_SCHEMA}. */
    private record BenchRun(UUID id, RunState state, String failure, long copiedPoints, java.time.Instant createdAt,
            java.time.Instant copyStartedAt, java.time.Instant copiedAt) {
    }

    private final QdrantGateway gateway;
    private final DataSource dataSource;
    private final String bootstrap;
    private final CommandKeys keys;

    /** {@code keys}: the bench's workers inherit this process's configuration, signing key included. */
    public PipelineBench(QdrantGateway gateway, DataSource dataSource, String kafkaBootstrap, CommandKeys keys) {
        this.gateway = gateway;
        this.dataSource = dataSource;
        this.bootstrap = kafkaBootstrap;
        this.keys = keys;
    }

    /**
     * Refuses a {@code --source} the benchmark does not own (see {@link BenchSource#PREFIX}).
     *
     * @throws IllegalArgumentException naming the collection and the rule
     */
    public static void requireOwnedSource(String source) {
        BenchSource.requireOwned(source, "--source");
    }

    /** Every collection a run with {@code options} creates and deletes (all of them carry the reserved prefix). */
    public static List<String> collections(Options options) {
        List<String> names = new ArrayList<>(List.of(options.source(), TARGET));
        if (options.bare()) {
            names.add(BARE_TARGET);
        }
        if (options.warmUp()) {
            names.add(options.warmUpSource());
            names.add(WARM_UP_TARGET);
        }
        return names;
    }

    public Report run(Options options) throws Exception {
        for (String collection : collections(options)) {
            BenchSource.requireOwned(collection, "collection");
        }
        int pointBytes = BenchSource.ensure(gateway, options.source(), options.points(), options.dimensions());
        if (options.warmUp()) {
            BenchSource.ensure(gateway, options.warmUpSource(), options.warmUpPoints(), options.dimensions());
        }
        // Planning cost in isolation: the coordinator's own planner, ids only, in this process.
        long planStart = System.nanoTime();
        RangePlanner.Plan ids = RangePlanner.plan(gateway, options.source(), 1000, 10_000);
        long plannerMs = (System.nanoTime() - planStart) / 1_000_000;
        double plannerPerMillion = ids.points() == 0 ? 0 : plannerMs * 1e6 / ids.points();
        // Warm-up: this JVM's bare loops (and the stand-in's scroll/upsert paths) compiled before anything is
        // measured, as the workers are by their own warm-up runs, so no bare loop pays for the JIT either.
        warmUpBareLoops(options);
        List<Result> results = new ArrayList<>();
        for (Scenario scenario : options.scenarios()) {
            results.addAll(scenario(options, scenario, pointBytes));
        }
        return new Report(options.points(), pointBytes, plannerMs, plannerPerMillion, options.separateCoordinator(),
                results);
    }

    /**
     * One scenario: its coordinator and workers started and warmed up, then {@code options.rounds()} measured runs,
     * the bare wire loop before the first and after each (the processes idle meanwhile; their CPU is measured), and
     * once they are stopped the typed bare loop.
     */
    private List<Result> scenario(Options options, Scenario scenario, int pointBytes) throws Exception {
        List<Result> rounds = new ArrayList<>();
        List<Double> bareWire = new ArrayList<>();
        double bareWireSeconds = 0;
        double fleetCpuSeconds = 0;
        // the bare loops' plan, as the coordinator plans the measured runs: the source does not change between them
        List<PointRange> plan = options.bare() ? plan(options, scenario) : List.of();
        try (Fleet fleet = startFleet(options, scenario)) {
            warmUp(options, scenario);
            for (int round = 1; round <= options.rounds(); round++) {
                if (options.bare() && round == 1) {
                    bareWire.add(bareWire(options, scenario, plan));
                }
                rounds.add(measuredRun(options, scenario, pointBytes, fleet, round));
                if (options.bare()) {
                    Duration cpuBefore = fleet.cpu();
                    long start = System.nanoTime();
                    bareWire.add(bareWire(options, scenario, plan));
                    bareWireSeconds += (System.nanoTime() - start) / 1e9;
                    fleetCpuSeconds += fleet.cpu().minus(cpuBefore).toNanos() / 1e9;
                }
            }
        }
        if (!options.bare()) {
            return rounds;
        }
        BareLoop.Result typed = bareCopy(false, options.source(), plan, pageSize(scenario),
                scenario.threads(), options.points());
        double fleetShare = bareWireSeconds <= 0 ? 0 : fleetCpuSeconds / bareWireSeconds;
        List<Result> results = new ArrayList<>();
        for (Result r : rounds) {
            results.add(r.withBare(typed.seconds(), typed.pointsPerSecond(), bareWire.get(r.round() - 1),
                    bareWire.get(r.round()), fleetShare));
            LOGGER.infof("bench: %s round %d -> %.0f points/s (bare %.0f points/s, bare wire %.0f / %.0f points/s)",
                    scenario, r.round(), r.pointsPerSecond(), typed.pointsPerSecond(), bareWire.get(r.round() - 1),
                    bareWire.get(r.round()));
        }
        return results;
    }

    /**
     * A scenario's processes, ready and in their consumer groups: N replicas taking every role, as deployed, or (with
     * {@code separateCoordinator}) a coordinator process and N worker processes.
     */
    private record Fleet(Optional<AppProcess> coordinator, List<AppProcess> workers) implements AutoCloseable {

        /** CPU seconds each JIT compiler thread of the fleet's processes has used so far, by "pid/tid". */
        Map<String, Double> compilerCpu() {
            Map<String, Double> all = new java.util.HashMap<>();
            for (AppProcess p : all()) {
                CompilerThreads.cpuSeconds(p.pid()).forEach((tid, seconds) -> all.put(p.pid() + "/" + tid, seconds));
            }
            return all;
        }

        /** CPU time the fleet's processes have used so far. */
        Duration cpu() {
            Duration total = Duration.ZERO;
            for (AppProcess p : all()) {
                total = total.plus(ProcessHandle.of(p.pid()).flatMap(h -> h.info().totalCpuDuration())
                        .orElse(Duration.ZERO));
            }
            return total;
        }

        long workerPeakRssMb() {
            return workers.stream().mapToLong(w -> w.peakRssBytes().orElse(0L)).max().orElse(0) / (1024 * 1024);
        }

        long coordinatorPeakRssMb() {
            return coordinator.flatMap(AppProcess::peakRssBytes).orElse(0L) / (1024 * 1024);
        }

        List<AppProcess> all() {
            List<AppProcess> all = new ArrayList<>();
            coordinator.ifPresent(all::add);
            all.addAll(workers);
            return all;
        }

        @Override
        public void close() {
            all().forEach(AppProcess::close);
        }
    }

    private Fleet startFleet(Options options, Scenario scenario) throws Exception {
        List<String> properties = new ArrayList<>(options.childProperties());
        properties.add("-Dapex.pipeline.worker.concurrency=" + scenario.concurrency());
        properties.add("-Dapex.pipeline.page-size=" + scenario.pageSize());
        for (String topic : List.of("commands", "batches", "progress", "events", "dead-letter")) {
            properties.add("-Dapex.topics." + topic + "=" + TOPICS + topic);
        }
        GROUPS.forEach((channel, group) -> properties.add("-Dmp.messaging.incoming." + channel + ".group.id=" + group));
        properties.add("-Dapex.run-store.schema=" + RUN_STORE_SCHEMA);
        String tag = "w" + scenario.workers() + "c" + scenario.concurrency() + "b" + scenario.batchSize()
                + (scenario.bulkLoad() ? "-bulk" : "");
        List<AppProcess> started = new ArrayList<>();
        try {
            Optional<AppProcess> coordinator = Optional.empty();
            if (options.separateCoordinator()) {
                coordinator = Optional.of(AppProcess.start("coordinator-" + tag, AppProcess.Role.COORDINATOR,
                        options.appJar(), options.coordinatorJvmOptions(), properties, options.logDir()));
                started.add(coordinator.get());
            }
            AppProcess.Role role = options.separateCoordinator() ? AppProcess.Role.WORKER : AppProcess.Role.REPLICA;
            List<AppProcess> workers = new ArrayList<>();
            for (int w = 0; w < scenario.workers(); w++) {
                AppProcess worker = AppProcess.start("worker" + (w + 1) + "-" + tag, role, options.appJar(),
                        options.workerJvmOptions(), properties, options.logDir());
                started.add(worker);
                workers.add(worker);
            }
            for (AppProcess p : started) {
                p.awaitReady(Duration.ofSeconds(180));
            }
            awaitGroups(scenario.workers(), options.separateCoordinator());
            return new Fleet(coordinator, workers);
        } catch (Exception | Error e) {
            started.forEach(AppProcess::close);
            throw e;
        }
    }

    private void warmUp(Options options, Scenario scenario) throws Exception {
        for (int round = 0; round < options.warmUpRounds(); round++) {
            // Workers are long-running services: measure them warm (JIT-compiled, pools and channels open). Three
            // rounds of 10k points left C2 compiling netty, gRPC and Kafka code through the measured copy (38 % of
            // the worker's CPU in it): per-page code reaches C2's thresholds only after some 100k points.
            BenchSource.createLike(gateway, options.warmUpSource(), WARM_UP_TARGET);
            BenchRun warm = awaitEnd(send(new MigrateCommand("bench-warm-up-" + UUID.randomUUID(), options.warmUpSource(),
                    WARM_UP_TARGET, null, scenario.batchSize(), false, false, false, scenario.bulkLoad(), null)),
                    options.runTimeout());
            gateway.deleteCollection(WARM_UP_TARGET);
            if (warm.state() != RunState.COMPLETED) {
                throw new IllegalStateException("warm-up run " + warm.id() + " ended " + warm.state().db() + ": "
                        + warm.failure());
            }
        }
    }

    /** One measured migration of the source into a fresh {@link #TARGET} (left after the last round with --keep-target). */
    private Result measuredRun(Options options, Scenario scenario, int pointBytes, Fleet fleet, int round)
            throws Exception {
        BenchSource.createLike(gateway, options.source(), TARGET);
        try {
            String commandId = "bench-" + UUID.randomUUID();
            Map<String, Double> compilerBefore = fleet.compilerCpu();
            long sent = System.nanoTime();
            send(new MigrateCommand(commandId, options.source(), TARGET, null, scenario.batchSize(), false,
                    false, false, scenario.bulkLoad(), null));
            BenchRun run = awaitEnd(commandId, options.runTimeout());
            double endToEnd = (System.nanoTime() - sent) / 1e9;
            double jitCores = CompilerThreads.between(compilerBefore, fleet.compilerCpu()) / endToEnd;
            if (run.state() != RunState.COMPLETED) {
                throw new IllegalStateException("bench run " + run.id() + " ended " + run.state().db() + ": "
                        + run.failure());
            }
            long target = gateway.count(TARGET);
            if (target != options.points()) {
                throw new IllegalStateException("bench run " + run.id() + ": target holds " + target + " points, source "
                        + options.points());
            }
            double copySeconds = Duration.between(run.copyStartedAt(), run.copiedAt()).toNanos() / 1e9;
            long planningMs = Duration.between(run.createdAt(), run.copyStartedAt()).toMillis();
            double pps = run.copiedPoints() / copySeconds;
            return new Result(scenario, round, run.copiedPoints(), copySeconds, pps, pps * pointBytes / 1e6,
                    LatencySummary.ofNanos(batchDurationsNanos(run.id())), planningMs,
                    run.copiedPoints() == 0 ? 0 : planningMs * 1e6 / run.copiedPoints(), fleet.workerPeakRssMb(),
                    fleet.coordinatorPeakRssMb(), 0, 0, 0, 0, 0, endToEnd,
                    verification(run.id()), runStoreBytes(run.id()), jitCores);
        } finally {
            if (!options.keepTarget() || round < options.rounds()) {
                gateway.deleteCollection(TARGET);
            }
        }
    }

    /** The wire-level bare loop over the scenario's plan, its points/s. */
    private double bareWire(Options options, Scenario scenario, List<PointRange> plan) throws Exception {
        return bareCopy(true, options.source(), plan, pageSize(scenario), scenario.threads(),
                options.points()).pointsPerSecond();
    }

    private List<PointRange> plan(Options options, Scenario scenario) {
        return RangePlanner.plan(gateway, options.source(), scenario.batchSize(), 10_000).ranges();
    }

    private static int pageSize(Scenario scenario) {
        return Math.min(scenario.pageSize(), scenario.batchSize());
    }

    private void warmUpBareLoops(Options options) throws Exception {
        if (!options.warmUp()) {
            return;
        }
        RangePlanner.Plan plan = RangePlanner.plan(gateway, options.warmUpSource(), 1000, 10_000);
        for (int round = 0; round < options.warmUpRounds(); round++) {
            for (boolean wire : new boolean[] {false, true}) {
                bareCopy(wire, options.warmUpSource(), plan.ranges(), 256, 4, options.warmUpPoints());
            }
        }
    }

    /**
     * One bare loop (typed, or wire-level) from {@code source} into a fresh {@link #BARE_TARGET}, which must then hold
     * {@code sourcePoints} points and is deleted afterwards.
     */
    private BareLoop.Result bareCopy(boolean wire, String source, List<PointRange> ranges, int pageSize, int threads,
            long sourcePoints) throws Exception {
        BenchSource.createLike(gateway, source, BARE_TARGET);
        try {
            BareLoop.Result result = wire
                    ? BareLoop.runWire(gateway.settings(), source, BARE_TARGET, ranges, pageSize, threads)
                    : BareLoop.run(gateway.settings(), source, BARE_TARGET, ranges, pageSize, threads);
            long target = gateway.count(BARE_TARGET);
            if (target != sourcePoints) {
                throw new IllegalStateException("bare loop: target holds " + target + " points, source " + sourcePoints);
            }
            return result;
        } finally {
            gateway.deleteCollection(BARE_TARGET);
        }
    }

    private String send(MigrateCommand command) throws Exception {
        byte[] value = Messages.get().write(command).getBytes(StandardCharsets.UTF_8);
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(TOPICS + "commands", command.commandId(), value);
        keys.sign(value).ifPresent(signature -> record.headers().add(CommandSignature.HEADER,
                signature.getBytes(StandardCharsets.US_ASCII)));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(record).get(30, TimeUnit.SECONDS);
        }
        return command.commandId();
    }

    /**
     * Waits until every consumer group of the pipeline is stable with its expected members, every worker with
     * partitions of the batches topic (replicas beyond the commands or progress topic's partitions get none of those).
     */
    private void awaitGroups(int workers, boolean separateCoordinator) throws InterruptedException, ExecutionException {
        int coordinators = separateCoordinator ? 1 : workers;
        String batchGroup = GROUPS.get("batches-in");
        Map<String, Integer> expected = Map.of(batchGroup, workers, GROUPS.get("commands"), coordinators,
                GROUPS.get("progress-in"), coordinators);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            while (true) {
                Map<String, ConsumerGroupDescription> groups;
                try {
                    groups = admin.describeConsumerGroups(expected.keySet()).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.GroupIdNotFoundException)) {
                        throw e;
                    }
                    groups = Map.of(); // a group not joined yet
                }
                boolean stable = groups.size() == expected.size() && groups.entrySet().stream().allMatch(e -> e.getValue().groupState() == GroupState.STABLE
                        && e.getValue().members().size() == expected.get(e.getKey())
                        && (e.getKey().equals(batchGroup)
                                ? e.getValue().members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty())
                                : e.getValue().members().stream().anyMatch(m -> !m.assignment().topicPartitions().isEmpty())));
                if (stable) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("consumer groups not stable after 120 s: " + groups);
                }
                TimeUnit.MILLISECONDS.sleep(250);
            }
        }
    }

    private BenchRun awaitEnd(String commandId, Duration timeout) throws InterruptedException, TimeoutException,
            SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<BenchRun> run = findRun(commandId);
            if (run.isPresent() && run.get().state().isFinal()) {
                return run.get();
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new TimeoutException("bench command " + commandId + " did not finish within " + timeout.toSeconds() + " s");
    }

    private Optional<BenchRun> findRun(String commandId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT id, state, failure, copied_points, created_at, "
                        + "copy_started_at, copied_at FROM " + RUN_STORE_SCHEMA + ".runs WHERE command_id = ?")) {
            ps.setString(1, commandId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new BenchRun((UUID) rs.getObject(1), RunState.fromDb(rs.getString(2)),
                        rs.getString(3), rs.getLong(4), instant(rs.getTimestamp(5)), instant(rs.getTimestamp(6)),
                        instant(rs.getTimestamp(7))));
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) { // undefined_table: no process has created the schema yet
                return Optional.empty();
            }
            throw e;
        }
    }

    private static java.time.Instant instant(java.sql.Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private Verification verification(UUID runId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT count(*), "
                        + "extract(epoch FROM max(p.closed_at) - min(coalesce(p.dispatched_at, p.started_at))), "
                        + "extract(epoch FROM r.finished_at - max(p.closed_at)), "
                        + "(SELECT coalesce(sum(b.points), 0) FROM " + RUN_STORE_SCHEMA + ".batches b "
                        + "WHERE b.run_id = r.id AND b.kind = 'verify') "
                        + "FROM " + RUN_STORE_SCHEMA + ".runs r JOIN " + RUN_STORE_SCHEMA + ".verify_passes p "
                        + "ON p.run_id = r.id WHERE r.id = ? GROUP BY r.id, r.finished_at")) {
            ps.setObject(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new Verification(0, 0, 0, 0);
                }
                return new Verification(rs.getInt(1), rs.getLong(4), rs.getDouble(2), rs.getDouble(3));
            }
        }
    }

    /**
     * What the run keeps in the run store: the bytes of its rows (pg_column_size of each row, indexes not counted) in
     * every table of {@link #RUN_STORE_SCHEMA} with a {@code run_id} column, and its row of {@code runs}.
     */
    private long runStoreBytes(UUID runId) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT table_name FROM information_schema.columns "
                        + "WHERE table_schema = ? AND column_name = 'run_id'")) {
            ps.setString(1, RUN_STORE_SCHEMA);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            long bytes = 0;
            for (String table : tables) {
                bytes += sumRowBytes(c, "SELECT coalesce(sum(pg_column_size(t.*)), 0) FROM " + RUN_STORE_SCHEMA + ".\""
                        + table + "\" t WHERE t.run_id = ?", runId);
            }
            return bytes + sumRowBytes(c, "SELECT coalesce(sum(pg_column_size(t.*)), 0) FROM " + RUN_STORE_SCHEMA
                    + ".runs t WHERE t.id = ?", runId);
        }
    }

    private static long sumRowBytes(Connection c, String sql, UUID runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private List<Long> batchDurationsNanos(UUID runId) throws SQLException {
        List<Long> nanos = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT duration_ms FROM " + RUN_STORE_SCHEMA + ".batches "
                        + "WHERE run_id = ? AND kind = 'copy' AND duration_ms IS NOT NULL")) {
            ps.setObject(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    nanos.add(rs.getLong(1) * 1_000_000);
                }
            }
        }
        return nanos;
    }
}

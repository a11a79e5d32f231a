package io.apex.migrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.apex.migrator.qdrant.standin.AliasUpdates;
import io.apex.migrator.qdrant.standin.SyntheticPoints;
import io.qdrant.client.grpc.Collections.AliasOperations;
import io.qdrant.client.grpc.Collections.CreateAlias;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.apex.migrator.support.ProjectDir;
import io.apex.migrator.support.ScratchDirs;
import io.cloudevents.CloudEvent;
import io.grpc.Status;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.GraphDatabase;

/**
 * The work a crash point interrupts, as {@link LifecycleCrashMatrixIT} drives and checks it: a Qdrant run (its
 * command sent, with a manual cutover requested by command when asked) or a schema command. {@link #progress()}
 * changes exactly when the work moves (who holds it aside), {@link #done()} tells it ended, and
 * {@link #assertEndedOnce()} checks that it ended as if nothing had crashed.
 */
interface CrashWork {

    /** What has happened to the work so far, less who holds it: compared before and after a takeover. */
    String progress();

    /** Whether it has ended as expected; throws when it ended otherwise (failed, rejected). */
    boolean done();

    /** Asserts it ended once and whole; returns the UpdateAliases requests (and moves) it took, or "-". */
    String assertEndedOnce();

    static CrashWork run(LifecycleStack stack, String pairName, int points, int range, boolean manualCutover) {
        return RunWork.begin(stack, pairName, points, range, manualCutover);
    }

    /**
     * A migration whose source collection is named like the alias, so its cutover snapshots and drops the source and
     * then creates the alias.
     */
    static CrashWork replacing(LifecycleStack stack, String pairName, int points, int range) {
        return RunWork.replacing(stack, pairName, points, range);
    }

    /** A release of one collection (its manifest and the target's spec written to the given folders). */
    static CrashWork release(LifecycleStack stack, String pairName, int points, int range, ReleaseFolders folders,
            boolean manualCutover) {
        return ReleaseWork.begin(stack, pairName, points, range, folders, manualCutover);
    }

    static CrashWork schema(LifecycleStack stack, SchemaStores stores, boolean postgres) {
        return SchemaWork.begin(stack, stores, postgres);
    }

    /**
     * An in-place change ({@code inPlace: true}) of the collection behind an alias: HNSW params from a spec written to
     * the replicas' specs folder, then the readiness gate and {@code schema-ready}; nothing copied, the alias stays.
     */
    static CrashWork inPlace(LifecycleStack stack, String pairName, int points, ReleaseFolders folders) {
        return InPlaceWork.begin(stack, pairName, points, folders);
    }

    /**
     * A migration whose verification cannot check one range: every scroll of the target that would return one point
     * fails with FAILED_PRECONDITION (not transient), so the verify task of the range holding it fails for good. It
     * must end {@code failed}, never cut over.
     */
    static CrashWork failedVerification(LifecycleStack stack, String pairName, int points, int range) {
        return FailedVerificationWork.begin(stack, pairName, points, range);
    }

    /** Seconds from {@code from} to {@code to}, one decimal; "-" when {@code to} never came. */
    static String seconds(Instant from, Instant to) {
        return to == null ? "-" : String.format(Locale.ROOT, "%.1f", Duration.between(from, to).toMillis() / 1000.0);
    }

    /** Writes a report under target/reliability/ (where README "Reliability" figures are copied from). */
    static void writeReport(String file, String text) {
        try {
            Path dir = Files.createDirectories(ProjectDir.resolve(Path.of("target", "reliability")));
            Files.writeString(dir.resolve(file), text + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A migration of a seeded pair, cut over automatically or on a {@code qdrant.cutover} command. */
    final class RunWork implements CrashWork {

        private final LifecycleStack stack;
        private final SeededPair pair;
        private final int points;
        private final AliasUpdates aliasBefore;
        private final String commandId;
        private final boolean replacing;

        private RunWork(LifecycleStack stack, SeededPair pair, int points, String commandId, AliasUpdates before) {
            this(stack, pair, points, commandId, before, false);
        }

        private RunWork(LifecycleStack stack, SeededPair pair, int points, String commandId, AliasUpdates before,
                boolean replacing) {
            this.replacing = replacing;
            this.stack = stack;
            this.pair = pair;
            this.points = points;
            this.commandId = commandId;
            this.aliasBefore = before;
        }

        static RunWork begin(LifecycleStack stack, String pairName, int points, int range, boolean manualCutover) {
            SeededPair pair = SeededPair.seed(stack.gateway, stack.qdrant, pairName, points, LifecycleStack.DIMS);
            AliasUpdates before = stack.qdrant.aliasUpdates(pair.alias());
            String commandId = stack.send(manualCutover ? pair.migrate(range, "\"cutover\":\"manual\"")
                    : pair.migrate(range));
            RunWork work = new RunWork(stack, pair, points, commandId, before);
            if (manualCutover) {
                LifecycleStack.RunRow ready = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                        .until(() -> stack.run(commandId).orElse(null),
                                r -> r != null && "ready-for-cutover".equals(r.state()));
                stack.send("{\"schemaVersion\":1,\"commandId\":\"cut-" + UUID.randomUUID()
                        + "\",\"type\":\"qdrant.cutover\",\"runId\":\"" + ready.id() + "\"}");
            }
            return work;
        }

        static RunWork replacing(LifecycleStack stack, String pairName, int points, int range) {
            SeededPair pair = SeededPair.seedNamedLikeAlias(stack.gateway, stack.qdrant, pairName, points,
                    LifecycleStack.DIMS);
            AliasUpdates before = stack.qdrant.aliasUpdates(pair.alias());
            String commandId = stack.send(pair.migrate(range, "\"dropCollectionNamedLikeAlias\":true"));
            return new RunWork(stack, pair, points, commandId, before, true);
        }

        @Override
        public String progress() {
            return progressOf(stack, commandId);
        }

        @Override
        public boolean done() {
            return completed(stack, commandId);
        }

        /** What has happened to the run of {@code commandId} (see {@link LifecycleStack#progressOf}). */
        static String progressOf(LifecycleStack stack, String commandId) {
            return stack.run(commandId).map(r -> stack.progressOf(r.id())).orElse("");
        }

        /** Whether the run of {@code commandId} completed with schema-ready on the topic; throws if it ended else. */
        static boolean completed(LifecycleStack stack, String commandId) {
            Optional<LifecycleStack.RunRow> run = stack.run(commandId);
            if (run.isEmpty()) {
                return false;
            }
            if (run.get().isFinal() && !"completed".equals(run.get().state())) {
                throw new AssertionError("run " + run.get().id() + " ended " + run.get().state() + ": "
                        + run.get().failure());
            }
            return "completed".equals(run.get().state())
                    && !stack.events("schema-ready", "runId", run.get().id().toString()).isEmpty();
        }

        /** schema-ready of {@code runId} on the topic under exactly the id(s) the run store recorded. */
        static void assertSchemaReadyOnTopicAsRecorded(LifecycleStack stack, UUID runId) {
            List<CloudEvent> ready = stack.eventsToEnd("schema-ready", "runId", runId.toString());
            assertThat(ready.stream().map(CloudEvent::getId).distinct()).as("ids of schema-ready on the topic")
                    .containsExactly(stack.strings("SELECT id::text FROM apex_migrator.events WHERE run_id = ? "
                            + "AND type = 'schema-ready'", runId).toArray(String[]::new));
        }

        @Override
        public String assertEndedOnce() {
            return replacing ? assertReplacedOnce() : assertEndedOnce(stack, pair, points, commandId, aliasBefore);
        }

        /**
         * The replacing run completed once: the alias created once, at the target holding every point; the source
         * collection is gone, and the snapshot taken of it before the delete is recorded with the run and is in
         * Qdrant's snapshots directory.
         */
        private String assertReplacedOnce() {
            LifecycleStack.RunRow run = stack.run(commandId).orElseThrow();
            assertThat(run.state()).isEqualTo("completed");
            assertThat(stack.gateway.aliases()).containsEntry(pair.alias(), pair.target());
            for (String once : List.of("alias-swapped", "migration-completed", "schema-ready")) {
                assertThat(stack.recordedEvents(run.id(), once)).as("%s events recorded", once).isEqualTo(1);
            }
            assertThat(stack.strings("SELECT data->>'previousCollection' FROM apex_migrator.events WHERE run_id = ? "
                    + "AND type = 'alias-swapped'", run.id())).containsExactly(pair.source());
            List<String> snapshot = stack.strings("SELECT summary->'droppedCollectionSnapshot'->>'name' FROM "
                    + "apex_migrator.runs WHERE id = ?", run.id());
            assertThat(snapshot).as("snapshot recorded with the run").singleElement().isNotNull();
            assertThat(stack.qdrant.snapshotFiles(pair.source())).contains(snapshot.get(0));
            AliasUpdates after = stack.qdrant.aliasUpdates(pair.alias());
            int requests = after.requests() - aliasBefore.requests();
            int moves = after.moves() - aliasBefore.moves();
            assertThat(moves).as("times the alias was moved (%s UpdateAliases requests)", requests).isEqualTo(1);
            assertThat(stack.gateway.count(pair.target())).isEqualTo(points);
            return requests + " (" + moves + ")";
        }

        /**
         * Asserts the run of {@code commandId} completed once: the alias moved once (since {@code before}), one
         * alias-swapped, completed and schema-ready recorded, schema-ready on the topic under that one id, the
         * target equal to the source. Returns the UpdateAliases requests it took, with the moves in brackets.
         */
        static String assertEndedOnce(LifecycleStack stack, SeededPair pair, int points, String commandId,
                AliasUpdates before) {
            LifecycleStack.RunRow run = stack.run(commandId).orElseThrow();
            assertThat(run.state()).isEqualTo("completed");
            assertThat(stack.gateway.aliases()).containsEntry(pair.alias(), pair.target());
            for (String once : List.of("alias-swapped", "migration-completed", "schema-ready")) {
                assertThat(stack.recordedEvents(run.id(), once)).as("%s events recorded", once).isEqualTo(1);
            }
            assertThat(stack.strings("SELECT data->>'previousCollection' FROM apex_migrator.events WHERE run_id = ? "
                    + "AND type = 'alias-swapped'", run.id())).as("alias-swapped's previous collection")
                    .containsExactly(pair.source());
            AliasUpdates after = stack.qdrant.aliasUpdates(pair.alias());
            int requests = after.requests() - before.requests();
            int moves = after.moves() - before.moves();
            assertThat(moves).as("times the alias was moved (%s UpdateAliases requests)", requests).isEqualTo(1);
            assertSchemaReadyOnTopicAsRecorded(stack, run.id());
            assertThat(TestCollections.assertSameContent(stack.gateway, pair.source(), pair.target()))
                    .isEqualTo(points);
            return requests + " (" + moves + ")";
        }
    }

    /** A migration whose one range's verify task fails for good; see {@link #failedVerification}. */
    record FailedVerificationWork(LifecycleStack stack, SeededPair pair, int points, String commandId,
            AliasUpdates aliasBefore) implements CrashWork {

        static FailedVerificationWork begin(LifecycleStack stack, String pairName, int points, int range) {
            SeededPair pair = SeededPair.seed(stack.gateway, stack.qdrant, pairName, points, LifecycleStack.DIMS);
            // the copy reads only the source: the target's scrolls are the verification's; the middle point's range
            // is neither the first nor the last
            stack.qdrant.faults().unreadablePoint(pair.target(), points / 2, Status.Code.FAILED_PRECONDITION);
            AliasUpdates before = stack.qdrant.aliasUpdates(pair.alias());
            String commandId = stack.send(pair.migrate(range));
            return new FailedVerificationWork(stack, pair, points, commandId, before);
        }

        @Override
        public String progress() {
            return RunWork.progressOf(stack, commandId);
        }

        /** Whether the run failed with migration-failed on the topic; throws if it ended otherwise. */
        @Override
        public boolean done() {
            Optional<LifecycleStack.RunRow> run = stack.run(commandId);
            if (run.isEmpty() || !run.get().isFinal()) {
                return false;
            }
            if (!"failed".equals(run.get().state())) {
                throw new AssertionError("run " + run.get().id() + " ended " + run.get().state()
                        + " past a range whose verification failed");
            }
            return !stack.events("migration-failed", "runId", run.get().id().toString()).isEmpty();
        }

        /**
         * Failed once, naming the range that was not verified: no verified, alias-swapped or schema-ready recorded,
         * none of the latter on the topic; migration-failed recorded once and on the topic under that one id (the
         * outbox sends at least once, consumers deduplicate on the id); no UpdateAliases, the alias on the source, the
         * source as it was seeded.
         */
        @Override
        public String assertEndedOnce() {
            LifecycleStack.RunRow run = stack.run(commandId).orElseThrow();
            assertThat(run.state()).isEqualTo("failed");
            List<String> unverified = stack.strings("SELECT batch_index::text FROM apex_migrator.batches WHERE "
                    + "run_id = ? AND kind = 'verify' AND state = 'failed'", run.id());
            // the unreadable point's range, and those after it in the same batches message (not worked)
            assertThat(unverified).as("verify ranges failed").isNotEmpty();
            // the closing of the pass failed it (the tracker that stored the report halted), naming every such range
            assertThat(run.failure()).as("the run's failure").startsWith("verification of ranges [");
            for (String index : unverified) {
                assertThat(run.failure()).as("the run's failure").containsPattern("(\\[|, )" + index + " \\[");
            }
            for (String never : List.of("migration-verified", "alias-swapped", "migration-completed",
                    "schema-ready")) {
                assertThat(stack.recordedEvents(run.id(), never)).as("%s events recorded", never).isZero();
            }
            assertThat(stack.eventsToEnd("schema-ready", "runId", run.id().toString())).as("schema-ready on the topic")
                    .isEmpty();
            List<String> recorded = stack.strings("SELECT id::text FROM apex_migrator.events WHERE run_id = ? "
                    + "AND type = 'migration-failed'", run.id());
            assertThat(recorded).as("migration-failed recorded").hasSize(1);
            assertThat(stack.eventsToEnd("migration-failed", "runId", run.id().toString()).stream()
                    .map(CloudEvent::getId).distinct()).as("ids of migration-failed on the topic")
                    .containsExactlyElementsOf(recorded);
            AliasUpdates after = stack.qdrant.aliasUpdates(pair.alias());
            assertThat(after.requests() - aliasBefore.requests()).as("UpdateAliases requests").isZero();
            assertThat(stack.gateway.aliases()).containsEntry(pair.alias(), pair.source());
            String seeded = pair.alias() + "_seeded";
            stack.qdrant.seed(seeded, new SyntheticPoints(points, LifecycleStack.DIMS, points));
            assertThat(TestCollections.assertSameContent(stack.gateway, seeded, pair.source())).as("source points")
                    .isEqualTo(points);
            return "0 (0)";
        }
    }

    /** An in-place HNSW change of {@code <pair>_v1} (behind alias {@code <pair>}) to the spec of {@code <pair>_v2}. */
    final class InPlaceWork implements CrashWork {

        private static final int M = 32;
        private static final int EF_CONSTRUCT = 128;

        private final LifecycleStack stack;
        private final String collection;
        private final String alias;
        private final int points;
        private final AliasUpdates aliasBefore;
        private final String commandId;

        private InPlaceWork(LifecycleStack stack, String collection, String alias, int points, AliasUpdates before,
                String commandId) {
            this.stack = stack;
            this.collection = collection;
            this.alias = alias;
            this.points = points;
            this.aliasBefore = before;
            this.commandId = commandId;
        }

        static InPlaceWork begin(LifecycleStack stack, String pairName, int points, ReleaseFolders folders) {
            String collection = pairName + "_v1";
            stack.gateway.createCollection(CreateCollection.newBuilder().setCollectionName(collection)
                    .setVectorsConfig(VectorsConfig.newBuilder().setParams(VectorParams.newBuilder()
                            .setSize(LifecycleStack.DIMS).setDistance(Distance.Dot))).build());
            stack.qdrant.seed(collection, new SyntheticPoints(points, LifecycleStack.DIMS, points));
            stack.gateway.updateAliases(List.of(AliasOperations.newBuilder().setCreateAlias(CreateAlias.newBuilder()
                    .setAliasName(pairName).setCollectionName(collection)).build()));
            try {
                Files.writeString(folders.specs().resolve(pairName + "_v2.yaml"), "name: " + pairName
                        + "\nversion: 2\nvectors: { size: " + LifecycleStack.DIMS + ", distance: dot }\n"
                        + "hnsw: { m: " + M + ", ef_construct: " + EF_CONSTRUCT + " }\npayload_indexes: {}\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            AliasUpdates before = stack.qdrant.aliasUpdates(pairName);
            String commandId = "c-" + UUID.randomUUID();
            stack.send("{\"schemaVersion\":1,\"commandId\":\"" + commandId + "\",\"type\":\"qdrant.migrate\","
                    + "\"source\":\"" + collection + "\",\"target\":\"" + pairName + "_v2\",\"alias\":\"" + pairName
                    + "\",\"batchSize\":300,\"inPlace\":true}");
            return new InPlaceWork(stack, collection, pairName, points, before, commandId);
        }

        @Override
        public String progress() {
            return RunWork.progressOf(stack, commandId);
        }

        @Override
        public boolean done() {
            return RunWork.completed(stack, commandId);
        }

        /**
         * Completed once: the collection has the spec's HNSW params and every point it had, one completed and one
         * schema-ready recorded (and on the topic under that one id), no UpdateAliases, no second collection.
         */
        @Override
        public String assertEndedOnce() {
            LifecycleStack.RunRow run = stack.run(commandId).orElseThrow();
            assertThat(run.state()).isEqualTo("completed");
            for (String once : List.of("migration-completed", "schema-ready")) {
                assertThat(stack.recordedEvents(run.id(), once)).as("%s events recorded", once).isEqualTo(1);
            }
            assertThat(stack.recordedEvents(run.id(), "migration-copied")).as("copies").isZero();
            RunWork.assertSchemaReadyOnTopicAsRecorded(stack, run.id());
            var hnsw = stack.gateway.collectionInfo(collection).getConfig().getHnswConfig();
            assertThat(hnsw.getM()).as("hnsw.m").isEqualTo(M);
            assertThat(hnsw.getEfConstruct()).as("hnsw.ef_construct").isEqualTo(EF_CONSTRUCT);
            assertThat(stack.gateway.count(collection)).isEqualTo(points);
            assertThat(stack.gateway.aliases()).containsEntry(alias, collection);
            assertThat(stack.gateway.collectionExists(alias + "_v2")).as("a collection created").isFalse();
            AliasUpdates after = stack.qdrant.aliasUpdates(alias);
            assertThat(after.requests() - aliasBefore.requests()).as("UpdateAliases requests").isZero();
            return "0 (0)";
        }
    }

    /** Where the replicas read release manifests ({@code apex.releases.dir}) and collection specs from. */
    record ReleaseFolders(Path releases, Path specs) {

        static ReleaseFolders create(String name) {
            return new ReleaseFolders(ScratchDirs.create("apex-" + name + "-releases-"),
                    ScratchDirs.create("apex-" + name + "-specs-"));
        }

        Map<String, String> properties() {
            return Map.of("apex.releases.dir", releases.toString(), "apex.qdrant.specs-dir", specs.toString());
        }
    }

    /**
     * {@code release.apply} of a release of one collection: the pair's source copied into a target created from its
     * spec, then the release's one alias swap and {@code release-ready}.
     */
    final class ReleaseWork implements CrashWork {

        private final LifecycleStack stack;
        private final SeededPair pair;
        private final int points;
        private final String commandId;
        private final AliasUpdates aliasBefore;

        private ReleaseWork(LifecycleStack stack, SeededPair pair, int points, String commandId, AliasUpdates before) {
            this.stack = stack;
            this.pair = pair;
            this.points = points;
            this.commandId = commandId;
            this.aliasBefore = before;
        }

        static ReleaseWork begin(LifecycleStack stack, String pairName, int points, int range,
                ReleaseFolders folders, boolean manualCutover) {
            SeededPair pair = SeededPair.seed(stack.gateway, stack.qdrant, pairName, points, LifecycleStack.DIMS);
            stack.gateway.deleteCollection(pair.target()); // the release creates it from its spec
            String release = pairName.replace('_', '-');
            try {
                Files.writeString(folders.specs().resolve(pair.target() + ".yaml"), String.join("\n",
                        "name: " + pairName, "version: 2", "vectors:", "  size: " + LifecycleStack.DIMS,
                        "  distance: dot", "hnsw:", "  m: 16", "  ef_construct: 64", "payload_indexes: {}", ""));
                Files.writeString(folders.releases().resolve(release + ".yaml"), String.join("\n",
                        "name: " + release, "qdrant:", "  cutover: " + (manualCutover ? "manual" : "auto"),
                        "  collections:", "    - alias: " + pair.alias(),
                        "      target: " + pair.target(), "      batch_size: " + range, ""));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            AliasUpdates before = stack.qdrant.aliasUpdates(pair.alias());
            String commandId = stack.send("{\"schemaVersion\":1,\"commandId\":\"release-" + UUID.randomUUID()
                    + "\",\"type\":\"release.apply\",\"release\":\"" + release + "\"}");
            if (manualCutover) {
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> stack.strings(
                        "SELECT state FROM apex_migrator.releases WHERE command_id = ?", commandId),
                        state -> state.contains("ready-for-cutover"));
                stack.send("{\"schemaVersion\":1,\"commandId\":\"release-cut-" + UUID.randomUUID()
                        + "\",\"type\":\"release.cutover\",\"release\":\"" + release + "\"}");
            }
            return new ReleaseWork(stack, pair, points, commandId, before);
        }

        @Override
        public String progress() {
            return String.join("|", stack.strings("SELECT r.state || ':' || coalesce(string_agg(p.state || '/' "
                    + "|| coalesce(p.detail, ''), ',' ORDER BY p.position), '') FROM apex_migrator.releases r JOIN "
                    + "apex_migrator.release_parts p ON p.release_id = r.id WHERE r.command_id = ? GROUP BY r.state",
                    commandId)) + "|" + stack.count("SELECT count(*) FROM apex_migrator.events WHERE command_id = ?",
                    commandId);
        }

        @Override
        public boolean done() {
            List<String> state = stack.strings("SELECT state || ' ' || coalesce(failed_part || ': ' || failure, '') "
                    + "FROM apex_migrator.releases WHERE command_id = ?", commandId);
            if (!state.isEmpty() && (state.get(0).startsWith("failed") || state.get(0).startsWith("cancelled"))) {
                throw new AssertionError("release of " + commandId + " ended " + state.get(0));
            }
            return !state.isEmpty() && state.get(0).startsWith("completed")
                    && !stack.events("release-ready", "commandId", commandId).isEmpty();
        }

        /** The release completed once: its alias moved once, one release-ready, the target equal to the source. */
        @Override
        public String assertEndedOnce() {
            assertThat(stack.gateway.aliases()).containsEntry(pair.alias(), pair.target());
            AliasUpdates after = stack.qdrant.aliasUpdates(pair.alias());
            int requests = after.requests() - aliasBefore.requests();
            int moves = after.moves() - aliasBefore.moves();
            assertThat(moves).as("times the alias was moved (%s UpdateAliases requests)", requests).isEqualTo(1);
            List<String> recorded = stack.strings("SELECT id::text FROM apex_migrator.events WHERE command_id = ? "
                    + "AND type = 'release-ready'", commandId);
            assertThat(recorded).as("release-ready recorded").hasSize(1);
            List<CloudEvent> ready = stack.eventsToEnd("release-ready", "commandId", commandId);
            assertThat(ready.stream().map(CloudEvent::getId).distinct()).as("ids of release-ready on the topic")
                    .containsExactlyElementsOf(recorded);
            assertThat(TestCollections.assertSameContent(stack.gateway, pair.source(), pair.target()))
                    .isEqualTo(points);
            return requests + " (" + moves + ")";
        }
    }

    /** The memory DB (PostgreSQL + pgvector) and the graph (Neo4j) that schema commands migrate. */
    record SchemaStores(String neo4jUri, String pgvectorJdbcUrl, String postgresSchema) {

        Map<String, String> properties() {
            return Map.of("apex.neo4j.uri", neo4jUri,
                    // a crashed holder's lock node expires this long after its last renewal
                    "apex.neo4j.lock-lease", "6s",
                    "apex.postgres.jdbc-url", pgvectorJdbcUrl,
                    "apex.postgres.username", "postgres",
                    "apex.postgres.schema", postgresSchema);
        }

        /** Versions in the store's history, oldest first (none before the history exists). */
        List<Integer> history(boolean postgres) {
            List<Integer> versions = new ArrayList<>();
            if (postgres) {
                try (Connection c = DriverManager.getConnection(pgvectorJdbcUrl, "postgres", "postgres");
                        ResultSet rs = c.createStatement().executeQuery("SELECT version FROM " + postgresSchema
                                + ".apex_schema_history ORDER BY version")) {
                    while (rs.next()) {
                        versions.add(rs.getInt(1));
                    }
                } catch (SQLException e) {
                    if (!"42P01".equals(e.getSQLState())) { // undefined_table: nothing applied yet
                        throw new IllegalStateException(e);
                    }
                }
                return versions;
            }
            try (var driver = GraphDatabase.driver(neo4jUri, AuthTokens.none()); var session = driver.session()) {
                return session.run("MATCH (v:SchemaVersion) RETURN v.version AS v ORDER BY v")
                        .list(r -> r.get("v").asInt());
            }
        }

        /** Every version the application ships for the store (db/postgres or db/neo4j), oldest first. */
        static List<Integer> shipped(boolean postgres) {
            String index = "/db/" + (postgres ? "postgres" : "neo4j") + "/index.txt";
            Pattern script = Pattern.compile("^V(\\d+)__.*(?<!_rollback)\\.(sql|cypher)$");
            List<Integer> versions = new ArrayList<>();
            try (var in = new BufferedReader(new InputStreamReader(
                    CrashWork.class.getResourceAsStream(index), StandardCharsets.UTF_8))) {
                for (String line : in.lines().toList()) {
                    Matcher m = script.matcher(line.trim());
                    if (m.matches()) {
                        versions.add(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return versions.stream().sorted().toList();
        }

        /** An empty graph and schema (Neo4j community has one database; other tests use it too). */
        void wipeNeo4j() {
            try (var driver = GraphDatabase.driver(neo4jUri, AuthTokens.none()); var session = driver.session()) {
                session.run("MATCH (n) DETACH DELETE n").consume();
                for (String c : session.run("SHOW CONSTRAINTS YIELD name RETURN name").list(r -> r.get(0).asString())) {
                    session.run("DROP CONSTRAINT `" + c + "` IF EXISTS").consume();
                }
                for (String i : session.run("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name")
                        .list(r -> r.get(0).asString())) {
                    session.run("DROP INDEX `" + i + "` IF EXISTS").consume();
                }
            }
        }
    }

    /** A {@code postgres.upgrade} or {@code neo4j.up} to the latest version, from an empty store. */
    final class SchemaWork implements CrashWork {

        private final LifecycleStack stack;
        private final SchemaStores stores;
        private final boolean postgres;
        private final String commandId;

        private SchemaWork(LifecycleStack stack, SchemaStores stores, boolean postgres, String commandId) {
            this.stack = stack;
            this.stores = stores;
            this.postgres = postgres;
            this.commandId = commandId;
        }

        static SchemaWork begin(LifecycleStack stack, SchemaStores stores, boolean postgres) {
            if (!postgres) {
                stores.wipeNeo4j();
            }
            assertThat(stores.history(postgres)).as("history before the command").isEmpty();
            String commandId = stack.send("{\"schemaVersion\":1,\"commandId\":\"schema-" + UUID.randomUUID()
                    + "\",\"type\":\"" + (postgres ? "postgres.upgrade" : "neo4j.up") + "\"}");
            return new SchemaWork(stack, stores, postgres, commandId);
        }

        @Override
        public String progress() {
            return String.join("|", stack.strings("SELECT coalesce(string_agg((to_jsonb(j) - 'owner' - "
                    + "'lease_expires_at' - 'updated_at')::text, ','), '') FROM apex_migrator.schema_jobs j "
                    + "WHERE to_jsonb(j)::text LIKE ?", "%" + commandId + "%"))
                    + "|" + String.join("|", stack.strings("SELECT coalesce(string_agg(to_jsonb(e)::text, ',' ORDER "
                    + "BY e.created_at), '') FROM apex_migrator.events e WHERE e.command_id = ?", commandId))
                    + "|" + stores.history(postgres);
        }

        @Override
        public boolean done() {
            List<CloudEvent> failed = stack.events("migration-failed", "commandId", commandId);
            if (!failed.isEmpty()) {
                throw new AssertionError("schema command " + commandId + " failed: "
                        + LifecycleStack.data(failed.get(0)).path("reason").asText());
            }
            return !stack.events("schema-ready", "commandId", commandId).isEmpty();
        }

        @Override
        public String assertEndedOnce() {
            List<CloudEvent> ready = stack.eventsToEnd("schema-ready", "commandId", commandId);
            assertThat(ready.stream().map(CloudEvent::getId).distinct()).as("ids of schema-ready on the topic")
                    .hasSize(1);
            assertThat(LifecycleStack.data(ready.get(0)).path("details").path("store").asText())
                    .isEqualTo(postgres ? "postgres" : "neo4j");
            assertThat(stores.history(postgres)).as("versions in the history, each once")
                    .isEqualTo(SchemaStores.shipped(postgres));
            return "-";
        }
    }
}

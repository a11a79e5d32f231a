package io.apex.migrator.observability;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.apex.migrator.pipeline.PipelineWorkerResource;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.standin.QdrantStandIn;
import io.apex.migrator.qdrant.standin.QdrantStandInResource;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunState;
import io.apex.migrator.state.RunStore;
import io.apex.migrator.support.LocalStackResource;
import io.grpc.Status;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.qdrant.client.grpc.Collections.AliasOperations;
import io.qdrant.client.grpc.Collections.CreateAlias;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.Points.PointStruct;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.LogContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.qdrant.client.VectorsFactory.vectors;

/**
 * What an operator sees of one run in worker mode: its meters on /q/metrics (with the values the run must give),
 * its spans in one trace across command, batches and progress, and its run id in the MDC of every log line that
 * mentions it.
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
@WithTestResource(QdrantStandInResource.class)
@WithTestResource(ObservabilityIT.Settings.class)
class ObservabilityIT {

    private static final int POINTS = 3_000;
    private static final int BATCH = 100;

    @Inject
    QdrantGateway gateway;
    @Inject
    RunStore runStore;
    @Inject
    InMemorySpanExporter spans;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "apex.topics.commands")
    String commandsTopic;

    /**
     * Worker mode as in {@link PipelineWorkerResource} but on topics of this test's own, so counters see this run
     * and nothing left on a shared topic by other suites; tracing on (it is off by default); run gauges refreshed
     * often.
     */
    public static final class Settings implements QuarkusTestResourceLifecycleManager {
        static final String PREFIX = "it-observability.";

        @Override
        public Map<String, String> start() {
            Map<String, String> config = new java.util.HashMap<>(new PipelineWorkerResource().start());
            for (String topic : List.of("commands", "batches", "progress", "events", "dead-letter")) {
                config.put("apex.topics." + topic, PREFIX + topic);
            }
            config.put("quarkus.otel.sdk.disabled", "false");
            config.put("apex.observability.run-progress-interval", "200ms");
            return config;
        }

        @Override
        public void stop() {
        }
    }

    @AfterEach
    void resetFaults() {
        QdrantStandIn.shared().faults().reset();
    }

    @Test
    void aRunIsCountedTracedAndLoggedUnderItsId() {
        // given: a source behind its alias; the first upserts fail past the gateway's own 3 attempts
        String name = "obs_" + UUID.randomUUID().toString().substring(0, 8);
        createCollection(name + "_v1");
        seed(name + "_v1");
        createCollection(name + "_v2");
        gateway.updateAliases(List.of(AliasOperations.newBuilder().setCreateAlias(
                CreateAlias.newBuilder().setAliasName(name).setCollectionName(name + "_v1")).build()));
        String metricsBefore = metrics();
        QdrantStandIn.shared().faults().failNext("Points/Upsert", 4, Status.Code.UNAVAILABLE);
        spans.reset();
        List<Line> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                ExtLogRecord ext = (ExtLogRecord) record;
                ext.copyMdc();
                lines.add(new Line(ext.getLoggerName(), ext.getFormattedMessage(), ext.getMdc(RunContext.RUN_ID)));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        LogContext.getLogContext().getLogger("").addHandler(capture);
        String commandId = "obs-" + UUID.randomUUID();
        Run run;
        try {
            // when: a run with manual cutover copies, waits, and is cut over by a second command
            send("{\"schemaVersion\":1,\"commandId\":\"" + commandId + "\",\"type\":\"qdrant.migrate\",\"source\":\""
                    + name + "_v1\",\"target\":\"" + name + "_v2\",\"alias\":\"" + name + "\",\"batchSize\":" + BATCH
                    + ",\"cutover\":\"manual\"}");
            await().atMost(Duration.ofMinutes(3)).until(() -> runStore.findByCommand(commandId)
                    .filter(r -> r.state() == RunState.READY_FOR_CUTOVER).isPresent());
            run = runStore.findByCommand(commandId).orElseThrow();
            String gauge = "apex_run_progress{run=\"" + run.id() + "\",target=\"" + name + "_v2\"}";
            await().atMost(Duration.ofSeconds(30)).until(() -> metric(metrics(), gauge).orElse(-1.0) == 1.0);
            send("{\"schemaVersion\":1,\"commandId\":\"cut-" + UUID.randomUUID() + "\",\"type\":\"qdrant.cutover\","
                    + "\"runId\":\"" + run.id() + "\"}");
            await().atMost(Duration.ofMinutes(1)).until(() -> runStore.findRun(run.id()).orElseThrow().state()
                    == RunState.COMPLETED);

            // then (metrics): counters moved by exactly this run; the run's gauge is gone once it ended
            await().atMost(Duration.ofSeconds(30)).until(() -> metric(metrics(), gauge).isEmpty());
        } finally {
            LogContext.getLogContext().getLogger("").removeHandler(capture);
        }
        String after = metrics();
        String apexLines = after.lines().filter(l -> l.startsWith("apex_") && !l.contains("_bucket"))
                .collect(java.util.stream.Collectors.joining("\n"));
        // counters count the work done: a range redelivered (a rebalance on a loaded machine) is copied and counted
        // again, so they are at least the run's figures; the run's own figures are exact
        assertThat(runStore.findRun(run.id()).orElseThrow().copiedPoints()).isEqualTo(POINTS);
        assertThat(delta(metricsBefore, after, "apex_points_copied_total")).as(apexLines)
                .isGreaterThanOrEqualTo(POINTS);
        String done = "{kind=\"copy\",outcome=\"done\"}";
        double batches = delta(metricsBefore, after, "apex_batches_total" + done);
        assertThat(batches).isGreaterThanOrEqualTo(POINTS / BATCH);
        assertThat(delta(metricsBefore, after, "apex_batch_duration_seconds_count" + done)).isEqualTo(batches);
        assertThat(delta(metricsBefore, after, "apex_points_copied_total")).as("each counted range is whole")
                .isEqualTo(batches * BATCH);
        assertThat(delta(metricsBefore, after, "apex_batch_retries_total{operation=\"upsert\"}")).isGreaterThanOrEqualTo(1);
        assertThat(metric(after, "apex_batches_total{kind=\"copy\",outcome=\"failed\"}").orElse(0.0)).isZero();
        assertThat(after).contains("apex_batch_duration_seconds{kind=\"copy\",outcome=\"done\",quantile=\"0.95\"}")
                .contains("apex_batch_duration_seconds_bucket{kind=\"copy\",outcome=\"done\",le=");
        assertThat(metric(after, "kafka_consumer_fetch_manager_records_lag_max{client_id=\"kafka-consumer-batches-in-0\","
                + "kafka_version=\"" + org.apache.kafka.common.utils.AppInfoParser.getVersion() + "\"}"))
                .as("consumer lag of a worker consumer, from the Kafka binder").isPresent();

        // then (tracing): the migrate command, every batch and every progress report share one trace; the tracker
        // applies a poll of reports in one span, which continues the first report's trace and links the others
        AttributeKey<String> runKey = AttributeKey.stringKey(PipelineTracing.RUN_ID);
        await().atMost(Duration.ofSeconds(30)).until(() -> ofRun(runKey, run).stream()
                .filter(s -> s.getName().equals("apex progress")).mapToLong(s -> 1 + s.getLinks().size()).sum()
                >= POINTS / BATCH);
        // The cutover command starts a trace of its own; its catch-up pass (verify tasks and their reports) lives in it.
        java.util.Set<String> cutoverTraces = ofRun(runKey, run).stream()
                .filter(s -> s.getName().equals("apex command qdrant.cutover")).map(SpanData::getTraceId)
                .collect(java.util.stream.Collectors.toSet());
        List<SpanData> ofRun = ofRun(runKey, run).stream()
                .filter(s -> !cutoverTraces.contains(s.getTraceId())).toList();
        assertThat(ofRun).extracting(SpanData::getName).contains("apex command qdrant.migrate", "apex batch",
                "apex progress");
        // small ranges travel several to a message: a batch span per message, carrying its number of ranges
        assertThat(ofRun.stream().filter(s -> s.getName().equals("apex batch"))
                .mapToLong(s -> s.getAttributes().get(AttributeKey.longKey(PipelineTracing.RANGES))).sum())
                .isGreaterThanOrEqualTo(POINTS / BATCH);
        assertThat(ofRun.stream().map(SpanData::getTraceId).distinct().toList()).hasSize(1);
        String traceId = ofRun.get(0).getTraceId();
        assertThat(traceId).isNotEqualTo("00000000000000000000000000000000");

        // then (logs): every line that names the run carries its id in the MDC
        String id = run.id().toString();
        List<Line> aboutRun = lines.stream().filter(l -> l.message() != null && l.message().contains(id)).toList();
        assertThat(aboutRun).extracting(Line::logger).contains(
                "io.apex.migrator.pipeline.Coordinator", "io.apex.migrator.pipeline.RunSteps",
                "io.apex.migrator.pipeline.RunFinisher", "io.apex.migrator.pipeline.CutoverStep",
                "io.apex.migrator.pipeline.EventPublisher",
                "io.apex.migrator.pipeline.TransientRetry"); // the worker's page retries
        assertThat(aboutRun).allSatisfy(l -> assertThat(l.runId()).as("MDC runId of [%s] %s", l.logger(), l.message())
                .isEqualTo(id));
    }

    private List<SpanData> ofRun(AttributeKey<String> runKey, Run run) {
        return spans.getFinishedSpanItems().stream()
                .filter(s -> run.id().toString().equals(s.getAttributes().get(runKey))).toList();
    }

    record Line(String logger, String message, String runId) {
    }

    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The value of one sample (metric name with its exact label set), if exported; an exemplar may follow. */
    static Optional<Double> metric(String exposition, String sample) {
        Matcher m = Pattern.compile("^" + Pattern.quote(sample) + " (\\S+)( #.*)?$", Pattern.MULTILINE)
                .matcher(exposition);
        return m.find() ? Optional.of(Double.parseDouble(m.group(1))) : Optional.empty();
    }

    private static double delta(String before, String after, String sample) {
        return metric(after, sample).orElse(0.0) - metric(before, sample).orElse(0.0);
    }

    private void createCollection(String collection) {
        gateway.createCollection(CreateCollection.newBuilder().setCollectionName(collection)
                .setVectorsConfig(VectorsConfig.newBuilder().setParams(VectorParams.newBuilder().setSize(8)
                        .setDistance(Distance.Dot))).build());
    }

    private void seed(String collection) {
        List<PointStruct> page = new ArrayList<>();
        for (int i = 1; i <= POINTS; i++) {
            float[] v = new float[8];
            v[i % 8] = i;
            page.add(PointStruct.newBuilder().setId(PointId.newBuilder().setNum(i)).setVectors(vectors(v)).build());
            if (page.size() == 500) {
                gateway.upsert(collection, page);
                page = new ArrayList<>();
            }
        }
    }

    private void send(String json) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(commandsTopic, json)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not send the command: " + e.getMessage(), e);
        }
    }
}

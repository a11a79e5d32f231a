package io.apex.migrator.proxy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.apex.migrator.api.MigrateCommand;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.QdrantSettings;
import io.apex.migrator.qdrant.standin.QdrantStandIn;
import io.apex.migrator.qdrant.standin.QdrantStandInResource;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunStore;
import io.apex.migrator.support.LocalStackResource;
import io.apex.migrator.support.QdrantRest;
import io.apex.migrator.support.QdrantRest.Answer;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.Points.PointStruct;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.jboss.logmanager.LogContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy as it runs in production: the configuration of {@code apex-migrator proxy} ({@link ProxyMode}), its
 * health and metrics on the HTTP port (gRPC and REST calls), TLS and mutual TLS on its gRPC and its REST port (real
 * run store and Kafka, the stand-in as Qdrant).
 */
@QuarkusTest
@TestProfile(ProxyProductionIT.ProxyProcess.class)
@WithTestResource(LocalStackResource.class)
@WithTestResource(QdrantStandInResource.class)
class ProxyProductionIT {

    @Inject
    ProxyServer proxyServer;
    @Inject
    QdrantGateway direct;
    @Inject
    RunStore runStore;

    @TempDir
    Path dir;

    /** The settings the proxy process starts with (Main, proxy mode), on top of the test's own. */
    public static final class ProxyProcess implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return ProxyMode.SETTINGS;
        }
    }

    @Test
    void readinessCoversTheUpstreamQdrantAndTheRunStoreButNotTheMemoryStores() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().when().get("/q/health/ready").then().statusCode(200)
                        .body("status", equalTo("UP"))
                        .body("checks.name", hasItem("Qdrant"))
                        .body("checks.name", hasItem("Database connections health check"))
                        .body("checks.name", not(hasItem("Neo4j")))
                        .body("checks.name", not(hasItem("PostgreSQL memory store")))
                        .body("checks.status", everyItem(equalTo("UP"))));
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void callsBytesLatencyAndCapturedWritesAreExposedAsMetrics() throws Exception {
        // given: a collection under migration (an accepted run, no worker to move it on) and one that is not
        String name = "met_" + UUID.randomUUID().toString().substring(0, 8);
        String migrating = name + "_src";
        direct.createCollection(ProxyForwardingIT.collection(name));
        direct.createCollection(ProxyForwardingIT.collection(migrating));
        Run run = runStore.createRun(MigrateCommand.of("c-" + UUID.randomUUID(), migrating, name + "_dst", null));
        String before = metrics();
        try (ProxyServer.Running proxy = proxyServer.start(direct.settings(), 0, ProxyTls.PLAINTEXT);
                QdrantClient app = ProxyForwardingIT.client(proxy.port(), Optional.empty())) {

            // when: 3 writes to the plain collection, 2 to the migrating one, 1 call Qdrant refuses
            for (int i = 0; i < 3; i++) {
                app.upsertAsync(name, List.of(point(i))).get();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                app.upsertAsync(migrating, List.of(point(100))).get();
                return counter(metrics(), "apex_proxy_captured_writes_total", "collection=\"" + migrating + "\"")
                        >= 1;
            });
            app.upsertAsync(migrating, List.of(point(101))).get();
            catchThrowable(() -> app.getCollectionInfoAsync("missing_" + name).get());
        } finally {
            runStore.fail(run.id(), "test over");
        }

        // then: counted by method and code, with bytes both ways, latency beyond the upstream leg, captures
        String after = metrics();
        String upsertOk = "api=\"grpc\",code=\"OK\",method=\"Upsert\",service=\"qdrant.Points\"";
        assertThat(counter(after, "apex_proxy_calls_total", upsertOk) - counter(before, "apex_proxy_calls_total",
                upsertOk)).isGreaterThanOrEqualTo(5);
        assertThat(counter(after, "apex_proxy_calls_total", "code=\"NOT_FOUND\",method=\"Get\"")).isGreaterThan(0);
        assertThat(counter(after, "apex_proxy_request_bytes_total", "method=\"Upsert\"")).isGreaterThan(0);
        assertThat(counter(after, "apex_proxy_response_bytes_total", "method=\"Upsert\"")).isGreaterThan(0);
        assertThat(counter(after, "apex_proxy_captured_writes_total", "collection=\"" + migrating + "\""))
                .isGreaterThanOrEqualTo(2);
        assertThat(after).doesNotContain("collection=\"" + name + "\"");
        assertThat(counter(after, "apex_proxy_added_latency_seconds_count", "kind=\"write\"")).isGreaterThan(0);
        assertThat(after).contains("apex_proxy_added_latency_seconds{api=\"grpc\",kind=\"write\",quantile=\"0.5\"}")
                .contains("apex_proxy_added_latency_seconds_bucket{api=\"grpc\",kind=\"write\",le=")
                .contains("apex_proxy_upstream_duration_seconds_count{api=\"grpc\",kind=\"write\"}")
                .contains("apex_proxy_capture_duration_seconds_count")
                .contains("apex_proxy_calls_inflight");
        assertThat(after).doesNotContain(run.id().toString());
    }

    @Test
    void aTlsClientReachesQdrantThroughTheProxyWithItsApiKeyAndAPlainTextClientIsRefused() throws Exception {
        // given: a Qdrant that requires an API key, behind a proxy serving TLS with a self-signed certificate
        TestCertificates.Pem pem = TestCertificates.selfSigned(dir, "proxy");
        String apiKey = "tls-" + UUID.randomUUID();
        List<String> logged = new ArrayList<>();
        Handler capture = capturing(logged);
        LogContext.getLogContext().getLogger("").addHandler(capture);
        try (QdrantStandIn secured = QdrantStandIn.startWithApiKey(0, apiKey);
                ProxyServer.Running proxy = proxyServer.start(QdrantSettings.of(secured.host(), secured.port()), 0,
                        ProxyTls.of(pem.certificate(), pem.privateKey()));
                QdrantClient overTls = client(proxy.port(), TlsChannelCredentials.newBuilder()
                        .trustManager(pem.certificate().toFile()).build(), apiKey);
                QdrantClient plain = client(proxy.port(), InsecureChannelCredentials.create(), apiKey)) {
            String name = "tls_" + UUID.randomUUID().toString().substring(0, 8);

            // when
            overTls.createCollectionAsync(ProxyForwardingIT.collection(name)).get();
            List<String> listed = overTls.listCollectionsAsync().get();
            Throwable refused = catchThrowable(() -> plain.listCollectionsAsync().get());

            // then: TLS works end to end, the key reached Qdrant; plain text never got an answer
            assertThat(listed).contains(name);
            assertThat(refused).isInstanceOf(ExecutionException.class).cause()
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        } finally {
            LogContext.getLogContext().getLogger("").removeHandler(capture);
        }
        assertThat(logged).anySatisfy(line -> assertThat(line).contains("TLS (certificate"));
        assertThat(logged).noneSatisfy(line -> assertThat(line).contains(apiKey));
        assertThat(String.join("\n", logged)).doesNotContain(Files.readString(pem.privateKey()).lines()
                .skip(1).findFirst().orElseThrow());
    }

    @Test
    void withAClientCaOnlyClientsWithACertificateItSignedAreServed() throws Exception {
        // given: mutual TLS, the client's self-signed certificate as the client CA
        TestCertificates.Pem server = TestCertificates.selfSigned(dir, "server");
        TestCertificates.Pem client = TestCertificates.selfSigned(dir, "client");
        TestCertificates.Pem stranger = TestCertificates.selfSigned(dir, "stranger");
        String name = "mtls_" + UUID.randomUUID().toString().substring(0, 8);
        direct.createCollection(ProxyForwardingIT.collection(name));
        try (ProxyServer.Running proxy = proxyServer.start(direct.settings(), 0,
                        ProxyTls.mutual(server.certificate(), server.privateKey(), client.certificate()));
                QdrantClient known = client(proxy.port(), TlsChannelCredentials.newBuilder()
                        .trustManager(server.certificate().toFile())
                        .keyManager(client.certificate().toFile(), client.privateKey().toFile()).build(), null);
                QdrantClient unknown = client(proxy.port(), TlsChannelCredentials.newBuilder()
                        .trustManager(server.certificate().toFile())
                        .keyManager(stranger.certificate().toFile(), stranger.privateKey().toFile()).build(), null);
                QdrantClient anonymous = client(proxy.port(), TlsChannelCredentials.newBuilder()
                        .trustManager(server.certificate().toFile()).build(), null)) {

            // when
            List<String> listed = known.listCollectionsAsync().get();
            Throwable strangerRefused = catchThrowable(() -> unknown.listCollectionsAsync().get());
            Throwable anonymousRefused = catchThrowable(() -> anonymous.listCollectionsAsync().get());

            // then
            assertThat(listed).contains(name);
            assertThat(List.of(strangerRefused, anonymousRefused)).allSatisfy(t -> assertThat(t)
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(StatusRuntimeException.class));
        }
    }

    @Test
    void restCallsAreCountedInTheSameMetersTaggedRestByEndpointAndStatus() {
        // given: a collection under migration (an accepted run, no worker to move it on) and one that is not
        String name = "rmet_" + UUID.randomUUID().toString().substring(0, 8);
        String migrating = name + "_src";
        direct.createCollection(ProxyForwardingIT.collection(name));
        direct.createCollection(ProxyForwardingIT.collection(migrating));
        Run run = runStore.createRun(MigrateCommand.of("c-" + UUID.randomUUID(), migrating, name + "_dst", null));
        String upsertTags = "api=\"rest\",code=\"200\",method=\"PUT /collections/{name}/points\",service=\"points\"";
        String upsertMethod = "api=\"rest\",method=\"PUT /collections/{name}/points\",service=\"points\"";
        String before = metrics();
        long requestBytes = 0;
        long responseBytes = 0;
        int upserts = 0;
        int migratingUpserts = 0;
        try (ProxyServer.Running proxy = proxyServer.start(direct.settings(), 0, ProxyTls.PLAINTEXT)) {
            QdrantRest app = new QdrantRest(proxy.restPort());

            // when: 3 upserts to the plain collection, some to the migrating one (until one is captured, then one
            // more), a search, a read of a missing collection
            for (int i = 0; i < 3; i++) {
                String body = restPoint(i);
                Answer answer = app.put("/collections/" + name + "/points?wait=true", body);
                assertThat(answer.status()).isEqualTo(200);
                requestBytes += body.getBytes(StandardCharsets.UTF_8).length;
                responseBytes += answer.body().getBytes(StandardCharsets.UTF_8).length;
                upserts++;
            }
            long[] sent = new long[3];
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                String body = restPoint(100);
                Answer answer = app.put("/collections/" + migrating + "/points?wait=true", body);
                sent[0]++;
                sent[1] += body.getBytes(StandardCharsets.UTF_8).length;
                sent[2] += answer.body().getBytes(StandardCharsets.UTF_8).length;
                return answer.status() == 200 && counter(metrics(), "apex_proxy_captured_writes_total",
                        "api=\"rest\",collection=\"" + migrating + "\"") >= 1;
            });
            String body = restPoint(101);
            Answer last = app.put("/collections/" + migrating + "/points?wait=true", body);
            assertThat(last.status()).isEqualTo(200);
            upserts += (int) sent[0] + 1;
            migratingUpserts = (int) sent[0] + 1;
            requestBytes += sent[1] + body.getBytes(StandardCharsets.UTF_8).length;
            responseBytes += sent[2] + last.body().getBytes(StandardCharsets.UTF_8).length;
            assertThat(app.post("/collections/" + name + "/points/query", "{\"query\":" + restVector(1)
                    + ",\"limit\":3}").status()).isEqualTo(200);
            assertThat(app.get("/collections/missing_" + name).status()).isEqualTo(404);
        } finally {
            runStore.fail(run.id(), "test over");
        }

        // then: each call counted once under its endpoint and status, its bytes exactly, both timers per upsert
        int expectedUpserts = upserts;
        long expectedRequestBytes = requestBytes;
        long expectedResponseBytes = responseBytes;
        int expectedCaptures = migratingUpserts;
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String after = metrics();
            assertThat(delta(before, after, "apex_proxy_calls_total", upsertTags)).isEqualTo(expectedUpserts);
            assertThat(delta(before, after, "apex_proxy_request_bytes_total", upsertMethod))
                    .isEqualTo(expectedRequestBytes);
            assertThat(delta(before, after, "apex_proxy_response_bytes_total", upsertMethod))
                    .isEqualTo(expectedResponseBytes);
            assertThat(delta(before, after, "apex_proxy_calls_total", "api=\"rest\",code=\"200\","
                    + "method=\"POST /collections/{name}/points/query\",service=\"points\"")).isEqualTo(1);
            assertThat(delta(before, after, "apex_proxy_calls_total", "api=\"rest\",code=\"404\","
                    + "method=\"GET /collections/{name}\",service=\"collections\"")).isEqualTo(1);
            assertThat(delta(before, after, "apex_proxy_added_latency_seconds_count", "api=\"rest\",kind=\"write\""))
                    .isEqualTo(expectedUpserts);
            assertThat(delta(before, after, "apex_proxy_upstream_duration_seconds_count",
                    "api=\"rest\",kind=\"write\"")).isEqualTo(expectedUpserts);
            assertThat(delta(before, after, "apex_proxy_added_latency_seconds_count", "api=\"rest\",kind=\"other\""))
                    .isEqualTo(2);
            assertThat(delta(before, after, "apex_proxy_captured_writes_total",
                    "api=\"rest\",collection=\"" + migrating + "\"")).isBetween(2.0, (double) expectedCaptures);
            assertThat(after).contains("apex_proxy_added_latency_seconds{api=\"rest\",kind=\"write\",quantile=\"0.5\"}")
                    .contains("apex_proxy_calls_inflight{api=\"rest\"} 0.0")
                    .doesNotContain("collection=\"" + name + "\"")
                    .doesNotContain(run.id().toString());
        });
    }

    @Test
    void theRestPortServesTlsWithTheProxysCertificateAndPlainHttpIsRefused() {
        // given: the proxy serving TLS with a self-signed certificate
        TestCertificates.Pem pem = TestCertificates.selfSigned(dir, "rest-proxy");
        String name = "rtls_" + UUID.randomUUID().toString().substring(0, 8);
        try (ProxyServer.Running proxy = proxyServer.start(direct.settings(), 0,
                ProxyTls.of(pem.certificate(), pem.privateKey()))) {
            QdrantRest overTls = QdrantRest.overTls(proxy.restPort(), TestCertificates.clientContext(pem, null));
            QdrantRest plain = new QdrantRest(proxy.restPort());

            // when
            Answer created = overTls.put("/collections/" + name, "{\"vectors\":{\"size\":3,\"distance\":\"Dot\"}}");
            Answer listed = overTls.get("/collections");
            Throwable refused = catchThrowable(() -> plain.get("/collections"));

            // then: HTTPS reaches Qdrant's REST API; plain HTTP on the same port never gets an answer
            assertThat(created.status()).isEqualTo(200);
            assertThat(listed.result().path("collections").findValuesAsText("name")).contains(name);
            assertThat(direct.collectionExists(name)).isTrue();
            assertThat(refused).isInstanceOf(UncheckedIOException.class);
        }
    }

    @Test
    void withAClientCaTheRestPortServesOnlyClientsWithACertificateItSigned() {
        // given: mutual TLS, the client's self-signed certificate as the client CA
        TestCertificates.Pem server = TestCertificates.selfSigned(dir, "rest-server");
        TestCertificates.Pem client = TestCertificates.selfSigned(dir, "rest-client");
        TestCertificates.Pem stranger = TestCertificates.selfSigned(dir, "rest-stranger");
        String name = "rmtls_" + UUID.randomUUID().toString().substring(0, 8);
        direct.createCollection(ProxyForwardingIT.collection(name));
        try (ProxyServer.Running proxy = proxyServer.start(direct.settings(), 0,
                ProxyTls.mutual(server.certificate(), server.privateKey(), client.certificate()))) {
            QdrantRest known = QdrantRest.overTls(proxy.restPort(), TestCertificates.clientContext(server, client));
            QdrantRest unknown = QdrantRest.overTls(proxy.restPort(),
                    TestCertificates.clientContext(server, stranger));
            QdrantRest anonymous = QdrantRest.overTls(proxy.restPort(), TestCertificates.clientContext(server, null));

            // when
            Answer listed = known.get("/collections");
            Throwable strangerRefused = catchThrowable(() -> unknown.get("/collections"));
            Throwable anonymousRefused = catchThrowable(() -> anonymous.get("/collections"));

            // then
            assertThat(listed.status()).isEqualTo(200);
            assertThat(listed.result().path("collections").findValuesAsText("name")).contains(name);
            assertThat(List.of(strangerRefused, anonymousRefused))
                    .allSatisfy(t -> assertThat(t).isInstanceOf(UncheckedIOException.class));
        }
    }

    // --- helpers ---------------------------------------------------------------------------------------

    private static QdrantClient client(int port, ChannelCredentials credentials, String apiKey) {
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("localhost", port, credentials).build();
        QdrantGrpcClient.Builder builder = QdrantGrpcClient.newBuilder(channel, true);
        if (apiKey != null) {
            builder.withApiKey(apiKey);
        }
        return new QdrantClient(builder.build());
    }

    private static PointStruct point(long id) {
        float[] vector = new float[32];
        vector[(int) (id % 32)] = 1f;
        return PointStruct.newBuilder().setId(PointId.newBuilder().setNum(id))
                .setVectors(io.qdrant.client.VectorsFactory.vectors(vector)).build();
    }

    private static String metrics() {
        return given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The sum of the samples of {@code name} whose labels contain {@code labels} (0 when there is none). */
    private static double counter(String metrics, String name, String labels) {
        return metrics.lines().filter(l -> l.startsWith(name + "{") && l.contains(labels))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** How much {@code name}'s samples with {@code labels} grew from {@code before} to {@code after}. */
    private static double delta(String before, String after, String name, String labels) {
        return counter(after, name, labels) - counter(before, name, labels);
    }

    /** A one-point REST upsert body (32-d, the collections' size). */
    private static String restPoint(long id) {
        return "{\"points\":[{\"id\":" + id + ",\"vector\":" + restVector(id) + "}]}";
    }

    private static String restVector(long id) {
        float[] vector = new float[32];
        vector[(int) (id % 32)] = 1f;
        return java.util.Arrays.toString(vector);
    }

    private static Handler capturing(List<String> into) {
        return new Handler() {
            @Override
            public void publish(LogRecord record) {
                synchronized (into) {
                    into.add(String.valueOf(record.getMessage()) + " " + java.util.Arrays.toString(
                            record.getParameters()));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
    }
}

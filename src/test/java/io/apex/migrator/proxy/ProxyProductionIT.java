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
 * health and metrics on the HTTP port, TLS on its gRPC port (real run store and Kafka, the stand-in as Qdrant).
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
        String upsertOk = "code=\"OK\",method=\"Upsert\",service=\"qdrant.Points\"";
        assertThat(counter(after, "apex_proxy_calls_total", upsertOk) - counter(before, "apex_proxy_calls_total",
                upsertOk)).isGreaterThanOrEqualTo(5);
        assertThat(counter(after, "apex_proxy_calls_total", "code=\"NOT_FOUND\",method=\"Get\"")).isGreaterThan(0);
        assertThat(counter(after, "apex_proxy_request_bytes_total", "method=\"Upsert\"")).isGreaterThan(0);
        assertThat(counter(after, "apex_proxy_response_bytes_total", "method=\"Upsert\"")).isGreaterThan(0);
        assertThat(counter(after, "apex_proxy_captured_writes_total", "collection=\"" + migrating + "\""))
                .isGreaterThanOrEqualTo(2);
        assertThat(after).doesNotContain("collection=\"" + name + "\"");
        assertThat(counter(after, "apex_proxy_added_latency_seconds_count", "kind=\"write\"")).isGreaterThan(0);
        assertThat(after).contains("apex_proxy_added_latency_seconds{kind=\"write\",quantile=\"0.5\"}")
                .contains("apex_proxy_added_latency_seconds_bucket{kind=\"write\",le=")
                .contains("apex_proxy_upstream_duration_seconds_count{kind=\"write\"}")
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

package io.apex.migrator.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.apex.migrator.bench.LatencySummary;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.QdrantSettings;
import io.apex.migrator.qdrant.standin.QdrantStandIn;
import io.apex.migrator.qdrant.standin.QdrantStandInResource;
import io.apex.migrator.support.LocalStackResource;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Collections.AliasOperations;
import io.qdrant.client.grpc.Collections.CreateAlias;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.WithPayloadSelector;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proxy forwards Qdrant's gRPC API unchanged (real run store and Kafka, the stand-in as Qdrant): a client pointed
 * at the proxy gets the answers it gets from Qdrant directly, upstream errors keep their code and message, the
 * client's API key reaches Qdrant. Also prints the latency the proxy adds on loopback.
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
@WithTestResource(QdrantStandInResource.class)
class ProxyForwardingIT {

    private static final Logger LOGGER = Logger.getLogger(ProxyForwardingIT.class);
    // calls measured per kind: the README's figures took 2,000 (-Dapex.proxy-latency.calls=2000); in CI the figures
    // are printed, not asserted, and 500 (p99 from 5 calls) keep them indicative at a quarter of the time
    private static final int LATENCY_CALLS = Integer.getInteger("apex.proxy-latency.calls", 500);
    private static final int DIMS = 32;

    @Inject
    ProxyServer proxyServer;
    @Inject
    QdrantGateway direct;

    private static ProxyServer.Running proxy;
    private static QdrantGateway viaProxy;

    @BeforeEach
    void startProxy() {
        if (proxy == null) {
            proxy = proxyServer.start(direct.settings(), 0);
            viaProxy = QdrantGateway.connect(QdrantSettings.of("localhost", proxy.port()));
        }
    }

    @AfterAll
    static void stopProxy() {
        if (viaProxy != null) {
            viaProxy.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void aClientOfTheProxyGetsTheSameAnswersAsAClientOfQdrant() {
        // given: a collection created, filled and aliased THROUGH the proxy
        String name = "fwd_" + UUID.randomUUID().toString().substring(0, 8);
        viaProxy.createCollection(collection(name));
        viaProxy.upsert(name, points(300, 1));
        viaProxy.updateAliases(List.of(AliasOperations.newBuilder().setCreateAlias(CreateAlias.newBuilder()
                .setAliasName(name + "_alias").setCollectionName(name)).build()));
        QueryPoints search = QueryPoints.newBuilder().setCollectionName(name + "_alias")
                .setQuery(io.qdrant.client.QueryFactory.nearest(vector(new SplittableRandom(9)))).setLimit(10)
                .setWithPayload(WithPayloadSelector.newBuilder().setEnable(true)).build();

        // when / then: every read answers the same through the proxy as directly
        assertThat(viaProxy.collectionExists(name)).isTrue();
        assertThat(viaProxy.collectionInfo(name)).isEqualTo(direct.collectionInfo(name));
        assertThat(viaProxy.count(name)).isEqualTo(direct.count(name)).isEqualTo(300);
        assertThat(viaProxy.scroll(name, null, 500, true, true).points())
                .isEqualTo(direct.scroll(name, null, 500, true, true).points()).hasSize(300);
        List<ScoredPoint> found = viaProxy.query(search);
        assertThat(found).hasSize(10).isEqualTo(direct.query(search));
        assertThat(viaProxy.aliases()).isEqualTo(direct.aliases()).containsEntry(name + "_alias", name);
    }

    @Test
    void anUpstreamErrorReachesTheClientWithItsCodeAndMessage() throws Exception {
        // given
        String name = "err_" + UUID.randomUUID().toString().substring(0, 8);
        direct.createCollection(collection(name));
        try (QdrantClient proxied = client(proxy.port(), Optional.empty());
                QdrantClient plain = client(QdrantStandIn.shared().port(), Optional.empty())) {
            // when
            Status missingViaProxy = status(() -> proxied.getCollectionInfoAsync("missing_" + name).get());
            Status missingDirect = status(() -> plain.getCollectionInfoAsync("missing_" + name).get());
            Status existsViaProxy = status(() -> proxied.createCollectionAsync(collection(name)).get());

            // then
            assertThat(missingViaProxy.getCode()).isEqualTo(Status.Code.NOT_FOUND);
            assertThat(missingViaProxy.getDescription()).isEqualTo(missingDirect.getDescription());
            assertThat(existsViaProxy.getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
            assertThat(existsViaProxy.getDescription()).contains("already exists");
        }
    }

    @Test
    void theClientsApiKeyReachesQdrantAndAMissingKeyIsRefusedByQdrant() throws Exception {
        // given: a Qdrant that requires an API key, behind its own proxy (which has no key of its own)
        try (QdrantStandIn secured = QdrantStandIn.startWithApiKey(0, "s3cret-key");
                ProxyServer.Running securedProxy = proxyServer.start(
                        QdrantSettings.of(secured.host(), secured.port()), 0);
                QdrantClient withKey = client(securedProxy.port(), Optional.of("s3cret-key"));
                QdrantClient withoutKey = client(securedProxy.port(), Optional.empty())) {
            String name = "key_" + UUID.randomUUID().toString().substring(0, 8);

            // when
            withKey.createCollectionAsync(collection(name)).get();
            Status refused = status(() -> withoutKey.listCollectionsAsync().get());

            // then
            assertThat(withKey.listCollectionsAsync().get()).contains(name);
            assertThat(refused.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        }
    }

    @Test
    void measuresTheLatencyTheProxyAddsOnLoopback() {
        // given: a small collection; the same calls directly and through the proxy, interleaved per round
        String name = "lat_" + UUID.randomUUID().toString().substring(0, 8);
        direct.createCollection(collection(name));
        direct.upsert(name, points(1_000, 2));
        SplittableRandom random = new SplittableRandom(3);
        QueryPoints search = QueryPoints.newBuilder().setCollectionName(name)
                .setQuery(io.qdrant.client.QueryFactory.nearest(vector(random))).setLimit(10).build();
        int calls = LATENCY_CALLS;
        int warmup = 300;
        List<Long> upsertDirect = new ArrayList<>();
        List<Long> upsertProxy = new ArrayList<>();
        List<Long> searchDirect = new ArrayList<>();
        List<Long> searchProxy = new ArrayList<>();

        // when
        for (int i = 0; i < warmup + calls; i++) {
            List<PointStruct> one = List.of(point(2_000_000L + i, random));
            boolean measured = i >= warmup;
            time(measured ? upsertDirect : null, () -> direct.upsert(name, one));
            time(measured ? upsertProxy : null, () -> viaProxy.upsert(name, one));
            time(measured ? searchDirect : null, () -> direct.query(search));
            time(measured ? searchProxy : null, () -> viaProxy.query(search));
        }

        // then: printed, not asserted (a shared 2-core machine)
        LatencySummary ud = LatencySummary.ofNanos(upsertDirect);
        LatencySummary up = LatencySummary.ofNanos(upsertProxy);
        LatencySummary sd = LatencySummary.ofNanos(searchDirect);
        LatencySummary sp = LatencySummary.ofNanos(searchProxy);
        String report = String.format("proxy latency over %d calls each (1-point upsert, 32-d; top-10 search of 1,000 "
                + "points)%n  upsert direct %s%n  upsert proxy  %s%n  search direct %s%n  search proxy  %s%n"
                + "  added p50: upsert %.3f ms, search %.3f ms; added p99: upsert %.3f ms, search %.3f ms",
                calls, ud, up, sd, sp, up.p50Ms() - ud.p50Ms(), sp.p50Ms() - sd.p50Ms(), up.p99Ms() - ud.p99Ms(),
                sp.p99Ms() - sd.p99Ms());
        System.out.println(report);
        LOGGER.info(report);
        assertThat(upsertProxy).hasSize(calls);
    }

    // --- helpers ---------------------------------------------------------------------------------------

    private static void time(List<Long> into, Runnable call) {
        long start = System.nanoTime();
        call.run();
        if (into != null) {
            into.add(System.nanoTime() - start);
        }
    }

    private static Status status(Callable call) {
        Throwable thrown = catchThrowable(call::call);
        Throwable cause = thrown instanceof ExecutionException ? thrown.getCause() : thrown;
        assertThat(cause).isInstanceOf(StatusRuntimeException.class);
        return ((StatusRuntimeException) cause).getStatus();
    }

    /** A call that may throw (a future's get). */
    private interface Callable {
        Object call() throws Exception;
    }

    static QdrantClient client(int port, Optional<String> apiKey) {
        QdrantGrpcClient.Builder builder = QdrantGrpcClient.newBuilder("localhost", port, false, false);
        apiKey.ifPresent(builder::withApiKey);
        return new QdrantClient(builder.build());
    }

    static CreateCollection collection(String name) {
        return CreateCollection.newBuilder().setCollectionName(name).setVectorsConfig(VectorsConfig.newBuilder()
                .setParams(VectorParams.newBuilder().setSize(DIMS).setDistance(Distance.Cosine))).build();
    }

    private static List<PointStruct> points(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<PointStruct> points = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            points.add(point(i, random));
        }
        return points;
    }

    private static PointStruct point(long id, SplittableRandom random) {
        return PointStruct.newBuilder().setId(PointId.newBuilder().setNum(id))
                .setVectors(io.qdrant.client.VectorsFactory.vectors(vector(random)))
                .putPayload("n", Value.newBuilder().setIntegerValue(id).build()).build();
    }

    private static float[] vector(SplittableRandom random) {
        float[] v = new float[DIMS];
        for (int d = 0; d < DIMS; d++) {
            v[d] = (float) (random.nextDouble() * 2 - 1);
        }
        return v;
    }

}

package io.apex.migrator.qdrant.standin;

import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.VectorsFactory.vectors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.VectorOutputHelper;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Points.PointStruct;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultInjectionTest {

    private static final Metadata.Key<String> RETRY_AFTER =
            Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER);

    private QdrantStandIn standIn;
    private QdrantClient client;

    @BeforeEach
    void start() throws Exception {
        standIn = QdrantStandIn.start();
        client = new QdrantClient(QdrantGrpcClient.newBuilder(standIn.host(), standIn.port(), false).build());
        client.createCollectionAsync("c", VectorParams.newBuilder().setSize(2).setDistance(Distance.Dot).build())
                .get();
    }

    @AfterEach
    void stop() {
        client.close();
        standIn.close();
    }

    @Test
    void theObservedErrorRateIsTheConfiguredOneWithinFiveStandardDeviations() throws Exception {
        // given: 20% of counts fail, split between the two configured codes
        int calls = 1000;
        double rate = 0.2;
        standIn.faults().seed(7).errorRate("Points/Count", rate, Status.Code.UNAVAILABLE,
                Status.Code.DEADLINE_EXCEEDED);

        // when
        Map<Status.Code, Integer> outcomes = new EnumMap<>(Status.Code.class);
        for (int i = 0; i < calls; i++) {
            outcomes.merge(outcome(() -> client.countAsync("c").get()), 1, Integer::sum);
        }

        // then: binomial(1000, 0.2) has sd 12.6, so [137, 263] holds unless the rate is wrong
        int failures = calls - outcomes.getOrDefault(Status.Code.OK, 0);
        double sd = Math.sqrt(calls * rate * (1 - rate));
        assertThat((double) failures).isBetween(calls * rate - 5 * sd, calls * rate + 5 * sd);
        assertThat(outcomes).containsOnlyKeys(Status.Code.OK, Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED);
        assertThat(standIn.faults().injectedCount()).isEqualTo(failures);
    }

    @Test
    void anErrorRateOnOneRpcLeavesTheOthersAlone() throws Exception {
        // given
        standIn.faults().errorRate("Points/Upsert", 1.0, Status.Code.UNAVAILABLE);

        // when / then
        assertThat(outcome(() -> client.upsertAsync("c", List.of(point(1))).get())).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(outcome(() -> client.countAsync("c").get())).isEqualTo(Status.Code.OK);
    }

    @Test
    void theNextNCallsFailAndResourceExhaustedCarriesRetryAfter() throws Exception {
        // given
        standIn.faults().retryAfter(Duration.ofSeconds(3)).failNext(2, Status.Code.RESOURCE_EXHAUSTED);

        // when
        StatusRuntimeException first = failure(() -> client.countAsync("c").get());
        StatusRuntimeException second = failure(() -> client.countAsync("c").get());
        long third = client.countAsync("c").get();

        // then
        assertThat(first.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(first.getTrailers().get(RETRY_AFTER)).isEqualTo("3");
        assertThat(second.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(third).isZero();
    }

    @Test
    void addedLatencyDelaysEachCallAndResetRemovesIt() throws Exception {
        // given
        standIn.faults().latency("Points/Count", Duration.ofMillis(300));

        // when
        long slow = timeMillis(() -> client.countAsync("c").get());
        long delayedBeforeReset = standIn.faults().delayedCount();
        standIn.faults().reset();
        client.countAsync("c").get();

        // then: the delay is a lower bound; that reset removed it is shown by no call being delayed after it
        // (an upper bound on the fast call's time would measure the machine, not the fault)
        assertThat(slow).isGreaterThanOrEqualTo(300);
        assertThat(delayedBeforeReset).isEqualTo(1);
        assertThat(standIn.faults().delayedCount()).isZero();
    }

    @Test
    void anOutageFailsEveryCallFromItsFirstUntilItsLengthHasPassed() throws Exception {
        // given: armed now, but its clock starts at the first call
        standIn.faults().outage("Points/Count", Duration.ofMillis(300), Status.Code.UNAVAILABLE);
        assertThat(outcome(() -> client.listCollectionsAsync().get())).isEqualTo(Status.Code.OK);

        // when
        long started = System.nanoTime();
        Status.Code first = outcome(() -> client.countAsync("c").get());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> outcome(() -> client.countAsync("c").get()) == Status.Code.OK);
        long lasted = (System.nanoTime() - started) / 1_000_000;

        // then
        assertThat(first).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(lasted).isGreaterThanOrEqualTo(300);
        assertThat(standIn.faults().injectedCount()).isPositive();
        assertThat(outcome(() -> client.countAsync("c").get())).isEqualTo(Status.Code.OK);
    }

    @Test
    void perturbedUpsertsStoreNoisyVectors() throws Exception {
        // given
        standIn.faults().perturbVectors("c", 0.5);

        // when
        client.upsertAsync("c", List.of(point(1))).get();
        standIn.faults().reset();
        client.upsertAsync("c", List.of(point(2))).get();

        // then
        var points = client.retrieveAsync("c", List.of(id(1), id(2)), false, true, null).get();
        assertThat(VectorOutputHelper.getDenseVector(points.get(0).getVectors().getVector()).getDataList())
                .isNotEqualTo(List.of(1f, 0f));
        assertThat(VectorOutputHelper.getDenseVector(points.get(1).getVectors().getVector()).getDataList())
                .containsExactly(1f, 0f);
    }

    @Test
    void anUnreadablePointFailsTheScrollsThatWouldReturnItAndNoOther() throws Exception {
        // given: points 1..6 in two collections, point 4 of "c" unreadable
        client.createCollectionAsync("d", VectorParams.newBuilder().setSize(2).setDistance(Distance.Dot).build())
                .get();
        List<PointStruct> points = java.util.stream.LongStream.rangeClosed(1, 6).mapToObj(FaultInjectionTest::point).toList();
        client.upsertAsync("c", points).get();
        client.upsertAsync("d", points).get();
        standIn.faults().unreadablePoint("c", 4, Status.Code.FAILED_PRECONDITION);

        // when / then: a page that ends before it (its next offset naming it) and one after it are served
        assertThat(outcome(() -> client.scrollAsync(scroll("c", 1, 3)).get())).isEqualTo(Status.Code.OK);
        assertThat(outcome(() -> client.scrollAsync(scroll("c", 5, 3)).get())).isEqualTo(Status.Code.OK);
        assertThat(outcome(() -> client.scrollAsync(scroll("c", 2, 3)).get()))
                .isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(outcome(() -> client.scrollAsync(scroll("d", 2, 3)).get())).isEqualTo(Status.Code.OK);
        assertThat(standIn.faults().injectedCount()).isEqualTo(1);
    }

    private static io.qdrant.client.grpc.Points.ScrollPoints scroll(String collection, long from, int limit) {
        return io.qdrant.client.grpc.Points.ScrollPoints.newBuilder().setCollectionName(collection)
                .setOffset(id(from)).setLimit(limit).build();
    }

    @Test
    void theSharedInstanceIsOneServerWhoseFaultsEveryHandleSteers() throws Exception {
        // given
        QdrantStandIn.Shared one = QdrantStandIn.shared();
        QdrantStandIn.Shared two = QdrantStandIn.shared();
        try (QdrantClient shared = new QdrantClient(
                QdrantGrpcClient.newBuilder(two.host(), two.port(), false).build())) {

            // when
            one.faults().failNext("Collections/List", 1, Status.Code.UNAVAILABLE);

            // then
            assertThat(two.port()).isEqualTo(one.port());
            assertThat(outcome(() -> shared.listCollectionsAsync().get())).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(outcome(() -> shared.listCollectionsAsync().get())).isEqualTo(Status.Code.OK);
        } finally {
            one.faults().reset();
        }
    }

    private interface Call {
        Object run() throws Exception;
    }

    private static Status.Code outcome(Call call) throws InterruptedException {
        try {
            call.run();
            return Status.Code.OK;
        } catch (ExecutionException e) {
            return ((StatusRuntimeException) e.getCause()).getStatus().getCode();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError("unexpected failure", e);
        }
    }

    private static StatusRuntimeException failure(Call call) throws Exception {
        try {
            call.run();
        } catch (ExecutionException e) {
            return (StatusRuntimeException) e.getCause();
        }
        throw new AssertionError("the call was expected to fail");
    }

    private static long timeMillis(Call call) throws Exception {
        long start = System.nanoTime();
        call.run();
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static PointStruct point(long n) {
        return PointStruct.newBuilder().setId(id(n)).setVectors(vectors(1f, 0f)).build();
    }
}

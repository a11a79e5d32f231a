package io.apex.migrator.qdrant.standin;

import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.VectorsFactory.vectors;
import static org.assertj.core.api.Assertions.assertThat;

import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Collections.AliasOperations;
import io.qdrant.client.grpc.Collections.CreateAlias;
import io.qdrant.client.grpc.Collections.DeleteAlias;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Points.PointStruct;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A blue/green switch by alias, end to end through QdrantClient: readers counting through the alias never
 * get NOT_FOUND and see both collections. A gRPC round trip is too slow to hit a nanosecond window reliably,
 * so {@link CatalogAliasTest} checks the same property at memory speed.
 */
class AliasAtomicityTest {

    private QdrantStandIn standIn;
    private QdrantClient client;

    @BeforeEach
    void start() throws Exception {
        standIn = QdrantStandIn.start();
        client = new QdrantClient(QdrantGrpcClient.newBuilder(standIn.host(), standIn.port(), false).build());
        VectorParams params = VectorParams.newBuilder().setSize(2).setDistance(Distance.Dot).build();
        client.createCollectionAsync("blue", params).get();
        client.createCollectionAsync("green", params).get();
        // blue holds 1 point, green 2: a count through the alias tells which one a reader saw
        client.upsertAsync("blue", List.of(point(1))).get();
        client.upsertAsync("green", List.of(point(1), point(2))).get();
        client.updateAliasesAsync(List.of(create("blue"))).get();
    }

    @AfterEach
    void stop() {
        client.close();
        standIn.close();
    }

    @Test
    void concurrentReadersNeverSeeTheAliasMissingWhileItIsSwitched() throws Exception {
        // given
        AtomicBoolean switching = new AtomicBoolean(true);
        AtomicLong reads = new AtomicLong();
        Set<Long> countsSeen = ConcurrentHashMap.newKeySet();
        ExecutorService readers = Executors.newFixedThreadPool(2);
        List<Future<?>> running = List.of(
                readers.submit(() -> read(switching, reads, countsSeen)),
                readers.submit(() -> read(switching, reads, countsSeen)));

        // when: 200 switches, each one request of delete + create
        try {
            for (int i = 0; i < 200; i++) {
                client.updateAliasesAsync(List.of(delete(), create(i % 2 == 0 ? "green" : "blue"))).get();
            }
        } finally {
            switching.set(false);
        }

        // then: a reader that saw the alias missing fails its future with NOT_FOUND
        for (Future<?> reader : running) {
            reader.get(30, TimeUnit.SECONDS);
        }
        readers.shutdown();
        assertThat(reads.get()).isGreaterThan(100);
        assertThat(countsSeen).containsExactlyInAnyOrder(1L, 2L);
    }

    private Void read(AtomicBoolean switching, AtomicLong reads, Set<Long> countsSeen) throws Exception {
        while (switching.get()) {
            countsSeen.add(client.countAsync("live").get());
            reads.incrementAndGet();
        }
        return null;
    }

    private static AliasOperations create(String collection) {
        return AliasOperations.newBuilder().setCreateAlias(CreateAlias.newBuilder().setCollectionName(collection)
                .setAliasName("live")).build();
    }

    private static AliasOperations delete() {
        return AliasOperations.newBuilder().setDeleteAlias(DeleteAlias.newBuilder().setAliasName("live")).build();
    }

    private static PointStruct point(long n) {
        return PointStruct.newBuilder().setId(id(n)).setVectors(vectors(1f, 0f)).build();
    }
}

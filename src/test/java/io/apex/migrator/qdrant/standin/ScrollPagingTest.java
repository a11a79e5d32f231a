package io.apex.migrator.qdrant.standin;

import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.VectorsFactory.vectors;
import static org.assertj.core.api.Assertions.assertThat;

import io.apex.migrator.qdrant.PointIdOrder;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScrollPoints;
import io.qdrant.client.grpc.Points.ScrollResponse;
import io.qdrant.client.grpc.Points.UpsertPoints;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Paging a large collection the way the migrator reads a source: offset = the previous next_page_offset. */
class ScrollPagingTest {

    private static final int POINTS = 10_000;

    private QdrantStandIn standIn;
    private QdrantClient client;

    @BeforeEach
    void start() {
        standIn = QdrantStandIn.start();
        client = new QdrantClient(QdrantGrpcClient.newBuilder(standIn.host(), standIn.port(), false).build());
    }

    @AfterEach
    void stop() {
        client.close();
        standIn.close();
    }

    @Test
    void pagingTenThousandMixedIdsWithMixedPageSizesReturnsEveryPointOnceInIdOrder() throws Exception {
        // given: half integer ids (sparse, some above 2^63), half random UUIDs, upserted in random order
        Random random = new Random(11);
        List<PointId> ids = new ArrayList<>();
        Set<Long> nums = new HashSet<>();
        while (nums.size() < POINTS / 2) {
            nums.add(random.nextInt(5) == 0 ? random.nextLong() : random.nextInt(1_000_000));
        }
        nums.forEach(n -> ids.add(id(n)));
        for (int i = 0; i < POINTS / 2; i++) {
            ids.add(id(new UUID(random.nextLong(), random.nextLong())));
        }
        java.util.Collections.shuffle(ids, random);
        client.createCollectionAsync("paged", VectorParams.newBuilder().setSize(2).setDistance(Distance.Dot).build())
                .get();
        for (int from = 0; from < ids.size(); from += 1000) {
            UpsertPoints.Builder batch = UpsertPoints.newBuilder().setCollectionName("paged").setWait(true);
            ids.subList(from, from + 1000).forEach(pid -> batch.addPoints(
                    PointStruct.newBuilder().setId(pid).setVectors(vectors(1f, 2f))));
            client.upsertAsync(batch.build()).get();
        }

        // when: pages of 1..997 points, the next offset always the previous next_page_offset
        List<PointId> seen = new ArrayList<>();
        PointId offset = null;
        int pages = 0;
        do {
            ScrollPoints.Builder request = ScrollPoints.newBuilder().setCollectionName("paged")
                    .setLimit(1 + random.nextInt(997));
            if (offset != null) {
                request.setOffset(offset);
            }
            ScrollResponse page = client.scrollAsync(request.build()).get();
            page.getResultList().stream().map(RetrievedPoint::getId).forEach(seen::add);
            offset = page.hasNextPageOffset() ? page.getNextPageOffset() : null;
            pages++;
        } while (offset != null);

        // then
        List<PointId> expected = new ArrayList<>(ids);
        expected.sort(PointIdOrder.INSTANCE);
        assertThat(pages).isGreaterThan(10);
        assertThat(seen).hasSize(POINTS).doesNotHaveDuplicates().containsExactlyElementsOf(expected);
    }
}

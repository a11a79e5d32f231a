package io.apex.migrator.qdrant.standin;

import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.VectorsFactory.vectors;
import static org.assertj.core.api.Assertions.assertThat;

import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Points.PointStruct;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The per-point atomicity the update modes rely on: a conditional write decides on the very state it replaces. Each
 * test lets another writer change the point while the condition is being evaluated, the interleaving a
 * check-then-write implementation gets wrong.
 */
class StoredCollectionTest {

    private final StoredCollection collection = new StoredCollection("points", CollectionConfigs.fromCreate(
            CreateCollection.newBuilder().setCollectionName("points").setVectorsConfig(VectorsConfig.newBuilder()
                    .setParams(VectorParams.newBuilder().setSize(2).setDistance(Distance.Dot))).build()));

    @Test
    void aConditionalReplaceDecidesOnTheStateItReplaces() {
        // given
        collection.put(point(1, "v1"));
        AtomicBoolean interfered = new AtomicBoolean();

        // when: while the condition (label is v1) is checked, another writer stores v2
        collection.putUnless(point(1, "v3"), p -> {
            if (interfered.compareAndSet(false, true)) {
                CompletableFuture.runAsync(() -> collection.put(point(1, "v2"))).join();
            }
            return label(p).equals("v1");
        });

        // then
        assertThat(label(collection.points().get(PointKey.num(1)))).isEqualTo("v2");
    }

    @Test
    void anUpdateNeverResurrectsAPointDeletedMeanwhile() {
        // given
        collection.put(point(1, "old"));
        AtomicBoolean interfered = new AtomicBoolean();

        // when: while the change is computed, another writer deletes the point
        boolean updated = collection.update(PointKey.num(1), p -> {
            if (interfered.compareAndSet(false, true)) {
                CompletableFuture.runAsync(() -> collection.remove(PointKey.num(1))).join();
            }
            return point(1, "new");
        });

        // then
        assertThat(updated).isFalse();
        assertThat(collection.points()).isEmpty();
    }

    @Test
    void anInsertOnlyWriteLosesToAPointStoredFirst() {
        // given
        collection.put(point(1, "captured"));

        // when
        boolean stored = collection.putIfAbsent(point(1, "backfill"));

        // then
        assertThat(stored).isFalse();
        assertThat(label(collection.points().get(PointKey.num(1)))).isEqualTo("captured");
    }

    private StoredPoint point(long id, String label) {
        return PointCodec.toStored(PointStruct.newBuilder().setId(id(id)).setVectors(vectors(1f, 1f))
                .putPayload("label", value(label)).build(), collection, 0, new java.util.Random(1));
    }

    private static String label(StoredPoint p) {
        return p.payload().get("label").getStringValue();
    }
}

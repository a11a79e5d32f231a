package io.apex.migrator.qdrant.standin;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.StatusRuntimeException;
import io.qdrant.client.grpc.Collections.AliasOperations;
import io.qdrant.client.grpc.Collections.CollectionConfig;
import io.qdrant.client.grpc.Collections.CreateAlias;
import io.qdrant.client.grpc.Collections.DeleteAlias;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Alias atomicity at the speed of memory rather than of gRPC: readers resolve the alias in a tight loop
 * while it is switched 50,000 times, so a switch that published its delete before its create would be
 * caught (AliasAtomicityTest checks the same end to end, where a window of nanoseconds is hard to hit).
 */
class CatalogAliasTest {

    @Test
    void aResolverNeverFindsTheAliasMissingDuringSwitches() throws Exception {
        // given
        Catalog catalog = new Catalog();
        catalog.create("blue", CollectionConfig.getDefaultInstance());
        catalog.create("green", CollectionConfig.getDefaultInstance());
        catalog.updateAliases(List.of(create("blue")));
        AtomicBoolean switching = new AtomicBoolean(true);
        AtomicLong missing = new AtomicLong();
        AtomicLong resolved = new AtomicLong();
        ExecutorService readers = Executors.newFixedThreadPool(2);
        List<Future<?>> running = List.of(readers.submit(() -> resolve(catalog, switching, missing, resolved)),
                readers.submit(() -> resolve(catalog, switching, missing, resolved)));

        // when
        try {
            for (int i = 0; i < 50_000; i++) {
                catalog.updateAliases(List.of(delete(), create(i % 2 == 0 ? "green" : "blue")));
            }
        } finally {
            switching.set(false);
        }
        for (Future<?> reader : running) {
            reader.get(30, TimeUnit.SECONDS);
        }
        readers.shutdown();

        // then
        assertThat(resolved.get()).isPositive();
        assertThat(missing.get()).as("resolutions that found the alias missing").isZero();
    }

    @Test
    void aBatchWithAFailingActionLeavesTheAliasesAsTheyWere() {
        // given
        Catalog catalog = new Catalog();
        catalog.create("blue", CollectionConfig.getDefaultInstance());
        catalog.updateAliases(List.of(create("blue")));

        // when
        boolean failed;
        try {
            catalog.updateAliases(List.of(delete(), AliasOperations.newBuilder().setDeleteAlias(
                    DeleteAlias.newBuilder().setAliasName("never-existed")).build()));
            failed = false;
        } catch (StatusRuntimeException e) {
            failed = true;
        }

        // then
        assertThat(failed).isTrue();
        assertThat(catalog.aliases()).containsEntry("live", "blue");
    }

    @Test
    void aliasUpdatesCountRequestsAndOnlyTheOnesThatMovedTheAlias() {
        // given
        Catalog catalog = new Catalog();
        catalog.create("blue", CollectionConfig.getDefaultInstance());
        catalog.create("green", CollectionConfig.getDefaultInstance());
        catalog.updateAliases(List.of(create("blue")));

        // when: moved to green, then pointed at green again (a repeated cutover)
        catalog.updateAliases(List.of(delete(), create("green")));
        catalog.updateAliases(List.of(delete(), create("green")));

        // then
        assertThat(catalog.aliasUpdates("live")).isEqualTo(new AliasUpdates(3, 2));
        assertThat(catalog.aliasUpdates("other")).isEqualTo(new AliasUpdates(0, 0));
    }

    private static void resolve(Catalog catalog, AtomicBoolean switching, AtomicLong missing, AtomicLong resolved) {
        while (switching.get()) {
            try {
                catalog.resolve("live");
                resolved.incrementAndGet();
            } catch (StatusRuntimeException e) {
                missing.incrementAndGet();
            }
        }
    }

    private static AliasOperations create(String collection) {
        return AliasOperations.newBuilder().setCreateAlias(CreateAlias.newBuilder().setCollectionName(collection)
                .setAliasName("live")).build();
    }

    private static AliasOperations delete() {
        return AliasOperations.newBuilder().setDeleteAlias(DeleteAlias.newBuilder().setAliasName("live")).build();
    }
}

package io.apex.migrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.apex.migrator.api.BatchKind;
import io.apex.migrator.api.BatchTask;
import io.apex.migrator.api.PointKey;
import io.apex.migrator.api.PointRange;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

class BatchTaskPartitionerTest {

    private static final String RUN = UUID.randomUUID().toString();

    @Test
    void aRunsRangesAreDealtOverThePartitionsInTurnSoNoPartitionHoldsTwoMoreThanAnother() {
        int[] perPartition = new int[12];
        IntStream.range(0, 40).forEach(i -> perPartition[partition(task(i, BatchKind.COPY, null).key(), 12)]++);
        assertThat(IntStream.of(perPartition).max().getAsInt() - IntStream.of(perPartition).min().getAsInt())
                .isLessThanOrEqualTo(1);
        assertThat(IntStream.of(perPartition).sum()).isEqualTo(40);
    }

    @Test
    void aRangeGoesToTheSamePartitionOnEveryResendAndEveryVerificationPass() {
        int copy = partition(task(29, BatchKind.COPY, null).key(), 12);
        assertThat(partition(task(29, BatchKind.COPY, null).key(), 12)).isEqualTo(copy);
        assertThat(partition(task(29, BatchKind.VERIFY, 1).key(), 12)).isEqualTo(copy);
        assertThat(partition(task(29, BatchKind.VERIFY, 2).key(), 12)).isEqualTo(copy);
    }

    @Test
    void theRangesLeftAfterWholeRoundsGoToDifferentBlocksOfContiguousPartitionsAsKafkasDefaultAssignorHandsThemOut() {
        // 40 ranges on 12 partitions: 3 whole rounds and 4 left over; 4 consumers take partitions 0-2, 3-5, 6-8, 9-11
        int[] perPartition = new int[12];
        IntStream.range(0, 40).forEach(i -> perPartition[partition(task(i, BatchKind.COPY, null).key(), 12)]++);
        assertThat(IntStream.range(0, 4).map(c -> perPartition[3 * c] + perPartition[3 * c + 1] + perPartition[3 * c + 2]))
                .as("ranges per consumer of four").containsOnly(10);
        assertThat(IntStream.range(0, 2).map(c -> IntStream.range(6 * c, 6 * c + 6).map(p -> perPartition[p]).sum()))
                .as("ranges per consumer of two").containsOnly(20);
        assertThat(BatchTaskPartitioner.turnOrder(12)).containsExactly(0, 6, 3, 9, 1, 7, 4, 10, 2, 8, 5, 11);
    }

    @Test
    void theTurnVisitsEveryPartitionOnceWhateverTheirNumber() {
        for (int n = 1; n <= 100; n++) {
            assertThat(BatchTaskPartitioner.turnOrder(n)).as("%s partitions", n)
                    .containsExactlyInAnyOrder(IntStream.range(0, n).toArray());
        }
    }

    @Test
    void everyTaskOfAPartitionCountIsDealtByThatCountsTurnWhicheverCountCameBefore() {
        // twice over, so the second round deals from the turns the first one kept, with the counts interleaved
        for (int round = 0; round < 2; round++) {
            for (int n = 1; n <= 40; n++) {
                int[] turn = BatchTaskPartitioner.turnOrder(n);
                for (int i = 0; i < 3 * n; i++) {
                    assertThat(partition(task(i, BatchKind.COPY, null).key(), n))
                            .as("range %s on %s partitions, round %s", i, n, round).isEqualTo(turn[i % n]);
                }
            }
        }
    }

    @Test
    void messagesOfSeveralRangesAreDealtInTurnByTheirPlaceAmongTheRunsMessages() {
        // 160 ranges, 4 a message: 40 messages on 12 partitions, 10 per consumer of four
        List<BatchTask> messages = RangeMessages.pack(IntStream.range(0, 160).mapToObj(i -> task(i, BatchKind.COPY, null))
                .toList(), 256, 1000, 12);
        int[] perPartition = new int[12];
        messages.forEach(m -> perPartition[partition(m.key(), 12)]++);
        assertThat(messages).hasSize(40);
        assertThat(IntStream.range(0, 4).map(c -> perPartition[3 * c] + perPartition[3 * c + 1] + perPartition[3 * c + 2]))
                .as("messages per consumer of four").containsOnly(10);
        assertThat(partition(messages.get(5).key(), 12)).isEqualTo(BatchTaskPartitioner.turnOrder(12)[5]);
    }

    @Test
    void keysOfAnotherShapeGoByTheirHashAsKafkasDefaultPartitionerDoes() {
        for (String key : new String[] {"documents_v1", "a/b/not-a-number", "a/b/-3", "a/b/c/d/e", "a/b/7-3", "a/b/1-2-3"}) {
            byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
            assertThat(BatchTaskPartitioner.partitionOf(key, bytes, 12))
                    .as(key).isEqualTo(Utils.toPositive(Utils.murmur2(bytes)) % 12);
        }
        assertThat(BatchTaskPartitioner.partitionOf(null, null, 12)).isZero();
    }

    private static int partition(String key, int partitions) {
        return BatchTaskPartitioner.partitionOf(key, key.getBytes(StandardCharsets.UTF_8), partitions);
    }

    private static BatchTask task(int index, BatchKind kind, Integer pass) {
        return new BatchTask(RUN, index, kind, "documents_v1", "documents_v2", new PointRange(PointKey.parse("0"), PointKey.parse("10")), 64, pass);
    }
}

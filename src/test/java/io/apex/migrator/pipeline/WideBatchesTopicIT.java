package io.apex.migrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.apex.migrator.qdrant.standin.QdrantStandInResource;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunState;
import io.apex.migrator.support.LocalStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * A batches topic with more partitions than {@code apex.topics.batches-partitions} (real Kafka and PostgreSQL, the
 * stand-in): a run's small ranges are packed for the partitions the topic has, so its messages reach all of them.
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
@WithTestResource(QdrantStandInResource.class)
@WithTestResource(WideBatchesTopicResource.class)
class WideBatchesTopicIT extends StandInPipelineRuns {

    @Test
    void aRunsMessagesAreSpreadOverEveryPartitionTheTopicHasNotOnlyTheConfiguredOnes() {
        // given: 16 ranges of 100 points; packed for the 3 configured partitions they would be 4 messages of 4-5
        // ranges, for the topic's 8 partitions they are 8 messages of 2
        QdrantMigrationIT.Names n = QdrantMigrationIT.Names.create("wide");
        TestCollections.create(gateway, n.v1(), 8, false);
        TestCollections.seed(gateway, n.v1(), 1_600, 8, false, false, 17);
        TestCollections.create(gateway, n.v2(), 8, false);
        pointAlias(n.alias(), n.v1());
        String commandId = "c-" + UUID.randomUUID();

        // when
        send("{\"schemaVersion\":1,\"commandId\":\"" + commandId + "\",\"type\":\"qdrant.migrate\",\"source\":\""
                + n.v1() + "\",\"target\":\"" + n.v2() + "\",\"alias\":\"" + n.alias() + "\",\"batchSize\":100}");
        awaitEvent(commandId, "migration-completed", Duration.ofMinutes(2));

        // then
        Run run = runStore.findByCommand(commandId).orElseThrow();
        assertThat(run.state()).isEqualTo(RunState.COMPLETED);
        assertThat(run.plannedBatches()).isEqualTo(16);
        assertThat(TestCollections.assertSameContent(gateway, n.v1(), n.v2())).isEqualTo(1_600);
        List<ConsumerRecord<String, String>> copies;
        try (TopicReader<String> batches = TopicReader.strings(bootstrap, WideBatchesTopicResource.TOPIC)) {
            copies = batches.pollToEnd(Duration.ofSeconds(30)).stream()
                    .filter(r -> r.key().startsWith(run.id() + "/copy/")).toList();
        }
        assertThat(copies).hasSize(WideBatchesTopicResource.PARTITIONS);
        assertThat(copies).extracting(ConsumerRecord::partition).containsExactlyInAnyOrderElementsOf(
                IntStream.range(0, WideBatchesTopicResource.PARTITIONS).boxed().toList());
    }
}

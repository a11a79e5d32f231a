package io.apex.migrator.pipeline;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** Kafka topic names and partition counts ({@code apex.topics.*}); channels refer to them in application.properties. */
@ConfigMapping(prefix = "apex.topics")
public interface TopicsConfig {

    /** Commands from producers and the CLI. */
    @WithDefault("apex.commands")
    String commands();

    /** Batch tasks, one per range; its partitions cap the number of busy worker consumers. */
    @WithDefault("apex.batches")
    String batches();

    /** Worker progress reports. */
    @WithDefault("apex.progress")
    String progress();

    /** Lifecycle CloudEvents for downstream services. */
    @WithDefault("apex.events")
    String events();

    /** Batch tasks that failed for good, with the reason in headers. */
    @WithName("dead-letter")
    @WithDefault("apex.dead-letter")
    String deadLetter();

    /**
     * Writes captured by the proxy for collections under migration, keyed by the source collection (one partition
     * orders a collection's writes); the workers apply them to the target.
     */
    @WithDefault("apex.capture")
    String capture();

    /** Partitions of the capture topic (a collection's writes always share one). */
    @WithName("capture-partitions")
    @WithDefault("3")
    int capturePartitions();

    /**
     * Partitions of the batches topic when it is created at startup (absent). A topic that exists keeps its count, and
     * ranges are packed for the count it has ({@link BatchesTopicPartitions}); this one stands in while Kafka cannot
     * describe the topic.
     */
    @WithName("batches-partitions")
    @WithDefault("12")
    int batchesPartitions();

    /** Partitions of the progress topic. */
    @WithName("progress-partitions")
    @WithDefault("3")
    int progressPartitions();

    /** Replication factor of the topics created at startup. */
    @WithName("replication-factor")
    @WithDefault("1")
    short replicationFactor();
}

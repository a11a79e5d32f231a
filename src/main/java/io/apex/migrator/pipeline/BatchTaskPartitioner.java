package io.apex.migrator.pipeline;

import java.util.Map;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.utils.Utils;

/**
 * Deals a run's ranges over the batches topic's partitions in turn ({@code batchIndex mod partitions}) instead of by
 * the key's hash. Each worker consumes whole partitions, so a run lasts as long as its busiest worker: hashing 40 ranges
 * onto 12 partitions leaves four workers, on average, a busiest one with 1.3× its share; dealt in turn the partitions
 * differ by at most one range. A range keeps its partition on every resend (the index is in the key). Keys of another
 * shape go by their hash, as Kafka's default partitioner does.
 */
public class BatchTaskPartitioner implements Partitioner {

    @Override
    public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
        int partitions = cluster.partitionCountForTopic(topic);
        return partitionOf(key, keyBytes, partitions);
    }

    static int partitionOf(Object key, byte[] keyBytes, int partitions) {
        Integer index = key instanceof String text ? batchIndex(text) : null;
        if (index != null) {
            return index % partitions;
        }
        return keyBytes == null ? 0 : Utils.toPositive(Utils.murmur2(keyBytes)) % partitions;
    }

    /** The batch index of a {@link io.apex.migrator.api.BatchTask#key()} ({@code run/kind/index[/pass]}), else null. */
    private static Integer batchIndex(String key) {
        String[] parts = key.split("/", -1);
        if (parts.length < 3 || parts.length > 4) {
            return null;
        }
        try {
            int index = Integer.parseInt(parts[2]);
            return index >= 0 ? index : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public void configure(Map<String, ?> configs) {
        // nothing to configure
    }

    @Override
    public void close() {
        // nothing held
    }
}

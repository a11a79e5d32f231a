package io.apex.migrator.pipeline;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.utils.Utils;

/**
 * Deals a run's ranges over the batches topic's partitions in turn instead of by the key's hash. Each worker consumes
 * whole partitions, so a run lasts as long as its busiest worker: hashing 40 ranges onto 12 partitions leaves four
 * workers, on average, a busiest one with 1.3× its share; dealt in turn the partitions differ by at most one range.
 * The turn visits the partitions in an interleaved order (12 partitions: 0, 6, 3, 9, 1, 7, 4, 10, 2, 8, 5, 11), not
 * 0, 1, 2, …: Kafka's default assignor gives each consumer a contiguous block of partitions, so the ranges left over
 * after whole rounds then go to different consumers instead of all to the first. A range keeps its partition on every
 * resend (the index is in the key). A message of several ranges ({@code first-last}) takes the turn of its place among
 * the run's messages, {@code first / (last - first + 1)}. Keys of another shape go by their hash, as Kafka's default
 * partitioner does. The partitions are those of the producer's metadata, the topic's real count as
 * {@link BatchesTopicPartitions} packs for (both refreshed every 30 s), not the configured one.
 */
public class BatchTaskPartitioner implements Partitioner {

    /** The turn for each partition count seen; never handed out, so never changed. */
    private static final Map<Integer, int[]> TURNS = new ConcurrentHashMap<>();

    @Override
    public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
        int partitions = cluster.partitionCountForTopic(topic);
        return partitionOf(key, keyBytes, partitions);
    }

    static int partitionOf(Object key, byte[] keyBytes, int partitions) {
        Integer index = key instanceof String text ? turnIndex(text) : null;
        if (index != null) {
            return TURNS.computeIfAbsent(partitions, BatchTaskPartitioner::turnOrder)[index % partitions];
        }
        return keyBytes == null ? 0 : Utils.toPositive(Utils.murmur2(keyBytes)) % partitions;
    }

    /**
     * The partitions in the order of the base-2 van der Corput sequence (0, 1/2, 1/4, 3/4, 1/8, …) scaled to
     * {@code partitions}, each taken the first time it comes up: consecutive turns land far apart, in different halves,
     * quarters, … of the partition numbers.
     */
    static int[] turnOrder(int partitions) {
        int[] order = new int[partitions];
        boolean[] taken = new boolean[partitions];
        int found = 0;
        for (int k = 0; found < partitions; k++) {
            int p = (int) (vanDerCorput(k) * partitions);
            if (!taken[p]) {
                taken[p] = true;
                order[found++] = p;
            }
        }
        return order;
    }

    private static double vanDerCorput(int k) {
        double value = 0;
        double digit = 0.5;
        for (int rest = k; rest > 0; rest >>= 1, digit /= 2) {
            if ((rest & 1) == 1) {
                value += digit;
            }
        }
        return value;
    }

    /**
     * The turn of a {@link io.apex.migrator.api.BatchTask#key()} ({@code run/kind/index[/pass]} or
     * {@code run/kind/first-last[/pass]}), else null.
     */
    private static Integer turnIndex(String key) {
        String[] parts = key.split("/", -1);
        if (parts.length < 3 || parts.length > 4) {
            return null;
        }
        String[] bounds = parts[2].split("-", -1);
        try {
            int first = Integer.parseInt(bounds[0]);
            if (bounds.length == 1) {
                return first >= 0 ? first : null;
            }
            int last = bounds.length == 2 ? Integer.parseInt(bounds[1]) : -1;
            return first >= 0 && last >= first ? first / (last - first + 1) : null;
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

package io.apex.migrator.pipeline;

import io.apex.migrator.api.BatchTask;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Packs ranges into the messages of the batches topic. A message costs the same whatever it carries (a Kafka record
 * each way, a dispatch on the worker, an offset commit), so ranges smaller than {@code pointsPerMessage} travel
 * several to a message, in order, but never so many that a run has fewer messages than the topic has partitions:
 * the spread over the workers comes first.
 */
final class RangeMessages {

    private RangeMessages() {
    }

    /**
     * @param tasks single-range tasks, in the order they should be worked on
     * @param pointsPerRange the run's range size (its batch size)
     * @param pointsPerMessage the points a message should carry; 0 = one range per message
     * @param partitions partitions of the batches topic, as Kafka describes it ({@link BatchesTopicPartitions})
     */
    static List<BatchTask> pack(List<BatchTask> tasks, int pointsPerRange, int pointsPerMessage, int partitions) {
        int perMessage = rangesPerMessage(tasks.size(), pointsPerRange, pointsPerMessage, partitions);
        if (perMessage == 1) {
            return tasks;
        }
        List<BatchTask> messages = new ArrayList<>(tasks.size() / perMessage + 1);
        List<BatchTask> current = new ArrayList<>(perMessage);
        for (BatchTask task : tasks) {
            if (!current.isEmpty() && (current.size() == perMessage || !sameGroup(current.get(0), task))) {
                messages.add(BatchTask.carrying(current));
                current.clear();
            }
            current.add(task);
        }
        if (!current.isEmpty()) {
            messages.add(BatchTask.carrying(current));
        }
        return messages;
    }

    static int rangesPerMessage(int ranges, int pointsPerRange, int pointsPerMessage, int partitions) {
        if (pointsPerMessage <= pointsPerRange || pointsPerRange < 1) {
            return 1;
        }
        int wanted = Math.min(BatchTask.MAX_RANGES, (pointsPerMessage + pointsPerRange - 1) / pointsPerRange);
        int spreadCap = Math.max(1, ranges / Math.max(1, partitions));
        return Math.min(wanted, spreadCap);
    }

    private static boolean sameGroup(BatchTask a, BatchTask b) {
        return a.runId().equals(b.runId()) && a.kind() == b.kind() && Objects.equals(a.pass(), b.pass());
    }
}

package io.apex.migrator.live;

import io.apex.migrator.pipeline.KafkaAdmin;
import io.apex.migrator.pipeline.TopicsConfig;
import io.apex.migrator.state.CapturePositions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * Where the capture stream stands: the end of the capture topic now ({@link #end}), and whether the workers have
 * applied everything up to a given point (the positions the capture applier records after each batch it applied,
 * {@link CapturePositions}). Used to re-check a
 * verification difference once the stream has passed it, and to drain the stream at the cutover.
 */
@ApplicationScoped
public class CaptureStream {

    private static final Duration FIRST_POLL = Duration.ofMillis(10);
    private static final Duration MAX_POLL = Duration.ofMillis(250);
    private static final long CALL_TIMEOUT_MS = 10_000;

    private final KafkaAdmin admin;
    private final String topic;
    private final CapturePositions positions;

    @Inject
    public CaptureStream(KafkaAdmin admin, TopicsConfig topics, CapturePositions positions) {
        this.admin = admin;
        this.topic = topics.capture();
        this.positions = positions;
    }

    /** A point of the stream: the next offset of each partition of the capture topic. */
    public record Position(Map<Integer, Long> offsets) {

        public Position {
            offsets = Map.copyOf(offsets);
        }

        /** Records before this point (all partitions). */
        public long size() {
            return offsets.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** The end of the stream now: a capture acknowledged to a client before this call lies before it. */
    public Position end() {
        try {
            Admin a = admin.get();
            Map<TopicPartition, OffsetSpec> latest = a.describeTopics(java.util.List.of(topic)).allTopicNames()
                    .get(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS).get(topic).partitions().stream()
                    .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
            Map<Integer, Long> offsets = new HashMap<>();
            a.listOffsets(latest).all().get(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                    .forEach((tp, info) -> offsets.put(tp.partition(), info.offset()));
            return new Position(offsets);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the end of capture topic " + topic + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the capture topic", e);
        }
    }

    /**
     * How many records before {@code position} the workers have not applied yet: the applier records its position
     * per partition after each batch ({@link CapturePositions}); a partition it never recorded counts from its
     * earliest offset still in the topic.
     */
    public long behind(Position position) {
        Map<Integer, Long> applied = positions.positions(topic);
        long behind = 0;
        for (Map.Entry<Integer, Long> e : position.offsets().entrySet()) {
            if (e.getValue() == 0) {
                continue;
            }
            Long done = applied.get(e.getKey());
            // asked of the broker only where needed: every waiting verification polls this
            behind += Math.max(0, e.getValue() - (done != null ? done : earliest(e.getKey())));
        }
        return behind;
    }

    private long earliest(int partition) {
        try {
            TopicPartition tp = new TopicPartition(topic, partition);
            return admin.get().listOffsets(Map.of(tp, OffsetSpec.earliest())).all()
                    .get(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS).get(tp).offset();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the start of capture topic " + topic + ": " + e.getMessage(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the capture topic", e);
        }
    }

    /**
     * Waits until the workers applied every record before {@code position}; false when {@code patience} ran out. Looks
     * often at first (a cutover hold drains a short backlog) and less often the longer it waits: many verification
     * tasks wait at once, and their looks must not take the CPU the applier needs to catch up.
     */
    public boolean awaitApplied(Position position, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        long pause = FIRST_POLL.toMillis();
        while (true) {
            if (behind(position) == 0) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                Thread.sleep(Math.max(1, Math.min(pause, TimeUnit.NANOSECONDS.toMillis(left))));
                pause = Math.min(pause * 2, MAX_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}

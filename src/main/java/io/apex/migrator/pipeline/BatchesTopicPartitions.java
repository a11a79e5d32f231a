package io.apex.migrator.pipeline;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * The batches topic's partition count as Kafka describes it: an operator may have created the topic with more (or
 * fewer) partitions than {@code apex.topics.batches-partitions}, or added some since. {@link RangeMessages} packs a
 * run's ranges by it, so a run has at least as many messages as the topic has partitions; the producer's
 * {@link BatchTaskPartitioner} deals them over the partitions its own metadata knows, the same count once that
 * metadata is fresh. Asked again after {@link #FRESH_FOR}; when the topic cannot be described the configured count
 * stands in, with one WARN until a description succeeds again.
 */
@ApplicationScoped
public class BatchesTopicPartitions {

    static final Duration FRESH_FOR = Duration.ofSeconds(30);
    private static final Logger LOGGER = Logger.getLogger(BatchesTopicPartitions.class);
    private static final long DESCRIBE_TIMEOUT_MS = 5_000;

    /** How many partitions a topic has; throws when it cannot tell. */
    @FunctionalInterface
    interface Describer {
        int partitions(String topic) throws Exception;
    }

    private final String topic;
    private final int configured;
    private final Describer describer;
    private final LongSupplier nanoTime;
    private int current;
    private long askedAt;
    private boolean asked;
    private boolean warned;

    @Inject
    public BatchesTopicPartitions(TopicsConfig topics, KafkaAdmin admin) {
        this(topics.batches(), topics.batchesPartitions(), describedBy(admin), System::nanoTime);
    }

    BatchesTopicPartitions(String topic, int configured, Describer describer, LongSupplier nanoTime) {
        this.topic = topic;
        this.configured = configured;
        this.describer = describer;
        this.nanoTime = nanoTime;
        this.current = configured;
    }

    /** The partitions of the batches topic: as described at most {@link #FRESH_FOR} ago, else the configured count. */
    public synchronized int current() {
        long now = nanoTime.getAsLong();
        if (!asked || now - askedAt >= FRESH_FOR.toNanos()) {
            current = describe();
            askedAt = nanoTime.getAsLong();
            asked = true;
        }
        return current;
    }

    private int describe() {
        try {
            int described = describer.partitions(topic);
            if (described < 1) {
                throw new IllegalStateException("described with " + described + " partitions");
            }
            if (described != current || warned) {
                LOGGER.infof("batches topic %s has %s partitions (configured: %s); ranges are packed for %s",
                        topic, described, configured, described);
            }
            warned = false;
            return described;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fallBack(e);
        } catch (Exception e) {
            return fallBack(e);
        }
    }

    private int fallBack(Exception e) {
        if (!warned) {
            warned = true;
            LOGGER.warnf("cannot describe batches topic %s (%s); ranges are packed for the configured %s partitions "
                    + "until it can be", topic, e, configured);
        }
        return configured;
    }

    /** Describes the topic through the replica's admin client. */
    private static Describer describedBy(KafkaAdmin admin) {
        return topic -> admin.get().describeTopics(List.of(topic)).allTopicNames()
                .get(DESCRIBE_TIMEOUT_MS, TimeUnit.MILLISECONDS).get(topic).partitions().size();
    }
}

package io.apex.migrator.pipeline;

import io.apex.migrator.api.BatchTask;
import io.apex.migrator.api.Messages;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/**
 * Publishes batch tasks on the batches topic, small ranges several to a message ({@link RangeMessages}, packed for the
 * topic's partitions as Kafka describes them: {@link BatchesTopicPartitions}), and waits until Kafka has them all.
 */
@ApplicationScoped
public class KafkaBatchDispatcher implements BatchDispatcher {

    private final Emitter<String> emitter;
    private final PipelineConfig config;
    private final BatchesTopicPartitions partitions;

    @Inject
    public KafkaBatchDispatcher(@Channel("batches-out") Emitter<String> emitter, PipelineConfig config,
            BatchesTopicPartitions partitions) {
        this.emitter = emitter;
        this.config = config;
        this.partitions = partitions;
    }

    @Override
    public void dispatch(List<BatchTask> tasks, int pointsPerRange) {
        List<BatchTask> messages = RangeMessages.pack(tasks, pointsPerRange, config.pointsPerMessage(),
                partitions.current());
        KafkaSend.sendAll(emitter, messages.stream()
                .map(t -> new KafkaSend.Keyed<>(t.key(), Messages.get().write(t))).toList(), config.publishTimeout());
    }
}

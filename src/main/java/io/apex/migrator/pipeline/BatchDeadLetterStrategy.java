package io.apex.migrator.pipeline;

import io.apex.migrator.api.Messages;
import io.quarkus.arc.Unremovable;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaConnectorIncomingConfiguration;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.fault.KafkaFailureHandler;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.function.BiConsumer;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/**
 * The {@code batches-in} channel's failure strategy ({@value #NAME}): SmallRye's dead-letter queue, entered only
 * once {@link BatchNacks} allows it: every nacked batch task passes here, whether our handler failed it, its stage
 * failed, or the connector nacked it without calling the handler (the worker pool closed at shutdown).
 */
@ApplicationScoped
@Identifier(BatchDeadLetterStrategy.NAME)
@Unremovable
public class BatchDeadLetterStrategy implements KafkaFailureHandler.Factory {

    static final String NAME = "apex-batch-dead-letter";
    /** Between two attempts to report a nacked message's ranges failed while Kafka does not take the reports. */
    private static final Duration REPORT_RETRY_PAUSE = Duration.ofSeconds(1);

    @Inject
    @Identifier(KafkaFailureHandler.Strategy.DEAD_LETTER_QUEUE)
    KafkaFailureHandler.Factory deadLetterQueue;
    @Inject
    Reports reports;

    @Override
    public KafkaFailureHandler create(KafkaConnectorIncomingConfiguration config, Vertx vertx,
            KafkaConsumer<?, ?> consumer, BiConsumer<Throwable, Boolean> reportFailure) {
        KafkaFailureHandler deadLetters = deadLetterQueue.create(config, vertx, consumer, reportFailure);
        return new KafkaFailureHandler() {
            @Override
            public <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> record, Throwable reason, Metadata metadata) {
                return Uni.createFrom().completionStage(
                                () -> reports.nacks().beforeDeadLetter(String.valueOf(record.getPayload()), reason))
                        .emitOn(record::runOnMessageContext)
                        .chain(() -> deadLetters.handle(record, reason, metadata));
            }

            @Override
            public void terminate() {
                deadLetters.terminate();
            }
        };
    }

    /**
     * The progress reports of nacked tasks. A bean of its own, created at the first nack: the failure strategy is
     * created with the Kafka source, before the channel's emitters may be injected.
     */
    @ApplicationScoped
    @Unremovable
    static class Reports {

        private final BatchNacks nacks;

        @Inject
        Reports(@Channel("progress-out") Emitter<String> progressOut, Worker worker, PipelineConfig config,
                ReplicaShutdown shutdown) {
            Duration timeout = config.publishTimeout();
            this.nacks = new BatchNacks(progress -> KafkaSend.acknowledged(
                            KafkaSend.send(progressOut, progress.runId(), Messages.get().write(progress)), timeout),
                    worker::failed, shutdown::begun, BatchNacks.after(REPORT_RETRY_PAUSE));
        }

        BatchNacks nacks() {
            return nacks;
        }
    }
}

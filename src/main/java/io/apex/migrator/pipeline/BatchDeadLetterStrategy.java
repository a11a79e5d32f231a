package io.apex.migrator.pipeline;

import io.apex.migrator.api.Messages;
import io.quarkus.arc.Unremovable;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/**
 * The {@code batches-in} channel's failure strategy ({@value #NAME}): SmallRye's dead-letter queue, entered only
 * once {@link BatchNacks} allows it ({@link GatedDeadLetterStrategy}): every nacked batch task passes here, whether
 * our handler failed it, its stage failed, or the connector nacked it without calling the handler (the worker pool
 * closed at shutdown).
 */
@ApplicationScoped
@Identifier(BatchDeadLetterStrategy.NAME)
@Unremovable
public class BatchDeadLetterStrategy extends GatedDeadLetterStrategy {

    static final String NAME = "apex-batch-dead-letter";
    /** Between two attempts to report a nacked message's ranges failed while Kafka does not take the reports. */
    private static final Duration REPORT_RETRY_PAUSE = Duration.ofSeconds(1);

    @Inject
    Reports reports;

    @Override
    BeforeDeadLetter beforeDeadLetter() {
        return (record, reason) -> reports.nacks().beforeDeadLetter(String.valueOf(record.getPayload()), reason);
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

package io.apex.migrator.pipeline;

import io.apex.migrator.api.BatchProgress;
import io.apex.migrator.api.BatchTask;
import io.apex.migrator.api.Messages;
import io.apex.migrator.api.RawCommand;
import io.apex.migrator.observability.PipelineMetrics;
import io.apex.migrator.observability.PipelineTracing;
import io.apex.migrator.observability.RunContext;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The pipeline's Kafka consumers; channel ↔ topic wiring, groups and commit strategy live in
 * application.properties. A record is acknowledged only when its work is done, so the offset is committed after
 * the upsert and its acknowledged report (workers) or the state change (coordinator, tracker); an exception on the
 * commands channel sends the record to the dead-letter topic with the reason, one on the batches channel too, once
 * its ranges are reported failed (see {@link #onBatch}). Each handler runs in a
 * trace span continued from the record's headers and with its run (command) id in the logging MDC.
 */
@ApplicationScoped
public class KafkaConsumers {

    /** Between rounds of a message held for the run store (each round already retried for apex.run-store.retry-for). */
    private static final Duration HOLD_PAUSE = Duration.ofSeconds(1);

    private final CommandSignatureCheck signatures;
    private final CommandDispatcher commands;
    private final KafkaBatchDispatcher batches;
    private final Worker worker;
    private final Tracker tracker;
    private final ProgressReports reports;
    @Inject
    PipelineMetrics metrics;
    @Inject
    PipelineTracing tracing;

    @Inject
    public KafkaConsumers(CommandSignatureCheck signatures, CommandDispatcher commands, KafkaBatchDispatcher batches,
            Worker worker, Tracker tracker, @Channel("progress-out") Emitter<String> progressOut, PipelineConfig config) {
        this.signatures = signatures;
        this.commands = commands;
        this.batches = batches;
        this.worker = worker;
        this.tracker = tracker;
        this.reports = new ProgressReports(
                progress -> KafkaSend.send(progressOut, progress.runId(), Messages.get().write(progress)),
                config.worker().concurrency(), config.publishTimeout());
    }

    /**
     * Coordinator: commands, one at a time, in order. The value arrives as bytes, whatever they are: a record that
     * is no command is rejected like an invalid one, and the offset is committed only once that rejection is out.
     * With a signing key configured, a record not signed by it is rejected before it is validated or handled.
     */
    @Incoming("commands")
    @Blocking
    public void onCommand(ConsumerRecord<String, byte[]> record) {
        RawCommand raw = Messages.get().parseCommand(record.value());
        String origin = "topic " + record.topic() + ", partition " + record.partition() + ", offset " + record.offset();
        String runId = raw.runId().orElse(null);
        try (RunContext.Scope mdc = RunContext.enter(raw.commandId().orElse(null), runId)) {
            tracing.consume("apex command " + raw.type().orElse("?"), record.headers(), runId,
                    () -> {
                        if (signatures.admits(record, raw, origin)) {
                            RunStoreHold.untilStored("command at " + origin, HOLD_PAUSE,
                                    () -> commands.dispatch(raw, origin, batches));
                        }
                    });
        }
    }

    /**
     * Worker: batch tasks, several at once (see the apex-workers pool); a message may carry several ranges, worked on
     * in order as one ({@link Worker#executeAll}: one run look-up, one backfill check), each reported on its own once
     * all are done. The copy thread hands the reports to the producer
     * and goes on; the returned stage completes when Kafka has acknowledged the message's reports, and only then is
     * its record acknowledged (the throttled commit strategy commits a partition up to its first unacknowledged
     * record): an offset is still committed only after the upserts and the reports.
     * <p>
     * Whatever fails the message (a range that fails for good, a report Kafka refuses or does not acknowledge within
     * apex.pipeline.publish-timeout, an exception or Error thrown here or before, the worker pool refusing the task)
     * nacks the record, and the channel's failure strategy ({@link BatchDeadLetterStrategy}, {@link BatchNacks})
     * decides: while the replica shuts down (or the task's thread was interrupted) the record is neither dead-lettered
     * nor committed, and another worker takes it; otherwise the record goes to the dead-letter topic once Kafka
     * acknowledged a report of every range of the message (the worker's, when it failed the message after reporting
     * each range: {@link PipelineException.MessageReported}; else FAILED ones sent by the failure strategy), so the
     * tracker fails the run instead of waiting for the ranges. Each nack is logged once, at
     * ERROR, with the run, the ranges and the cause.
     */
    @Incoming("batches-in")
    @Blocking(value = "apex-workers", ordered = false)
    public CompletionStage<Void> onBatch(ConsumerRecord<String, String> record) {
        BatchTask message = Messages.get().readBatchTask(record.value());
        try (RunContext.Scope mdc = RunContext.enter(null, message.runId())) {
            return tracing.consume("apex batch", record.headers(), message.runId(), () -> executeAll(message));
        }
    }

    private CompletionStage<Void> executeAll(BatchTask message) {
        PipelineTracing.recordRanges(message.ranges().size());
        // throws WorkerStopping when the worker is shutting down (scale-in, SIGTERM): the failure strategy leaves the
        // record uncommitted, so the task goes to another worker
        MessageOutcome outcome = worker.executeAll(message);
        outcome.reports().forEach(metrics::batch);
        CompletableFuture<Void> all = reports.sendAll(outcome.reports());
        if (outcome.failed()) {
            // Every range is reported (those not confirmed copied as failed): the failure strategy (BatchNacks) waits
            // for these reports to be acknowledged, and only then sends the record to the dead-letter topic, so the
            // tracker fails the run instead of waiting: never a silent gap.
            worker.deadLettered(outcome.failedRange(), outcome.failure().getMessage());
            throw new PipelineException.MessageReported(outcome.failure(), outcome.reports(), all);
        }
        return all;
    }

    /**
     * Tracker: progress reports, a poll at a time (the channel is in batch mode), applied idempotently in one
     * run-store transaction ({@link Tracker#applyAll}); the poll's offsets are committed once it is applied.
     */
    @Incoming("progress-in")
    @Blocking
    public void onProgress(ConsumerRecords<String, String> records) {
        List<BatchProgress> reports = new ArrayList<>(records.count());
        List<Headers> headers = new ArrayList<>(records.count());
        for (ConsumerRecord<String, String> record : records) {
            reports.add(Messages.get().readProgress(record.value()));
            headers.add(record.headers());
        }
        if (reports.isEmpty()) {
            return;
        }
        String runId = reports.stream().map(BatchProgress::runId).distinct().count() == 1 ? reports.get(0).runId() : null;
        try (RunContext.Scope mdc = RunContext.enter(null, runId)) {
            tracing.consumeAll("apex progress", headers, runId,
                    () -> RunStoreHold.untilStored(reports.size() == 1 ? "progress of run " + runId + " range "
                            + reports.get(0).batchIndex() : reports.size() + " progress reports", HOLD_PAUSE,
                            () -> tracker.applyAll(reports)));
        }
    }

}

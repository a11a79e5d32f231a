package io.apex.migrator.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.apex.migrator.api.Messages;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunStore;
import io.qdrant.client.grpc.Collections;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Bulk-load mode ({@code bulkLoad: true}): the target builds no HNSW graph while the copy writes into it (Qdrant's
 * recipe for bulk uploads: {@code hnsw_config.m = 0}), and gets its own {@code m} back once every range is copied,
 * before verification and cutover, so the collection readers are switched to is indexed as specified. The original
 * {@code m} is kept in the run store before indexing is turned off, so a redelivered command restores the right one,
 * and a run that fails or is cancelled before the copy ends gives it back too (best effort, see
 * {@link #restoreAfterEnd}).
 */
@ApplicationScoped
public class BulkLoad {

    private static final Logger LOGGER = Logger.getLogger(BulkLoad.class);
    static final String KEY = "bulkLoadRestoreHnswM";
    /** Where the summary of a failed or cancelled bulk-load run says whether its HNSW m was restored. */
    static final String RESTORE_KEY = "bulkLoadRestore";

    private final QdrantGateway gateway;
    private final RunStore runStore;

    @Inject
    public BulkLoad(QdrantGateway gateway, RunStore runStore) {
        this.gateway = gateway;
        this.runStore = runStore;
    }

    /** Turns HNSW graph building off on the run's target (idempotent). */
    void begin(Run run) {
        long m = gateway.collectionInfo(run.target()).getConfig().getHnswConfig().getM();
        runStore.noteInSummary(run.id(), KEY, Messages.get().write(Map.of(KEY, m)));
        gateway.updateCollection(Collections.UpdateCollection.newBuilder().setCollectionName(run.target())
                .setHnswConfig(Collections.HnswConfigDiff.newBuilder().setM(0)).build());
        LOGGER.infof("run %s: bulk load: HNSW indexing of %s off during the copy (m %s -> 0)", run.id(), run.target(), m);
    }

    /** Gives the target its HNSW {@code m} back if the run is a bulk load; a no-op otherwise. */
    void end(Run run) {
        if (!RunFinisher.command(run).bulkLoad()) {
            return;
        }
        long m = recordedM(run).orElseThrow(() -> new PipelineException.CutoverRefused("run " + run.id()
                + ": bulk load did not record the HNSW m of " + run.target() + " to restore; the alias is left unchanged"));
        restore(run, m);
    }

    /**
     * After a run failed or was cancelled: gives the target its HNSW {@code m} back if indexing may have been turned
     * off, best effort. A Qdrant error is logged and returned, never thrown: the run's own failure is what counts.
     * The outcome ({@code hnswM}, {@code restored}, {@code error}) goes into the run's summary; empty when the run is
     * no bulk load or never got as far as noting its {@code m} (so indexing was never turned off).
     */
    Optional<Map<String, Object>> restoreAfterEnd(Run ended) {
        if (!RunFinisher.command(ended).bulkLoad()) {
            return Optional.empty();
        }
        // the caller's copy of the run may predate begin(): the note is read again (if the store answers: the
        // failure being recorded must not wait on this)
        Run run;
        try {
            run = runStore.findRun(ended.id()).orElse(ended);
        } catch (RuntimeException e) {
            LOGGER.warnf("run %s: bulk load: run store not read before restoring HNSW m (%s)", ended.id(), e.getMessage());
            run = ended;
        }
        Optional<Long> m = recordedM(run);
        if (m.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> outcome = new LinkedHashMap<>();
        outcome.put("hnswM", m.get());
        try {
            restore(run, m.get());
            outcome.put("restored", true);
        } catch (RuntimeException e) {
            LOGGER.errorf("run %s: bulk load: HNSW m of %s could not be restored to %s after the run ended (%s); "
                    + "restore it by hand (hnsw_config.m)", run.id(), run.target(), m.get(), e.getMessage());
            outcome.put("restored", false);
            outcome.put("error", String.valueOf(e.getMessage()));
        }
        try {
            runStore.mergeIntoSummary(run.id(), Messages.get().write(Map.of(RESTORE_KEY, outcome)));
        } catch (RuntimeException e) {
            LOGGER.warnf("run %s: bulk load: restore outcome %s not recorded in the run store (%s)", run.id(), outcome,
                    e.getMessage());
        }
        return Optional.of(outcome);
    }

    private void restore(Run run, long m) {
        gateway.updateCollection(Collections.UpdateCollection.newBuilder().setCollectionName(run.target())
                .setHnswConfig(Collections.HnswConfigDiff.newBuilder().setM(m)).build());
        LOGGER.infof("run %s: bulk load: HNSW indexing of %s restored (m = %s)", run.id(), run.target(), m);
    }

    private static Optional<Long> recordedM(Run run) {
        if (run.summaryJson() == null) {
            return Optional.empty();
        }
        try {
            JsonNode m = Messages.get().mapper().readTree(run.summaryJson()).get(KEY);
            return m != null && m.isNumber() ? Optional.of(m.longValue()) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }
}

package io.apex.migrator.pipeline;

import io.apex.migrator.api.Messages;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunStore;
import io.qdrant.client.grpc.Collections;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Bulk-load mode ({@code bulkLoad: true}): the target builds no HNSW graph while the copy writes into it (Qdrant's
 * recipe for bulk uploads: {@code hnsw_config.m = 0}), and gets its own {@code m} back once every range is copied,
 * before verification and cutover, so the collection readers are switched to is indexed as specified. The original
 * {@code m} is kept in the run store before indexing is turned off, so a redelivered command restores the right one.
 */
@ApplicationScoped
public class BulkLoad {

    private static final Logger LOGGER = Logger.getLogger(BulkLoad.class);
    static final String KEY = "bulkLoadRestoreHnswM";

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
        runStore.noteInSummary(run.id(), Messages.get().write(Map.of(KEY, m)));
        gateway.updateCollection(Collections.UpdateCollection.newBuilder().setCollectionName(run.target())
                .setHnswConfig(Collections.HnswConfigDiff.newBuilder().setM(0)).build());
        LOGGER.infof("run %s: bulk load: HNSW indexing of %s off during the copy (m %s -> 0)", run.id(), run.target(), m);
    }

    /** Gives the target its HNSW {@code m} back if the run is a bulk load; a no-op otherwise. */
    void end(Run run) {
        if (!RunFinisher.command(run).bulkLoad()) {
            return;
        }
        com.fasterxml.jackson.databind.JsonNode m = null;
        if (run.summaryJson() != null) {
            try {
                m = Messages.get().mapper().readTree(run.summaryJson()).get(KEY);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                m = null;
            }
        }
        if (m == null || !m.isNumber()) {
            throw new PipelineException.CutoverRefused("run " + run.id() + ": bulk load did not record the HNSW m of "
                    + run.target() + " to restore; the alias is left unchanged");
        }
        gateway.updateCollection(Collections.UpdateCollection.newBuilder().setCollectionName(run.target())
                .setHnswConfig(Collections.HnswConfigDiff.newBuilder().setM(m.longValue())).build());
        LOGGER.infof("run %s: bulk load: HNSW indexing of %s restored (m = %s)", run.id(), run.target(), m.longValue());
    }
}

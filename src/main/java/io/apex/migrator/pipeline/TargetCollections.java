package io.apex.migrator.pipeline;

import io.apex.migrator.api.InvalidMessageException;
import io.apex.migrator.qdrant.QdrantGateway;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.CollectionParams;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.apex.migrator.qdrant.CollectionProvisioner;
import io.apex.migrator.qdrant.ProvisioningReport;
import io.apex.migrator.qdrant.ProvisioningRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Makes sure the target of a migration exists and can hold the source's points: an existing target must have
 * the same dense vectors (names, sizes) and every sparse vector of the source; a missing one is provisioned
 * from its collection spec.
 */
@ApplicationScoped
public class TargetCollections {

    private final QdrantGateway gateway;
    private final CollectionProvisioner provisioner;

    @Inject
    public TargetCollections(QdrantGateway gateway, CollectionProvisioner provisioner) {
        this.gateway = gateway;
        this.provisioner = provisioner;
    }

    /** Checks source and target; throws an {@link InvalidMessageException} naming the field at fault. */
    public void check(String source, String target) {
        if (!gateway.collectionExists(source)) {
            throw new InvalidMessageException("$.source", "collection '" + source + "' does not exist");
        }
        if (!gateway.collectionExists(target)) {
            if (!specExists(target)) {
                throw new InvalidMessageException("$.target", "no collection spec named '" + target
                        + "' and no such collection; create it first (qdrant create-collections)");
            }
            return;
        }
        String incompatibility = incompatibility(gateway.collectionInfo(source), gateway.collectionInfo(target));
        if (incompatibility != null) {
            throw new InvalidMessageException("$.target", "collection '" + target + "' cannot take the points of '"
                    + source + "': " + incompatibility);
        }
    }

    /** Creates the target from its spec when it does not exist (idempotent); drift fails the command. */
    public void provision(String target, String runId) {
        if (gateway.collectionExists(target)) {
            return;
        }
        ProvisioningReport report = provisioner.provision(new ProvisioningRequest(Optional.of(target),
                Optional.empty(), true, Optional.of(runId)));
        if (report.hasDrift()) {
            throw new InvalidMessageException("$.target", "collection '" + target + "' differs from its spec: "
                    + report.drifted());
        }
    }

    boolean specExists(String target) {
        return provisioner.specs().byCollection(target).isPresent();
    }

    static String incompatibility(CollectionInfo source, CollectionInfo target) {
        CollectionParams s = source.getConfig().getParams();
        CollectionParams t = target.getConfig().getParams();
        Map<String, Long> sourceDense = dense(s);
        Map<String, Long> targetDense = dense(t);
        if (!sourceDense.equals(targetDense)) {
            return "dense vectors differ (source " + sourceDense + ", target " + targetDense + ")";
        }
        Set<String> sourceSparse = s.getSparseVectorsConfig().getMapMap().keySet();
        Set<String> targetSparse = t.getSparseVectorsConfig().getMapMap().keySet();
        if (!targetSparse.containsAll(sourceSparse)) {
            return "sparse vectors " + sourceSparse + " of the source are not all in the target " + targetSparse;
        }
        return null;
    }

    /** Dense vector name to size; the unnamed vector is "". */
    private static Map<String, Long> dense(CollectionParams params) {
        Map<String, Long> sizes = new TreeMap<>();
        if (params.getVectorsConfig().hasParams()) {
            sizes.put("", params.getVectorsConfig().getParams().getSize());
        } else {
            for (Map.Entry<String, VectorParams> e : params.getVectorsConfig().getParamsMap().getMapMap().entrySet()) {
                sizes.put(e.getKey(), e.getValue().getSize());
            }
        }
        return sizes;
    }
}

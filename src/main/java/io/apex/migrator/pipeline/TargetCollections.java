package io.apex.migrator.pipeline;

import io.apex.migrator.api.InvalidMessageException;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.ShardKeys;
import io.qdrant.client.grpc.Collections.ShardKey;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.CollectionParams;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.apex.migrator.qdrant.CollectionProvisioner;
import io.apex.migrator.qdrant.ProvisioningReport;
import io.apex.migrator.qdrant.ProvisioningRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;

/**
 * Makes sure the target of a migration exists and can hold the source's points: an existing target, or the one its
 * spec would create, must have the same dense vectors (names, size, distance, datatype, multivector config) and
 * every sparse vector of the source ({@link VectorShapes}), and every shard key of a custom-sharded source; a missing
 * one is provisioned from its collection spec.
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
            CreateCollection planned = provisioner.createRequest(target).orElseThrow(() ->
                    new InvalidMessageException("$.target", "no collection spec named '" + target
                            + "' and no such collection; create it first (qdrant create-collections)"));
            String incompatibility = incompatibility(gateway.collectionInfo(source).getConfig().getParams(),
                    CollectionParams.newBuilder().setVectorsConfig(planned.getVectorsConfig())
                            .setSparseVectorsConfig(planned.getSparseVectorsConfig()).build());
            if (incompatibility != null) {
                throw new InvalidMessageException("$.target", "the spec of '" + target + "' cannot take the points of '"
                        + source + "': " + incompatibility + "; nothing was created or copied");
            }
            return;
        }
        String incompatibility = incompatibility(gateway.collectionInfo(source), gateway.collectionInfo(target));
        if (incompatibility == null) {
            incompatibility = shardKeyIncompatibility(source, target);
        }
        if (incompatibility != null) {
            throw new InvalidMessageException("$.target", "collection '" + target + "' cannot take the points of '"
                    + source + "': " + incompatibility + "; nothing was copied");
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

    /**
     * Every point is written under the shard key it has in the source, so the target must have each of the source's
     * keys; a custom-sharded target of an unsharded source would take no write at all (no key to name).
     */
    private String shardKeyIncompatibility(String source, String target) {
        List<ShardKey> sourceKeys = gateway.shardKeys(source);
        List<ShardKey> targetKeys = gateway.shardKeys(target);
        if (sourceKeys.isEmpty()) {
            return targetKeys.isEmpty() && !customSharded(target) ? null
                    : "the target is custom-sharded and the source is not (a point has no shard key to go under)";
        }
        List<String> missing = sourceKeys.stream().filter(k -> !targetKeys.contains(k)).map(ShardKeys::text)
                .toList();
        return missing.isEmpty() ? null : "shard key" + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing)
                + " of the source missing in the target";
    }

    private boolean customSharded(String collection) {
        return gateway.collectionInfo(collection).getConfig().getParams().getShardingMethod()
                == io.qdrant.client.grpc.Collections.ShardingMethod.Custom;
    }

    static String incompatibility(CollectionInfo source, CollectionInfo target) {
        return incompatibility(source.getConfig().getParams(), target.getConfig().getParams());
    }

    /** The differences that keep the target from holding the source's points as they are, or null. */
    static String incompatibility(CollectionParams s, CollectionParams t) {
        List<String> mismatches = VectorShapes.mismatches(s.getVectorsConfig(), s.getSparseVectorsConfig(),
                t.getVectorsConfig(), t.getSparseVectorsConfig());
        return mismatches.isEmpty() ? null : String.join("; ", mismatches);
    }
}

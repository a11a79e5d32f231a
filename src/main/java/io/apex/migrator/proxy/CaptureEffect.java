package io.apex.migrator.proxy;

import io.apex.migrator.api.PointKey;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.QdrantRestClient;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * What a captured write does to points, as the worker applies it: the points it names by id (re-synced from the
 * source, whatever the write did to them) and, for a write by filter, the part of it to replay on the target (its
 * points are not known by id; replaying the filter reaches the target's matching points).
 */
public record CaptureEffect(Set<PointKey> ids, Optional<FilterReplay> byFilter) {

    public CaptureEffect {
        ids = Set.copyOf(new LinkedHashSet<>(ids));
    }

    /**
     * The by-filter part of a write, re-addressed to a target collection and waited for, over the API it was captured
     * from: gRPC through the gateway, REST through the REST client.
     */
    @FunctionalInterface
    public interface FilterReplay {
        void applyTo(QdrantGateway gateway, QdrantRestClient rest, String target);
    }
}

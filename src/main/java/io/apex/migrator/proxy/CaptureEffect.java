package io.apex.migrator.proxy;

import io.apex.migrator.api.PointKey;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.QdrantRestClient;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a captured write does to points, as the worker applies it: the points it names by id, and the filters of
 * its parts that select points by filter. Both are applied the same way, by re-syncing points from the source's
 * current state: the named ones, and for each filter the points it matches in the target (before) and in the
 * source (now) — which covers every point the write can have changed, whatever order the captures arrive in.
 */
public record CaptureEffect(Set<PointKey> ids, List<FilterSelection> filters) {

    public CaptureEffect {
        ids = Set.copyOf(new LinkedHashSet<>(ids));
        filters = List.copyOf(filters);
    }

    /** The points a write's filter selects in a collection (its own API: gRPC filter, or Qdrant's REST JSON). */
    public interface FilterSelection {
        Set<PointKey> matching(QdrantGateway gateway, QdrantRestClient rest, String collection);

        /**
         * The same selection with as few reads as possible: the filters of each API combined into one that matches
         * what any of them matches (a batch of captures then costs one scroll per API and collection).
         */
        static List<FilterSelection> combined(List<FilterSelection> selections) {
            List<GrpcCaptureEffects.Selection> grpc = new java.util.ArrayList<>();
            List<RestCaptureEffects.Selection> rest = new java.util.ArrayList<>();
            List<FilterSelection> others = new java.util.ArrayList<>();
            for (FilterSelection s : selections) {
                if (s instanceof GrpcCaptureEffects.Selection g) {
                    grpc.add(g);
                } else if (s instanceof RestCaptureEffects.Selection r) {
                    rest.add(r);
                } else {
                    others.add(s);
                }
            }
            if (!grpc.isEmpty()) {
                others.add(GrpcCaptureEffects.Selection.anyOf(grpc));
            }
            if (!rest.isEmpty()) {
                others.add(RestCaptureEffects.Selection.anyOf(rest));
            }
            return others;
        }
    }
}

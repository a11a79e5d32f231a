package io.apex.migrator.pipeline;

import io.apex.migrator.qdrant.QdrantGateway;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * recall@k of every dense vector of a collection (named by its alias or its own name): default search against exact
 * search on up to {@code sample} of its points, spread over its whole id space. Reads only.
 */
public final class CollectionRecall {

    private CollectionRecall() {
    }

    /** What was measured: the collection the name resolved to, and one result per dense vector ("" = unnamed). */
    public record Report(String name, String collection, long points, int sampled, int k,
            List<RecallProbe.VectorRecall> vectors) {
    }

    public static Report measure(QdrantGateway gateway, String name, int sample, int k) {
        if (sample < 1 || k < 1) {
            throw new IllegalArgumentException("sample and k must be >= 1, were " + sample + " and " + k);
        }
        String collection = gateway.aliases().getOrDefault(name, name);
        VectorsConfig vectors = gateway.collectionInfo(collection).getConfig().getParams().getVectorsConfig();
        TreeSet<String> names = new TreeSet<>();
        if (vectors.hasParams()) {
            names.add("");
        } else if (vectors.hasParamsMap()) {
            names.addAll(vectors.getParamsMap().getMapMap().keySet());
        }
        long points = gateway.count(collection);
        int perRange = (int) Math.max(1, (points + sample - 1) / sample);
        RecallProbe probe = new RecallProbe(gateway);
        List<RetrievedPoint> sampled = probe.sample(collection,
                RangePlanner.plan(gateway, collection, perRange, 10_000).ranges(), sample);
        List<RecallProbe.VectorRecall> results = new ArrayList<>();
        for (String vector : names) {
            results.add(probe.measure(collection, vector, sampled, k));
        }
        return new Report(name, collection, points, sampled.size(), k, results);
    }
}

package io.apex.migrator.pipeline;

import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.standin.QdrantStandIn;
import io.apex.migrator.qdrant.standin.SyntheticPoints;
import io.qdrant.client.grpc.Collections.AliasOperations;
import io.qdrant.client.grpc.Collections.CreateAlias;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import java.util.List;
import java.util.UUID;

/**
 * What a reliability test migrates: a source of synthetic points behind an alias and an empty compatible target
 * ({@code <name>_v1}, {@code <name>_v2}, alias {@code <name>}), seeded straight into the stand-in.
 */
record SeededPair(String source, String target, String alias) {

    /** {@code name} with a random part, so that every call makes a new pair. */
    static String unique(String name) {
        return name + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates the collections, seeds {@code points} points of {@code dims} dimensions and the alias. */
    static SeededPair seed(QdrantGateway gateway, QdrantStandIn qdrant, String name, int points, int dims) {
        SeededPair p = new SeededPair(name + "_v1", name + "_v2", name);
        for (String collection : List.of(p.source, p.target)) {
            // Dot, not Cosine: stored vectors are exactly what was sent, so the copy can be compared bit for bit
            gateway.createCollection(CreateCollection.newBuilder().setCollectionName(collection)
                    .setVectorsConfig(VectorsConfig.newBuilder().setParams(VectorParams.newBuilder().setSize(dims)
                            .setDistance(Distance.Dot))).build());
        }
        qdrant.seed(p.source, new SyntheticPoints(points, dims, points));
        gateway.updateAliases(List.of(AliasOperations.newBuilder().setCreateAlias(CreateAlias.newBuilder()
                .setAliasName(p.alias).setCollectionName(p.source)).build()));
        return p;
    }

    /**
     * A source collection that carries the alias' own name ({@code <name>}, no alias) and an empty target
     * {@code <name>_v2}: the cutover must drop the source to create the alias.
     */
    static SeededPair seedNamedLikeAlias(QdrantGateway gateway, QdrantStandIn qdrant, String name, int points,
            int dims) {
        SeededPair p = new SeededPair(name, name + "_v2", name);
        for (String collection : List.of(p.source, p.target)) {
            gateway.createCollection(CreateCollection.newBuilder().setCollectionName(collection)
                    .setVectorsConfig(VectorsConfig.newBuilder().setParams(VectorParams.newBuilder().setSize(dims)
                            .setDistance(Distance.Dot))).build());
        }
        qdrant.seed(p.source, new SyntheticPoints(points, dims, points));
        return p;
    }

    /** The same collections without the alias (a migration that switches nothing). */
    SeededPair withoutAlias() {
        return new SeededPair(source, target, null);
    }

    /** A {@code qdrant.migrate} command of this pair, with a fresh command id and optional extra JSON fields. */
    String migrate(int batchSize, String... extraFields) {
        StringBuilder json = new StringBuilder("{\"schemaVersion\":1,\"commandId\":\"c-" + UUID.randomUUID()
                + "\",\"type\":\"qdrant.migrate\",\"source\":\"" + source + "\",\"target\":\"" + target + "\"");
        if (alias != null) {
            json.append(",\"alias\":\"").append(alias).append('"');
        }
        json.append(",\"batchSize\":").append(batchSize);
        for (String field : extraFields) {
            json.append(',').append(field);
        }
        return json.append('}').toString();
    }
}

package io.apex.migrator.qdrant;

import com.google.protobuf.CodedOutputStream;
import io.apex.migrator.api.PointKey;
import io.grpc.Status;
import io.qdrant.client.grpc.Common;
import io.qdrant.client.grpc.Points;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Splits an upsert into requests that stay under the gRPC message limit: Qdrant (like every gRPC server) refuses
 * inbound messages above 4 MiB by default, and a batch of 500 points with 1536-d vectors is about 6.9 MB.
 */
final class UpsertBatches {

    /** gRPC's default inbound limit, minus room for the request envelope and headers. */
    static final int DEFAULT_LIMIT_BYTES = 4 * 1024 * 1024 - 64 * 1024;

    private UpsertBatches() {
    }

    /**
     * Consecutive slices of {@code points}, in order, each of which serialises to at most {@code limitBytes}
     * inside an {@code UpsertPoints} request for {@code collection}.
     *
     * @throws QdrantRequestException if one point alone is larger than the limit
     */
    static List<List<Points.PointStruct>> split(String collection, List<Points.PointStruct> points, int limitBytes) {
        return split(collection, points, limitBytes, Points.PointStruct::getSerializedSize, Points.PointStruct::getId);
    }

    /**
     * The same for points in any form (typed, or already encoded for the wire copy), given each point's encoded
     * size and its id (named in the error when one point alone is over the limit).
     */
    static <P> List<List<P>> split(String collection, List<P> points, int limitBytes, ToIntFunction<P> encodedSize,
            Function<P, Common.PointId> idOf) {
        int envelope = Points.UpsertPoints.newBuilder().setCollectionName(collection).setWait(true).build()
                .getSerializedSize();
        List<List<P>> slices = new ArrayList<>();
        List<P> current = new ArrayList<>();
        long currentBytes = envelope;
        for (P point : points) {
            // field tag (1 byte) + length prefix + the point itself, as protobuf encodes a repeated message
            int size = encodedSize.applyAsInt(point);
            int pointBytes = 1 + CodedOutputStream.computeUInt32SizeNoTag(size) + size;
            if (envelope + pointBytes > limitBytes) {
                throw new QdrantRequestException(collection, "upsert", Status.Code.INVALID_ARGUMENT,
                        "point " + PointKey.of(idOf.apply(point)).text() + " alone is " + pointBytes
                                + " bytes, over the request limit of " + limitBytes + " bytes", null);
            }
            if (currentBytes + pointBytes > limitBytes && !current.isEmpty()) {
                slices.add(current);
                current = new ArrayList<>();
                currentBytes = envelope;
            }
            current.add(point);
            currentBytes += pointBytes;
        }
        if (!current.isEmpty()) {
            slices.add(current);
        }
        return slices;
    }
}

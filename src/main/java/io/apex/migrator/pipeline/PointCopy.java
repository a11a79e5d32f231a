package io.apex.migrator.pipeline;

import com.google.protobuf.InvalidProtocolBufferException;
import io.qdrant.client.grpc.Points;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.RetrievedPoint;

/**
 * Turns a point read by scroll into the same point for upsert: same id, every vector (unnamed or named, dense,
 * sparse, multi-dense) and the payload as they are.
 */
final class PointCopy {

    private PointCopy() {
    }

    static PointStruct of(RetrievedPoint point) {
        PointStruct.Builder out = PointStruct.newBuilder().setId(point.getId()).putAllPayload(point.getPayloadMap());
        if (point.hasVectors()) {
            out.setVectors(vectors(point.getVectors()));
        }
        return out.build();
    }

    /**
     * Qdrant's VectorsOutput / NamedVectorsOutput / VectorOutput use the same field numbers as Vectors /
     * NamedVectors / Vector (the output types are the input types minus inference inputs), so a wire-level
     * re-read converts every vector kind, including ones added later, without a field-by-field copy.
     */
    private static Points.Vectors vectors(Points.VectorsOutput output) {
        try {
            return Points.Vectors.parseFrom(output.toByteString());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot convert vectors read from Qdrant", e);
        }
    }
}

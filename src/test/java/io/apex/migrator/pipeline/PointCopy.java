package io.apex.migrator.pipeline;

import com.google.protobuf.InvalidProtocolBufferException;
import io.qdrant.client.grpc.Points;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.RetrievedPoint;

/**
 * Test helper: turns a point read by scroll into the same point for upsert (same id, every vector and the payload),
 * decoded, so a test can change it before writing it back. The product copies at the wire level ({@code
 * PointTranscoder}).
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
     * The common cases — one unnamed dense vector, or named dense vectors — reuse the immutable dense messages
     * read from the source as they are (no copy of the floats). Everything else: Qdrant's VectorsOutput /
     * NamedVectorsOutput / VectorOutput use the same field numbers as Vectors / NamedVectors / Vector (the output types are the input types minus inference inputs), so a wire-level
     * re-read converts every vector kind, including ones added later, without a field-by-field copy.
     */
    private static Points.Vectors vectors(Points.VectorsOutput output) {
        if (output.hasVector() && isPlainDense(output.getVector())) {
            return Points.Vectors.newBuilder().setVector(dense(output.getVector())).build();
        }
        if (output.hasVectors() && output.getVectors().getVectorsMap().values().stream().allMatch(PointCopy::isPlainDense)) {
            Points.NamedVectors.Builder named = Points.NamedVectors.newBuilder();
            output.getVectors().getVectorsMap().forEach((name, v) -> named.putVectors(name, dense(v)));
            return Points.Vectors.newBuilder().setVectors(named).build();
        }
        return reread(output);
    }

    /**
     * A dense vector in the {@code dense} field (not sparse, not multi-dense). Qdrant may also fill the deprecated
     * {@code data} copy of the same floats; {@code dense} is the authoritative one, so that copy is left out.
     */
    @SuppressWarnings("deprecation")
    private static boolean isPlainDense(Points.VectorOutput v) {
        return v.hasDense() && !v.hasIndices() && !v.hasVectorsCount()
                && v.getUnknownFields().asMap().isEmpty();
    }

    private static Points.Vector dense(Points.VectorOutput v) {
        return Points.Vector.newBuilder().setDense(v.getDense()).build();
    }

    private static Points.Vectors reread(Points.VectorsOutput output) {
        try {
            return Points.Vectors.parseFrom(output.toByteString());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot convert vectors read from Qdrant", e);
        }
    }
}

package io.apex.migrator.qdrant;

import io.qdrant.client.grpc.Common;
import io.qdrant.client.grpc.Points;

/**
 * A point read by scroll and kept as Qdrant sent it: the encoded {@code RetrievedPoint} (a slice of the response)
 * and its id, the one field a copy needs to look at. Copying it ({@link PointTranscoder}) re-labels fields instead
 * of decoding and re-encoding every float.
 */
public record WirePoint(Common.PointId id, byte[] buffer, int offset, int length) {

    /** The point decoded (for callers that need its vectors or payload; the copy path never does). */
    public Points.RetrievedPoint decode() {
        try {
            return Points.RetrievedPoint.parseFrom(com.google.protobuf.CodedInputStream.newInstance(buffer, offset,
                    length));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot decode a point Qdrant sent", e);
        }
    }
}

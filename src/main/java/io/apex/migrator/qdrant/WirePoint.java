package io.apex.migrator.qdrant;

import io.qdrant.client.grpc.Common;
import io.qdrant.client.grpc.Points;

/**
 * A point read by scroll and kept as Qdrant sent it: the encoded {@code RetrievedPoint} (a slice of the response),
 * its id and its shard key, the fields a copy needs to look at. Copying it ({@link PointTranscoder}) re-labels fields
 * instead of decoding and re-encoding every float; the shard key says where the copy is written.
 *
 * @param shardKey the shard key Qdrant read it from (a collection of the custom sharding method); null without one
 */
public record WirePoint(Common.PointId id, byte[] buffer, int offset, int length,
        io.qdrant.client.grpc.Collections.ShardKey shardKey) {

    /** A point of a collection without custom sharding. */
    public WirePoint(Common.PointId id, byte[] buffer, int offset, int length) {
        this(id, buffer, offset, length, null);
    }

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

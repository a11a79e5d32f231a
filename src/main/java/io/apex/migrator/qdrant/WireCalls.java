package io.apex.migrator.qdrant;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;
import io.qdrant.client.grpc.Common;
import io.qdrant.client.grpc.PointsGrpc;
import io.qdrant.client.grpc.Points;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Qdrant's own Scroll and Upsert RPCs (same service, same method names, same messages on the wire) with marshallers
 * that leave the points encoded: a scroll answer is read into one buffer and its points are sliced, not decoded;
 * an upsert request is assembled from points already encoded as {@code PointStruct}s. The copy path uses these;
 * everything else goes through the client's typed stubs.
 */
final class WireCalls {

    private static final int SCROLL_NEXT = Points.ScrollResponse.getDescriptor().findFieldByName("next_page_offset").getNumber();
    private static final int SCROLL_RESULT = Points.ScrollResponse.getDescriptor().findFieldByName("result").getNumber();
    private static final int POINT_ID = Points.RetrievedPoint.getDescriptor().findFieldByName("id").getNumber();
    private static final int POINT_SHARD_KEY = Points.RetrievedPoint.getDescriptor().findFieldByName("shard_key").getNumber();
    private static final int UPSERT_COLLECTION = Points.UpsertPoints.getDescriptor().findFieldByName("collection_name").getNumber();
    private static final int UPSERT_WAIT = Points.UpsertPoints.getDescriptor().findFieldByName("wait").getNumber();
    private static final int UPSERT_POINTS = Points.UpsertPoints.getDescriptor().findFieldByName("points").getNumber();
    private static final int UPSERT_MODE = Points.UpsertPoints.getDescriptor().findFieldByName("update_mode").getNumber();
    private static final int UPSERT_ORDERING = Points.UpsertPoints.getDescriptor().findFieldByName("ordering").getNumber();
    private static final int UPSERT_SHARD_KEYS = Points.UpsertPoints.getDescriptor().findFieldByName("shard_key_selector")
            .getNumber();

    /**
     * An upsert of encoded points, waited for; insert-only leaves the points the collection already has as they are.
     * All points go to one shard key ({@code shardKey}; null: a collection without custom sharding).
     */
    record Upsert(String collection, List<PointTranscoder.Encoded> points, boolean insertOnly,
            Points.WriteOrdering ordering, Points.ShardKeySelector shardKey) {

        Upsert(String collection, List<PointTranscoder.Encoded> points, boolean insertOnly) {
            this(collection, points, insertOnly, null, null);
        }

        /** The encoded size of the request with these points. */
        long size() {
            return size(collection, points, insertOnly, ordering, shardKey);
        }

        /** The encoded size of the request with these points (no ordering, no shard key). */
        static long size(String collection, List<PointTranscoder.Encoded> points, boolean insertOnly) {
            return size(collection, points, insertOnly, null, null);
        }

        static long size(String collection, List<PointTranscoder.Encoded> points, boolean insertOnly,
                Points.WriteOrdering ordering, Points.ShardKeySelector shardKey) {
            long size = CodedOutputStream.computeStringSize(UPSERT_COLLECTION, collection)
                    + CodedOutputStream.computeBoolSize(UPSERT_WAIT, true)
                    + (insertOnly ? CodedOutputStream.computeEnumSize(UPSERT_MODE, Points.UpdateMode.InsertOnly_VALUE)
                            : 0)
                    + (ordering == null ? 0 : CodedOutputStream.computeMessageSize(UPSERT_ORDERING, ordering))
                    + (shardKey == null ? 0 : CodedOutputStream.computeMessageSize(UPSERT_SHARD_KEYS, shardKey));
            for (PointTranscoder.Encoded p : points) {
                size += pointSize(p);
            }
            return size;
        }

        private static int pointSize(PointTranscoder.Encoded p) {
            return CodedOutputStream.computeTagSize(UPSERT_POINTS) + CodedOutputStream.computeUInt32SizeNoTag(p.length())
                    + p.length();
        }
    }

    static final MethodDescriptor<Points.ScrollPoints, WireScrollPage> SCROLL = PointsGrpc.getScrollMethod().toBuilder(
            ProtoUtils.marshaller(Points.ScrollPoints.getDefaultInstance()),
            new ScrollPageMarshaller(SCROLL_RESULT, SCROLL_NEXT)).build();

    /** Qdrant's Get (points by id), its answer read like a scroll page with no next page. */
    static final MethodDescriptor<Points.GetPoints, WireScrollPage> GET = PointsGrpc.getGetMethod().toBuilder(
            ProtoUtils.marshaller(Points.GetPoints.getDefaultInstance()),
            new ScrollPageMarshaller(Points.GetResponse.getDescriptor().findFieldByName("result").getNumber(), -1))
            .build();

    static final MethodDescriptor<Upsert, Points.PointsOperationResponse> UPSERT = PointsGrpc.getUpsertMethod().toBuilder(
            new UpsertMarshaller(), ProtoUtils.marshaller(Points.PointsOperationResponse.getDefaultInstance())).build();

    private WireCalls() {
    }

    /** Reads the answer into one array; each point is a slice of it, with its id decoded. */
    private static final class ScrollPageMarshaller implements MethodDescriptor.Marshaller<WireScrollPage> {

        private final int resultField;
        private final int nextField;

        ScrollPageMarshaller(int resultField, int nextField) {
            this.resultField = resultField;
            this.nextField = nextField;
        }

        @Override
        public InputStream stream(WireScrollPage value) {
            throw new UnsupportedOperationException("a client never sends a scroll answer");
        }

        @Override
        public WireScrollPage parse(InputStream stream) {
            try {
                byte[] bytes = readAll(stream);
                CodedInputStream reader = CodedInputStream.newInstance(bytes);
                List<WirePoint> points = new ArrayList<>();
                Optional<Common.PointId> next = Optional.empty();
                while (true) {
                    int tag = reader.readTag();
                    if (tag == 0) {
                        break;
                    }
                    int field = WireFormat.getTagFieldNumber(tag);
                    if (field == resultField && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                        int length = reader.readRawVarint32();
                        int offset = reader.getTotalBytesRead();
                        points.add(point(bytes, offset, length));
                        reader.skipRawBytes(length);
                    } else if (field == nextField && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                        next = Optional.of(reader.readMessage(Common.PointId.parser(), com.google.protobuf.ExtensionRegistryLite.getEmptyRegistry()));
                    } else {
                        reader.skipField(tag);
                    }
                }
                return new WireScrollPage(points, next);
            } catch (IOException e) {
                throw new UncheckedIOException("malformed scroll answer from Qdrant", e);
            }
        }

        /** gRPC hands over a stream that knows its length: read it into one array of that size, not in chunks. */
        private static byte[] readAll(InputStream stream) throws IOException {
            if (stream instanceof KnownLength) {
                byte[] bytes = new byte[stream.available()];
                int read = stream.readNBytes(bytes, 0, bytes.length);
                if (read == bytes.length && stream.read() == -1) {
                    return bytes;
                }
                throw new IOException("scroll answer shorter or longer than announced");
            }
            return stream.readAllBytes();
        }

        /** The point with its id and shard key decoded; every other field stays encoded. */
        private static WirePoint point(byte[] bytes, int offset, int length) throws IOException {
            CodedInputStream reader = CodedInputStream.newInstance(bytes, offset, length);
            Common.PointId id = null;
            io.qdrant.client.grpc.Collections.ShardKey shardKey = null;
            while (true) {
                int tag = reader.readTag();
                if (tag == 0) {
                    break;
                }
                int field = WireFormat.getTagFieldNumber(tag);
                if (field == POINT_ID) {
                    id = reader.readMessage(Common.PointId.parser(),
                            com.google.protobuf.ExtensionRegistryLite.getEmptyRegistry());
                } else if (field == POINT_SHARD_KEY) {
                    shardKey = reader.readMessage(io.qdrant.client.grpc.Collections.ShardKey.parser(),
                            com.google.protobuf.ExtensionRegistryLite.getEmptyRegistry());
                } else {
                    reader.skipField(tag);
                }
            }
            if (id == null) {
                throw new IOException("a scrolled point has no id");
            }
            return new WirePoint(id, bytes, offset, length, shardKey);
        }
    }

    /** Writes UpsertPoints {collection_name, wait: true, points[, update_mode]} around the encoded points. */
    private static final class UpsertMarshaller implements MethodDescriptor.Marshaller<Upsert> {

        @Override
        public InputStream stream(Upsert value) {
            long size = value.size();
            byte[] bytes = new byte[Math.toIntExact(size)];
            CodedOutputStream writer = CodedOutputStream.newInstance(bytes);
            try {
                writer.writeString(UPSERT_COLLECTION, value.collection());
                writer.writeBool(UPSERT_WAIT, true);
                if (value.insertOnly()) {
                    writer.writeEnum(UPSERT_MODE, Points.UpdateMode.InsertOnly_VALUE);
                }
                if (value.ordering() != null) {
                    writer.writeMessage(UPSERT_ORDERING, value.ordering());
                }
                if (value.shardKey() != null) {
                    writer.writeMessage(UPSERT_SHARD_KEYS, value.shardKey());
                }
                for (PointTranscoder.Encoded p : value.points()) {
                    writer.writeTag(UPSERT_POINTS, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                    writer.writeUInt32NoTag(p.length());
                    writer.writeRawBytes(p.bytes(), 0, p.length());
                }
                writer.checkNoSpaceLeft();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot encode an upsert", e);
            }
            return new KnownLengthBytes(bytes);
        }

        @Override
        public Upsert parse(InputStream stream) {
            throw new UnsupportedOperationException("a client never receives an upsert request");
        }
    }

    /** gRPC frames a stream of known length without buffering it first. */
    private static final class KnownLengthBytes extends ByteArrayInputStream implements KnownLength {

        KnownLengthBytes(byte[] bytes) {
            super(bytes);
        }
    }
}

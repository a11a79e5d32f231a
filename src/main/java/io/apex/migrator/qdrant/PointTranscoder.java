package io.apex.migrator.qdrant;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.WireFormat;
import io.qdrant.client.grpc.Points;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Turns an encoded {@code RetrievedPoint} (what scroll returns) into an encoded {@code PointStruct} (what upsert
 * takes) at the wire level: the id, each payload entry and the vectors are copied byte for byte under the field
 * numbers of the other message. No float is decoded or re-encoded, so a 1536-d point costs one memory copy, and
 * the vectors arrive bit for bit as stored.
 *
 * <p>Qdrant's output vector messages use the field numbers of the input ones ({@code VectorsOutput}/{@code Vectors},
 * {@code NamedVectorsOutput}/{@code NamedVectors}, {@code VectorOutput}/{@code Vector}: the output types are the
 * input types minus inference inputs), so vectors of every kind, including kinds added later, pass unchanged. The
 * one edit: a vector that carries {@code dense} may also carry the deprecated {@code data} copy of the same floats;
 * {@code dense} is authoritative and the copy is left out (it would double the request). {@code shard_key} and
 * {@code order_value} are read-side only and dropped. Field numbers are taken from the client's descriptors, and
 * the class refuses to load if the output and input vector messages ever stop matching.
 */
public final class PointTranscoder {

    private static final int IN_ID = number(Points.RetrievedPoint.getDescriptor(), "id");
    private static final int IN_PAYLOAD = number(Points.RetrievedPoint.getDescriptor(), "payload");
    private static final int IN_VECTORS = number(Points.RetrievedPoint.getDescriptor(), "vectors");
    private static final int OUT_ID = number(Points.PointStruct.getDescriptor(), "id");
    private static final int OUT_PAYLOAD = number(Points.PointStruct.getDescriptor(), "payload");
    private static final int OUT_VECTORS = number(Points.PointStruct.getDescriptor(), "vectors");
    private static final int VECTORS_ONE = number(Points.VectorsOutput.getDescriptor(), "vector");
    private static final int VECTORS_NAMED = number(Points.VectorsOutput.getDescriptor(), "vectors");
    private static final int NAMED_ENTRIES = number(Points.NamedVectorsOutput.getDescriptor(), "vectors");
    private static final int ENTRY_VALUE = 2; // protobuf map entries: key = 1, value = 2
    private static final int VECTOR_DATA = number(Points.VectorOutput.getDescriptor(), "data");
    private static final int VECTOR_DENSE = number(Points.VectorOutput.getDescriptor(), "dense");

    static {
        same(Points.VectorsOutput.getDescriptor(), Points.Vectors.getDescriptor());
        same(Points.NamedVectorsOutput.getDescriptor(), Points.NamedVectors.getDescriptor());
        same(Points.VectorOutput.getDescriptor(), Points.Vector.getDescriptor());
    }

    /** An encoded message: {@code bytes[0, length)}. */
    public record Encoded(byte[] bytes, int length) {
    }

    private PointTranscoder() {
    }

    /** The point as an encoded {@code PointStruct} with the same id, vectors and payload. */
    public static Encoded toPointStruct(WirePoint point) {
        try {
            // Every field keeps its size (all tags here are one byte) or shrinks: the output never outgrows the input.
            byte[] out = new byte[point.length()];
            CodedOutputStream writer = CodedOutputStream.newInstance(out);
            CodedInputStream reader = CodedInputStream.newInstance(point.buffer(), point.offset(), point.length());
            while (true) {
                int tag = reader.readTag();
                if (tag == 0) {
                    break;
                }
                int field = WireFormat.getTagFieldNumber(tag);
                if (WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    reader.skipField(tag);
                } else if (field == IN_ID) {
                    copyField(reader, point.buffer(), point.offset(), OUT_ID, writer);
                } else if (field == IN_PAYLOAD) {
                    copyField(reader, point.buffer(), point.offset(), OUT_PAYLOAD, writer);
                } else if (field == IN_VECTORS) {
                    int length = reader.readRawVarint32();
                    int start = point.offset() + reader.getTotalBytesRead();
                    Encoded vectors = vectors(point.buffer(), start, length);
                    writer.writeTag(OUT_VECTORS, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                    writer.writeUInt32NoTag(vectors.length());
                    writer.writeRawBytes(vectors.bytes(), 0, vectors.length());
                    reader.skipRawBytes(length);
                } else {
                    reader.skipField(tag);
                }
            }
            return new Encoded(out, writer.getTotalBytesWritten());
        } catch (IOException e) {
            throw new UncheckedIOException("malformed point from Qdrant", e);
        }
    }

    /** {@code VectorsOutput} → {@code Vectors}: one vector, or named ones (map entries whose value is a vector). */
    private static Encoded vectors(byte[] buffer, int offset, int length) throws IOException {
        return rewrite(buffer, offset, length, (field, body, bodyOffset, bodyLength) -> {
            if (field == VECTORS_ONE) {
                return vector(body, bodyOffset, bodyLength);
            }
            if (field == VECTORS_NAMED) {
                return rewrite(body, bodyOffset, bodyLength, (f, b, o, l) -> f == NAMED_ENTRIES
                        ? rewrite(b, o, l, (ef, eb, eo, el) -> ef == ENTRY_VALUE ? vector(eb, eo, el) : null)
                        : null);
            }
            return null;
        });
    }

    /** {@code VectorOutput} → {@code Vector}: as is, minus the deprecated {@code data} copy when {@code dense} is set. */
    private static Encoded vector(byte[] buffer, int offset, int length) throws IOException {
        if (!hasField(buffer, offset, length, VECTOR_DENSE)) {
            return new Encoded(Arrays.copyOfRange(buffer, offset, offset + length), length);
        }
        return rewrite(buffer, offset, length, (field, b, o, l) -> field == VECTOR_DATA ? DROP : null);
    }

    private static final Encoded DROP = new Encoded(new byte[0], -1);

    /** What to write for a length-delimited field's body: null keeps it, {@link #DROP} leaves the field out. */
    @FunctionalInterface
    private interface BodyRewrite {
        Encoded apply(int field, byte[] buffer, int offset, int length) throws IOException;
    }

    /** The message with each length-delimited field's body passed through {@code rewrite}; other fields as they are. */
    private static Encoded rewrite(byte[] buffer, int offset, int length, BodyRewrite rewrite) throws IOException {
        byte[] out = new byte[length];
        CodedOutputStream writer = CodedOutputStream.newInstance(out);
        CodedInputStream reader = CodedInputStream.newInstance(buffer, offset, length);
        while (true) {
            int fieldStart = reader.getTotalBytesRead();
            int tag = reader.readTag();
            if (tag == 0) {
                break;
            }
            if (WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                reader.skipField(tag);
                writer.writeRawBytes(buffer, offset + fieldStart, reader.getTotalBytesRead() - fieldStart);
                continue;
            }
            int bodyLength = reader.readRawVarint32();
            int bodyStart = offset + reader.getTotalBytesRead();
            Encoded body = rewrite.apply(WireFormat.getTagFieldNumber(tag), buffer, bodyStart, bodyLength);
            reader.skipRawBytes(bodyLength);
            if (body == DROP) {
                continue;
            }
            if (body == null) {
                writer.writeRawBytes(buffer, offset + fieldStart, reader.getTotalBytesRead() - fieldStart);
            } else {
                writer.writeTag(WireFormat.getTagFieldNumber(tag), WireFormat.WIRETYPE_LENGTH_DELIMITED);
                writer.writeUInt32NoTag(body.length());
                writer.writeRawBytes(body.bytes(), 0, body.length());
            }
        }
        return new Encoded(out, writer.getTotalBytesWritten());
    }

    private static boolean hasField(byte[] buffer, int offset, int length, int wanted) throws IOException {
        CodedInputStream reader = CodedInputStream.newInstance(buffer, offset, length);
        while (true) {
            int tag = reader.readTag();
            if (tag == 0) {
                return false;
            }
            if (WireFormat.getTagFieldNumber(tag) == wanted) {
                return true;
            }
            reader.skipField(tag);
        }
    }

    /** Copies a length-delimited field's body (the reader stands at its length) under another field number. */
    private static void copyField(CodedInputStream reader, byte[] buffer, int base, int field, CodedOutputStream writer)
            throws IOException {
        int length = reader.readRawVarint32();
        writer.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        writer.writeUInt32NoTag(length);
        writer.writeRawBytes(buffer, base + reader.getTotalBytesRead(), length);
        reader.skipRawBytes(length);
    }

    private static int number(Descriptor message, String field) {
        return message.findFieldByName(field).getNumber();
    }

    private static void same(Descriptor output, Descriptor input) {
        output.getFields().forEach(f -> {
            var in = input.findFieldByNumber(f.getNumber());
            if (in == null || !in.getName().equals(f.getName()) || in.getType() != f.getType()) {
                throw new IllegalStateException(output.getFullName() + "." + f.getName() + " has no twin in "
                        + input.getFullName() + ": the Qdrant client changed, wire copy needs updating");
            }
        });
    }
}

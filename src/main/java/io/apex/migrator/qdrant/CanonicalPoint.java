package io.apex.migrator.qdrant;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.ListValue;
import io.qdrant.client.grpc.JsonWithInt.Struct;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.DenseVector;
import io.qdrant.client.grpc.Points.MultiDenseVector;
import io.qdrant.client.grpc.Points.NamedVectorsOutput;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.SparseIndices;
import io.qdrant.client.grpc.Points.SparseVector;
import io.qdrant.client.grpc.Points.VectorOutput;
import io.qdrant.client.grpc.Points.VectorsOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Writes one encoded {@code RetrievedPoint} (as Qdrant sent it) in a canonical binary form, read straight from its
 * bytes: no point, vector or payload object is built. Two points get the same canonical bytes exactly when they have
 * the same id, the same vectors (named vectors sorted by name; dense, sparse or multi-dense, whichever field the
 * server filled in: the {@code dense}/{@code sparse}/{@code multi_dense} oneof or the deprecated
 * {@code data}/{@code indices}/{@code vectors_count}; floats bit for bit) and the same payload (map keys sorted at
 * every level, whatever order the server sent them in; integer 1 and double 1.0 differ) and the same shard key (a
 * point of a custom-sharded collection carries the key it is stored under). Fields a checksum ignores (order value,
 * unknown fields) are skipped.
 *
 * <p>Form: id ({@code 'N'} + 8 bytes, or {@code 'U'} + length + UTF-8), vector count, per vector: name, kind
 * ({@code 'D'}, {@code 'S'}, {@code 'M'}), rows, value count, the floats (little-endian as on the wire), the sparse
 * indices; then the payload as a tagged tree; then, only when the point has one, {@code 'K'} + its shard key. Every variable-length part is length- or count-prefixed, so the form is
 * unambiguous. One instance per thread: it reuses its buffers.
 */
final class CanonicalPoint {

    private byte[] out = new byte[16 * 1024];
    private int size;
    /** The float segments (offset, length pairs into the input) of the vector being written. */
    private int[] floatSegments = new int[16];
    private int floatSegmentCount;
    private int[] indices = new int[16];
    private int indexCount;

    /** The canonical bytes of the point encoded in {@code buffer[offset, offset + length)}; valid until the next call. */
    byte[] write(byte[] buffer, int offset, int length) {
        size = 0;
        try {
            int idOffset = -1;
            int idLength = 0;
            int vectorsOffset = -1;
            int vectorsLength = 0;
            int shardKeyOffset = -1;
            int shardKeyLength = 0;
            Entries payload = new Entries();
            CodedInputStream in = CodedInputStream.newInstance(buffer, offset, length);
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                int field = WireFormat.getTagFieldNumber(tag);
                if (field == RetrievedPoint.ID_FIELD_NUMBER && isLengthDelimited(tag)) {
                    idLength = in.readRawVarint32();
                    idOffset = offset + in.getTotalBytesRead();
                    in.skipRawBytes(idLength);
                } else if (field == RetrievedPoint.PAYLOAD_FIELD_NUMBER && isLengthDelimited(tag)) {
                    int len = in.readRawVarint32();
                    payload.addMapEntry(buffer, offset + in.getTotalBytesRead(), len);
                    in.skipRawBytes(len);
                } else if (field == RetrievedPoint.VECTORS_FIELD_NUMBER && isLengthDelimited(tag)) {
                    vectorsLength = in.readRawVarint32();
                    vectorsOffset = offset + in.getTotalBytesRead();
                    in.skipRawBytes(vectorsLength);
                } else if (field == RetrievedPoint.SHARD_KEY_FIELD_NUMBER && isLengthDelimited(tag)) {
                    shardKeyLength = in.readRawVarint32();
                    shardKeyOffset = offset + in.getTotalBytesRead();
                    in.skipRawBytes(shardKeyLength);
                } else {
                    in.skipField(tag);
                }
            }
            writeId(buffer, idOffset, idLength);
            writeVectors(buffer, vectorsOffset, vectorsLength);
            writeStruct(buffer, payload);
            if (shardKeyOffset >= 0) {
                // the same point under another shard key is another point; without one the form is as before
                put((byte) 'K');
                bytes(buffer, shardKeyOffset, shardKeyLength);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read a point Qdrant sent", e);
        }
        return out;
    }

    /** The length of the canonical bytes {@link #write} returned. */
    int size() {
        return size;
    }

    private void writeId(byte[] buffer, int offset, int length) throws IOException {
        if (offset < 0) {
            throw new IllegalStateException("a point Qdrant sent has no id");
        }
        CodedInputStream in = CodedInputStream.newInstance(buffer, offset, length);
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == PointId.NUM_FIELD_NUMBER && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_VARINT) {
                put((byte) 'N');
                long8(in.readRawVarint64());
                return;
            } else if (field == PointId.UUID_FIELD_NUMBER && isLengthDelimited(tag)) {
                int len = in.readRawVarint32();
                put((byte) 'U');
                bytes(buffer, offset + in.getTotalBytesRead(), len);
                return;
            }
            in.skipField(tag);
        }
        throw new IllegalStateException("a point Qdrant sent has an id without a value");
    }

    private void writeVectors(byte[] buffer, int offset, int length) throws IOException {
        if (offset < 0) {
            int4(0);
            return;
        }
        CodedInputStream in = CodedInputStream.newInstance(buffer, offset, length);
        int unnamedOffset = -1;
        int unnamedLength = 0;
        Entries named = new Entries();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == VectorsOutput.VECTOR_FIELD_NUMBER && isLengthDelimited(tag)) {
                unnamedLength = in.readRawVarint32();
                unnamedOffset = offset + in.getTotalBytesRead();
                in.skipRawBytes(unnamedLength);
                named = new Entries();
            } else if (field == VectorsOutput.VECTORS_FIELD_NUMBER && isLengthDelimited(tag)) {
                int len = in.readRawVarint32();
                named = mapEntries(buffer, offset + in.getTotalBytesRead(), len, NamedVectorsOutput.VECTORS_FIELD_NUMBER);
                in.skipRawBytes(len);
                unnamedOffset = -1;
            } else {
                in.skipField(tag);
            }
        }
        if (unnamedOffset >= 0) {
            int4(1);
            int4(0); // the name "" of an unnamed vector
            writeVector(buffer, unnamedOffset, unnamedLength);
            return;
        }
        named.sort(buffer);
        int4(named.count);
        for (int i = 0; i < named.count; i++) {
            int e = named.order[i];
            bytes(buffer, named.keyOffset[e], named.keyLength[e]);
            writeVector(buffer, named.valueOffset[e], named.valueLength[e]);
        }
    }

    /** One {@code VectorOutput}: its kind, rows, floats and sparse indices, whichever fields carry them. */
    private void writeVector(byte[] buffer, int offset, int length) throws IOException {
        floatSegmentCount = 0;
        indexCount = 0;
        boolean sparse = false;
        int rows = 1;
        int multiRows = -1;
        if (offset < 0) { // a map entry without a value: an empty vector
            offset = 0;
            length = 0;
        }
        CodedInputStream in = CodedInputStream.newInstance(buffer, offset, length);
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == VectorOutput.DATA_FIELD_NUMBER) {
                floats(in, tag, buffer, offset);
            } else if (field == VectorOutput.INDICES_FIELD_NUMBER && isLengthDelimited(tag)) {
                sparse = true;
                int len = in.readRawVarint32();
                readMessage(buffer, offset + in.getTotalBytesRead(), len, SparseIndices.DATA_FIELD_NUMBER, -1);
                in.skipRawBytes(len);
            } else if (field == VectorOutput.VECTORS_COUNT_FIELD_NUMBER
                    && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_VARINT) {
                rows = in.readRawVarint32();
            } else if (field == VectorOutput.DENSE_FIELD_NUMBER && isLengthDelimited(tag)) {
                int len = in.readRawVarint32();
                readMessage(buffer, offset + in.getTotalBytesRead(), len, -1, DenseVector.DATA_FIELD_NUMBER);
                in.skipRawBytes(len);
            } else if (field == VectorOutput.SPARSE_FIELD_NUMBER && isLengthDelimited(tag)) {
                sparse = true;
                int len = in.readRawVarint32();
                readMessage(buffer, offset + in.getTotalBytesRead(), len, SparseVector.INDICES_FIELD_NUMBER,
                        SparseVector.VALUES_FIELD_NUMBER);
                in.skipRawBytes(len);
            } else if (field == VectorOutput.MULTI_DENSE_FIELD_NUMBER && isLengthDelimited(tag)) {
                int len = in.readRawVarint32();
                int start = offset + in.getTotalBytesRead();
                multiRows = 0;
                CodedInputStream rowsIn = CodedInputStream.newInstance(buffer, start, len);
                for (int t = rowsIn.readTag(); t != 0; t = rowsIn.readTag()) {
                    if (WireFormat.getTagFieldNumber(t) == MultiDenseVector.VECTORS_FIELD_NUMBER && isLengthDelimited(t)) {
                        int rowLength = rowsIn.readRawVarint32();
                        readMessage(buffer, start + rowsIn.getTotalBytesRead(), rowLength, -1,
                                DenseVector.DATA_FIELD_NUMBER);
                        rowsIn.skipRawBytes(rowLength);
                        multiRows++;
                    } else {
                        rowsIn.skipField(t);
                    }
                }
                in.skipRawBytes(len);
            } else {
                in.skipField(tag);
            }
        }
        if (multiRows >= 0) {
            rows = multiRows;
            sparse = false;
        }
        put((byte) (sparse ? 'S' : rows > 1 ? 'M' : 'D'));
        int4(rows);
        int floatBytes = 0;
        for (int i = 0; i < floatSegmentCount; i++) {
            floatBytes += floatSegments[2 * i + 1];
        }
        int4(floatBytes / Float.BYTES);
        for (int i = 0; i < floatSegmentCount; i++) {
            bytes0(buffer, floatSegments[2 * i], floatSegments[2 * i + 1]);
        }
        if (sparse) {
            int4(indexCount);
            for (int i = 0; i < indexCount; i++) {
                int4(indices[i]);
            }
        }
    }

    /** Reads a message whose field {@code indexField} holds uint32s and {@code floatField} floats (-1: none). */
    private void readMessage(byte[] buffer, int offset, int length, int indexField, int floatField) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(buffer, offset, length);
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == floatField) {
                floats(in, tag, buffer, offset);
            } else if (field == indexField) {
                if (isLengthDelimited(tag)) {
                    int limit = in.pushLimit(in.readRawVarint32());
                    while (in.getBytesUntilLimit() > 0) {
                        index(in.readRawVarint32());
                    }
                    in.popLimit(limit);
                } else {
                    index(in.readRawVarint32());
                }
            } else {
                in.skipField(tag);
            }
        }
    }

    /** Records where a float field's values are: one packed run, or one unpacked value. */
    private void floats(CodedInputStream in, int tag, byte[] buffer, int base) throws IOException {
        int start;
        int len;
        if (isLengthDelimited(tag)) {
            len = in.readRawVarint32();
        } else if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_FIXED32) {
            len = Float.BYTES;
        } else {
            in.skipField(tag);
            return;
        }
        start = base + in.getTotalBytesRead();
        in.skipRawBytes(len);
        if (floatSegmentCount * 2 == floatSegments.length) {
            floatSegments = Arrays.copyOf(floatSegments, floatSegments.length * 2);
        }
        floatSegments[2 * floatSegmentCount] = start;
        floatSegments[2 * floatSegmentCount + 1] = len;
        floatSegmentCount++;
    }

    private void index(int value) {
        if (indexCount == indices.length) {
            indices = Arrays.copyOf(indices, indices.length * 2);
        }
        indices[indexCount++] = value;
    }

    /** A payload or struct: its entries sorted by key, each key then its value. */
    private void writeStruct(byte[] buffer, Entries entries) throws IOException {
        entries.sort(buffer);
        int4(entries.count);
        for (int i = 0; i < entries.count; i++) {
            int e = entries.order[i];
            bytes(buffer, entries.keyOffset[e], entries.keyLength[e]);
            writeValue(buffer, entries.valueOffset[e], entries.valueLength[e]);
        }
    }

    /** One {@code Value}: a tag, then its content; a value with no kind set is null, as Qdrant reads it. */
    private void writeValue(byte[] buffer, int offset, int length) throws IOException {
        if (offset < 0) {
            put((byte) 'n');
            return;
        }
        CodedInputStream in = CodedInputStream.newInstance(buffer, offset, length);
        int kind = 0;
        long number = 0;
        int contentOffset = -1;
        int contentLength = 0;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            int field = WireFormat.getTagFieldNumber(tag);
            switch (field) {
                case Value.NULL_VALUE_FIELD_NUMBER, Value.INTEGER_VALUE_FIELD_NUMBER, Value.BOOL_VALUE_FIELD_NUMBER -> {
                    kind = field;
                    number = in.readRawVarint64();
                }
                case Value.DOUBLE_VALUE_FIELD_NUMBER -> {
                    kind = field;
                    number = in.readRawLittleEndian64();
                }
                case Value.STRING_VALUE_FIELD_NUMBER, Value.STRUCT_VALUE_FIELD_NUMBER, Value.LIST_VALUE_FIELD_NUMBER -> {
                    kind = field;
                    contentLength = in.readRawVarint32();
                    contentOffset = offset + in.getTotalBytesRead();
                    in.skipRawBytes(contentLength);
                }
                default -> in.skipField(tag);
            }
        }
        switch (kind) {
            case Value.DOUBLE_VALUE_FIELD_NUMBER -> {
                put((byte) 'd');
                long8(number);
            }
            case Value.INTEGER_VALUE_FIELD_NUMBER -> {
                put((byte) 'i');
                long8(number);
            }
            case Value.BOOL_VALUE_FIELD_NUMBER -> {
                put((byte) 'b');
                put((byte) (number != 0 ? 1 : 0));
            }
            case Value.STRING_VALUE_FIELD_NUMBER -> {
                put((byte) 's');
                bytes(buffer, contentOffset, contentLength);
            }
            case Value.STRUCT_VALUE_FIELD_NUMBER -> {
                put((byte) 'o');
                writeStruct(buffer, mapEntries(buffer, contentOffset, contentLength, Struct.FIELDS_FIELD_NUMBER));
            }
            case Value.LIST_VALUE_FIELD_NUMBER -> {
                put((byte) 'l');
                writeList(buffer, contentOffset, contentLength);
            }
            default -> put((byte) 'n');
        }
    }

    private void writeList(byte[] buffer, int offset, int length) throws IOException {
        int count = 0;
        CodedInputStream in = CodedInputStream.newInstance(buffer, offset, length);
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) == ListValue.VALUES_FIELD_NUMBER && isLengthDelimited(tag)) {
                count++;
            }
            in.skipField(tag);
        }
        int4(count);
        in = CodedInputStream.newInstance(buffer, offset, length);
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) == ListValue.VALUES_FIELD_NUMBER && isLengthDelimited(tag)) {
                int len = in.readRawVarint32();
                writeValue(buffer, offset + in.getTotalBytesRead(), len);
                in.skipRawBytes(len);
            } else {
                in.skipField(tag);
            }
        }
    }

    /** The entries of the map in field {@code field} of the message at {@code buffer[offset, offset + length)}. */
    private static Entries mapEntries(byte[] buffer, int offset, int length, int field) throws IOException {
        Entries entries = new Entries();
        CodedInputStream in = CodedInputStream.newInstance(buffer, offset, length);
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) == field && isLengthDelimited(tag)) {
                int len = in.readRawVarint32();
                entries.addMapEntry(buffer, offset + in.getTotalBytesRead(), len);
                in.skipRawBytes(len);
            } else {
                in.skipField(tag);
            }
        }
        return entries;
    }

    private static boolean isLengthDelimited(int tag) {
        return WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
    }

    /**
     * A map's entries (key and value slices of the input), a later entry of the same key replacing an earlier one as
     * protobuf's parsers do; sorted by the keys' UTF-8 bytes.
     */
    private static final class Entries {
        int count;
        int[] keyOffset = new int[8];
        int[] keyLength = new int[8];
        int[] valueOffset = new int[8];
        int[] valueLength = new int[8];
        int[] order = new int[8];

        /** Adds the map entry message at {@code buffer[offset, offset + length)} (key = 1, value = 2). */
        void addMapEntry(byte[] buffer, int offset, int length) throws IOException {
            int kOff = offset;
            int kLen = 0;
            int vOff = -1;
            int vLen = 0;
            CodedInputStream in = CodedInputStream.newInstance(buffer, offset, length);
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                int field = WireFormat.getTagFieldNumber(tag);
                if (field == 1 && isLengthDelimited(tag)) {
                    kLen = in.readRawVarint32();
                    kOff = offset + in.getTotalBytesRead();
                    in.skipRawBytes(kLen);
                } else if (field == 2 && isLengthDelimited(tag)) {
                    vLen = in.readRawVarint32();
                    vOff = offset + in.getTotalBytesRead();
                    in.skipRawBytes(vLen);
                } else {
                    in.skipField(tag);
                }
            }
            if (count == keyOffset.length) {
                int n = count * 2;
                keyOffset = Arrays.copyOf(keyOffset, n);
                keyLength = Arrays.copyOf(keyLength, n);
                valueOffset = Arrays.copyOf(valueOffset, n);
                valueLength = Arrays.copyOf(valueLength, n);
                order = Arrays.copyOf(order, n);
            }
            keyOffset[count] = kOff;
            keyLength[count] = kLen;
            valueOffset[count] = vOff;
            valueLength[count] = vLen;
            count++;
        }

        /** Orders the entries by key (insertion sort: a payload has few keys); of equal keys the last one stays. */
        void sort(byte[] buffer) {
            int kept = 0;
            for (int i = 0; i < count; i++) {
                int j = kept;
                int c = 1;
                while (j > 0 && (c = compareKeys(buffer, order[j - 1], i)) > 0) {
                    j--;
                }
                if (j > 0 && c == 0) {
                    order[j - 1] = i; // the same key again: the later value replaces the earlier one
                    continue;
                }
                System.arraycopy(order, j, order, j + 1, kept - j);
                order[j] = i;
                kept++;
            }
            count = kept;
            // entries beyond 'kept' are no longer referenced by order[0, kept)
        }

        private int compareKeys(byte[] buffer, int a, int b) {
            return Arrays.compareUnsigned(buffer, keyOffset[a], keyOffset[a] + keyLength[a], buffer, keyOffset[b],
                    keyOffset[b] + keyLength[b]);
        }
    }

    private void put(byte b) {
        ensure(1);
        out[size++] = b;
    }

    private void int4(int v) {
        ensure(4);
        out[size++] = (byte) (v >>> 24);
        out[size++] = (byte) (v >>> 16);
        out[size++] = (byte) (v >>> 8);
        out[size++] = (byte) v;
    }

    private void long8(long v) {
        int4((int) (v >>> 32));
        int4((int) v);
    }

    /** Length-prefixed bytes. */
    private void bytes(byte[] buffer, int offset, int length) {
        int4(length);
        bytes0(buffer, offset, length);
    }

    private void bytes0(byte[] buffer, int offset, int length) {
        ensure(length);
        System.arraycopy(buffer, offset, out, size, length);
        size += length;
    }

    private void ensure(int more) {
        if (size + more > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, size + more));
        }
    }
}

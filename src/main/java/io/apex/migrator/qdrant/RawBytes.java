package io.apex.migrator.qdrant;

import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * gRPC messages left as the bytes they travel as: a marshaller that neither decodes nor encodes, and method
 * descriptors of any Qdrant method built on it. The capture proxy forwards every call with these; the workers
 * re-issue captured writes with them.
 */
public final class RawBytes {

    /** Bytes in, the same bytes out. */
    public static final MethodDescriptor.Marshaller<byte[]> MARSHALLER = new MethodDescriptor.Marshaller<>() {

        @Override
        public InputStream stream(byte[] value) {
            return new KnownLengthBytes(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read a gRPC message", e);
            }
        }
    };

    private RawBytes() {
    }

    /** {@code fullMethodName} ({@code qdrant.Points/Upsert}) of the given type, on raw bytes both ways. */
    public static MethodDescriptor<byte[], byte[]> method(String fullMethodName, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<byte[], byte[]>newBuilder().setFullMethodName(fullMethodName).setType(type)
                .setRequestMarshaller(MARSHALLER).setResponseMarshaller(MARSHALLER).build();
    }

    /** gRPC frames a stream of known length without buffering it first. */
    private static final class KnownLengthBytes extends ByteArrayInputStream implements KnownLength {

        KnownLengthBytes(byte[] bytes) {
            super(bytes);
        }
    }
}

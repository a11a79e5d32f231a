package io.apex.migrator.proxy;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.qdrant.client.grpc.PointsGrpc;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The write RPCs of Qdrant's Points service, the only calls the proxy decodes, and only to read (or, on the
 * worker side, replace) their {@code collection_name}. Every other field travels as it came.
 */
final class CaptureMethods {

    /**
     * Not a Qdrant method: a request of the migrator itself to re-sync points by id (a {@code PointsIdsList}), sent on
     * the capture topic by a backfill page or a verification so that it is applied in the stream's order.
     */
    static final String RESYNC = "apex.Live/Resync";

    private static final String COLLECTION = "collection_name";
    private static final String WAIT = "wait";

    /** Full method name to an empty request of its type (the parser and the field descriptors). */
    private static final Map<String, Message> WRITES = Stream.of(
                    PointsGrpc.getUpsertMethod(),
                    PointsGrpc.getDeleteMethod(),
                    PointsGrpc.getSetPayloadMethod(),
                    PointsGrpc.getOverwritePayloadMethod(),
                    PointsGrpc.getDeletePayloadMethod(),
                    PointsGrpc.getClearPayloadMethod(),
                    PointsGrpc.getUpdateVectorsMethod(),
                    PointsGrpc.getDeleteVectorsMethod(),
                    PointsGrpc.getUpdateBatchMethod())
            .collect(Collectors.toUnmodifiableMap(MethodDescriptor::getFullMethodName, CaptureMethods::prototype));

    private CaptureMethods() {
    }

    /** Whether calls of this method change points (and are captured while their collection migrates). */
    static boolean isWrite(String fullMethodName) {
        return WRITES.containsKey(fullMethodName);
    }

    /** Whether records of this method travel on the capture topic (a captured gRPC or REST write, or a re-sync). */
    static boolean isCaptured(String method) {
        return isWrite(method) || RestCaptureMethods.isWrite(method) || RESYNC.equals(method);
    }

    /** The collection (or alias) a write addresses; empty when the bytes are no valid request (Qdrant will say so). */
    static Optional<String> collection(String fullMethodName, byte[] request) {
        return parse(fullMethodName, request).map(m -> (String) m.getField(field(m, COLLECTION)));
    }

    /**
     * The same write addressed to {@code collection} and waited for ({@code wait: true}), so that its answer means
     * applied; everything else as captured.
     *
     * @throws IllegalArgumentException when the bytes are no valid request of that method
     */
    static byte[] retarget(String fullMethodName, byte[] request, String collection) {
        Message message = parse(fullMethodName, request).orElseThrow(() -> new IllegalArgumentException(
                "not a valid " + fullMethodName + " request"));
        Message.Builder builder = message.toBuilder().setField(field(message, COLLECTION), collection);
        FieldDescriptor wait = message.getDescriptorForType().findFieldByName(WAIT);
        if (wait != null) {
            builder.setField(wait, true);
        }
        return builder.build().toByteArray();
    }

    /** The same write addressed to {@code collection}; everything else (wait included) as the client sent it. */
    static byte[] readdress(String fullMethodName, byte[] request, String collection) {
        Message message = parse(fullMethodName, request).orElseThrow(() -> new IllegalArgumentException(
                "not a valid " + fullMethodName + " request"));
        return message.toBuilder().setField(field(message, COLLECTION), collection).build().toByteArray();
    }

    private static Optional<Message> parse(String fullMethodName, byte[] request) {
        Message prototype = WRITES.get(fullMethodName);
        if (prototype == null) {
            throw new IllegalArgumentException(fullMethodName + " is not a captured write");
        }
        try {
            return Optional.of(prototype.getParserForType().parseFrom(request));
        } catch (InvalidProtocolBufferException e) {
            return Optional.empty();
        }
    }

    private static FieldDescriptor field(Message message, String name) {
        return message.getDescriptorForType().findFieldByName(name);
    }

    private static Message prototype(MethodDescriptor<?, ?> method) {
        return (Message) ((MethodDescriptor.PrototypeMarshaller<?>) method.getRequestMarshaller()).getMessagePrototype();
    }

}

package io.apex.migrator.qdrant.standin;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the last request of each method asked of a cluster's replicas: its {@code read_consistency} or its write
 * {@code ordering}, as the request carried it ("absent" when it did not). A single node reads its one copy whatever a
 * read asks, as Qdrant does; this only lets a test see that a client's setting reaches the wire.
 */
final class RequestConsistency implements ServerInterceptor {

    private final Map<String, String> seen = new ConcurrentHashMap<>();

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
            @Override
            public void onMessage(Q message) {
                if (message instanceof Message request) {
                    record(method, request);
                }
                super.onMessage(message);
            }
        };
    }

    private void record(String method, Message request) {
        for (String field : new String[] {"read_consistency", "ordering"}) {
            FieldDescriptor descriptor = request.getDescriptorForType().findFieldByName(field);
            if (descriptor != null) {
                seen.put(method, request.hasField(descriptor)
                        ? field + " {" + TextFormat.shortDebugString((Message) request.getField(descriptor)) + "}"
                        : field + " absent");
            }
        }
    }

    /** Per full method name (e.g. {@code qdrant.Points/Scroll}), what its last request carried. */
    Map<String, String> seen() {
        return Map.copyOf(seen);
    }
}

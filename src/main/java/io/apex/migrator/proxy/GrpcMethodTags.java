package io.apex.migrator.proxy;

import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.qdrant.client.grpc.CollectionsGrpc;
import io.qdrant.client.grpc.PointsGrpc;
import io.qdrant.client.grpc.QdrantGrpc;
import io.qdrant.client.grpc.SnapshotsGrpc;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The {@code service} and {@code method} tags of a call: its gRPC service and method when it is one of Qdrant's
 * public API, {@code other} for any other name. The proxy forwards any method name a client sends, so tagging by the
 * raw name would let clients create meters without bound.
 */
record GrpcMethodTags(String service, String method, boolean write) implements CallTags {

    private static final GrpcMethodTags UNKNOWN = new GrpcMethodTags(OTHER, OTHER, false);

    private static final Map<String, GrpcMethodTags> KNOWN = Stream.of(PointsGrpc.getServiceDescriptor(),
                    CollectionsGrpc.getServiceDescriptor(), QdrantGrpc.getServiceDescriptor(),
                    SnapshotsGrpc.getServiceDescriptor())
            .map(ServiceDescriptor::getMethods)
            .flatMap(java.util.Collection::stream)
            .map(MethodDescriptor::getFullMethodName)
            .collect(Collectors.toUnmodifiableMap(Function.identity(), GrpcMethodTags::split));

    @Override
    public String api() {
        return GRPC;
    }

    /** The tags of a full method name ({@code qdrant.Points/Upsert}). */
    static GrpcMethodTags of(String fullMethodName) {
        return fullMethodName == null ? UNKNOWN : KNOWN.getOrDefault(fullMethodName, UNKNOWN);
    }

    private static GrpcMethodTags split(String fullMethodName) {
        int slash = fullMethodName.lastIndexOf('/');
        return new GrpcMethodTags(fullMethodName.substring(0, slash), fullMethodName.substring(slash + 1),
                CaptureMethods.isWrite(fullMethodName));
    }
}

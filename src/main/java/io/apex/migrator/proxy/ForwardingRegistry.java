package io.apex.migrator.proxy;

import io.apex.migrator.qdrant.RawBytes;
import io.grpc.HandlerRegistry;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;

/**
 * Serves ANY method name by forwarding it upstream as bytes: the server's fallback registry, so the proxy needs no
 * list of Qdrant's services and forwards the methods of a newer Qdrant too. The method type is left unknown; the
 * relay in {@link ForwardingHandler} carries unary and streaming calls alike.
 */
final class ForwardingRegistry extends HandlerRegistry {

    private final ForwardingHandler handler;

    ForwardingRegistry(ForwardingHandler handler) {
        this.handler = handler;
    }

    @Override
    public ServerMethodDefinition<?, ?> lookupMethod(String methodName, String authority) {
        // built per call: caching by a name the client chose would let clients grow the cache without bound
        return ServerMethodDefinition.create(RawBytes.method(methodName, MethodDescriptor.MethodType.UNKNOWN),
                handler);
    }
}

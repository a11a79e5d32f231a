package io.apex.migrator.proxy;

/**
 * The tags of one call through the proxy: which of Qdrant's APIs it came in on ({@code grpc}, {@code rest}), its
 * service (gRPC service, or REST endpoint group), its method (gRPC method, or REST endpoint) and whether it is a
 * write the proxy captures for a collection under migration. Each has few values: anything a client sends that is
 * not one of Qdrant's is tagged {@code other}.
 */
interface CallTags {

    String GRPC = "grpc";
    String REST = "rest";
    String OTHER = "other";

    String api();

    String service();

    String method();

    boolean write();
}

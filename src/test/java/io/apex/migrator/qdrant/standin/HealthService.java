package io.apex.migrator.qdrant.standin;

import io.grpc.stub.StreamObserver;
import io.qdrant.client.grpc.QdrantGrpc;
import io.qdrant.client.grpc.QdrantOuterClass.HealthCheckReply;
import io.qdrant.client.grpc.QdrantOuterClass.HealthCheckRequest;

/**
 * Qdrant's health check. The version is the one the client jar speaks, so the client's compatibility check
 * stays quiet; the title says plainly that this is the test double.
 */
final class HealthService extends QdrantGrpc.QdrantImplBase {

    static final String VERSION = "1.18.0";

    @Override
    public void healthCheck(HealthCheckRequest request, StreamObserver<HealthCheckReply> observer) {
        Rpc.respond(observer, () -> HealthCheckReply.newBuilder()
                .setTitle("qdrant - vector search engine (apex-migrator test stand-in)")
                .setVersion(VERSION).build());
    }
}

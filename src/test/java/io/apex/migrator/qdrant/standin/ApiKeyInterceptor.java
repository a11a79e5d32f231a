package io.apex.migrator.qdrant.standin;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Qdrant's API-key check for a stand-in started with a key: the key comes in the {@code api-key} header or
 * as {@code authorization: Bearer}; the health check stays open, as on a real server. The key is compared
 * in constant time and never logged.
 */
final class ApiKeyInterceptor implements ServerInterceptor {

    private static final Metadata.Key<String> API_KEY = Metadata.Key.of("api-key", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final byte[] expected;

    ApiKeyInterceptor(String apiKey) {
        this.expected = apiKey.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        if (call.getMethodDescriptor().getFullMethodName().equals("qdrant.Qdrant/HealthCheck")) {
            return next.startCall(call, headers);
        }
        String given = headers.get(API_KEY);
        String bearer = headers.get(AUTHORIZATION);
        if (given == null && bearer != null && bearer.startsWith("Bearer ")) {
            given = bearer.substring("Bearer ".length());
        }
        if (given == null) {
            return reject(call, "Must provide an API key or an Authorization bearer token");
        }
        if (!MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
            return reject(call, "Invalid API key or JWT");
        }
        return next.startCall(call, headers);
    }

    private static <Q, R> ServerCall.Listener<Q> reject(ServerCall<Q, R> call, String message) {
        call.close(Status.UNAUTHENTICATED.withDescription(message), new Metadata());
        return new ServerCall.Listener<>() {
        };
    }
}

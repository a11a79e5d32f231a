package io.apex.migrator.qdrant;

import io.grpc.Status;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * A minimal client of Qdrant's REST API for the writes the workers replay as they were captured (JSON bodies the proxy
 * took from applications): same host, API key ({@code api-key} header) and TLS as the gRPC settings, on Qdrant's REST
 * port. Qdrant's error answers become the gateway's exceptions: 404 {@link CollectionNotFoundException}; 429, 5xx and
 * connection failures {@link QdrantTransientException} (retried by the caller's policy); any other refusal
 * {@link QdrantRequestException}. The API key never appears in messages.
 */
public final class QdrantRestClient {

    private final HttpClient http;
    private final URI base;
    private final Optional<String> apiKey;
    private final Duration timeout;

    private QdrantRestClient(HttpClient http, URI base, Optional<String> apiKey, Duration timeout) {
        this.http = http;
        this.base = base;
        this.apiKey = apiKey;
        this.timeout = timeout;
    }

    /** A client of the Qdrant that {@code settings} describes, on its REST port {@code restPort}. */
    public static QdrantRestClient connect(QdrantSettings settings, int restPort) {
        if (restPort < 1 || restPort > 65535) {
            throw new IllegalArgumentException("Qdrant REST port must be in 1..65535, got " + restPort);
        }
        URI base = URI.create((settings.tls() ? "https://" : "http://") + hostPart(settings.host()) + ":" + restPort);
        HttpClient http = HttpClient.newBuilder().connectTimeout(settings.timeout())
                .version(HttpClient.Version.HTTP_1_1).build();
        return new QdrantRestClient(http, base, settings.apiKey(), settings.timeout());
    }

    /** Where it sends requests ({@code scheme://host:port}), for messages. */
    public URI base() {
        return base;
    }

    /**
     * Sends one JSON request and returns the answer's body once Qdrant answered 2xx.
     *
     * @param pathAndQuery percent-encoded path (and query) starting with {@code /}
     * @param collection   the collection the request is about, for the exceptions
     */
    public byte[] send(String httpMethod, String pathAndQuery, byte[] json, String collection) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(timeout)
                .header("content-type", "application/json")
                .method(httpMethod, HttpRequest.BodyPublishers.ofByteArray(json));
        apiKey.ifPresent(key -> request.header("api-key", key));
        String operation = "REST " + httpMethod + " " + pathAndQuery;
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new QdrantTransientException(collection, operation, Status.Code.UNAVAILABLE,
                    "cannot reach Qdrant's REST API at " + base + ": " + e.getMessage(), null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QdrantTransientException(collection, operation, Status.Code.CANCELLED, "interrupted", null, e);
        }
        int code = response.statusCode();
        if (code >= 200 && code < 300) {
            return response.body();
        }
        String detail = "HTTP " + code + " " + new String(response.body(), StandardCharsets.UTF_8);
        if (code == 404) {
            throw new CollectionNotFoundException(collection, operation, detail, null);
        }
        if (code == 429 || code >= 500) {
            Duration retryAfter = response.headers().firstValue("retry-after").flatMap(QdrantRestClient::seconds)
                    .orElse(null);
            throw new QdrantTransientException(collection, operation,
                    code == 429 ? Status.Code.RESOURCE_EXHAUSTED : Status.Code.UNAVAILABLE, detail, retryAfter, null);
        }
        throw new QdrantRequestException(collection, operation, grpcCode(code), detail, null);
    }

    private static Status.Code grpcCode(int httpCode) {
        return switch (httpCode) {
            case 400, 422 -> Status.Code.INVALID_ARGUMENT;
            case 401 -> Status.Code.UNAUTHENTICATED;
            case 403 -> Status.Code.PERMISSION_DENIED;
            case 409 -> Status.Code.ALREADY_EXISTS;
            default -> Status.Code.UNKNOWN;
        };
    }

    private static Optional<Duration> seconds(String value) {
        try {
            return Optional.of(Duration.ofSeconds(Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String hostPart(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}

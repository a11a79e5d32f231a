package io.apex.migrator.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** A bare HTTP client of Qdrant's REST API for tests: sends JSON, returns the status and the parsed answer. */
public final class QdrantRest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final URI base;
    private final Optional<String> apiKey;
    private final HttpClient http;

    public QdrantRest(String host, int port, Optional<String> apiKey) {
        this(URI.create("http://" + host + ":" + port), HTTP, apiKey);
    }

    private QdrantRest(URI base, HttpClient http, Optional<String> apiKey) {
        this.base = base;
        this.http = http;
        this.apiKey = apiKey;
    }

    /** A client of {@code https://localhost:port} whose TLS (trusted certificates, own certificate) is {@code tls}. */
    public static QdrantRest overTls(int port, javax.net.ssl.SSLContext tls) {
        return new QdrantRest(URI.create("https://localhost:" + port), HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).sslContext(tls).build(),
                Optional.empty());
    }

    public QdrantRest(int port) {
        this("localhost", port, Optional.empty());
    }

    /** One answer: the HTTP status, the parsed body and the raw one. */
    public record Answer(int status, JsonNode json, String body) {

        /** Qdrant's {@code result}. */
        public JsonNode result() {
            return json.path("result");
        }

        /** Qdrant's error message ({@code status.error}), or null. */
        public String error() {
            return json.path("status").path("error").asText(null);
        }
    }

    public Answer get(String path) {
        return send("GET", path, null);
    }

    public Answer delete(String path) {
        return send("DELETE", path, null);
    }

    public Answer put(String path, String json) {
        return send("PUT", path, json);
    }

    public Answer post(String path, String json) {
        return send("POST", path, json);
    }

    /** Sends one request; {@code json} null sends no body. */
    public Answer send(String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("content-type", "application/json");
        }
        apiKey.ifPresent(k -> request.header("api-key", k));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode parsed = response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
            return new Answer(response.statusCode(), parsed, response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

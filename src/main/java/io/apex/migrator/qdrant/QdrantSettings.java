package io.apex.migrator.qdrant;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how to reach Qdrant over gRPC. {@code timeout} is the deadline of every single call; the API key is a
 * secret and never appears in {@link #toString()}.
 */
public record QdrantSettings(String host, int port, Optional<String> apiKey, boolean tls, Duration timeout,
        RetryPolicy retry, PointConsistency consistency) {

    /** Settings with the default {@link PointConsistency} (majority reads, weak writes). */
    public QdrantSettings(String host, int port, Optional<String> apiKey, boolean tls, Duration timeout,
            RetryPolicy retry) {
        this(host, port, apiKey, tls, timeout, retry, PointConsistency.DEFAULT);
    }

    public QdrantSettings {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("Qdrant host must not be blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("Qdrant port must be in 1..65535, got " + port);
        }
        apiKey = Objects.requireNonNull(apiKey, "apiKey").filter(key -> !key.isBlank());
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("Qdrant timeout must be > 0, got " + timeout);
        }
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(consistency, "consistency");
    }

    /** Plain-text, no API key, 30 s deadline, default retries: for tests and local use. */
    public static QdrantSettings of(String host, int port) {
        return new QdrantSettings(host, port, Optional.empty(), false, Duration.ofSeconds(30), RetryPolicy.DEFAULT);
    }

    public QdrantSettings withEndpoint(String newHost, int newPort) {
        return new QdrantSettings(newHost, newPort, apiKey, tls, timeout, retry, consistency);
    }

    public QdrantSettings withApiKey(Optional<String> newApiKey) {
        return new QdrantSettings(host, port, newApiKey, tls, timeout, retry, consistency);
    }

    public QdrantSettings withTls(boolean newTls) {
        return new QdrantSettings(host, port, apiKey, newTls, timeout, retry, consistency);
    }

    public QdrantSettings withRetry(RetryPolicy newRetry) {
        return new QdrantSettings(host, port, apiKey, tls, timeout, newRetry, consistency);
    }

    public QdrantSettings withTimeout(Duration newTimeout) {
        return new QdrantSettings(host, port, apiKey, tls, newTimeout, retry, consistency);
    }

    public QdrantSettings withConsistency(PointConsistency newConsistency) {
        return new QdrantSettings(host, port, apiKey, tls, timeout, retry, newConsistency);
    }

    /** The endpoint as {@code host:port}, for messages. */
    public String endpoint() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        return "QdrantSettings[host=" + host + ", port=" + port + ", apiKey=" + (apiKey.isPresent() ? "***" : "none")
                + ", tls=" + tls + ", timeout=" + timeout + ", retry=" + retry + ", " + consistency + "]";
    }
}

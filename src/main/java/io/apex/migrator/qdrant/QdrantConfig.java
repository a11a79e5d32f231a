package io.apex.migrator.qdrant;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Connection to Qdrant and where the collection specs live ({@code apex.qdrant.*}). */
@ConfigMapping(prefix = "apex.qdrant")
public interface QdrantConfig {

    /** Qdrant host name or address (gRPC). */
    @WithDefault("localhost")
    String host();

    /** Qdrant gRPC port (Qdrant's default is 6334; 6333 is its REST port). */
    @WithDefault("6334")
    int port();

    /**
     * Qdrant REST port (Qdrant's default is 6333), on the same host and with the same TLS as gRPC: the proxy forwards
     * its REST front there, and the workers replay captured REST writes by filter there.
     */
    @WithDefault("6333")
    int restPort();

    /** API key sent as the {@code api-key} header; a secret: set it through the environment (APEX_QDRANT_API_KEY). */
    Optional<String> apiKey();

    /** Use TLS for the gRPC channel. Required when an API key travels over an untrusted network. */
    @WithDefault("false")
    boolean tls();

    /** Deadline of every single gRPC call. */
    @WithDefault("30s")
    Duration timeout();

    /** Retries of transient errors. */
    Retry retry();

    /**
     * Read consistency of point reads (scroll, get, count, query): {@code majority}, {@code quorum}, {@code all} or a
     * number of replicas. Checksums, counts and the recall gate decide on these reads; on a single node every
     * setting reads the one copy.
     */
    @WithDefault("majority")
    String readConsistency();

    /**
     * Write ordering of point writes (copies, repairs, re-syncs): {@code weak} (Qdrant's default), {@code medium}
     * (through the shard's current leader) or {@code strong} (through its permanent leader; consistent, but
     * unavailable while that peer is down).
     */
    @WithDefault("weak")
    String writeOrdering();

    /**
     * A directory of extra collection specs ({@code *.yaml}), read in addition to the built-in ones under
     * {@code collections/} on the classpath; a spec there replaces a built-in one of the same collection name.
     */
    Optional<Path> specsDir();

    /** Retries of transient errors (UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED). */
    interface Retry {

        /** Calls in total, the first one included. */
        @WithDefault("3")
        int maxAttempts();

        /** Delay before the first retry; doubles on every further one. */
        @WithDefault("200ms")
        Duration initialBackoff();

        /** Upper bound of the delay between two attempts. */
        @WithDefault("5s")
        Duration maxBackoff();

        /** Random spread of each delay, as a fraction (0.25 = plus or minus 25 %). */
        @WithDefault("0.25")
        double jitter();
    }

    /** The settings this configuration describes. */
    default QdrantSettings settings() {
        Retry r = retry();
        return new QdrantSettings(host(), port(), apiKey(), tls(), timeout(),
                new RetryPolicy(r.maxAttempts(), r.initialBackoff(), r.maxBackoff(), r.jitter()),
                PointConsistency.parse(readConsistency(), writeOrdering()));
    }
}

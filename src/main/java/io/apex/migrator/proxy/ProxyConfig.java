package io.apex.migrator.proxy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The capture proxy ({@code apex.proxy.*}): where it listens, and how it captures writes to collections under
 * migration. Its upstream is Qdrant as {@code apex.qdrant.*} describes it (host, port, TLS).
 */
@ConfigMapping(prefix = "apex.proxy")
public interface ProxyConfig {

    /** gRPC port (on every interface) applications use instead of Qdrant's (Qdrant's own is 6334). */
    @WithDefault("6335")
    int port();

    /**
     * REST port (on every interface) applications use instead of Qdrant's REST port (Qdrant's own is 6333); 0: a free
     * one. Every HTTP request is forwarded to Qdrant's REST port ({@code apex.qdrant.rest-port}) unchanged.
     */
    @WithDefault("6336")
    int restPort();

    /** Largest request or answer the proxy accepts and forwards (Qdrant's default gRPC limit is far above 4 MB). */
    @WithDefault("64")
    int maxMessageMegabytes();

    /**
     * How long the list of active runs (which collections and aliases are under migration) is reused before the
     * run store is read again. A run's writes are captured at the latest this long after the run was accepted.
     */
    @WithDefault("500ms")
    Duration runCacheTtl();

    /**
     * How long a write Qdrant acknowledged waits for Kafka to acknowledge its capture; past it the client gets
     * UNAVAILABLE (the write is in the source; the verification's checksum catch-up carries it to the target).
     */
    @WithDefault("10s")
    Duration captureTimeout();
}

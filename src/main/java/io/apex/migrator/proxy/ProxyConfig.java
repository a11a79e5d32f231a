package io.apex.migrator.proxy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The capture proxy ({@code apex.proxy.*}): where it listens, how clients reach it (plain text or TLS), and how it
 * captures writes to collections under migration. Its upstream is Qdrant as {@code apex.qdrant.*} describes it
 * (host, port, TLS); the API key a client sends ({@code api-key} header) is passed on to Qdrant unchanged and never
 * logged. Health and metrics are served on Quarkus's HTTP port ({@code quarkus.http.port}, 8080): {@code /q/health}
 * and {@code /q/metrics}.
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

    /** How often the replica reads the cutover holds from the run store (the delay before a hold takes effect). */
    @WithDefault("25ms")
    Duration holdPoll();

    /**
     * How often the replica records that it is alive. A replica that could not read the run store for twice this
     * long parks the writes to collections under migration until it can again (at most hold-max-wait).
     */
    @WithDefault("500ms")
    Duration heartbeat();

    /**
     * The longest a write waits in a cutover hold. The run's driver gives up a hold far earlier
     * ({@code apex.pipeline.live.hold-budget}); this only bounds the wait when the driver died mid-cutover.
     */
    @WithDefault("30s")
    Duration holdMaxWait();

    /**
     * TLS on the proxy's own ports, gRPC and REST alike ({@code apex.proxy.tls.*}); plain text when no certificate is
     * set.
     */
    Tls tls();

    /**
     * TLS of the ports clients connect to (gRPC and REST). Set {@code cert-file} and {@code key-file} together (PEM
     * files, e.g. mounted from a Kubernetes TLS Secret); add {@code client-ca-file} to require client certificates
     * (mTLS). Independent of the upstream's TLS ({@code apex.qdrant.tls}).
     */
    interface Tls {

        /** The server's certificate chain (PEM), leaf first; with {@link #keyFile()}. Unset: plain text. */
        Optional<Path> certFile();

        /** The private key of {@link #certFile()} (PEM, PKCS#8 {@code BEGIN PRIVATE KEY}, unencrypted). */
        Optional<Path> keyFile();

        /**
         * CA certificates (PEM) that sign client certificates; when set, a client without a certificate signed by
         * one of them is refused during the handshake (mutual TLS), on either port. Only with
         * {@link #certFile()}.
         */
        Optional<Path> clientCaFile();
    }
}

package io.apex.migrator.proxy;

import io.apex.migrator.qdrant.QdrantChannels;
import io.apex.migrator.qdrant.QdrantSettings;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.Grpc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The capture proxy: a gRPC server that speaks Qdrant's API by forwarding every call, as bytes, to the upstream
 * Qdrant ({@link ForwardingRegistry}), capturing the writes to collections under migration on the way
 * ({@link ForwardingHandler}). Stateless: replicas behind one address share nothing but the run store and Kafka.
 */
@ApplicationScoped
public class ProxyServer {

    private static final Logger LOGGER = Logger.getLogger(ProxyServer.class);

    private final ActiveRuns runs;
    private final CapturePublisher publisher;
    private final ProxyConfig config;
    private final HoldGate gate;
    private final ProxyMetrics metrics;

    @Inject
    public ProxyServer(ActiveRuns runs, CapturePublisher publisher, ProxyConfig config, HoldGate gate,
            ProxyMetrics metrics) {
        this.runs = runs;
        this.publisher = publisher;
        this.config = config;
        this.gate = gate;
        this.metrics = metrics;
    }

    /**
     * Starts a proxy in front of {@code upstream} (its host, port and TLS; its API key is NOT used: each client's
     * own {@code api-key} header is passed on) on {@code port} of every interface (0: a free one), with the TLS of
     * {@code apex.proxy.tls.*} (plain text when unset).
     */
    public Running start(QdrantSettings upstream, int port) {
        return start(upstream, port, ProxyTls.of(config.tls()));
    }

    /** Starts a proxy as {@link #start(QdrantSettings, int)} does, its own port secured by {@code tls}. */
    public Running start(QdrantSettings upstream, int port, ProxyTls tls) {
        ServerCredentials credentials = tls.credentials();
        // registered and aware of the cutover holds before it takes its first call
        gate.start();
        ManagedChannel channel = QdrantChannels.open(upstream);
        int maxBytes = config.maxMessageMegabytes() * 1024 * 1024;
        ForwardingHandler handler = new ForwardingHandler(
                ClientInterceptors.intercept(channel, metrics.upstreamInterceptor()), runs, publisher, gate);
        Server server = Grpc.newServerBuilderForPort(port, credentials)
                .fallbackHandlerRegistry(new ForwardingRegistry(handler))
                .intercept(metrics.serverInterceptor())
                .maxInboundMessageSize(maxBytes)
                .maxInboundMetadataSize(64 * 1024)
                .build();
        try {
            server.start();
        } catch (IOException e) {
            channel.shutdownNow();
            gate.stop();
            throw new UncheckedIOException("cannot listen on port " + port + ": " + e.getMessage(), e);
        }
        LOGGER.infof("proxy listening on port %s (%s), forwarding to Qdrant at %s (tls=%s)", server.getPort(),
                tls.describe(), upstream.endpoint(), upstream.tls());
        return new Running(server, channel, gate);
    }

    /** A started proxy; closing it stops taking calls and lets the calls in flight finish for a few seconds. */
    public static final class Running implements AutoCloseable {

        private final Server server;
        private final ManagedChannel channel;
        private final HoldGate gate;

        Running(Server server, ManagedChannel channel, HoldGate gate) {
            this.server = server;
            this.channel = channel;
            this.gate = gate;
        }

        /** The port it listens on. */
        public int port() {
            return server.getPort();
        }

        @Override
        public void close() {
            server.shutdown();
            try {
                if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                    server.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                server.shutdownNow();
            } finally {
                channel.shutdownNow();
                gate.stop();
            }
        }
    }
}

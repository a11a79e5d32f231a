package io.apex.migrator.proxy;

import io.apex.migrator.qdrant.QdrantChannels;
import io.apex.migrator.qdrant.QdrantConfig;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The capture proxy: a gRPC server that speaks Qdrant's API by forwarding every call, as bytes, to the upstream
 * Qdrant ({@link ForwardingRegistry}), capturing the writes to collections under migration on the way
 * ({@link ForwardingHandler}); and a REST front (its own Vert.x HTTP server, not Quarkus's) that does the same for
 * Qdrant's REST API ({@link RestForwarder}). Stateless: replicas behind one address share nothing but the run store
 * and Kafka.
 */
@ApplicationScoped
public class ProxyServer {

    private static final Logger LOGGER = Logger.getLogger(ProxyServer.class);

    private final ActiveRuns runs;
    private final CapturePublisher publisher;
    private final ProxyConfig config;
    private final HoldGate gate;
    private final ProxyMetrics metrics;
    private final QdrantConfig qdrant;
    private final Vertx vertx;

    @Inject
    public ProxyServer(ActiveRuns runs, CapturePublisher publisher, ProxyConfig config, HoldGate gate,
            ProxyMetrics metrics, QdrantConfig qdrant, Vertx vertx) {
        this.runs = runs;
        this.publisher = publisher;
        this.config = config;
        this.gate = gate;
        this.metrics = metrics;
        this.qdrant = qdrant;
        this.vertx = vertx;
    }

    /**
     * Starts a proxy in front of {@code upstream} (its host, port and TLS; its API key is NOT used: each client's
     * own {@code api-key} header is passed on) on {@code port} of every interface (0: a free one) and its REST front on
     * {@code apex.proxy.rest-port}, both with the TLS of {@code apex.proxy.tls.*} (plain text when unset).
     */
    public Running start(QdrantSettings upstream, int port) {
        return start(upstream, port, ProxyTls.of(config.tls()));
    }

    /** Starts a proxy as {@link #start(QdrantSettings, int)} does, its own ports (gRPC, REST) secured by {@code tls}. */
    public Running start(QdrantSettings upstream, int port, ProxyTls tls) {
        return start(upstream, port, tls, qdrant.restPort(), config.restPort());
    }

    /**
     * Starts a proxy as {@link #start(QdrantSettings, int)} does, with its REST front on {@code restPort} (0: a free
     * one) forwarding to the upstream host's REST port {@code upstreamRestPort}.
     */
    public Running start(QdrantSettings upstream, int port, int upstreamRestPort, int restPort) {
        return start(upstream, port, ProxyTls.of(config.tls()), upstreamRestPort, restPort);
    }

    private Running start(QdrantSettings upstream, int port, ProxyTls tls, int upstreamRestPort, int restPort) {
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
        RestFront rest;
        try {
            rest = startRest(upstream, upstreamRestPort, restPort, tls);
        } catch (RuntimeException e) {
            server.shutdownNow();
            channel.shutdownNow();
            gate.stop();
            throw e;
        }
        LOGGER.infof("proxy listening on port %s and REST port %s (%s), forwarding to Qdrant at %s and REST port %s "
                + "(tls=%s)", server.getPort(), rest.server().actualPort(), tls.describe(), upstream.endpoint(),
                upstreamRestPort, upstream.tls());
        return new Running(server, channel, gate, rest);
    }

    private RestFront startRest(QdrantSettings upstream, int upstreamRestPort, int restPort, ProxyTls tls) {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(upstream.host())
                .setDefaultPort(upstreamRestPort).setSsl(upstream.tls()).setKeepAlive(true).setMaxPoolSize(64)
                .setConnectTimeout((int) upstream.timeout().toMillis()));
        long maxBytes = config.maxMessageMegabytes() * 1024L * 1024L;
        RestForwarder forwarder = new RestForwarder(vertx, client, runs, publisher, gate, maxBytes,
                upstream.timeout().toMillis(), metrics);
        try {
            HttpServer server = vertx.createHttpServer(tls.secure(new HttpServerOptions()
                            .setMaxInitialLineLength(64 * 1024).setMaxHeaderSize(64 * 1024)))
                    .requestHandler(forwarder).listen(restPort).toCompletionStage().toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            return new RestFront(server, client);
        } catch (ExecutionException | TimeoutException e) {
            client.close();
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new UncheckedIOException("cannot listen on REST port " + restPort + ": " + cause.getMessage(),
                    new IOException(cause));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.close();
            throw new IllegalStateException("interrupted while starting the REST front", e);
        }
    }

    /** The REST front's server and its client to Qdrant. */
    private record RestFront(HttpServer server, HttpClient client) {

        void close() {
            try {
                server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOGGER.warnf("REST front did not close cleanly: %s", e.getMessage());
            } finally {
                client.close();
            }
        }
    }

    /** A started proxy; closing it stops taking calls and lets the calls in flight finish for a few seconds. */
    public static final class Running implements AutoCloseable {

        private final Server server;
        private final ManagedChannel channel;
        private final HoldGate gate;
        private final RestFront rest;

        Running(Server server, ManagedChannel channel, HoldGate gate, RestFront rest) {
            this.server = server;
            this.channel = channel;
            this.gate = gate;
            this.rest = rest;
        }

        /** The gRPC port it listens on. */
        public int port() {
            return server.getPort();
        }

        /** The REST port it listens on. */
        public int restPort() {
            return rest.server().actualPort();
        }

        @Override
        public void close() {
            rest.close();
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

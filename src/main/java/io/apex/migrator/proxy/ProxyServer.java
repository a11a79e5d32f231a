package io.apex.migrator.proxy;

import io.apex.migrator.qdrant.QdrantChannels;
import io.apex.migrator.qdrant.QdrantConfig;
import io.apex.migrator.qdrant.QdrantSettings;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import org.jboss.logging.Logger;

/**
 * The capture proxy: a gRPC server that speaks Qdrant's API by forwarding every call, as bytes, to the upstream
 * Qdrant ({@link ForwardingRegistry}), capturing the writes to collections under migration on the way
 * ({@link ForwardingHandler}); and a REST front (its own Vert.x HTTP server, not Quarkus's) that does the same for
 * Qdrant's REST API ({@link RestForwarder}). Stateless: replicas behind one address share nothing but the run store and Kafka.
 */
@ApplicationScoped
public class ProxyServer {

    private static final Logger LOGGER = Logger.getLogger(ProxyServer.class);

    private final ActiveRuns runs;
    private final CapturePublisher publisher;
    private final ProxyConfig config;
    private final QdrantConfig qdrant;
    private final Vertx vertx;

    @Inject
    public ProxyServer(ActiveRuns runs, CapturePublisher publisher, ProxyConfig config, QdrantConfig qdrant,
            Vertx vertx) {
        this.runs = runs;
        this.publisher = publisher;
        this.config = config;
        this.qdrant = qdrant;
        this.vertx = vertx;
    }

    /**
     * Starts a proxy in front of {@code upstream} on gRPC {@code port}, with its REST front on
     * {@code apex.proxy.rest-port} forwarding to the upstream host's {@code apex.qdrant.rest-port}.
     */
    public Running start(QdrantSettings upstream, int port) {
        return start(upstream, port, qdrant.restPort(), config.restPort());
    }

    /**
     * Starts a proxy in front of {@code upstream} (its host, port and TLS; its API key is NOT used: each client's
     * own {@code api-key} header is passed on) on gRPC {@code port} and REST {@code restPort} of every interface (0: a
     * free one), in plain text; REST requests go to the upstream host's {@code upstreamRestPort}.
     */
    public Running start(QdrantSettings upstream, int port, int upstreamRestPort, int restPort) {
        ManagedChannel channel = QdrantChannels.open(upstream);
        int maxBytes = config.maxMessageMegabytes() * 1024 * 1024;
        Server server = Grpc.newServerBuilderForPort(port, InsecureServerCredentials.create())
                .fallbackHandlerRegistry(new ForwardingRegistry(new ForwardingHandler(channel, runs, publisher)))
                .maxInboundMessageSize(maxBytes)
                .maxInboundMetadataSize(64 * 1024)
                .build();
        try {
            server.start();
        } catch (IOException e) {
            channel.shutdownNow();
            throw new UncheckedIOException("cannot listen on port " + port + ": " + e.getMessage(), e);
        }
        RestFront rest;
        try {
            rest = startRest(upstream, upstreamRestPort, restPort);
        } catch (RuntimeException e) {
            server.shutdownNow();
            channel.shutdownNow();
            throw e;
        }
        LOGGER.infof("proxy listening on port %s (gRPC) and %s (REST), forwarding to Qdrant at %s and port %s (tls=%s)",
                server.getPort(), rest.server().actualPort(), upstream.endpoint(), upstreamRestPort, upstream.tls());
        return new Running(server, channel, rest);
    }

    private RestFront startRest(QdrantSettings upstream, int upstreamRestPort, int restPort) {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(upstream.host())
                .setDefaultPort(upstreamRestPort).setSsl(upstream.tls()).setKeepAlive(true).setMaxPoolSize(64)
                .setConnectTimeout((int) upstream.timeout().toMillis()));
        long maxBytes = config.maxMessageMegabytes() * 1024L * 1024L;
        RestForwarder forwarder = new RestForwarder(vertx, client, runs, publisher, maxBytes,
                upstream.timeout().toMillis());
        try {
            HttpServer server = vertx.createHttpServer(new HttpServerOptions().setMaxInitialLineLength(64 * 1024)
                            .setMaxHeaderSize(64 * 1024))
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
        private final RestFront rest;

        Running(Server server, ManagedChannel channel, RestFront rest) {
            this.server = server;
            this.channel = channel;
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
            }
        }
    }
}

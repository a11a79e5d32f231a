package io.apex.migrator.qdrant.standin;

import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A test double of Qdrant: an in-memory server speaking Qdrant's real gRPC API (the service base classes
 * generated in the io.qdrant:client jar), so product code talks to it through {@code QdrantClient}
 * unchanged. It keeps gRPC's default 4 MB inbound message limit, as a real server does.
 *
 * <p>{@link #start()} gives a private instance on a free loopback port; {@link #shared()} the one JVM-wide
 * instance that plain tests and {@code @QuarkusTest}s (via {@link QdrantStandInResource}) share.
 */
public final class QdrantStandIn implements AutoCloseable {

    private static final Logger LOGGER = Logger.getLogger(QdrantStandIn.class);
    private static final String SHARED_ENDPOINT = "apex.qdrant.standin.endpoint";
    private static final String SHARED_FAULTS = "apex.qdrant.standin.faults";

    private final Server server;
    private final Catalog catalog;
    private final Faults faults;

    private QdrantStandIn(Server server, Catalog catalog, Faults faults) {
        this.server = server;
        this.catalog = catalog;
        this.faults = faults;
    }

    /** Starts a private instance on a free loopback port. */
    public static QdrantStandIn start() {
        return start(0);
    }

    /** Starts a private instance on {@code port} of the loopback address (0: a free one). */
    public static QdrantStandIn start(int port) {
        return start(port, Optional.empty());
    }

    /**
     * Starts a private instance that, like a Qdrant with {@code service.api_key} set, answers UNAUTHENTICATED
     * to calls without that key ({@code api-key} header or bearer token).
     */
    public static QdrantStandIn startWithApiKey(int port, String apiKey) {
        return start(port, Optional.of(apiKey));
    }

    private static QdrantStandIn start(int port, Optional<String> apiKey) {
        Catalog catalog = new Catalog();
        Faults faults = new Faults(Faults.newState());
        List<ServerInterceptor> interceptors = new ArrayList<>();
        // intercept() runs the last interceptor first: authentication before fault injection, as on a server
        // whose proxy or auth layer answers before the overloaded storage would.
        interceptors.add(new FaultInterceptor(faults));
        apiKey.ifPresent(key -> interceptors.add(new ApiKeyInterceptor(key)));
        Server server = NettyServerBuilder
                .forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                // gRPC's default inbound limit (4 MB) stays as it is: an oversized batch must fail here too.
                .addService(ServerInterceptors.intercept(new CollectionsService(catalog), interceptors))
                .addService(ServerInterceptors.intercept(new PointsService(catalog, faults), interceptors))
                .addService(ServerInterceptors.intercept(new HealthService(), interceptors))
                .build();
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Qdrant stand-in could not listen on port " + port, e);
        }
        LOGGER.infof("Qdrant stand-in (test double) listening on %s:%d%s", loopbackHost(), server.getPort(),
                apiKey.isPresent() ? " (API key required)" : "");
        return new QdrantStandIn(server, catalog, faults);
    }

    /**
     * The JVM-wide instance, started on first use and stopped when the JVM exits. Its endpoint and fault
     * state live in system properties (JDK types only), so every class loader reaches the same server.
     */
    public static Shared shared() {
        synchronized (SHARED_ENDPOINT.intern()) {
            String endpoint = System.getProperty(SHARED_ENDPOINT);
            if (endpoint == null) {
                QdrantStandIn standIn = start();
                Runtime.getRuntime().addShutdownHook(new Thread(standIn::close));
                System.getProperties().put(SHARED_FAULTS, standIn.faults.state());
                endpoint = standIn.host() + ":" + standIn.port();
                System.setProperty(SHARED_ENDPOINT, endpoint);
            }
            @SuppressWarnings("unchecked")
            ConcurrentMap<String, Object> state = (ConcurrentMap<String, Object>) System.getProperties()
                    .get(SHARED_FAULTS);
            int colon = endpoint.lastIndexOf(':');
            return new Shared(endpoint.substring(0, colon), Integer.parseInt(endpoint.substring(colon + 1)),
                    new Faults(state));
        }
    }

    /** The JVM-wide instance as any class loader sees it: where it listens and its fault controls. */
    public record Shared(String host, int port, Faults faults) {
    }

    public String host() {
        return loopbackHost();
    }

    public int port() {
        return server.getPort();
    }

    public Faults faults() {
        return faults;
    }

    /** Loads synthetic points straight into a collection (no gRPC): for the benchmark and the local demo. */
    public void seed(String collection, SyntheticPoints points) {
        points.loadInto(catalog, collection);
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String loopbackHost() {
        return InetAddress.getLoopbackAddress().getHostAddress();
    }
}

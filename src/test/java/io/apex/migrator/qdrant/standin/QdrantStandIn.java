package io.apex.migrator.qdrant.standin;

import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.DynamicMBean;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.ObjectName;
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
    private static final String SHARED_ENDPOINT = "apex-qdrant-standin.endpoint";
    private static final String SHARED_REST_PORT = "apex-qdrant-standin.rest-port";
    private static final String MBEAN_NAME = "io.apex.migrator.test:type=QdrantStandInFaults";

    private final Server server;
    private final RestFront rest;
    private final Catalog catalog;
    private final Faults faults;
    private final RequestConsistency consistency;

    private QdrantStandIn(Server server, RestFront rest, Catalog catalog, Faults faults,
            RequestConsistency consistency) {
        this.server = server;
        this.rest = rest;
        this.catalog = catalog;
        this.faults = faults;
        this.consistency = consistency;
    }

    /** Starts a private instance on a free loopback port. */
    public static QdrantStandIn start() {
        return start(0);
    }

    /** Starts a private instance on {@code port} of the loopback address (0: a free one). */
    public static QdrantStandIn start(int port) {
        return start(port, Optional.empty(), false);
    }

    /**
     * Starts a private instance that, like a Qdrant with {@code service.api_key} set, answers UNAUTHENTICATED
     * to calls without that key ({@code api-key} header or bearer token).
     */
    public static QdrantStandIn startWithApiKey(int port, String apiKey) {
        return start(port, Optional.of(apiKey), false);
    }

    /**
     * Starts an instance on {@code port}, with an API key if given; with {@code gcOnDelete} a deleted collection's
     * heap is collected before the delete answers (a full GC), as Qdrant frees a deleted collection's memory at once.
     * The benchmark uses it so that a target deleted after one measured phase is not collected inside the next.
     */
    public static QdrantStandIn start(int port, Optional<String> apiKey, boolean gcOnDelete) {
        return start(port, 0, apiKey, gcOnDelete);
    }

    /**
     * As {@link #start(int, Optional, boolean)}, with the REST front (Qdrant's REST API over the same collections) on
     * {@code restPort} of the loopback address (0: a free one).
     */
    public static QdrantStandIn start(int port, int restPort, Optional<String> apiKey, boolean gcOnDelete) {
        Catalog catalog = new Catalog();
        Faults faults = new Faults(Faults.newState());
        catalog.onAliasRequest(faults::recordAliasRequest);
        List<ServerInterceptor> interceptors = new ArrayList<>();
        // intercept() runs the last interceptor first: authentication before fault injection, as on a server
        // whose proxy or auth layer answers before the overloaded storage would.
        interceptors.add(new FaultInterceptor(faults));
        RequestConsistency consistency = new RequestConsistency();
        interceptors.add(consistency);
        apiKey.ifPresent(key -> interceptors.add(new ApiKeyInterceptor(key)));
        CollectionsService collections = new CollectionsService(catalog, gcOnDelete ? System::gc : () -> { },
                faults::indexingDelayMillis);
        PointsService points = new PointsService(catalog, faults);
        SnapshotsService snapshots = new SnapshotsService(catalog, faults.state());
        Server server = NettyServerBuilder
                .forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                // gRPC's default inbound limit (4 MB) stays as it is: an oversized batch must fail here too.
                .addService(ServerInterceptors.intercept(collections, interceptors))
                .addService(ServerInterceptors.intercept(points, interceptors))
                .addService(ServerInterceptors.intercept(new HealthService(), interceptors))
                .addService(ServerInterceptors.intercept(snapshots, interceptors))
                .build();
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Qdrant stand-in could not listen on port " + port, e);
        }
        RestFront rest;
        try {
            rest = RestFront.start(restPort, collections, points, apiKey);
        } catch (RuntimeException e) {
            server.shutdownNow();
            throw e;
        }
        LOGGER.infof("Qdrant stand-in (test double) listening on %s:%d (gRPC) and %d (REST)%s", loopbackHost(),
                server.getPort(), rest.port(), apiKey.isPresent() ? " (API key required)" : "");
        return new QdrantStandIn(server, rest, catalog, faults, consistency);
    }

    /**
     * The JVM-wide instance, started on first use and stopped when the JVM exits. Its endpoint lives in a
     * system property (outside the app's {@code apex.qdrant} config prefix) and its fault state in a platform
     * MBean (JDK types only), so every class loader reaches the same server.
     */
    public static Shared shared() {
        synchronized (SHARED_ENDPOINT.intern()) {
            String endpoint = System.getProperty(SHARED_ENDPOINT);
            if (endpoint == null) {
                QdrantStandIn standIn = start();
                Runtime.getRuntime().addShutdownHook(new Thread(standIn::close));
                registerState(standIn.faults.state());
                endpoint = standIn.host() + ":" + standIn.port();
                System.setProperty(SHARED_REST_PORT, Integer.toString(standIn.restPort()));
                System.setProperty(SHARED_ENDPOINT, endpoint);
            }
            @SuppressWarnings("unchecked")
            ConcurrentMap<String, Object> state = (ConcurrentMap<String, Object>) lookupState();
            int colon = endpoint.lastIndexOf(':');
            return new Shared(endpoint.substring(0, colon), Integer.parseInt(endpoint.substring(colon + 1)),
                    Integer.parseInt(System.getProperty(SHARED_REST_PORT)), new Faults(state));
        }
    }

    /**
     * System properties must hold strings only (Narayana copies them at Quarkus start and fails on anything
     * else), so the fault state object is published as an attribute of a platform MBean: JVM-wide, and read
     * through JDK types from any class loader.
     */
    private static void registerState(Object state) {
        try {
            ManagementFactory.getPlatformMBeanServer().registerMBean(new DynamicMBean() {
                @Override
                public Object getAttribute(String attribute) {
                    return state;
                }

                @Override
                public void setAttribute(Attribute attribute) {
                }

                @Override
                public AttributeList getAttributes(String[] attributes) {
                    return new AttributeList();
                }

                @Override
                public AttributeList setAttributes(AttributeList attributes) {
                    return attributes;
                }

                @Override
                public Object invoke(String actionName, Object[] params, String[] signature) {
                    return null;
                }

                @Override
                public MBeanInfo getMBeanInfo() {
                    return new MBeanInfo(QdrantStandIn.class.getName(), "Qdrant stand-in faults",
                            new MBeanAttributeInfo[] {new MBeanAttributeInfo(
                                    "State", Object.class.getName(), "fault state", true, false, false)},
                            null, null, null);
                }
            }, new ObjectName(MBEAN_NAME));
        } catch (JMException e) {
            throw new IllegalStateException("cannot publish the stand-in's fault state", e);
        }
    }

    private static Object lookupState() {
        try {
            return ManagementFactory.getPlatformMBeanServer()
                    .getAttribute(new ObjectName(MBEAN_NAME), "State");
        } catch (JMException e) {
            throw new IllegalStateException("cannot read the stand-in's fault state", e);
        }
    }

    /** The JVM-wide instance as any class loader sees it: where it listens (gRPC, REST) and its fault controls. */
    public record Shared(String host, int port, int restPort, Faults faults) {

        /** As {@link QdrantStandIn#snapshotFiles(String)}, for the shared instance. */
        public List<String> snapshotFiles(String collection) {
            return SnapshotsService.names(faults.state(), collection);
        }
    }

    public String host() {
        return loopbackHost();
    }

    public int port() {
        return server.getPort();
    }

    /** The REST front's port. */
    public int restPort() {
        return rest.port();
    }

    public Faults faults() {
        return faults;
    }

    /** Every successful UpdateAliases request so far, as the set of aliases each named (oldest first). */
    public List<Set<String>> aliasRequests() {
        return faults.aliasRequests();
    }

    /**
     * What the last request of each point method (full gRPC name, e.g. {@code qdrant.Points/Scroll}) asked of the
     * replicas: its read consistency or write ordering as sent, or that it sent none.
     */
    public Map<String, String> requestConsistency() {
        return consistency.seen();
    }

    /**
     * How many successful UpdateAliases requests named {@code alias}, and how many of them moved it to another
     * collection: an alias switched once by a run shows one move however often its cutover was retried.
     */
    public AliasUpdates aliasUpdates(String alias) {
        return catalog.aliasUpdates(alias);
    }

    /**
     * The snapshot files kept for {@code collection} in the snapshots directory (names, oldest first): there even
     * after the collection was deleted, when Qdrant's List no longer answers for it.
     */
    public List<String> snapshotFiles(String collection) {
        return SnapshotsService.names(faults.state(), collection);
    }

    /** Loads synthetic points straight into a collection (no gRPC): for the benchmark and the local demo. */
    public void seed(String collection, SyntheticPoints points) {
        points.loadInto(catalog, collection);
    }

    @Override
    public void close() {
        rest.close();
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

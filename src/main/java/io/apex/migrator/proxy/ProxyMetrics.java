package io.apex.migrator.proxy;

import io.grpc.ClientInterceptor;
import io.grpc.ServerInterceptor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The capture proxy's Micrometer meters (Prometheus names in README, "Live migration"), for its gRPC and its REST
 * port alike (tag {@code api}: {@code grpc} or {@code rest}): calls by service, method and status code (gRPC code, or
 * HTTP status), request and answer bytes, calls in flight, the latency the proxy adds to a call beyond its upstream
 * round trip, captured writes and capture failures by source collection, and writes refused.
 *
 * <p>Tags have few values: the method is one of Qdrant's ({@link GrpcMethodTags}, {@link RestEndpointTags}; anything
 * else a client sends is tagged {@code other}), a collection is one under migration. Never a run id, a point id or a
 * header value.
 */
@ApplicationScoped
public class ProxyMetrics {

    private final MeterRegistry registry;
    private final AtomicInteger grpcInFlight = new AtomicInteger();
    private final AtomicInteger restInFlight = new AtomicInteger();
    private final CallMetricsInterceptor interceptor = new CallMetricsInterceptor(this);

    @Inject
    public ProxyMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("apex.proxy.calls.inflight", grpcInFlight, AtomicInteger::get).tags("api", CallTags.GRPC)
                .description("Calls the proxy is relaying now").register(registry);
        Gauge.builder("apex.proxy.calls.inflight", restInFlight, AtomicInteger::get).tags("api", CallTags.REST)
                .description("Calls the proxy is relaying now").register(registry);
    }

    /** Counts calls, bytes and latency of every call through the server it is installed on. */
    ServerInterceptor serverInterceptor() {
        return interceptor;
    }

    /** Times the upstream leg of each call; install it on the channel to Qdrant of the same server. */
    ClientInterceptor upstreamInterceptor() {
        return interceptor;
    }

    /** A REST call arrived: measure it until its answer is sent ({@link RestCallStats#finish}). */
    RestCallStats restCallStarted(String httpMethod, String path) {
        restInFlight.incrementAndGet();
        return new RestCallStats(this, RestEndpointTags.of(httpMethod, path));
    }

    void callStarted() {
        grpcInFlight.incrementAndGet();
    }

    /**
     * One finished call: its status code, whether the proxy refused it as a write it could not make sure to capture
     * (never forwarded), its bytes both ways, its time in the proxy and the upstream round trip inside it (negative:
     * none to count, e.g. a write refused before it went out).
     */
    void callFinished(CallTags tags, String code, boolean refused, long requestBytes, long responseBytes,
            long totalNanos, long upstreamNanos) {
        (tags.api().equals(CallTags.REST) ? restInFlight : grpcInFlight).decrementAndGet();
        String api = tags.api();
        if (refused) {
            // the proxy answered the write itself: it could not make sure of its capture (run store unreadable,
            // cutover hold not admitted), so Qdrant never saw it
            Counter.builder("apex.proxy.writes.refused")
                    .description("Writes the proxy refused without forwarding them (gRPC UNAVAILABLE, HTTP 503)")
                    .tags("api", api, "method", tags.method()).register(registry).increment();
        }
        Counter.builder("apex.proxy.calls")
                .description("Calls relayed by the proxy, by API, service, method (REST: endpoint) and status code")
                .tags("api", api, "service", tags.service(), "method", tags.method(), "code", code)
                .register(registry).increment();
        Counter.builder("apex.proxy.request.bytes").description("Request message bytes received from clients")
                .baseUnit("bytes").tags("api", api, "service", tags.service(), "method", tags.method())
                .register(registry).increment(requestBytes);
        Counter.builder("apex.proxy.response.bytes").description("Answer message bytes sent to clients")
                .baseUnit("bytes").tags("api", api, "service", tags.service(), "method", tags.method())
                .register(registry).increment(responseBytes);
        if (upstreamNanos >= 0) {
            String kind = tags.write() ? "write" : "other";
            Timer.builder("apex.proxy.upstream.duration").description("Round trip of a call's upstream leg to Qdrant")
                    .tags("api", api, "kind", kind).publishPercentiles(0.5, 0.99).publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofNanos(50_000)).maximumExpectedValue(Duration.ofSeconds(30))
                    .register(registry).record(upstreamNanos, TimeUnit.NANOSECONDS);
            Timer.builder("apex.proxy.added.latency")
                    .description("Time a call spent in the proxy beyond its upstream round trip (relay, run lookup, "
                            + "capture acknowledgement)")
                    .tags("api", api, "kind", kind).publishPercentiles(0.5, 0.95, 0.99).publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofNanos(10_000)).maximumExpectedValue(Duration.ofSeconds(10))
                    .register(registry).record(Math.max(0, totalNanos - upstreamNanos), TimeUnit.NANOSECONDS);
        }
    }

    /**
     * A write to a collection under migration whose capture Kafka acknowledged after {@code nanos}; {@code method} is
     * the captured method (a REST write's starts with {@code REST}).
     */
    void captured(String collection, String method, long nanos) {
        Counter.builder("apex.proxy.captured.writes")
                .description("Writes to collections under migration captured to the capture topic")
                .tags("api", api(method), "collection", collection).register(registry).increment();
        Timer.builder("apex.proxy.capture.duration").description("Wait for Kafka's acknowledgement of a capture")
                .publishPercentiles(0.5, 0.99).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(100_000)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A write Qdrant applied whose capture Kafka did not acknowledge (the client got UNAVAILABLE). */
    void captureFailed(String collection, String method) {
        Counter.builder("apex.proxy.capture.failures")
                .description("Writes applied to the source whose capture was not acknowledged (client got "
                        + "UNAVAILABLE or 503)")
                .tags("api", api(method), "collection", collection).register(registry).increment();
    }

    private static String api(String capturedMethod) {
        return capturedMethod.startsWith(RestCaptureMethods.PREFIX) ? CallTags.REST : CallTags.GRPC;
    }

    /** The size of a message relayed as bytes (0 for anything else). */
    static long size(Object message) {
        return message instanceof byte[] bytes ? bytes.length : 0;
    }
}

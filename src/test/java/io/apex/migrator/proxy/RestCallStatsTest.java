package io.apex.migrator.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** What the proxy's meters see of a REST call, without a network: the relay's marks on one call. */
class RestCallStatsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ProxyMetrics metrics = new ProxyMetrics(registry);

    @Test
    void aForwardedCallIsCountedByEndpointAndStatusWithItsBytesItsUpstreamLegAndTheLatencyAdded() {
        // given
        RestCallStats call = metrics.restCallStarted("PUT", "/collections/docs/points");
        assertThat(registry.get("apex.proxy.calls.inflight").tag("api", "rest").gauge().value()).isEqualTo(1);

        // when
        call.requestRead(120);
        call.upstreamSent();
        call.upstreamEnded();
        call.finish("200", 45);
        call.finish(RestCallStats.CLOSED, 45);

        // then: once, tagged as REST; the gRPC meters untouched
        assertThat(registry.get("apex.proxy.calls").tags("api", "rest", "service", "points", "method",
                "PUT /collections/{name}/points", "code", "200").counter().count()).isEqualTo(1);
        assertThat(registry.find("apex.proxy.calls").tag("code", RestCallStats.CLOSED).counter()).isNull();
        assertThat(registry.get("apex.proxy.request.bytes").tag("api", "rest").counter().count()).isEqualTo(120);
        assertThat(registry.get("apex.proxy.response.bytes").tag("api", "rest").counter().count()).isEqualTo(45);
        assertThat(registry.get("apex.proxy.upstream.duration").tags("api", "rest", "kind", "write").timer().count())
                .isEqualTo(1);
        assertThat(registry.get("apex.proxy.added.latency").tags("api", "rest", "kind", "write").timer().count())
                .isEqualTo(1);
        assertThat(registry.find("apex.proxy.writes.refused").counter()).isNull();
        assertThat(registry.find("apex.proxy.calls").tag("api", "grpc").counter()).isNull();
        assertThat(registry.get("apex.proxy.calls.inflight").tag("api", "rest").gauge().value()).isZero();
    }

    @Test
    void aWriteRefusedWithoutGoingUpstreamIsCountedAsRefusedAndAddsNoLatencySample() {
        // given
        RestCallStats call = metrics.restCallStarted("POST", "/collections/docs/points/delete");

        // when: the run store could not be read, the proxy answered 503 itself
        call.requestRead(30);
        call.refused();
        call.finish("503", 80);

        // then
        assertThat(registry.get("apex.proxy.writes.refused").tags("api", "rest", "method",
                "POST /collections/{name}/points/delete").counter().count()).isEqualTo(1);
        assertThat(registry.get("apex.proxy.calls").tags("api", "rest", "code", "503").counter().count()).isEqualTo(1);
        assertThat(registry.find("apex.proxy.added.latency").timer()).isNull();
    }

    @Test
    void aClientThatWentAwayBeforeItsAnswerIsCountedAsClosed() {
        // given: a search whose answer was still streaming
        RestCallStats call = metrics.restCallStarted("POST", "/collections/docs/points/query");
        call.upstreamSent();

        // when
        call.finish(RestCallStats.CLOSED, 10);

        // then: counted, no upstream leg to time
        assertThat(registry.get("apex.proxy.calls").tags("api", "rest", "method",
                "POST /collections/{name}/points/query", "code", "closed").counter().count()).isEqualTo(1);
        assertThat(registry.find("apex.proxy.upstream.duration").timer()).isNull();
        assertThat(registry.get("apex.proxy.calls.inflight").tag("api", "rest").gauge().value()).isZero();
    }
}

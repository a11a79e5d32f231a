package io.apex.migrator.proxy;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What one REST call through the proxy measured, for {@link ProxyMetrics}: the time from its arrival (headers read) to
 * its answer's last byte, and inside it the upstream leg, from the request sent to Qdrant to Qdrant's answer fully
 * received. Added latency = time in the proxy − upstream leg, as for gRPC ({@link CallMetricsInterceptor}). Written on
 * the REST front's event loop.
 */
final class RestCallStats {

    /** The code of a call whose client went away before its answer was sent. */
    static final String CLOSED = "closed";

    private final ProxyMetrics metrics;
    private final RestEndpointTags tags;
    private final long startedAt = System.nanoTime();
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile long requestBytes;
    private volatile long upstreamStart;
    private volatile long upstreamEnd;
    private volatile boolean refused;

    RestCallStats(ProxyMetrics metrics, RestEndpointTags tags) {
        this.metrics = metrics;
        this.tags = tags;
    }

    void requestRead(long bytes) {
        requestBytes = bytes;
    }

    /** The request goes to Qdrant now (the first time counts: a write re-addressed after a hold goes once). */
    void upstreamSent() {
        if (upstreamStart == 0) {
            upstreamStart = System.nanoTime();
        }
    }

    /** Qdrant's answer was fully received. */
    void upstreamEnded() {
        if (upstreamEnd == 0) {
            upstreamEnd = System.nanoTime();
        }
    }

    /** The proxy answered this write itself (503), not forwarded: it could not make sure of its capture. */
    void refused() {
        refused = true;
    }

    /** The answer was sent ({@code code}: its HTTP status, or {@link #CLOSED}); only the first call counts. */
    void finish(String code, long responseBytes) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        long end = System.nanoTime();
        long upstream = upstreamStart != 0 && upstreamEnd != 0 ? upstreamEnd - upstreamStart : -1;
        metrics.callFinished(tags, code, refused && tags.write() && upstreamStart == 0, requestBytes,
                responseBytes, end - startedAt, upstream);
    }

    /**
     * Qdrant's answer as relayed to the client, its end marking the upstream leg's: the relay ends the client's answer
     * from the answer's end handler, so the upstream end must be taken before that handler runs.
     */
    ReadStream<Buffer> timingEnd(ReadStream<Buffer> answer) {
        return new ReadStream<>() {
            @Override
            public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
                answer.exceptionHandler(handler);
                return this;
            }

            @Override
            public ReadStream<Buffer> handler(Handler<Buffer> handler) {
                answer.handler(handler);
                return this;
            }

            @Override
            public ReadStream<Buffer> pause() {
                answer.pause();
                return this;
            }

            @Override
            public ReadStream<Buffer> resume() {
                answer.resume();
                return this;
            }

            @Override
            public ReadStream<Buffer> fetch(long amount) {
                answer.fetch(amount);
                return this;
            }

            @Override
            public ReadStream<Buffer> endHandler(Handler<Void> handler) {
                answer.endHandler(handler == null ? null : v -> {
                    upstreamEnded();
                    handler.handle(v);
                });
                return this;
            }
        };
    }
}

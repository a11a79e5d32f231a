package io.apex.migrator.proxy;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures each call through the proxy for {@link ProxyMetrics}, without touching the relay: on the server side it
 * counts the bytes both ways, the status and the time from the call's start to its close; on the upstream channel it
 * times the upstream leg, from the first request message (or half-close) sent to Qdrant to Qdrant's close. The two
 * sides meet through the gRPC {@link Context}: the relay creates its upstream call inside the server call's context.
 *
 * <p>Added latency = time in the proxy − upstream leg: what the relay, the run lookup and the wait for a capture's
 * acknowledgement cost the client. A call whose upstream leg never went out (a refused write) has none.
 */
final class CallMetricsInterceptor implements ServerInterceptor, ClientInterceptor {

    private static final Context.Key<CallStats> STATS = Context.key("apex-proxy-call-stats");

    private final ProxyMetrics metrics;

    CallMetricsInterceptor(ProxyMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        CallStats stats = new CallStats(call.getMethodDescriptor().getFullMethodName());
        metrics.callStarted();
        ServerCall<Q, R> counted = new SimpleForwardingServerCall<>(call) {
            @Override
            public void sendMessage(R message) {
                stats.responseBytes.addAndGet(ProxyMetrics.size(message));
                super.sendMessage(message);
            }

            @Override
            public void close(Status status, Metadata trailers) {
                stats.closed(status);
                super.close(status, trailers);
            }
        };
        ServerCall.Listener<Q> listener;
        try {
            listener = Contexts.interceptCall(Context.current().withValue(STATS, stats), counted, headers, next);
        } catch (RuntimeException e) {
            stats.closed(Status.fromThrowable(e));
            finish(stats);
            throw e;
        }
        return new SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onMessage(Q message) {
                stats.requestBytes.addAndGet(ProxyMetrics.size(message));
                super.onMessage(message);
            }

            @Override
            public void onComplete() {
                try {
                    super.onComplete();
                } finally {
                    finish(stats);
                }
            }

            @Override
            public void onCancel() {
                try {
                    super.onCancel();
                } finally {
                    stats.closed(Status.CANCELLED);
                    finish(stats);
                }
            }
        };
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        CallStats stats = STATS.get();
        ClientCall<Q, R> call = next.newCall(method, options);
        if (stats == null) {
            return call;
        }
        return new SimpleForwardingClientCall<>(call) {
            @Override
            public void start(Listener<R> listener, Metadata headers) {
                super.start(new SimpleForwardingClientCallListener<>(listener) {
                    @Override
                    public void onClose(Status status, Metadata trailers) {
                        // before the relay sees it: it may close the client's call right away
                        stats.upstreamClosed();
                        super.onClose(status, trailers);
                    }
                }, headers);
            }

            @Override
            public void sendMessage(Q message) {
                stats.upstreamSent();
                super.sendMessage(message);
            }

            @Override
            public void halfClose() {
                stats.upstreamSent();
                super.halfClose();
            }
        };
    }

    private void finish(CallStats stats) {
        if (stats.finished.compareAndSet(false, true)) {
            long upstreamStart = stats.upstreamStart.get();
            long upstreamEnd = stats.upstreamEnd;
            long end = stats.closedAt;
            // the upstream leg counts only when it went out and ended before the client's answer (not cancelled after)
            long upstream = upstreamStart != 0 && upstreamEnd != 0 && upstreamEnd <= end
                    ? upstreamEnd - upstreamStart : -1;
            GrpcMethodTags tags = GrpcMethodTags.of(stats.method);
            boolean refused = tags.write() && upstreamStart == 0 && stats.code == Status.Code.UNAVAILABLE;
            metrics.callFinished(tags, stats.code.name(), refused, stats.requestBytes.get(),
                    stats.responseBytes.get(), end - stats.startedAt, upstream);
        }
    }

    /** What one call measured; written by the transport's and the upstream's threads. */
    private static final class CallStats {

        final String method;
        final long startedAt = System.nanoTime();
        final AtomicLong requestBytes = new AtomicLong();
        final AtomicLong responseBytes = new AtomicLong();
        final AtomicLong upstreamStart = new AtomicLong();
        final AtomicBoolean finished = new AtomicBoolean();
        volatile long upstreamEnd;
        volatile long closedAt;
        volatile Status.Code code;

        CallStats(String method) {
            this.method = method;
        }

        void upstreamSent() {
            upstreamStart.compareAndSet(0, System.nanoTime());
        }

        void upstreamClosed() {
            if (upstreamEnd == 0) {
                upstreamEnd = System.nanoTime();
            }
        }

        /** The first close wins: the status the client was sent. */
        synchronized void closed(Status status) {
            if (code == null) {
                code = status.getCode();
                closedAt = System.nanoTime();
            }
        }
    }
}

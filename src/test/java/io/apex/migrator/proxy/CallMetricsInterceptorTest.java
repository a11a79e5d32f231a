package io.apex.migrator.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.apex.migrator.qdrant.RawBytes;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** What the proxy's meters see of a call, without a network: a relay stand-in between a fake client and upstream. */
class CallMetricsInterceptorTest {

    private static final String UPSERT = "qdrant.Points/Upsert";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ProxyMetrics metrics = new ProxyMetrics(registry);

    @Test
    void aForwardedCallIsCountedWithItsBytesItsUpstreamLegAndTheLatencyAdded() {
        // given: a relay that sends the request upstream and passes the answer back
        Channel upstream = ClientInterceptors.intercept(new AnsweringChannel(new byte[7]), metrics.upstreamInterceptor());
        FakeServerCall call = new FakeServerCall(UPSERT);
        ServerCall.Listener<byte[]> listener = metrics.serverInterceptor().interceptCall(call, new Metadata(),
                relayTo(upstream));

        // when
        listener.onMessage(new byte[100]);
        listener.onHalfClose();
        listener.onComplete();

        // then
        assertThat(call.closed).isEqualTo(Status.Code.OK);
        assertThat(registry.get("apex.proxy.calls")
                .tags("api", "grpc", "service", "qdrant.Points", "method", "Upsert", "code", "OK")
                .counter().count()).isEqualTo(1);
        assertThat(registry.get("apex.proxy.request.bytes").tag("method", "Upsert").counter().count()).isEqualTo(100);
        assertThat(registry.get("apex.proxy.response.bytes").tag("method", "Upsert").counter().count()).isEqualTo(7);
        assertThat(registry.get("apex.proxy.upstream.duration").tag("kind", "write").timer().count()).isEqualTo(1);
        assertThat(registry.get("apex.proxy.added.latency").tag("kind", "write").timer().count()).isEqualTo(1);
        assertThat(registry.find("apex.proxy.writes.refused").counter()).isNull();
        assertThat(registry.get("apex.proxy.calls.inflight").tag("api", "grpc").gauge().value()).isZero();
    }

    @Test
    void aWriteAnsweredUnavailableWithoutGoingUpstreamIsRefusedAndAddsNoLatencySample() {
        // given: a relay that refuses the write (as when the run store cannot be read)
        FakeServerCall call = new FakeServerCall(UPSERT);
        ServerCallHandler<byte[], byte[]> refusing = (c, headers) -> new ServerCall.Listener<byte[]>() {
            @Override
            public void onMessage(byte[] message) {
                c.close(Status.UNAVAILABLE.withDescription("run store down"), new Metadata());
            }
        };
        ServerCall.Listener<byte[]> listener = metrics.serverInterceptor().interceptCall(call, new Metadata(),
                refusing);

        // when
        listener.onMessage(new byte[10]);
        listener.onComplete();

        // then
        assertThat(registry.get("apex.proxy.writes.refused").tag("method", "Upsert").counter().count()).isEqualTo(1);
        assertThat(registry.get("apex.proxy.calls").tag("code", "UNAVAILABLE").counter().count()).isEqualTo(1);
        assertThat(registry.find("apex.proxy.added.latency").timer()).isNull();
        assertThat(registry.get("apex.proxy.calls.inflight").tag("api", "grpc").gauge().value()).isZero();
    }

    @Test
    void aCallTheClientCancelsIsCountedOnceAsCancelled() {
        // given
        FakeServerCall call = new FakeServerCall("qdrant.Points/Search");
        ServerCall.Listener<byte[]> listener = metrics.serverInterceptor().interceptCall(call, new Metadata(),
                (c, headers) -> new ServerCall.Listener<byte[]>() {
                });

        // when
        listener.onCancel();
        listener.onCancel();

        // then
        assertThat(registry.get("apex.proxy.calls").tags("method", "Search", "code", "CANCELLED").counter().count())
                .isEqualTo(1);
        assertThat(registry.find("apex.proxy.writes.refused").counter()).isNull();
        assertThat(registry.get("apex.proxy.calls.inflight").tag("api", "grpc").gauge().value()).isZero();
    }

    /** Like the relay: the upstream call is made in startCall (in the call's context), the answer passed back. */
    private static ServerCallHandler<byte[], byte[]> relayTo(Channel upstream) {
        return (serverCall, headers) -> {
            ClientCall<byte[], byte[]> clientCall = upstream.newCall(serverCall.getMethodDescriptor(),
                    CallOptions.DEFAULT);
            clientCall.start(new ClientCall.Listener<>() {
                @Override
                public void onMessage(byte[] message) {
                    serverCall.sendMessage(message);
                }

                @Override
                public void onClose(Status status, Metadata trailers) {
                    serverCall.close(status, trailers);
                }
            }, headers);
            return new ServerCall.Listener<>() {
                @Override
                public void onMessage(byte[] message) {
                    clientCall.sendMessage(message);
                }

                @Override
                public void onHalfClose() {
                    clientCall.halfClose();
                }
            };
        };
    }

    /** An upstream that answers every call with one message and OK once the request is complete. */
    private static final class AnsweringChannel extends Channel {

        private final byte[] answer;

        AnsweringChannel(byte[] answer) {
            this.answer = answer;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
            return new ClientCall<>() {
                private Listener<R> listener;

                @Override
                public void start(Listener<R> responseListener, Metadata headers) {
                    listener = responseListener;
                }

                @Override
                public void request(int numMessages) {
                }

                @Override
                public void cancel(String message, Throwable cause) {
                }

                @Override
                public void halfClose() {
                    listener.onMessage((R) answer);
                    listener.onClose(Status.OK, new Metadata());
                }

                @Override
                public void sendMessage(Q message) {
                }
            };
        }

        @Override
        public String authority() {
            return "upstream";
        }
    }

    /** The client's side of a call as the server sees it. */
    private static final class FakeServerCall extends ServerCall<byte[], byte[]> {

        private final MethodDescriptor<byte[], byte[]> method;
        volatile Status.Code closed;

        FakeServerCall(String fullMethodName) {
            this.method = RawBytes.method(fullMethodName, MethodDescriptor.MethodType.UNKNOWN);
        }

        @Override
        public void request(int numMessages) {
        }

        @Override
        public void sendHeaders(Metadata headers) {
        }

        @Override
        public void sendMessage(byte[] message) {
        }

        @Override
        public void close(Status status, Metadata trailers) {
            closed = status.getCode();
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public MethodDescriptor<byte[], byte[]> getMethodDescriptor() {
            return method;
        }
    }
}

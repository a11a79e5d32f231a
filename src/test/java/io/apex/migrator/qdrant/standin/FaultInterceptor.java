package io.apex.migrator.qdrant.standin;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.qdrant.client.grpc.Points;
import io.qdrant.client.grpc.PointsGrpc;
import java.util.concurrent.TimeUnit;

/** Applies {@link Faults} to every incoming call before a service sees it. */
final class FaultInterceptor implements ServerInterceptor {

    static final Metadata.Key<String> RETRY_AFTER = Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER);

    private final Faults faults;

    FaultInterceptor(Faults faults) {
        this.faults = faults;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        long latency = faults.latencyMillis(method);
        if (latency > 0) {
            // Runs on the server's call executor (a cached pool), so a delayed call holds only its own thread.
            try {
                TimeUnit.MILLISECONDS.sleep(latency);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Status.Code code = faults.decide(method);
        if (code == null) {
            ServerCall.Listener<Q> listener = next.startCall(call, headers);
            if (!method.equals(PointsGrpc.getUpsertMethod().getFullMethodName())) {
                return listener;
            }
            return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
                @Override
                public void onMessage(Q message) {
                    // on the call's executor thread (a cached pool): a parked upsert holds only its own call
                    if (message instanceof Points.UpsertPoints upsert) {
                        faults.parkUpsert(upsert.getCollectionName());
                    }
                    super.onMessage(message);
                }
            };
        }
        Metadata trailers = new Metadata();
        if (code == Status.Code.RESOURCE_EXHAUSTED) {
            trailers.put(RETRY_AFTER, Long.toString(faults.retryAfterSeconds()));
        }
        call.close(Status.fromCode(code).withDescription("Qdrant stand-in: injected fault " + code + " on " + method),
                trailers);
        return new ServerCall.Listener<>() {
        };
    }
}

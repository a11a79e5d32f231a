package io.apex.migrator.qdrant.standin;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.function.BiConsumer;

/**
 * Calls one of the stand-in's gRPC service methods in-process and returns its answer: the REST front translates JSON
 * into the same protobuf requests, so both APIs run the very same operations (and an RPC the gRPC side does not serve
 * answers UNIMPLEMENTED, which REST reports as 501).
 */
final class RestCall {

    private RestCall() {
    }

    static <Q, R> R unary(BiConsumer<Q, StreamObserver<R>> rpc, Q request) {
        Answer<R> answer = new Answer<>();
        rpc.accept(request, answer);
        if (answer.error != null) {
            throw answer.error instanceof StatusRuntimeException e ? e
                    : Status.fromThrowable(answer.error).asRuntimeException();
        }
        if (answer.value == null) {
            throw Status.INTERNAL.withDescription("Service internal error: no answer").asRuntimeException();
        }
        return answer.value;
    }

    /** The stand-in's services answer on the calling thread (see {@link Rpc}). */
    private static final class Answer<R> implements StreamObserver<R> {
        private R value;
        private Throwable error;

        @Override
        public void onNext(R value) {
            this.value = value;
        }

        @Override
        public void onError(Throwable t) {
            this.error = t;
        }

        @Override
        public void onCompleted() {
        }
    }
}

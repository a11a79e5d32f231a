package io.apex.migrator.qdrant.standin;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/** Runs one unary RPC: a Qdrant-style error becomes its status; anything unexpected becomes INTERNAL. */
final class Rpc {

    private static final Logger LOGGER = Logger.getLogger(Rpc.class);

    private Rpc() {
    }

    static <T> void respond(StreamObserver<T> observer, Supplier<T> body) {
        T response;
        try {
            response = body.get();
        } catch (StatusRuntimeException e) {
            observer.onError(e);
            return;
        } catch (RuntimeException e) {
            LOGGER.warnf(e, "Qdrant stand-in: unexpected failure");
            observer.onError(Status.INTERNAL.withDescription("Service internal error: " + e).asRuntimeException());
            return;
        }
        observer.onNext(response);
        observer.onCompleted();
    }

    /** Seconds since {@code startNanos}, as Qdrant reports in each response's {@code time}. */
    static double since(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}

package io.apex.migrator.proxy;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Relays one call to the upstream Qdrant as bytes: request headers (the {@code api-key}) and messages go up, answer
 * headers, messages, status and trailers come back unchanged; the deadline and a client's cancellation reach the
 * upstream call through the gRPC context it is started in. Flow control follows grpc-java's proxy example: a side
 * asks for the next message only when the other side can take it.
 *
 * <p>A write to a collection under migration ({@link CaptureMethods}) is captured: its answer is held until Qdrant
 * closed the call OK AND Kafka acknowledged the capture; only then does the client see the answer. When the capture
 * fails the client gets UNAVAILABLE instead (the write is in the source; it is not acknowledged as if nothing were
 * missed). Such a write first passes the {@link HoldGate}: during a run's cutover hold it waits there, not forwarded.
 */
final class ForwardingHandler implements ServerCallHandler<byte[], byte[]> {

    private static final Logger LOGGER = Logger.getLogger(ForwardingHandler.class);

    private final Channel upstream;
    private final ActiveRuns runs;
    private final CapturePublisher publisher;
    private final HoldGate gate;

    ForwardingHandler(Channel upstream, ActiveRuns runs, CapturePublisher publisher, HoldGate gate) {
        this.upstream = upstream;
        this.runs = runs;
        this.publisher = publisher;
        this.gate = gate;
    }

    @Override
    public ServerCall.Listener<byte[]> startCall(ServerCall<byte[], byte[]> serverCall, Metadata headers) {
        // created in the server call's context: its deadline and cancellation apply to the upstream call
        ClientCall<byte[], byte[]> clientCall = upstream.newCall(serverCall.getMethodDescriptor(), CallOptions.DEFAULT);
        String method = serverCall.getMethodDescriptor().getFullMethodName();
        ResponseRelay response = new ResponseRelay(serverCall, clientCall);
        RequestRelay request = new RequestRelay(serverCall, clientCall, response,
                CaptureMethods.isWrite(method) ? method : null);
        response.request = request;
        clientCall.start(response, headers);
        clientCall.request(1);
        serverCall.request(1);
        return request;
    }

    /** Client → upstream. */
    private final class RequestRelay extends ServerCall.Listener<byte[]> {

        private final ServerCall<byte[], byte[]> serverCall;
        private final ClientCall<byte[], byte[]> clientCall;
        private final ResponseRelay response;
        /** The write method when this call may have to be captured; null for every other call. */
        private final String writeMethod;
        private boolean needToRequest;
        private volatile boolean rejected;
        /** A write waits for the hold gate; its half-close is passed on after it was sent. */
        private boolean admitting;
        private boolean halfClosed;
        private boolean cancelled;

        RequestRelay(ServerCall<byte[], byte[]> serverCall, ClientCall<byte[], byte[]> clientCall,
                ResponseRelay response, String writeMethod) {
            this.serverCall = serverCall;
            this.clientCall = clientCall;
            this.response = response;
            this.writeMethod = writeMethod;
        }

        @Override
        public void onMessage(byte[] message) {
            if (rejected) {
                return;
            }
            if (writeMethod != null) {
                // counted before the check: a new run's copy waits for the writes checked against the older runs
                long token = gate.enterUncaptured();
                Optional<ActiveRuns.ActiveRun> run;
                try {
                    run = CaptureMethods.collection(writeMethod, message).flatMap(runs::forCollection);
                } catch (CaptureException e) {
                    gate.exitUncaptured(token);
                    refuse(e);
                    return;
                }
                if (run.isEmpty()) {
                    response.uncaptured(token);
                } else {
                    gate.exitUncaptured(token);
                    synchronized (this) {
                        admitting = true;
                    }
                    gate.enter(run.get()).whenComplete((admission, failure) -> admitted(run.get(), message,
                            admission, failure));
                    return;
                }
            }
            forward(message);
        }

        /** A write to a collection under migration, admitted by the hold gate (at once, or after a hold). */
        private void admitted(ActiveRuns.ActiveRun run, byte[] message, HoldGate.Admission admission,
                Throwable failure) {
            if (failure != null) {
                Throwable cause = failure instanceof java.util.concurrent.CompletionException c ? c.getCause() : failure;
                refuse(cause instanceof CaptureException e ? e
                        : new CaptureException.RunStoreUnavailable(cause));
                return;
            }
            byte[] toSend = message;
            if (admission instanceof HoldGate.Entered entered) {
                response.captureAs(run, writeMethod, message, entered.exit());
            } else if (admission instanceof HoldGate.Released released) {
                // the cutover completed while the write waited: it goes to the new collection, not captured
                String addressed = CaptureMethods.collection(writeMethod, message).orElse(null);
                if (released.source().equals(addressed)) {
                    toSend = CaptureMethods.readdress(writeMethod, message, released.target());
                }
            }
            synchronized (this) {
                if (cancelled) {
                    response.exitCapture();
                    return;
                }
                forward(toSend);
                admitting = false;
                if (halfClosed) {
                    clientCall.halfClose();
                }
            }
        }

        private void refuse(CaptureException e) {
            // not forwarded: a write that could not be captured must not reach the source unseen
            rejected = true;
            LOGGER.warnf("%s refused: %s", writeMethod, e.getMessage());
            response.reject(Status.UNAVAILABLE.withDescription(e.getMessage()));
            clientCall.cancel("write refused by the proxy", e);
        }

        private void forward(byte[] message) {
            clientCall.sendMessage(message);
            synchronized (this) {
                if (clientCall.isReady()) {
                    serverCall.request(1);
                } else {
                    needToRequest = true;
                }
            }
        }

        @Override
        public synchronized void onHalfClose() {
            if (rejected) {
                return;
            }
            if (admitting) {
                halfClosed = true;
            } else {
                clientCall.halfClose();
            }
        }

        @Override
        public void onCancel() {
            synchronized (this) {
                cancelled = true;
            }
            response.exitCapture();
            clientCall.cancel("the client cancelled the call", null);
        }

        @Override
        public void onReady() {
            response.onServerReady();
        }

        synchronized void onUpstreamReady() {
            if (needToRequest) {
                serverCall.request(1);
                needToRequest = false;
            }
        }
    }

    /** Upstream → client, held back for a captured write until its capture is acknowledged. */
    private final class ResponseRelay extends ClientCall.Listener<byte[]> {

        private final ServerCall<byte[], byte[]> serverCall;
        private final ClientCall<byte[], byte[]> clientCall;
        private RequestRelay request;
        private boolean needToRequest;
        /** Set before the write goes upstream, so visible to the upstream callbacks that follow it. */
        private volatile Capture capture;
        private volatile Runnable uncapturedExit;
        private Metadata heldHeaders;
        private byte[] heldMessage;
        private volatile boolean closed;

        ResponseRelay(ServerCall<byte[], byte[]> serverCall, ClientCall<byte[], byte[]> clientCall) {
            this.serverCall = serverCall;
            this.clientCall = clientCall;
        }

        /** A write to no collection under migration: done for the capture barrier once its answer closed. */
        void uncaptured(long token) {
            AtomicBoolean once = new AtomicBoolean();
            uncapturedExit = () -> {
                if (once.compareAndSet(false, true)) {
                    gate.exitUncaptured(token);
                }
            };
        }

        void captureAs(ActiveRuns.ActiveRun run, String method, byte[] requestBytes, Runnable exit) {
            capture = new Capture(run, method, requestBytes, exit);
        }

        /** The write is no longer in flight for the hold gate (acknowledged, refused, failed or cancelled). */
        void exitCapture() {
            Runnable u = uncapturedExit;
            if (u != null) {
                u.run();
            }
            Capture c = capture;
            if (c != null) {
                c.exit().run();
            }
        }

        void reject(Status status) {
            closed = true;
            serverCall.close(status, new Metadata());
        }

        @Override
        public void onHeaders(Metadata headers) {
            if (capture != null) {
                heldHeaders = headers;
            } else {
                serverCall.sendHeaders(headers);
            }
        }

        @Override
        public void onMessage(byte[] message) {
            if (capture != null) {
                // a write is unary: one answer, held until its capture is acknowledged
                heldMessage = message;
                clientCall.request(1);
                return;
            }
            serverCall.sendMessage(message);
            synchronized (this) {
                if (serverCall.isReady()) {
                    clientCall.request(1);
                } else {
                    needToRequest = true;
                }
            }
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
            Runnable u = uncapturedExit;
            if (u != null) {
                u.run();
            }
            if (closed) {
                return;
            }
            Capture c = capture;
            if (c == null || !status.isOk()) {
                // not captured, or Qdrant refused (nothing applied to capture): the answer as it came
                exitCapture();
                flush(status, trailers);
                return;
            }
            publisher.publish(c.run(), c.method(), c.request()).whenComplete((ok, failure) -> {
                c.exit().run();
                if (failure == null) {
                    flush(status, trailers);
                } else {
                    CaptureException e = new CaptureException.NotCaptured(c.run().id().toString(), c.method(), failure);
                    LOGGER.errorf("run %s: %s", c.run().id(), e.getMessage());
                    serverCall.close(Status.UNAVAILABLE.withDescription(e.getMessage()), new Metadata());
                }
            });
        }

        private void flush(Status status, Metadata trailers) {
            if (heldHeaders != null) {
                serverCall.sendHeaders(heldHeaders);
            }
            if (heldMessage != null) {
                serverCall.sendMessage(heldMessage);
            }
            serverCall.close(status, trailers);
        }

        @Override
        public void onReady() {
            if (request != null) {
                request.onUpstreamReady();
            }
        }

        synchronized void onServerReady() {
            if (needToRequest) {
                clientCall.request(1);
                needToRequest = false;
            }
        }
    }

    /** What a write's capture needs once Qdrant acknowledged it. */
    private record Capture(ActiveRuns.ActiveRun run, String method, byte[] request, Runnable exit) {
    }
}

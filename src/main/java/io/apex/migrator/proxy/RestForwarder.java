package io.apex.migrator.proxy;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The proxy's REST front: relays every HTTP request to Qdrant's REST API unchanged (method, path, query, headers such as
 * {@code api-key}, body) and Qdrant's answer back unchanged (status, headers, body), on Vert.x's event loop.
 *
 * <p>A write ({@link RestCaptureMethods}) to a collection under migration is captured as the gRPC ones are
 * ({@link ForwardingHandler}): forwarded, and once Qdrant answered 2xx its JSON body is published to the capture topic;
 * the client gets Qdrant's answer only after Kafka acknowledged, or 503 when the capture failed. When the run store
 * cannot say whether the collection is under migration, the write is refused with 503 and not forwarded. Such a write
 * first passes the {@link HoldGate}: during its run's cutover hold it waits, not forwarded; released after a completed
 * cutover, it goes to the alias's new collection (its path re-addressed when it named the old one), not captured.
 */
final class RestForwarder implements Handler<HttpServerRequest> {

    private static final Logger LOGGER = Logger.getLogger(RestForwarder.class);
    /** Headers of one hop (RFC 9110 7.6.1) and the ones the relay sets itself. */
    private static final Set<String> NOT_RELAYED = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length");

    private final Vertx vertx;
    private final HttpClient upstream;
    private final ActiveRuns runs;
    private final CapturePublisher publisher;
    private final HoldGate gate;
    private final long maxBodyBytes;
    private final long timeoutMillis;
    private final ProxyMetrics metrics;

    RestForwarder(Vertx vertx, HttpClient upstream, ActiveRuns runs, CapturePublisher publisher, HoldGate gate,
            long maxBodyBytes, long timeoutMillis, ProxyMetrics metrics) {
        this.vertx = vertx;
        this.metrics = metrics;
        this.gate = gate;
        this.timeoutMillis = timeoutMillis;
        this.upstream = upstream;
        this.runs = runs;
        this.publisher = publisher;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void handle(HttpServerRequest request) {
        RestCallStats stats = metrics.restCallStarted(request.method().name(), request.path());
        HttpServerResponse response = request.response();
        response.bodyEndHandler(v -> stats.finish(Integer.toString(response.getStatusCode()),
                response.bytesWritten()));
        response.closeHandler(v -> stats.finish(RestCallStats.CLOSED, response.bytesWritten()));
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && parseLength(length) > maxBodyBytes) {
            error(request.response(), 413, "Payload too large: the proxy accepts requests up to " + maxBodyBytes
                    + " bytes");
            return;
        }
        Optional<RestCaptureMethods.RestWrite> write = RestCaptureMethods.of(request.method().name(), request.path());
        request.body()
                .onSuccess(body -> {
                    stats.requestRead(body.length());
                    if (write.isPresent()) {
                        captured(request, body, write.get(), stats);
                    } else {
                        relay(request, request.uri(), body, stats)
                                .onSuccess(answer -> streamBack(request.response(), answer, stats))
                                .onFailure(e -> upstreamFailed(request.response(), e));
                    }
                })
                .onFailure(e -> error(request.response(), 400, "cannot read the request body: " + e.getMessage()));
    }

    /** A write: its run looked up off the event loop (the run store may be read), then admitted, forwarded, captured. */
    private void captured(HttpServerRequest request, Buffer body, RestCaptureMethods.RestWrite write,
            RestCallStats stats) {
        Context context = vertx.getOrCreateContext();
        // counted before the check: a new run's copy waits for the writes checked against the older runs
        long token = gate.enterUncaptured();
        vertx.executeBlocking(() -> runs.forCollection(write.collection()), false).onComplete(lookup -> {
            if (lookup.failed()) {
                gate.exitUncaptured(token);
                refuse(request, write, lookup.cause(), stats);
                return;
            }
            Optional<ActiveRuns.ActiveRun> run = lookup.result();
            if (run.isEmpty()) {
                relay(request, request.uri(), body, stats).onComplete(done -> gate.exitUncaptured(token))
                        .onSuccess(answer -> streamBack(request.response(), answer, stats))
                        .onFailure(e -> upstreamFailed(request.response(), e));
                return;
            }
            gate.exitUncaptured(token);
            gate.enter(run.get()).whenComplete((admission, failure) -> context.runOnContext(v -> {
                if (failure != null) {
                    Throwable cause = failure instanceof java.util.concurrent.CompletionException c ? c.getCause()
                            : failure;
                    refuse(request, write, cause instanceof CaptureException ? cause
                            : new CaptureException.RunStoreUnavailable(cause), stats);
                } else if (admission instanceof HoldGate.Entered entered) {
                    forwardAndCapture(request, body, write, run.get(), context, entered.exit(), stats);
                } else if (admission instanceof HoldGate.Released released) {
                    // the cutover completed while the write waited: it goes to the new collection, not captured
                    String uri = released.source().equals(write.collection())
                            ? RestCaptureMethods.readdress(request.uri(), released.target()) : request.uri();
                    relay(request, uri, body, stats)
                            .onSuccess(answer -> streamBack(request.response(), answer, stats))
                            .onFailure(e -> upstreamFailed(request.response(), e));
                }
            }));
        });
    }

    private void forwardAndCapture(HttpServerRequest request, Buffer body, RestCaptureMethods.RestWrite write,
            ActiveRuns.ActiveRun run, Context context, Runnable exit, RestCallStats stats) {
        relay(request, request.uri(), body, stats)
                .compose(answer -> answer.body().map(answerBody -> {
                    stats.upstreamEnded();
                    return new Answer(answer, answerBody);
                }))
                .onFailure(e -> {
                    exit.run();
                    upstreamFailed(request.response(), e);
                })
                .onSuccess(answer -> {
                    if (answer.status() / 100 != 2) {
                        // Qdrant refused: nothing applied, nothing to capture
                        exit.run();
                        answer.sendTo(request.response());
                        return;
                    }
                    publisher.publish(run, write.method(), body.getBytes()).whenComplete((ok, failure) -> {
                        exit.run();
                        context.runOnContext(v -> {
                            if (failure == null) {
                                answer.sendTo(request.response());
                            } else {
                                CaptureException e = new CaptureException.NotCaptured(run.id().toString(),
                                        write.method(), failure);
                                LOGGER.errorf("run %s: %s", run.id(), e.getMessage());
                                error(request.response(), 503, e.getMessage());
                            }
                        });
                    });
                });
    }

    /** Not forwarded: a write that could not be captured must not reach the source unseen. */
    private static void refuse(HttpServerRequest request, RestCaptureMethods.RestWrite write, Throwable cause,
            RestCallStats stats) {
        LOGGER.warnf("%s refused: %s", write.method(), cause.getMessage());
        stats.refused();
        error(request.response(), 503, cause.getMessage());
    }

    /** Sends the request to Qdrant; the answer's body is left to read (its end ends the upstream leg). */
    private Future<HttpClientResponse> relay(HttpServerRequest request, String uri, Buffer body,
            RestCallStats stats) {
        RequestOptions options = new RequestOptions().setMethod(request.method()).setURI(uri)
                .setIdleTimeout(timeoutMillis);
        copy(request.headers(), options.getHeaders() == null ? initHeaders(options) : options.getHeaders());
        return upstream.request(options).compose(call -> {
            stats.upstreamSent();
            return body.length() == 0 && !request.headers().contains(HttpHeaders.CONTENT_LENGTH) ? call.send()
                    : call.send(body);
        });
    }

    private static MultiMap initHeaders(RequestOptions options) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        options.setHeaders(headers);
        return headers;
    }

    private static void streamBack(HttpServerResponse response, HttpClientResponse answer, RestCallStats stats) {
        response.setStatusCode(answer.statusCode()).setStatusMessage(answer.statusMessage());
        copy(answer.headers(), response.headers());
        String length = answer.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            response.putHeader(HttpHeaders.CONTENT_LENGTH, length);
        }
        response.send(stats.timingEnd(answer));
    }

    private static void copy(MultiMap from, MultiMap to) {
        from.forEach(header -> {
            if (!NOT_RELAYED.contains(header.getKey().toLowerCase(java.util.Locale.ROOT))) {
                to.add(header.getKey(), header.getValue());
            }
        });
    }

    private static void upstreamFailed(HttpServerResponse response, Throwable e) {
        LOGGER.warnf("Qdrant's REST API did not answer: %s", e.getMessage());
        error(response, 502, "the proxy could not reach Qdrant's REST API: " + e.getMessage());
    }

    /** An error in Qdrant's REST shape: {@code {"status": {"error": "..."}, "time": 0}}. */
    private static void error(HttpServerResponse response, int code, String message) {
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(code).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(new JsonObject().put("status", new JsonObject().put("error", message)).put("time", 0.0)
                        .toBuffer());
    }

    private static long parseLength(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Qdrant's answer to a write, held until its capture is acknowledged. */
    private record Answer(HttpClientResponse response, Buffer body) {

        int status() {
            return response.statusCode();
        }

        void sendTo(HttpServerResponse client) {
            client.setStatusCode(response.statusCode()).setStatusMessage(response.statusMessage());
            copy(response.headers(), client.headers());
            client.end(body);
        }
    }
}

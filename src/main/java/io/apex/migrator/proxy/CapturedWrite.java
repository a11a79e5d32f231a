package io.apex.migrator.proxy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * One write captured by the proxy, as it travels on the capture topic: the record's value is the original request
 * exactly as the client sent it (protobuf bytes for a gRPC write, the JSON body for a REST write), its key the run's source collection (one partition orders a
 * collection's writes), and these headers say which run, which RPC, and when Qdrant had acknowledged it.
 */
public record CapturedWrite(UUID runId, String source, String method, Instant capturedAt, byte[] request) {

    static final String RUN_ID = "apex-run-id";
    static final String SOURCE = "apex-source";
    static final String METHOD = "apex-method";
    static final String CAPTURED_AT = "apex-captured-at";

    public CapturedWrite {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(capturedAt, "capturedAt");
        Objects.requireNonNull(request, "request");
        if (!CaptureMethods.isCaptured(Objects.requireNonNull(method, "method"))) {
            throw new IllegalArgumentException(method + " is not a captured write");
        }
    }

    /** What applying this capture does to points. */
    CaptureEffect effect() {
        return RestCaptureMethods.isWrite(method) ? RestCaptureEffects.of(method, request)
                : GrpcCaptureEffects.of(method, request);
    }

    /** The record headers of this capture. */
    Headers headers() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(RUN_ID, utf8(runId.toString()));
        headers.add(SOURCE, utf8(source));
        headers.add(METHOD, utf8(method));
        headers.add(CAPTURED_AT, utf8(capturedAt.toString()));
        return headers;
    }

    /**
     * The capture a record carries.
     *
     * @throws IllegalArgumentException when a header is missing or malformed
     */
    static CapturedWrite of(Headers headers, byte[] value) {
        try {
            return new CapturedWrite(UUID.fromString(header(headers, RUN_ID)), header(headers, SOURCE),
                    header(headers, METHOD), Instant.parse(header(headers, CAPTURED_AT)), value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("malformed capture record: " + e.getMessage(), e);
        }
    }

    private static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        if (header == null || header.value() == null) {
            throw new IllegalArgumentException("header " + name + " missing");
        }
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}

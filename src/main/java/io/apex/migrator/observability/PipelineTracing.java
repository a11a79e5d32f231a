package io.apex.migrator.observability;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * One span per pipeline step (command, batch, progress), continuing the trace whose context came in the Kafka
 * record's headers (W3C traceparent, written by the messaging connector when it sends). Everything a handler
 * publishes is sent inside that span, so a run's command, batches and progress share one trace id. With the
 * OpenTelemetry SDK off (the default), spans are no-ops.
 */
@ApplicationScoped
public class PipelineTracing {

    public static final String RUN_ID = "apex.run.id";
    /** Attribute of an {@code apex batch} span: how many ranges its message carried. */
    public static final String RANGES = "apex.batch.ranges";

    private static final TextMapGetter<Headers> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers carrier) {
            List<String> keys = new ArrayList<>();
            carrier.forEach(h -> keys.add(h.key()));
            return keys;
        }

        @Override
        public String get(Headers carrier, String key) {
            if (carrier == null) {
                return null;
            }
            Header header = carrier.lastHeader(key);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    private final OpenTelemetry openTelemetry;
    private final Tracer tracer;

    PipelineTracing(OpenTelemetry openTelemetry) {
        this.openTelemetry = openTelemetry;
        this.tracer = openTelemetry.getTracer("io.apex.migrator");
    }

    /** Runs {@code work} in a consumer span named {@code name}, child of the context in {@code headers}. */
    public void consume(String name, Headers headers, String runId, Runnable work) {
        consume(name, headers, runId, () -> {
            work.run();
            return null;
        });
    }

    /**
     * Runs {@code work} in a consumer span named {@code name}, child of the context in {@code headers}, and returns
     * its result.
     */
    public <T> T consume(String name, Headers headers, String runId, Supplier<T> work) {
        Context parent = headers == null ? Context.current()
                : openTelemetry.getPropagators().getTextMapPropagator().extract(Context.current(), headers, HEADERS);
        return run(name, parent, SpanKind.CONSUMER, runId, List.of(), work);
    }

    /**
     * Runs {@code work} on a poll of several records in one consumer span: the first record's context is its parent
     * and the other records' contexts are its links (how OpenTelemetry traces a batch receive).
     */
    public void consumeAll(String name, List<Headers> headers, String runId, Runnable work) {
        List<Context> contexts = new ArrayList<>(headers.size());
        for (Headers h : headers) {
            contexts.add(openTelemetry.getPropagators().getTextMapPropagator().extract(Context.current(), h, HEADERS));
        }
        run(name, contexts.isEmpty() ? Context.current() : contexts.get(0), SpanKind.CONSUMER, runId,
                contexts.size() <= 1 ? List.of() : contexts.subList(1, contexts.size()), () -> {
                    work.run();
                    return null;
                });
    }

    /** Records on the current span how many ranges the message it handles carries. */
    public static void recordRanges(int ranges) {
        Span.current().setAttribute(RANGES, ranges);
    }

    /** Runs {@code work} in an internal span (a local pipeline's range), child of the current context. */
    public void inSpan(String name, String runId, Runnable work) {
        run(name, Context.current(), SpanKind.INTERNAL, runId, List.of(), () -> {
            work.run();
            return null;
        });
    }

    private <T> T run(String name, Context parent, SpanKind kind, String runId, List<Context> links,
            Supplier<T> work) {
        SpanBuilder builder = tracer.spanBuilder(name).setParent(parent).setSpanKind(kind);
        for (Context link : links) {
            builder.addLink(Span.fromContext(link).getSpanContext());
        }
        Span span = builder.startSpan();
        if (runId != null) {
            span.setAttribute(RUN_ID, runId);
        }
        try (Scope scope = span.makeCurrent()) {
            return work.get();
        } catch (RuntimeException | Error e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, String.valueOf(e.getMessage()));
            throw e;
        } finally {
            span.end();
        }
    }

    /** Names the run on the current span once it is known (the coordinator creates the run inside a command). */
    public static void tagRun(String runId) {
        Span.current().setAttribute(RUN_ID, runId);
    }
}

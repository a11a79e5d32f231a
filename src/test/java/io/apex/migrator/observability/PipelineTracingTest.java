package io.apex.migrator.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A handler runs in a consumer span that continues the trace of the record's headers, whether or not it returns. */
class PipelineTracingTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT_SPAN_ID = "00f067aa0ba902b7";

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
    private final PipelineTracing tracing = new PipelineTracing(OpenTelemetrySdk.builder()
            .setTracerProvider(tracerProvider)
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build());

    @AfterEach
    void close() {
        tracerProvider.close();
    }

    @Test
    void aHandlersResultComesOutOfItsSpanWhichContinuesTheRecordsTrace() {
        // given
        AtomicReference<String> traceInside = new AtomicReference<>();

        // when
        String result = tracing.consume("apex batch", traceparent(), "run-1", () -> {
            traceInside.set(Span.current().getSpanContext().getTraceId());
            return "reported";
        });

        // then
        assertThat(result).isEqualTo("reported");
        assertThat(spans.getFinishedSpanItems()).singleElement().satisfies(span -> {
            assertThat(span.getName()).isEqualTo("apex batch");
            assertThat(span.getKind()).isEqualTo(SpanKind.CONSUMER);
            assertThat(span.getTraceId()).isEqualTo(TRACE_ID).isEqualTo(traceInside.get());
            assertThat(span.getParentSpanId()).isEqualTo(PARENT_SPAN_ID);
            assertThat(span.getAttributes().get(AttributeKey.stringKey(PipelineTracing.RUN_ID))).isEqualTo("run-1");
        });
    }

    @Test
    void aHandlerWithoutResultRunsInTheSameKindOfSpan() {
        AtomicReference<String> traceInside = new AtomicReference<>();

        tracing.consume("apex command migrate", traceparent(), null,
                () -> traceInside.set(Span.current().getSpanContext().getTraceId()));

        assertThat(spans.getFinishedSpanItems()).singleElement().satisfies(span -> {
            assertThat(span.getName()).isEqualTo("apex command migrate");
            assertThat(span.getKind()).isEqualTo(SpanKind.CONSUMER);
            assertThat(span.getTraceId()).isEqualTo(TRACE_ID).isEqualTo(traceInside.get());
            assertThat(span.getParentSpanId()).isEqualTo(PARENT_SPAN_ID);
        });
    }

    @Test
    void aFailingHandlersErrorLeavesItsSpanMarkedAndReachesTheCaller() {
        assertThatThrownBy(() -> tracing.consume("apex batch", traceparent(), "run-1", () -> {
            throw new IllegalStateException("range refused");
        })).isInstanceOf(IllegalStateException.class).hasMessage("range refused");

        assertThat(spans.getFinishedSpanItems()).singleElement().satisfies(span -> {
            assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(span.getStatus().getDescription()).isEqualTo("range refused");
            assertThat(span.getEvents()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("exception"));
        });
    }

    @Test
    void aPollOfRecordsRunsInOneSpanThatContinuesTheFirstTraceAndLinksTheOthers() {
        // given
        String otherTrace = "0af7651916cd43dd8448eb211c80319c";
        String otherSpan = "b7ad6b7169203331";
        AtomicReference<String> traceInside = new AtomicReference<>();

        // when
        tracing.consumeAll("apex progress", java.util.List.of(traceparent(), traceparent(otherTrace, otherSpan)),
                "run-1", () -> traceInside.set(Span.current().getSpanContext().getTraceId()));

        // then
        assertThat(spans.getFinishedSpanItems()).singleElement().satisfies(span -> {
            assertThat(span.getName()).isEqualTo("apex progress");
            assertThat(span.getKind()).isEqualTo(SpanKind.CONSUMER);
            assertThat(span.getTraceId()).isEqualTo(TRACE_ID).isEqualTo(traceInside.get());
            assertThat(span.getParentSpanId()).isEqualTo(PARENT_SPAN_ID);
            assertThat(span.getLinks()).singleElement().satisfies(link -> {
                assertThat(link.getSpanContext().getTraceId()).isEqualTo(otherTrace);
                assertThat(link.getSpanContext().getSpanId()).isEqualTo(otherSpan);
            });
            assertThat(span.getAttributes().get(AttributeKey.stringKey(PipelineTracing.RUN_ID))).isEqualTo("run-1");
        });
    }

    private static RecordHeaders traceparent() {
        return traceparent(TRACE_ID, PARENT_SPAN_ID);
    }

    private static RecordHeaders traceparent(String traceId, String spanId) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", ("00-" + traceId + "-" + spanId + "-01").getBytes(StandardCharsets.UTF_8));
        return headers;
    }
}

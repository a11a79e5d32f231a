package io.apex.migrator.observability;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Tests only: finished spans kept in memory (Quarkus exports to every CDI SpanExporter). Spans exist only where
 * a test turns the OpenTelemetry SDK on (it is off by default).
 */
public class InMemorySpans {

    @Produces
    @Singleton
    InMemorySpanExporter exporter() {
        return InMemorySpanExporter.create();
    }
}

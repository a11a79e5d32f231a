package io.apex.migrator.qdrant;

import java.util.Objects;

/** One field of an existing collection that differs from its spec. */
public record Drift(String field, String expected, String actual) {

    public Drift {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(actual, "actual");
    }

    @Override
    public String toString() {
        return field + ": spec " + expected + ", collection has " + actual;
    }
}

package io.apex.migrator.schema;

import com.fasterxml.jackson.annotation.JsonValue;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A migration version: a positive number, written {@code V001} in file names and output. */
@RegisterForReflection
public record Version(int number) implements Comparable<Version> {

    private static final Pattern TEXT = Pattern.compile("[vV]?0*(\\d{1,9})");

    public Version {
        if (number < 1) {
            throw new IllegalArgumentException("a migration version is a positive number, got " + number);
        }
    }

    /** Parses {@code V002}, {@code v2}, {@code 002} or {@code 2}. */
    public static Version parse(String text) {
        Matcher m = TEXT.matcher(text == null ? "" : text.strip());
        if (!m.matches() || Integer.parseInt(m.group(1)) < 1) {
            throw new SchemaException.UnknownVersion(String.valueOf(text),
                    "is not a version (expected e.g. V002 or 2)");
        }
        return new Version(Integer.parseInt(m.group(1)));
    }

    @JsonValue
    public String label() {
        return String.format("V%03d", number);
    }

    @Override
    public int compareTo(Version other) {
        return Integer.compare(number, other.number);
    }

    @Override
    public String toString() {
        return label();
    }
}

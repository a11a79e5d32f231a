package io.apex.migrator.api;

import java.util.regex.Pattern;

/** The field checks shared by the message records' compact constructors. */
final class Checks {

    /** Qdrant accepts more, but names used as collection/alias names by this tool stay portable. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}");

    private Checks() {
    }

    static String text(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new InvalidMessageException("$." + field, "is required");
        }
        return value;
    }

    static String name(String value, String field) {
        text(value, field);
        if (!NAME.matcher(value).matches()) {
            throw new InvalidMessageException("$." + field,
                    "'" + value + "' is not a valid collection or alias name (letters, digits, '_', '.', '-')");
        }
        return value;
    }

    static String optionalName(String value, String field) {
        return value == null ? null : name(value, field);
    }

    static int range(int value, int min, int max, String field) {
        if (value < min || value > max) {
            throw new InvalidMessageException("$." + field, "must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }
}

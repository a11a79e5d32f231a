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

    /** A run id as the schema has it: the canonical 8-4-4-4-12 hex form (UUID.fromString alone takes "1-1-1-1-1"). */
    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    static String uuid(String value, String field) {
        text(value, field);
        if (!UUID_TEXT.matcher(value).matches()) {
            throw new InvalidMessageException("$." + field, "'" + value + "' is not a UUID (8-4-4-4-12 hex digits)");
        }
        return value;
    }

    /**
     * Whether a string is well-formed Unicode: JSON's {@code \ud800} escapes can carry a lone surrogate, which no
     * UTF-8 encoding has, so two different ids would be stored (and compared) as the same replacement character.
     */
    static boolean wellFormed(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    static int range(int value, int min, int max, String field) {
        if (value < min || value > max) {
            throw new InvalidMessageException("$." + field, "must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }
}

package io.apex.migrator.qdrant;

/**
 * Thrown by the spec records' compact constructors: names the offending field (relative to the record) so the
 * parser can point at its file and line.
 */
final class InvalidSpecValueException extends IllegalArgumentException {

    private final String field;

    InvalidSpecValueException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    String field() {
        return field;
    }

    static void check(boolean condition, String field, String message) {
        if (!condition) {
            throw new InvalidSpecValueException(field, message);
        }
    }
}

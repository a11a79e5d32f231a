package io.apex.migrator.yaml;

/**
 * Thrown by a YAML-bound record's compact constructor: names the offending field (relative to the record) so
 * {@link YamlRecords} can point at its file and line.
 */
public class InvalidYamlValueException extends IllegalArgumentException {

    private final String field;

    public InvalidYamlValueException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /** The field, relative to the record that refused it. */
    public String field() {
        return field;
    }

    /** Throws for {@code field} unless {@code condition} holds. */
    public static void check(boolean condition, String field, String message) {
        if (!condition) {
            throw new InvalidYamlValueException(field, message);
        }
    }
}

package io.apex.migrator.api;

/**
 * A message that cannot travel: names the offending field (a JSON path such as {@code $.batchSize}) and
 * why it was refused, so the producer can fix it from the {@code migration-rejected} event alone.
 */
public final class InvalidMessageException extends RuntimeException {

    private final String field;
    private final String reason;

    public InvalidMessageException(String field, String reason) {
        super(field + ": " + reason);
        this.field = field;
        this.reason = reason;
    }

    /** JSON path of the offending field, {@code $} for the message as a whole. */
    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }
}

package io.apex.migrator.qdrant;

import java.util.Optional;

/**
 * Root of everything that goes wrong in the Qdrant area: talking to Qdrant, reading collection specs,
 * provisioning. Unchecked; subtypes carry the facts (which collection, which file and line) so the CLI and the
 * command consumer can turn them into exit codes and {@code rejected}/{@code failed} events in one place.
 *
 * <p>Not sealed on purpose: the range reader/writer, verifier and cutover of the pipeline live in this package
 * too and add their own subtypes.
 */
public abstract class QdrantException extends RuntimeException {

    private final String collection;

    protected QdrantException(String collection, String message, Throwable cause) {
        super(message, cause);
        this.collection = collection;
    }

    /** The collection (or alias) the failed operation was about, if it was about one. */
    public Optional<String> collection() {
        return Optional.ofNullable(collection);
    }
}

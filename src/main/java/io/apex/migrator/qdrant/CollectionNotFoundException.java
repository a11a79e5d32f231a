package io.apex.migrator.qdrant;

/** Qdrant answered NOT_FOUND: the collection (or alias) does not exist. */
public final class CollectionNotFoundException extends QdrantException {

    private final String operation;

    public CollectionNotFoundException(String collection, String operation, String detail, Throwable cause) {
        super(collection, "Qdrant collection `" + collection + "` does not exist (" + operation + ")"
                + (detail == null || detail.isBlank() ? "" : ": " + detail), cause);
        this.operation = operation;
    }

    /** The gateway operation that found the collection missing, e.g. {@code collectionInfo}. */
    public String operation() {
        return operation;
    }
}

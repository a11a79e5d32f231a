package io.apex.migrator.qdrant;

/** Qdrant answered ALREADY_EXISTS: a collection with this name exists already. */
public final class CollectionAlreadyExistsException extends QdrantException {

    public CollectionAlreadyExistsException(String collection, String detail, Throwable cause) {
        super(collection, "Qdrant collection `" + collection + "` already exists"
                + (detail == null || detail.isBlank() ? "" : ": " + detail), cause);
    }
}

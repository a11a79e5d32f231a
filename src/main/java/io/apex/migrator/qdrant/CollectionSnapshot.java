package io.apex.migrator.qdrant;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.Objects;

/**
 * A Qdrant snapshot of one collection, as Qdrant described it when it was taken: enough to find the file on the
 * server ({@code <snapshots_path>/<collection>/<name>}) and restore it with Qdrant's snapshot recovery.
 *
 * @param collection the collection the snapshot was taken of
 * @param name the snapshot's file name
 * @param createdAt when Qdrant created it, ISO-8601 (null if it did not say)
 * @param sizeBytes the file's size
 * @param checksum the file's SHA-256 (null if Qdrant did not give one)
 */
@RegisterForReflection // recorded as JSON with the run and read back by Jackson
public record CollectionSnapshot(String collection, String name, String createdAt, long sizeBytes, String checksum) {

    public CollectionSnapshot {
        Objects.requireNonNull(collection, "collection");
        Objects.requireNonNull(name, "name");
    }
}

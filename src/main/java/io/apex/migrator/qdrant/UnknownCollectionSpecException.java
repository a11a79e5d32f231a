package io.apex.migrator.qdrant;

import java.util.Collection;

/** A spec or version was asked for that no spec file defines. */
public final class UnknownCollectionSpecException extends QdrantException {

    public UnknownCollectionSpecException(String asked, Collection<String> known) {
        super(null, "no collection spec " + asked + "; known specs: " + String.join(", ", known), null);
    }
}

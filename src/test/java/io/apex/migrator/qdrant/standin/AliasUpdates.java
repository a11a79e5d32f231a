package io.apex.migrator.qdrant.standin;

/**
 * What UpdateAliases did to one alias of a stand-in: {@code requests} that named it and succeeded, and the
 * {@code moves} among them that changed what it points at (a delete + create back onto the same collection is a
 * request, not a move).
 */
public record AliasUpdates(int requests, int moves) {
}

package io.apex.migrator.qdrant.standin;

import io.qdrant.client.grpc.Collections.ShardKey;
import io.qdrant.client.grpc.Points.ShardKeySelector;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The shard keys one request reaches, resolved as Qdrant resolves a {@code shard_key_selector}
 * (lib/collection/src/shards/shard_holder/mod.rs: split_by_shard for writes, select_shards for reads). A collection
 * of the auto sharding method has no shard keys: a write or read without a selector reaches all of it, one with a
 * selector names a key it does not have. A custom-sharded collection takes writes only with a selector ("Shard key not
 * specified" without one; a write naming several keys goes to each of them) and reads all its keys without one.
 *
 * <p>Not modelled, answered UNIMPLEMENTED: the {@code fallback} key, and one point id stored under two shard keys
 * (Qdrant keeps a copy per key; the stand-in keeps one point per id).
 *
 * @param keys the keys reached; null: the whole collection
 */
record ShardScope(Set<ShardKey> keys) {

    /** The whole collection: every point, whatever its shard key. */
    static final ShardScope ALL = new ShardScope(null);

    /** The scope of a point write (upsert, delete, payload and vector writes). */
    static ShardScope forWrite(StoredCollection collection, boolean hasSelector, ShardKeySelector selector) {
        if (!hasSelector || selector.getShardKeysCount() == 0) {
            if (collection.customSharding()) {
                throw StandInErrors.invalid("Wrong input: Shard key not specified");
            }
            return ALL;
        }
        return named(collection, selector, "Wrong input: ");
    }

    /** The scope of a point read (get, scroll, count, search, query): everything without a selector. */
    static ShardScope forRead(StoredCollection collection, boolean hasSelector, ShardKeySelector selector) {
        if (!hasSelector || selector.getShardKeysCount() == 0) {
            return ALL;
        }
        return named(collection, selector, "Bad request: ");
    }

    private static ShardScope named(StoredCollection collection, ShardKeySelector selector, String errorPrefix) {
        if (selector.hasFallback()) {
            throw StandInErrors.unsupported("a fallback shard key");
        }
        Set<ShardKey> keys = new LinkedHashSet<>(selector.getShardKeysList());
        for (ShardKey key : keys) {
            if (!collection.shardKeys().contains(key)) {
                throw StandInErrors.invalid(errorPrefix + "Shard key " + text(key) + " not found");
            }
        }
        return new ShardScope(Set.copyOf(keys));
    }

    /** Whether the point lies in this scope. */
    boolean contains(StoredPoint point) {
        return keys == null || keys.contains(point.shardKey());
    }

    /** The key new points are stored under: null for an auto-sharded collection. */
    ShardKey upsertKey() {
        if (keys == null) {
            return null;
        }
        if (keys.size() > 1) {
            throw StandInErrors.unsupported("upserting one point into several shard keys");
        }
        return keys.iterator().next();
    }

    /** A shard key as Qdrant prints it in messages: a keyword quoted, a number bare. */
    static String text(ShardKey key) {
        return key.hasKeyword() ? "\"" + key.getKeyword() + "\"" : Long.toUnsignedString(key.getNumber());
    }
}

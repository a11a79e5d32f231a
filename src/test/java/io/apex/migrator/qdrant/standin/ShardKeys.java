package io.apex.migrator.qdrant.standin;

import io.qdrant.client.grpc.Collections.ShardKey;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The shard keys of one custom-sharded collection, as Qdrant keeps them: created after the collection (one
 * {@code CreateShardKey} each), refused on an auto-sharded collection, unique, listed in creation order.
 */
final class ShardKeys {

    private final Set<ShardKey> keys = new LinkedHashSet<>();

    synchronized void create(boolean customSharding, ShardKey key) {
        if (!customSharding) {
            throw StandInErrors.invalid("Bad request: Shard key " + label(key)
                    + " can only be created for a collection with custom sharding method");
        }
        if (key.getKeyCase() == ShardKey.KeyCase.KEY_NOT_SET) {
            throw StandInErrors.invalid("Wrong input: shard key is empty");
        }
        if (!keys.add(key)) {
            throw StandInErrors.invalid("Bad request: Shard key " + label(key) + " already exists");
        }
    }

    /** False if the key does not exist. */
    synchronized boolean delete(ShardKey key) {
        return keys.remove(key);
    }

    synchronized boolean contains(ShardKey key) {
        return keys.contains(key);
    }

    synchronized List<ShardKey> list() {
        return new ArrayList<>(keys);
    }

    static String label(ShardKey key) {
        return key.hasNumber() ? Long.toString(key.getNumber()) : key.getKeyword();
    }
}

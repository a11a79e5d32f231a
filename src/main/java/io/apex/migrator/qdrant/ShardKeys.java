package io.apex.migrator.qdrant;

import io.qdrant.client.grpc.Collections.ShardKey;
import io.qdrant.client.grpc.Points.ShardKeySelector;
import java.util.Comparator;

/**
 * Shard keys of collections of the custom sharding method, as the copy and the verification handle them: read and
 * written one key at a time, in one order on both sides of a migration (numbers before keywords, each by value).
 */
public final class ShardKeys {

    /** Numbers (unsigned) before keywords, keywords by their text. */
    public static final Comparator<ShardKey> ORDER = Comparator
            .comparing((ShardKey k) -> k.hasKeyword())
            .thenComparing((a, b) -> Long.compareUnsigned(a.getNumber(), b.getNumber()))
            .thenComparing(ShardKey::getKeyword);

    private ShardKeys() {
    }

    /** A selector of this one key. */
    public static ShardKeySelector selector(ShardKey key) {
        return ShardKeySelector.newBuilder().addShardKeys(key).build();
    }

    /** The key as Qdrant prints it: a keyword quoted, a number bare. */
    public static String text(ShardKey key) {
        return key.hasKeyword() ? "\"" + key.getKeyword() + "\"" : Long.toUnsignedString(key.getNumber());
    }
}

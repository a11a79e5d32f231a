package io.apex.migrator.qdrant.standin;

import io.qdrant.client.grpc.Collections.CreateShardKeyRequest;
import io.qdrant.client.grpc.Collections.CreateShardKeyResponse;
import io.qdrant.client.grpc.Collections.DeleteShardKeyRequest;
import io.qdrant.client.grpc.Collections.DeleteShardKeyResponse;
import io.qdrant.client.grpc.Collections.ListShardKeysRequest;
import io.qdrant.client.grpc.Collections.ListShardKeysResponse;
import io.qdrant.client.grpc.Collections.ShardKey;
import io.qdrant.client.grpc.Collections.ShardKeyDescription;

/**
 * Qdrant's shard key RPCs of the Collections service (lib/collection/src/collection/sharding_keys.rs): a key can be
 * created only in a collection of the custom sharding method, once; deleting one drops the points stored under it;
 * the keys are listed in the order they were created. Placement, replication and shard numbers are accepted and not
 * modelled (the stand-in is one node with one shard per key).
 */
final class ShardKeys {

    private final Catalog catalog;

    ShardKeys(Catalog catalog) {
        this.catalog = catalog;
    }

    CreateShardKeyResponse create(CreateShardKeyRequest request) {
        StoredCollection collection = catalog.resolve(request.getCollectionName());
        ShardKey key = request.getRequest().getShardKey();
        if (!collection.customSharding()) {
            throw StandInErrors.invalid("Bad request: Shard Key " + ShardScope.text(key)
                    + " cannot be created with Auto sharding method");
        }
        if (!collection.addShardKey(key)) {
            throw StandInErrors.invalid("Bad request: Shard key " + ShardScope.text(key) + " already exists");
        }
        return CreateShardKeyResponse.newBuilder().setResult(true).build();
    }

    DeleteShardKeyResponse delete(DeleteShardKeyRequest request) {
        StoredCollection collection = catalog.resolve(request.getCollectionName());
        ShardKey key = request.getRequest().getShardKey();
        if (!collection.customSharding()) {
            throw StandInErrors.invalid("Bad request: Shard Key " + ShardScope.text(key)
                    + " cannot be removed with Auto sharding method");
        }
        if (!collection.removeShardKey(key)) {
            throw StandInErrors.unsupported("deleting a shard key the collection does not have");
        }
        return DeleteShardKeyResponse.newBuilder().setResult(true).build();
    }

    ListShardKeysResponse list(ListShardKeysRequest request, long start) {
        ListShardKeysResponse.Builder response = ListShardKeysResponse.newBuilder();
        catalog.resolve(request.getCollectionName()).shardKeysInOrder()
                .forEach(k -> response.addShardKeys(ShardKeyDescription.newBuilder().setKey(k)));
        return response.setTime(Rpc.since(start)).build();
    }
}

package io.apex.migrator.qdrant.standin;

import io.grpc.stub.StreamObserver;
import io.qdrant.client.grpc.Collections.AliasDescription;
import io.qdrant.client.grpc.Collections.ChangeAliases;
import io.qdrant.client.grpc.Collections.CollectionDescription;
import io.qdrant.client.grpc.Collections.CollectionExists;
import io.qdrant.client.grpc.Collections.CollectionExistsRequest;
import io.qdrant.client.grpc.Collections.CollectionExistsResponse;
import io.qdrant.client.grpc.Collections.CollectionOperationResponse;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.DeleteCollection;
import io.qdrant.client.grpc.Collections.GetCollectionInfoRequest;
import io.qdrant.client.grpc.Collections.GetCollectionInfoResponse;
import io.qdrant.client.grpc.Collections.ListAliasesRequest;
import io.qdrant.client.grpc.Collections.ListAliasesResponse;
import io.qdrant.client.grpc.Collections.ListCollectionAliasesRequest;
import io.qdrant.client.grpc.Collections.ListCollectionsRequest;
import io.qdrant.client.grpc.Collections.ListCollectionsResponse;
import io.qdrant.client.grpc.Collections.CreateShardKeyRequest;
import io.qdrant.client.grpc.Collections.CreateShardKeyResponse;
import io.qdrant.client.grpc.Collections.DeleteShardKeyRequest;
import io.qdrant.client.grpc.Collections.DeleteShardKeyResponse;
import io.qdrant.client.grpc.Collections.ListShardKeysRequest;
import io.qdrant.client.grpc.Collections.ListShardKeysResponse;
import io.qdrant.client.grpc.Collections.ShardKey;
import io.qdrant.client.grpc.Collections.ShardKeyDescription;
import io.qdrant.client.grpc.Collections.UpdateCollection;
import io.qdrant.client.grpc.CollectionsGrpc;
import java.util.Map;
import java.util.TreeMap;

/** Qdrant's Collections service over a {@link Catalog}. */
final class CollectionsService extends CollectionsGrpc.CollectionsImplBase {

    private final Catalog catalog;
    private final Runnable afterDelete;
    private final java.util.function.LongSupplier indexingDelayMillis;

    CollectionsService(Catalog catalog, Runnable afterDelete) {
        this(catalog, afterDelete, () -> 0);
    }

    /** {@code indexingDelayMillis}: how long an indexed collection stays yellow after a change (0: never). */
    CollectionsService(Catalog catalog, Runnable afterDelete, java.util.function.LongSupplier indexingDelayMillis) {
        this.catalog = catalog;
        this.afterDelete = afterDelete;
        this.indexingDelayMillis = indexingDelayMillis;
    }

    @Override
    public void get(GetCollectionInfoRequest request, StreamObserver<GetCollectionInfoResponse> observer) {
        long start = System.nanoTime();
        Rpc.respond(observer, () -> GetCollectionInfoResponse.newBuilder()
                .setResult(catalog.resolve(request.getCollectionName()).info(indexingDelayMillis.getAsLong()))
                .setTime(Rpc.since(start)).build());
    }

    @Override
    public void list(ListCollectionsRequest request, StreamObserver<ListCollectionsResponse> observer) {
        long start = System.nanoTime();
        Rpc.respond(observer, () -> {
            ListCollectionsResponse.Builder response = ListCollectionsResponse.newBuilder();
            catalog.collectionNames().forEach(
                    name -> response.addCollections(CollectionDescription.newBuilder().setName(name)));
            return response.setTime(Rpc.since(start)).build();
        });
    }

    @Override
    public void create(CreateCollection request, StreamObserver<CollectionOperationResponse> observer) {
        long start = System.nanoTime();
        Rpc.respond(observer, () -> {
            catalog.create(request.getCollectionName(), CollectionConfigs.fromCreate(request));
            return ok(start);
        });
    }

    @Override
    public void update(UpdateCollection request, StreamObserver<CollectionOperationResponse> observer) {
        long start = System.nanoTime();
        Rpc.respond(observer, () -> {
            catalog.resolve(request.getCollectionName())
                    .updateConfig(config -> CollectionConfigs.applyUpdate(config, request));
            return ok(start);
        });
    }

    @Override
    public void createShardKey(CreateShardKeyRequest request, StreamObserver<CreateShardKeyResponse> observer) {
        Rpc.respond(observer, () -> {
            StoredCollection collection = catalog.resolve(request.getCollectionName());
            collection.shardKeys().create(collection.customSharding(), request.getRequest().getShardKey());
            return CreateShardKeyResponse.newBuilder().setResult(true).build();
        });
    }

    @Override
    public void deleteShardKey(DeleteShardKeyRequest request, StreamObserver<DeleteShardKeyResponse> observer) {
        Rpc.respond(observer, () -> {
            StoredCollection collection = catalog.resolve(request.getCollectionName());
            ShardKey key = request.getRequest().getShardKey();
            if (!collection.shardKeys().delete(key)) {
                throw StandInErrors.invalid("Bad request: Shard key " + ShardKeys.label(key) + " does not exist");
            }
            return DeleteShardKeyResponse.newBuilder().setResult(true).build();
        });
    }

    @Override
    public void listShardKeys(ListShardKeysRequest request, StreamObserver<ListShardKeysResponse> observer) {
        long start = System.nanoTime();
        Rpc.respond(observer, () -> {
            ListShardKeysResponse.Builder response = ListShardKeysResponse.newBuilder();
            catalog.resolve(request.getCollectionName()).shardKeys().list()
                    .forEach(key -> response.addShardKeys(ShardKeyDescription.newBuilder().setKey(key)));
            return response.setTime(Rpc.since(start)).build();
        });
    }

    @Override
    public void delete(DeleteCollection request, StreamObserver<CollectionOperationResponse> observer) {
        long start = System.nanoTime();
        Rpc.respond(observer, () -> {
            boolean deleted = catalog.delete(request.getCollectionName());
            if (deleted) {
                afterDelete.run();
            }
            return CollectionOperationResponse.newBuilder().setResult(deleted).setTime(Rpc.since(start)).build();
        });
    }

    @Override
    public void updateAliases(ChangeAliases request, StreamObserver<CollectionOperationResponse> observer) {
        long start = System.nanoTime();
        Rpc.respond(observer, () -> {
            catalog.updateAliases(request.getActionsList());
            return ok(start);
        });
    }

    @Override
    public void listCollectionAliases(ListCollectionAliasesRequest request,
            StreamObserver<ListAliasesResponse> observer) {
        long start = System.nanoTime();
        Rpc.respond(observer, () -> {
            catalog.resolve(request.getCollectionName());
            return aliases(catalog.aliases(), request.getCollectionName(), start);
        });
    }

    @Override
    public void listAliases(ListAliasesRequest request, StreamObserver<ListAliasesResponse> observer) {
        long start = System.nanoTime();
        Rpc.respond(observer, () -> aliases(catalog.aliases(), null, start));
    }

    @Override
    public void collectionExists(CollectionExistsRequest request, StreamObserver<CollectionExistsResponse> observer) {
        long start = System.nanoTime();
        Rpc.respond(observer, () -> CollectionExistsResponse.newBuilder()
                .setResult(CollectionExists.newBuilder().setExists(catalog.exists(request.getCollectionName())))
                .setTime(Rpc.since(start)).build());
    }

    private static ListAliasesResponse aliases(Map<String, String> snapshot, String onlyFor, long start) {
        ListAliasesResponse.Builder response = ListAliasesResponse.newBuilder();
        new TreeMap<>(snapshot).forEach((alias, collection) -> {
            if (onlyFor == null || onlyFor.equals(collection)) {
                response.addAliases(AliasDescription.newBuilder().setAliasName(alias).setCollectionName(collection));
            }
        });
        return response.setTime(Rpc.since(start)).build();
    }

    private static CollectionOperationResponse ok(long start) {
        return CollectionOperationResponse.newBuilder().setResult(true).setTime(Rpc.since(start)).build();
    }
}

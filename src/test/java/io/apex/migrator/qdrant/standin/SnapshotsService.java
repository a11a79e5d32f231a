package io.apex.migrator.qdrant.standin;

import com.google.protobuf.Timestamp;
import io.grpc.stub.StreamObserver;
import io.qdrant.client.grpc.SnapshotsGrpc;
import io.qdrant.client.grpc.SnapshotsService.CreateSnapshotRequest;
import io.qdrant.client.grpc.SnapshotsService.CreateSnapshotResponse;
import io.qdrant.client.grpc.SnapshotsService.DeleteSnapshotRequest;
import io.qdrant.client.grpc.SnapshotsService.DeleteSnapshotResponse;
import io.qdrant.client.grpc.SnapshotsService.ListSnapshotsRequest;
import io.qdrant.client.grpc.SnapshotsService.ListSnapshotsResponse;
import io.qdrant.client.grpc.SnapshotsService.SnapshotDescription;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Qdrant's collection snapshots (Create, List and Delete; gRPC has no collection snapshot recovery, REST does), as Qdrant documents and implements them: a snapshot is taken of a
 * collection named directly or through an alias and filed under the collection's own name; its name is
 * {@code <collection>-<peer id>-<yyyy-MM-dd-HH-mm-ss>.snapshot}, its description carries creation time, size and the
 * SHA-256 of the file. Listing resolves the collection first, so it answers NOT_FOUND once the collection is gone,
 * while the files stay in the snapshots directory (deleting a collection does not delete its snapshots) and can
 * still be recovered from. Here the "file" is the collection's points serialised at that moment, kept in memory.
 */
final class SnapshotsService extends SnapshotsGrpc.SnapshotsImplBase {

    private static final long PEER_ID = 4_242_424_242L;
    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss")
            .withZone(ZoneOffset.UTC);

    /** A snapshot file: its description and its content. */
    record Stored(SnapshotDescription description, byte[] content) {
    }

    private static final String NAMES = Faults.SERVER_STATE + "snapshot-files";

    private final Catalog catalog;
    /** The snapshots directory: collection name to its files, oldest first. */
    private final Map<String, List<Stored>> files = new ConcurrentHashMap<>();
    /** The same directory's file names, in the server's shared state (JDK types) for tests in any class loader. */
    private final Map<String, List<String>> names;

    @SuppressWarnings("unchecked")
    SnapshotsService(Catalog catalog, ConcurrentMap<String, Object> state) {
        this.catalog = catalog;
        this.names = (Map<String, List<String>>) state.computeIfAbsent(NAMES, k -> new ConcurrentHashMap<>());
    }

    /** The snapshot file names of {@code collection} kept in the server state {@code state}, oldest first. */
    @SuppressWarnings("unchecked")
    static List<String> names(ConcurrentMap<String, Object> state, String collection) {
        Map<String, List<String>> all = (Map<String, List<String>>) state.get(NAMES);
        return all == null ? List.of() : List.copyOf(all.getOrDefault(collection, List.of()));
    }

    @Override
    public void create(CreateSnapshotRequest request, StreamObserver<CreateSnapshotResponse> observer) {
        Rpc.respond(observer, () -> {
            long started = System.nanoTime();
            StoredCollection collection = catalog.resolve(request.getCollectionName());
            byte[] content = serialise(collection);
            Instant now = Instant.now();
            SnapshotDescription description;
            synchronized (files) {
                List<Stored> taken = files.computeIfAbsent(collection.name(), c -> new ArrayList<>());
                String usual = collection.name() + "-" + PEER_ID + "-" + NAME_TIME.format(now) + ".snapshot";
                // two snapshots within one second: Qdrant would overwrite the file; keep both apart here
                String name = taken.stream().anyMatch(s -> s.description().getName().equals(usual))
                        ? usual.replace(".snapshot", "-" + taken.size() + ".snapshot") : usual;
                description = SnapshotDescription.newBuilder().setName(name)
                        .setCreationTime(Timestamp.newBuilder().setSeconds(now.getEpochSecond()))
                        .setSize(content.length).setChecksum(sha256(content)).build();
                taken.add(new Stored(description, content));
                names.computeIfAbsent(collection.name(), c -> new CopyOnWriteArrayList<>()).add(name);
            }
            return CreateSnapshotResponse.newBuilder().setSnapshotDescription(description)
                    .setTime((System.nanoTime() - started) / 1e9).build();
        });
    }

    @Override
    public void list(ListSnapshotsRequest request, StreamObserver<ListSnapshotsResponse> observer) {
        Rpc.respond(observer, () -> {
            long started = System.nanoTime();
            StoredCollection collection = catalog.resolve(request.getCollectionName());
            ListSnapshotsResponse.Builder response = ListSnapshotsResponse.newBuilder();
            stored(collection.name()).forEach(s -> response.addSnapshotDescriptions(s.description()));
            return response.setTime((System.nanoTime() - started) / 1e9).build();
        });
    }

    /** Deletes one snapshot file of a collection (resolved first, as Qdrant does); NOT_FOUND for an unknown file. */
    @Override
    public void delete(DeleteSnapshotRequest request, StreamObserver<DeleteSnapshotResponse> observer) {
        Rpc.respond(observer, () -> {
            long started = System.nanoTime();
            StoredCollection collection = catalog.resolve(request.getCollectionName());
            synchronized (files) {
                List<Stored> taken = files.getOrDefault(collection.name(), new ArrayList<>());
                if (!taken.removeIf(s -> s.description().getName().equals(request.getSnapshotName()))) {
                    throw io.grpc.Status.NOT_FOUND.withDescription("Not found: Snapshot " + request.getSnapshotName()
                            + " not found").asRuntimeException();
                }
                names.getOrDefault(collection.name(), new ArrayList<>()).remove(request.getSnapshotName());
            }
            return DeleteSnapshotResponse.newBuilder().setTime((System.nanoTime() - started) / 1e9).build();
        });
    }

    /** The snapshot files of {@code collection} in the snapshots directory, whether the collection exists or not. */
    List<Stored> stored(String collection) {
        synchronized (files) {
            return List.copyOf(files.getOrDefault(collection, List.of()));
        }
    }

    private static byte[] serialise(StoredCollection collection) {
        var out = new java.io.ByteArrayOutputStream();
        for (StoredPoint point : collection.points().values()) {
            try {
                point.whole().writeDelimitedTo(out);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return out.toByteArray();
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

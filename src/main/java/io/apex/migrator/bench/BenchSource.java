package io.apex.migrator.bench;

import io.apex.migrator.qdrant.QdrantGateway;
import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.ListValue;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jboss.logging.Logger;

/**
 * The benchmark's collections, and the rule that keeps it off real data: every collection it creates or deletes carries
 * the reserved prefix {@value #PREFIX}, and it refuses any other name before touching anything.
 *
 * <p>The source collection: {@code points} points with ids 1..N, clustered unit vectors
 * ({@link SyntheticEmbeddings}, Cosine) and a payload shaped like a RAG chunk (ids, tenant, title, ~300 chars
 * of text, url, timestamps, tags). Loaded through Qdrant's own upsert API, so it works against a real Qdrant
 * as well as the stand-in; an existing collection that already holds exactly N points is reused.
 */
final class BenchSource {

    private static final Logger LOGGER = Logger.getLogger(BenchSource.class);
    private static final int LOAD_PAGE = 256;
    private static final String[] WORDS = ("migration vector index payload tenant schema alias cutover shard replica "
            + "segment optimizer quantization recall latency throughput embedding document chunk retrieval").split(" ");

    /** The prefix reserved for the benchmark's collections; nothing else is ever deleted by it. */
    public static final String PREFIX = "bench_";

    private BenchSource() {
    }

    /**
     * Refuses a collection name the benchmark does not own.
     *
     * @throws IllegalArgumentException naming the collection and the rule
     */
    public static void requireOwned(String collection, String option) {
        if (!collection.startsWith(PREFIX) || collection.length() == PREFIX.length()) {
            throw new IllegalArgumentException(option + " '" + collection + "' is not a benchmark collection: the "
                    + "benchmark deletes and recreates its collections, so it only uses names starting with '" + PREFIX
                    + "' (reserved for it). Nothing was changed.");
        }
    }

    /** Makes sure the source holds {@code points} points; returns the mean serialised size of one point. */
    static int ensure(QdrantGateway gateway, String collection, int points, int dimensions) {
        requireOwned(collection, "collection");
        if (gateway.collectionExists(collection) && gateway.count(collection) == points) {
            LOGGER.infof("bench: reusing %s (%s points)", collection, points);
        } else {
            load(gateway, collection, points, dimensions);
        }
        return meanPointBytes(gateway, collection);
    }

    /** A collection with the same vectors as {@code source} (HNSW and optimizers at their defaults). */
    static void createLike(QdrantGateway gateway, String source, String target) {
        requireOwned(target, "collection");
        if (gateway.collectionExists(target)) {
            gateway.deleteCollection(target);
        }
        Collections.CollectionParams params = gateway.collectionInfo(source).getConfig().getParams();
        gateway.createCollection(Collections.CreateCollection.newBuilder().setCollectionName(target)
                .setVectorsConfig(params.getVectorsConfig()).build());
    }

    private static void load(QdrantGateway gateway, String collection, int points, int dimensions) {
        long started = System.nanoTime();
        if (gateway.collectionExists(collection)) {
            gateway.deleteCollection(collection);
        }
        gateway.createCollection(Collections.CreateCollection.newBuilder().setCollectionName(collection)
                .setVectorsConfig(Collections.VectorsConfig.newBuilder().setParams(Collections.VectorParams.newBuilder()
                        .setSize(dimensions).setDistance(Collections.Distance.Cosine)))
                .build());
        SyntheticEmbeddings embeddings = new SyntheticEmbeddings(dimensions, 200, 42);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> pages = new ArrayList<>();
            for (int from = 1; from <= points; from += LOAD_PAGE) {
                int first = from;
                int last = Math.min(points, from + LOAD_PAGE - 1);
                pages.add(pool.submit(() -> gateway.upsert(collection, page(embeddings, first, last))));
            }
            for (Future<?> page : pages) {
                page.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading " + collection, e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("loading " + collection + " failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        LOGGER.infof("bench: loaded %s points into %s in %s ms", points, collection,
                (System.nanoTime() - started) / 1_000_000);
    }

    private static List<Points.PointStruct> page(SyntheticEmbeddings embeddings, int first, int last) {
        List<Points.PointStruct> page = new ArrayList<>(last - first + 1);
        for (int i = first; i <= last; i++) {
            Points.DenseVector.Builder dense = Points.DenseVector.newBuilder();
            for (float x : embeddings.vector(i)) {
                dense.addData(x);
            }
            page.add(Points.PointStruct.newBuilder().setId(PointId.newBuilder().setNum(i))
                    .setVectors(Points.Vectors.newBuilder().setVector(Points.Vector.newBuilder().setDense(dense)))
                    .putAllPayload(payload(i, embeddings.topic(i))).build());
        }
        return page;
    }

    static java.util.Map<String, Value> payload(long i, int topic) {
        StringBuilder text = new StringBuilder();
        for (int w = 0; text.length() < 300; w++) {
            text.append(WORDS[(int) ((i * 7 + w * 13) % WORDS.length)]).append(' ');
        }
        ListValue.Builder tags = ListValue.newBuilder();
        for (int t = 0; t < 3; t++) {
            tags.addValues(text(WORDS[(int) ((i + t * 5) % WORDS.length)]));
        }
        java.util.Map<String, Value> payload = new java.util.LinkedHashMap<>();
        payload.put("doc_id", Value.newBuilder().setStringValue("doc-" + (i / 8)).build());
        payload.put("chunk_index", Value.newBuilder().setIntegerValue(i % 8).build());
        payload.put("tenant", text("tenant-" + (i % 16)));
        payload.put("topic", Value.newBuilder().setIntegerValue(topic).build());
        payload.put("title", text("Synthetic document " + (i / 8) + " about " + WORDS[topic % WORDS.length]));
        payload.put("text", text(text.toString().trim()));
        payload.put("url", text("https://docs.example.com/kb/" + (i / 8) + "#chunk-" + (i % 8)));
        payload.put("created_at", text(Instant.ofEpochSecond(1_700_000_000L + i * 60).toString()));
        payload.put("score", Value.newBuilder().setDoubleValue((i % 1000) / 1000.0).build());
        payload.put("tags", Value.newBuilder().setListValue(tags).build());
        return payload;
    }

    private static Value text(String s) {
        return Value.newBuilder().setStringValue(s).build();
    }

    private static int meanPointBytes(QdrantGateway gateway, String collection) {
        var page = gateway.scroll(collection, null, 100, true, true);
        if (page.points().isEmpty()) {
            return 0;
        }
        long bytes = 0;
        for (Points.RetrievedPoint p : page.points()) {
            bytes += p.getSerializedSize();
        }
        return (int) (bytes / page.points().size());
    }
}

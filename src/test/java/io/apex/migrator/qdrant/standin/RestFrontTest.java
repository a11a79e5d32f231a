package io.apex.migrator.qdrant.standin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.QdrantSettings;
import io.apex.migrator.support.QdrantRest;
import io.apex.migrator.support.QdrantRest.Answer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The stand-in's REST front: Qdrant's JSON shapes and HTTP codes, over the same collections as its gRPC side. */
class RestFrontTest {

    private static final String UUID_ID = "5c56c793-69f3-4fbf-87e6-c4bf54c28c26";
    private static QdrantStandIn standIn;
    private static QdrantRest rest;
    private static QdrantGateway grpc;

    @BeforeAll
    static void start() {
        standIn = QdrantStandIn.start();
        rest = new QdrantRest(standIn.restPort());
        grpc = QdrantGateway.connect(QdrantSettings.of(standIn.host(), standIn.port()));
    }

    @AfterAll
    static void stop() {
        grpc.close();
        standIn.close();
    }

    @Test
    void aCollectionCreatedOverRestIsTheOneGrpcSeesAndAnAliasReachesIt() {
        // when
        Answer created = rest.put("/collections/docs_a", "{\"vectors\":{\"size\":4,\"distance\":\"Cosine\"},"
                + "\"hnsw_config\":{\"m\":16,\"ef_construct\":64},"
                + "\"quantization_config\":{\"scalar\":{\"type\":\"int8\",\"quantile\":0.99,\"always_ram\":true}}}");
        Answer again = rest.put("/collections/docs_a", "{\"vectors\":{\"size\":4,\"distance\":\"Cosine\"}}");
        Answer aliased = rest.post("/collections/aliases",
                "{\"actions\":[{\"create_alias\":{\"collection_name\":\"docs_a\",\"alias_name\":\"docs\"}}]}");

        // then
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.result().asBoolean()).isTrue();
        assertThat(created.json().path("status").asText()).isEqualTo("ok");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.error()).isEqualTo("Wrong input: Collection `docs_a` already exists!");
        assertThat(aliased.status()).isEqualTo(200);
        JsonNode info = rest.get("/collections/docs").result();
        assertThat(info.path("status").asText()).isEqualTo("green");
        assertThat(info.path("config").path("params").path("vectors").path("size").asInt()).isEqualTo(4);
        assertThat(info.path("config").path("params").path("vectors").path("distance").asText()).isEqualTo("Cosine");
        assertThat(info.path("config").path("hnsw_config").path("m").asInt()).isEqualTo(16);
        assertThat(info.path("config").path("quantization_config").path("scalar").path("type").asText())
                .isEqualTo("int8");
        assertThat(grpc.collectionInfo("docs_a").getConfig().getHnswConfig().getEfConstruct()).isEqualTo(64);
        assertThat(rest.get("/collections").result().path("collections").findValuesAsText("name")).contains("docs_a");
        assertThat(rest.get("/collections/aliases").result().path("aliases").get(0).path("collection_name").asText())
                .isEqualTo("docs_a");
    }

    @Test
    void pointsWrittenOverRestReadTheSameOverRestAndGrpc() {
        // given
        rest.put("/collections/pts", "{\"vectors\":{\"size\":2,\"distance\":\"Dot\"}}");

        // when: both upsert forms, integer and UUID ids
        Answer listed = rest.put("/collections/pts/points?wait=true", "{\"points\":[{\"id\":1,\"vector\":[1,0],"
                + "\"payload\":{\"kind\":\"a\",\"n\":1}},{\"id\":\"" + UUID_ID + "\",\"vector\":[0,1],"
                + "\"payload\":{\"kind\":\"b\",\"nested\":{\"x\":[1,2.5,null]}}}]}");
        Answer batched = rest.put("/collections/pts/points", "{\"batch\":{\"ids\":[2,3],\"vectors\":[[1,1],[2,2]],"
                + "\"payloads\":[{\"kind\":\"a\"},{\"kind\":\"c\"}]}}");

        // then
        assertThat(listed.result().path("status").asText()).isEqualTo("completed");
        assertThat(batched.result().path("status").asText()).isEqualTo("acknowledged");
        assertThat(grpc.count("pts")).isEqualTo(4);
        JsonNode got = rest.post("/collections/pts/points", "{\"ids\":[\"" + UUID_ID + "\"],\"with_vector\":true}")
                .result();
        assertThat(got).hasSize(1);
        assertThat(got.get(0).path("id").asText()).isEqualTo(UUID_ID);
        assertThat(got.get(0).path("payload").path("nested").path("x").toString()).isEqualTo("[1,2.5,null]");
        assertThat(got.get(0).path("vector").toString()).isEqualTo("[0.0,1.0]");
        JsonNode page = rest.post("/collections/pts/points/scroll", "{\"limit\":2,"
                + "\"filter\":{\"must\":[{\"key\":\"kind\",\"match\":{\"value\":\"a\"}}]}}").result();
        assertThat(ids(page.path("points"))).containsExactly("1", "2");
        assertThat(page.path("next_page_offset").isNull()).isTrue();
        assertThat(rest.post("/collections/pts/points/scroll", "{\"limit\":3}").result().path("next_page_offset")
                .asText()).isEqualTo(UUID_ID);
        assertThat(rest.post("/collections/pts/points/count", "{\"filter\":{\"must_not\":[{\"key\":\"kind\","
                + "\"match\":{\"any\":[\"a\"]}}]}}").result().path("count").asLong()).isEqualTo(2);
        JsonNode hits = rest.post("/collections/pts/points/query", "{\"query\":[1,0],\"limit\":2}").result()
                .path("points");
        assertThat(ids(hits)).containsExactly("3", "1");
        assertThat(hits.get(0).path("score").asDouble()).isEqualTo(2.0);
        assertThat(ids(rest.post("/collections/pts/points/search", "{\"vector\":[1,0],\"limit\":1}").result()))
                .containsExactly("3");
    }

    @Test
    void deletesAndPayloadWritesOverRestByIdAndByFilter() {
        // given
        rest.put("/collections/w", "{\"vectors\":{\"size\":2,\"distance\":\"Euclid\"}}");
        rest.put("/collections/w/points?wait=true", "{\"points\":[" + point(1, "a") + "," + point(2, "a") + ","
                + point(3, "b") + "," + point(4, "b") + "]}");

        // when
        rest.post("/collections/w/points/payload?wait=true", "{\"payload\":{\"tag\":\"x\"},\"points\":[1]}");
        rest.put("/collections/w/points/payload?wait=true",
                "{\"payload\":{\"only\":true},\"filter\":{\"must\":{\"key\":\"kind\",\"match\":{\"value\":\"b\"}}}}");
        Answer deletedById = rest.post("/collections/w/points/delete?wait=true", "{\"points\":[2]}");
        Answer deletedByFilter = rest.post("/collections/w/points/delete?wait=true",
                "{\"filter\":{\"must\":[{\"has_id\":[4]}]}}");
        Answer noSelector = rest.post("/collections/w/points/delete", "{}");

        // then
        assertThat(deletedById.status()).isEqualTo(200);
        assertThat(deletedByFilter.status()).isEqualTo(200);
        assertThat(noSelector.status()).isEqualTo(400);
        JsonNode left = rest.post("/collections/w/points/scroll", "{}").result().path("points");
        assertThat(ids(left)).containsExactly("1", "3");
        assertThat(left.get(0).path("payload")).isEqualTo(json("{\"kind\":\"a\",\"tag\":\"x\"}"));
        assertThat(left.get(1).path("payload")).isEqualTo(json("{\"only\":true}"));
    }

    @Test
    void errorsCarryQdrantsCodesAndShape() {
        // when
        Answer missing = rest.get("/collections/nope");
        Answer missingPoints = rest.put("/collections/nope/points", "{\"points\":[]}");
        Answer badJson = rest.put("/collections/x_bad", "{not json");
        Answer badVector = rest.put("/collections/pts_bad", "{\"vectors\":{\"size\":2,\"distance\":\"Cosine\"}}");
        Answer wrongDimension = rest.put("/collections/pts_bad/points", "{\"points\":[{\"id\":1,\"vector\":[1,2,3]}]}");

        // then
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.error()).isEqualTo("Not found: Collection `nope` doesn't exist!");
        assertThat(missing.json().has("time")).isTrue();
        assertThat(missingPoints.status()).isEqualTo(404);
        assertThat(badJson.status()).isEqualTo(400);
        assertThat(badVector.status()).isEqualTo(200);
        assertThat(wrongDimension.status()).isEqualTo(400);
        assertThat(wrongDimension.error()).contains("expected dim: 2, got 3");
    }

    @Test
    void aStandInWithAnApiKeyRefusesRestCallsWithoutIt() {
        try (QdrantStandIn secured = QdrantStandIn.startWithApiKey(0, "k3y")) {
            // when
            Answer without = new QdrantRest(secured.restPort()).get("/collections");
            Answer wrong = new QdrantRest("localhost", secured.restPort(), Optional.of("other")).get("/collections");
            Answer with = new QdrantRest("localhost", secured.restPort(), Optional.of("k3y")).get("/collections");

            // then
            assertThat(without.status()).isEqualTo(401);
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(with.status()).isEqualTo(200);
        }
    }

    private static JsonNode json(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String point(int id, String kind) {
        return "{\"id\":" + id + ",\"vector\":[" + id + ",0],\"payload\":{\"kind\":\"" + kind + "\"}}";
    }

    private static List<String> ids(JsonNode points) {
        List<String> out = new ArrayList<>();
        points.forEach(p -> out.add(p.path("id").asText()));
        return out;
    }
}

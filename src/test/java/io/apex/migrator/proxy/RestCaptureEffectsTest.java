package io.apex.migrator.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.apex.migrator.api.PointKey;
import io.apex.migrator.qdrant.QdrantRestClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** What a captured REST write does to points: the ids it names and its by-filter part. */
class RestCaptureEffectsTest {

    private static final String U = "5c56c793-69f3-4fbf-87e6-c4bf54c28c26";

    static Stream<Arguments> writesById() {
        return Stream.of(
                Arguments.argumentSet("upsert of a points list", "PUT", "/points",
                        "{\"points\":[{\"id\":1,\"vector\":[1]},{\"id\":\"" + U + "\",\"vector\":[2]}]}",
                        List.of(num(1), uuid(U))),
                Arguments.argumentSet("upsert of a batch", "PUT", "/points",
                        "{\"batch\":{\"ids\":[7,18446744073709551615],\"vectors\":[[1],[2]]}}",
                        List.of(num(7), num(-1))),
                Arguments.argumentSet("delete by ids", "POST", "/points/delete", "{\"points\":[3,\"" + U + "\"]}",
                        List.of(num(3), uuid(U))),
                Arguments.argumentSet("set payload by ids", "POST", "/points/payload",
                        "{\"payload\":{\"a\":1},\"points\":[4]}", List.of(num(4))),
                Arguments.argumentSet("overwrite payload by ids", "PUT", "/points/payload",
                        "{\"payload\":{},\"points\":[5]}", List.of(num(5))),
                Arguments.argumentSet("delete payload by ids", "POST", "/points/payload/delete",
                        "{\"keys\":[\"a\"],\"points\":[6]}", List.of(num(6))),
                Arguments.argumentSet("clear payload by ids", "POST", "/points/payload/clear", "{\"points\":[8]}",
                        List.of(num(8))),
                Arguments.argumentSet("update vectors", "PUT", "/points/vectors",
                        "{\"points\":[{\"id\":9,\"vector\":{\"img\":[1]}}]}", List.of(num(9))),
                Arguments.argumentSet("delete vectors by ids", "POST", "/points/vectors/delete",
                        "{\"points\":[10],\"vector\":[\"img\"]}", List.of(num(10))),
                Arguments.argumentSet("UUID in its simple form", "POST", "/points/delete",
                        "{\"points\":[\"" + U.replace("-", "").toUpperCase() + "\"]}", List.of(uuid(U))));
    }

    @ParameterizedTest
    @MethodSource("writesById")
    void aWriteByIdNamesItsPointsAndNoFilter(String httpMethod, String endpoint, String body,
            List<PointKey> expected) {
        // when
        CaptureEffect effect = RestCaptureEffects.of(method(httpMethod, endpoint), bytes(body));

        // then
        assertThat(effect.ids()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(effect.filters()).isEmpty();
    }

    static Stream<Arguments> writesByFilter() {
        String filter = "\"filter\":{\"must\":[{\"key\":\"k\",\"match\":{\"value\":\"v\"}}]}";
        return Stream.of(
                Arguments.argumentSet("delete", "POST", "/points/delete", "{" + filter + "}"),
                Arguments.argumentSet("set payload", "POST", "/points/payload", "{\"payload\":{\"a\":1}," + filter + "}"),
                Arguments.argumentSet("overwrite payload", "PUT", "/points/payload", "{\"payload\":{}," + filter + "}"),
                Arguments.argumentSet("delete payload", "POST", "/points/payload/delete",
                        "{\"keys\":[\"a\"]," + filter + "}"),
                Arguments.argumentSet("clear payload", "POST", "/points/payload/clear", "{" + filter + "}"),
                Arguments.argumentSet("delete vectors", "POST", "/points/vectors/delete",
                        "{\"vector\":[\"img\"]," + filter + "}"));
    }

    @ParameterizedTest
    @MethodSource("writesByFilter")
    void aWriteByFilterSelectsItsPointsWithAScrollOfThatFilter(String httpMethod, String endpoint, String body) {
        // given
        RecordingRest rest = new RecordingRest();

        // when: the applier asks which points the filter matches in a collection
        CaptureEffect effect = RestCaptureEffects.of(method(httpMethod, endpoint), bytes(body));
        var matching = effect.filters().get(0).matching(null, rest.client(), "docs v2");

        // then: Qdrant's REST scroll of that collection with the client's filter, ids only
        assertThat(effect.ids()).isEmpty();
        assertThat(effect.filters()).hasSize(1);
        assertThat(matching).isEmpty();
        assertThat(rest.sent).containsExactly("POST /collections/docs%20v2/points/scroll?null "
                + "{\"filter\":{\"must\":[{\"key\":\"k\",\"match\":{\"value\":\"v\"}}]},\"limit\":1000,"
                + "\"with_payload\":false,\"with_vector\":false}");
    }

    @Test
    void aBatchNamesTheIdsOfItsOperationsAndTheFiltersOfItsOperationsByFilter() {
        // given
        String byFilter = "{\"delete\":{\"filter\":{\"must\":[{\"has_id\":[99]}]}}}";
        String body = "{\"operations\":["
                + "{\"upsert\":{\"points\":[{\"id\":1,\"vector\":[1]}]}},"
                + "{\"upsert\":{\"batch\":{\"ids\":[2],\"vectors\":[[1]]}}},"
                + "{\"delete\":{\"points\":[3]}},"
                + byFilter + ","
                + "{\"set_payload\":{\"payload\":{\"a\":1},\"points\":[4]}},"
                + "{\"overwrite_payload\":{\"payload\":{},\"points\":[\"" + U + "\"]}},"
                + "{\"delete_payload\":{\"keys\":[\"a\"],\"points\":[5]}},"
                + "{\"clear_payload\":{\"points\":[6]}},"
                + "{\"update_vectors\":{\"points\":[{\"id\":7,\"vector\":[1]}]}},"
                + "{\"delete_vectors\":{\"points\":[8],\"vector\":[\"\"]}}]}";
        RecordingRest rest = new RecordingRest();

        // when
        CaptureEffect effect = RestCaptureEffects.of(method("POST", "/points/batch"), bytes(body));
        effect.filters().get(0).matching(null, rest.client(), "t");

        // then
        assertThat(effect.ids()).containsExactlyInAnyOrder(num(1), num(2), num(3), num(4), uuid(U), num(5), num(6),
                num(7), num(8));
        assertThat(effect.filters()).hasSize(1);
        assertThat(rest.sent).containsExactly("POST /collections/t/points/scroll?null {\"filter\":{\"must\":"
                + "[{\"has_id\":[99]}]},\"limit\":1000,\"with_payload\":false,\"with_vector\":false}");
    }

    @Test
    void aBatchWithoutFilterOperationsHasNoFilter() {
        // when
        CaptureEffect effect = RestCaptureEffects.of(method("POST", "/points/batch"),
                bytes("{\"operations\":[{\"delete\":{\"points\":[1]}}]}"));

        // then
        assertThat(effect.ids()).containsExactly(num(1));
        assertThat(effect.filters()).isEmpty();
    }

    @Test
    void aBodyThatIsNoJsonObjectIsRefused() {
        assertThatThrownBy(() -> RestCaptureEffects.of(method("PUT", "/points"), bytes("[1,2]")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RestCaptureEffects.of(method("PUT", "/points"), bytes("{\"points\":")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theCapturedRecordOfARestWriteCarriesItsMethodAndDispatchesToRestEffects() {
        // given
        CapturedWrite write = new CapturedWrite(UUID.randomUUID(), "src", method("POST", "/points/delete"),
                java.time.Instant.now(), bytes("{\"points\":[42]}"));

        // when
        CapturedWrite read = CapturedWrite.of(write.headers(), write.request());

        // then
        assertThat(read.method()).isEqualTo("REST POST /collections/{name}/points/delete");
        assertThat(read.effect().ids()).containsExactly(num(42));
    }

    @Test
    void onlyTheWriteEndpointsAreCapturedAndTheirCollectionIsDecoded() {
        assertThat(RestCaptureMethods.of("PUT", "/collections/my%20docs/points"))
                .contains(new RestCaptureMethods.RestWrite("REST PUT /collections/{name}/points", "my docs"));
        assertThat(RestCaptureMethods.of("POST", "/collections/docs/points/batch")).isPresent();
        assertThat(RestCaptureMethods.of("POST", "/collections/docs/points")).isEmpty();
        assertThat(RestCaptureMethods.of("POST", "/collections/docs/points/scroll")).isEmpty();
        assertThat(RestCaptureMethods.of("PUT", "/collections/docs")).isEmpty();
        assertThat(RestCaptureMethods.of("GET", "/collections/docs/points/payload")).isEmpty();
        assertThat(CaptureMethods.isCaptured("REST POST /collections/{name}/points/delete")).isTrue();
        assertThat(CaptureMethods.isCaptured("REST POST /collections/{name}/points/scroll")).isFalse();
    }

    // --- helpers ---------------------------------------------------------------------------------------

    private static String method(String httpMethod, String endpoint) {
        return "REST " + httpMethod + " /collections/{name}" + endpoint;
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static PointKey num(long n) {
        return new PointKey(n, null);
    }

    private static PointKey uuid(String u) {
        return new PointKey(null, UUID.fromString(u));
    }

    /** A REST client whose requests land in a local HTTP server that records them and answers 200. */
    private static final class RecordingRest {
        final List<String> sent = new ArrayList<>();

        QdrantRestClient client() {
            try {
                var server = com.sun.net.httpserver.HttpServer.create(
                        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
                server.createContext("/", exchange -> {
                    sent.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + "?"
                            + exchange.getRequestURI().getRawQuery() + " "
                            + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                    byte[] ok = "{\"result\":{},\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, ok.length);
                    exchange.getResponseBody().write(ok);
                    exchange.close();
                    server.stop(0);
                });
                server.start();
                return QdrantRestClient.connect(io.apex.migrator.qdrant.QdrantSettings.of("127.0.0.1", 6334),
                        server.getAddress().getPort());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}

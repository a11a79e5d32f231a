package io.apex.migrator.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Meter tags of a REST call: Qdrant's endpoints by group and path template, anything else as one {@code other}. */
class RestEndpointTagsTest {

    @Test
    void aQdrantEndpointIsTaggedByGroupAndTemplateWithoutCollectionNamesOrIds() {
        assertThat(RestEndpointTags.of("PUT", "/collections/docs_v1/points"))
                .isEqualTo(new RestEndpointTags("points", "PUT /collections/{name}/points", true));
        assertThat(RestEndpointTags.of("POST", "/collections/other%20name/points/payload/clear"))
                .isEqualTo(new RestEndpointTags("points", "POST /collections/{name}/points/payload/clear", true));
        assertThat(RestEndpointTags.of("POST", "/collections/docs/points/query"))
                .isEqualTo(new RestEndpointTags("points", "POST /collections/{name}/points/query", false));
        assertThat(RestEndpointTags.of("GET", "/collections/docs/points/42"))
                .isEqualTo(new RestEndpointTags("points", "GET /collections/{name}/points/{id}", false));
        assertThat(RestEndpointTags.of("GET", "/collections/docs"))
                .isEqualTo(new RestEndpointTags("collections", "GET /collections/{name}", false));
        assertThat(RestEndpointTags.of("GET", "/")).isEqualTo(new RestEndpointTags("service", "GET /", false));
        assertThat(RestEndpointTags.of("DELETE", "/collections/docs/snapshots/s-1.snapshot")).isEqualTo(
                new RestEndpointTags("snapshots", "DELETE /collections/{name}/snapshots/{snapshot}", false));
    }

    @Test
    void aLiteralSegmentWinsOverAVariableOne() {
        assertThat(RestEndpointTags.of("POST", "/collections/aliases"))
                .isEqualTo(new RestEndpointTags("aliases", "POST /collections/aliases", false));
        assertThat(RestEndpointTags.of("POST", "/collections/docs/points/scroll"))
                .isEqualTo(new RestEndpointTags("points", "POST /collections/{name}/points/scroll", false));
    }

    @Test
    void everyCapturedWriteEndpointIsTaggedAsAWrite() {
        for (String[] write : new String[][] {{"PUT", "/points"}, {"POST", "/points/delete"},
                {"POST", "/points/payload"}, {"PUT", "/points/payload"}, {"POST", "/points/payload/delete"},
                {"POST", "/points/payload/clear"}, {"PUT", "/points/vectors"}, {"POST", "/points/vectors/delete"},
                {"POST", "/points/batch"}}) {
            RestEndpointTags tags = RestEndpointTags.of(write[0], "/collections/c" + write[1]);
            assertThat(tags.write()).as(write[0] + " " + write[1]).isTrue();
            assertThat(RestCaptureMethods.of(write[0], "/collections/c" + write[1])).isPresent();
        }
    }

    @Test
    void aPathOrMethodAClientMadeUpIsTaggedOther() {
        RestEndpointTags other = new RestEndpointTags("other", "other", false);
        assertThat(RestEndpointTags.of("GET", "/collections/docs/nothing/" + System.nanoTime())).isEqualTo(other);
        assertThat(RestEndpointTags.of("PATCH", "/collections/docs/points")).isEqualTo(other);
        assertThat(RestEndpointTags.of("GET", "/collections//exists")).isEqualTo(other);
        assertThat(RestEndpointTags.of("GET", "no-slash")).isEqualTo(other);
        assertThat(RestEndpointTags.of(null, null)).isEqualTo(other);
    }
}

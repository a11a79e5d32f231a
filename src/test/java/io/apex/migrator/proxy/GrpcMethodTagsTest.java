package io.apex.migrator.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Meter tags of a call: Qdrant's methods by name, anything else a client sends as one {@code other}. */
class GrpcMethodTagsTest {

    @Test
    void aQdrantMethodIsTaggedByServiceAndMethod() {
        assertThat(GrpcMethodTags.of("qdrant.Points/Upsert"))
                .isEqualTo(new GrpcMethodTags("qdrant.Points", "Upsert", true));
        assertThat(GrpcMethodTags.of("qdrant.Points/Search"))
                .isEqualTo(new GrpcMethodTags("qdrant.Points", "Search", false));
        assertThat(GrpcMethodTags.of("qdrant.Collections/List"))
                .isEqualTo(new GrpcMethodTags("qdrant.Collections", "List", false));
        assertThat(GrpcMethodTags.of("qdrant.Qdrant/HealthCheck"))
                .isEqualTo(new GrpcMethodTags("qdrant.Qdrant", "HealthCheck", false));
    }

    @Test
    void aMethodNameAClientMadeUpIsTaggedOther() {
        assertThat(GrpcMethodTags.of("qdrant.Points/NoSuch" + System.nanoTime()))
                .isEqualTo(new GrpcMethodTags("other", "other", false));
        assertThat(GrpcMethodTags.of("anything")).isEqualTo(GrpcMethodTags.of(null));
    }
}

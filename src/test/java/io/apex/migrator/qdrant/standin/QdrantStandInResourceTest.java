package io.apex.migrator.qdrant.standin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class QdrantStandInResourceTest {

    @Test
    void theResourceHandsQuarkusTheSharedStandInsEndpoint() {
        // given
        QdrantStandInResource resource = new QdrantStandInResource();

        // when
        Map<String, String> config = resource.start();

        // then
        QdrantStandIn.Shared shared = QdrantStandIn.shared();
        assertThat(config).containsOnly(Map.entry("apex.qdrant.host", shared.host()),
                Map.entry("apex.qdrant.port", Integer.toString(shared.port())),
                Map.entry("apex.qdrant.rest-port", Integer.toString(shared.restPort())));
    }
}

package io.apex.migrator.qdrant;

import static org.assertj.core.api.Assertions.assertThat;

import io.apex.migrator.qdrant.standin.QdrantStandIn;
import io.apex.migrator.qdrant.standin.QdrantStandInResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The beans the Kafka command consumer injects: gateway from apex.qdrant.*, provisioner over it. */
@QuarkusTest
@WithTestResource(QdrantStandInResource.class)
class CollectionProvisionerBeanIT {

    @Inject
    QdrantGateway gateway;

    @Inject
    CollectionProvisioner provisioner;

    @Test
    void theInjectedProvisionerReadsTheSharedStandInThroughTheConfiguredGateway() {
        // when: read-only, the shared stand-in belongs to every test in this JVM
        List<CollectionStatus> statuses = provisioner.inspect(ProvisioningRequest.all());

        // then
        assertThat(gateway.settings().port()).isEqualTo(QdrantStandIn.shared().port());
        assertThat(gateway.settings().timeout()).hasSeconds(30);
        assertThat(gateway.settings().retry()).isEqualTo(RetryPolicy.DEFAULT);
        assertThat(statuses).extracting(s -> s.spec().collection())
                .containsExactly("chunks_v2", "documents_v2", "structured_data_v2");
    }
}

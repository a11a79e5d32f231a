package io.apex.migrator.qdrant.standin;

import io.apex.migrator.containers.RealStackImages;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.qdrant.QdrantContainer;

/**
 * The Qdrant contract on a real Qdrant 1.18 in a container (Testcontainers), so the stand-in's behaviour is
 * checked against the real server wherever Docker exists. Where it does not (our CI, these machines) JUnit reports
 * the class as disabled by its environment (no Docker), not as passed. README "Qdrant stand-in" says how to run it.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerQdrantContractIT extends ShardKeysContract {

    @Container
    static final QdrantContainer QDRANT = new QdrantContainer(RealStackImages.QDRANT);

    @Override
    protected QdrantClient connect() {
        return new QdrantClient(QdrantGrpcClient.newBuilder(QDRANT.getHost(), QDRANT.getGrpcPort(), false).build());
    }

    @Override
    protected io.apex.migrator.qdrant.QdrantSettings gatewaySettings() {
        return io.apex.migrator.qdrant.QdrantSettings.of(QDRANT.getHost(), QDRANT.getGrpcPort());
    }
}

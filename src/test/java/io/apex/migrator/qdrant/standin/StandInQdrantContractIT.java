package io.apex.migrator.qdrant.standin;

import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The Qdrant contract on the stand-in: runs everywhere, always. */
class StandInQdrantContractIT extends ShardKeysContract {

    private static QdrantStandIn standIn;

    @BeforeAll
    static void startStandIn() {
        standIn = QdrantStandIn.start();
    }

    @AfterAll
    static void stopStandIn() {
        standIn.close();
    }

    @Override
    protected boolean indexingTakes(java.time.Duration delay) {
        standIn.faults().indexingDelay(delay);
        return true;
    }

    @Override
    protected QdrantClient connect() {
        return new QdrantClient(QdrantGrpcClient.newBuilder(standIn.host(), standIn.port(), false).build());
    }

    @Override
    protected io.apex.migrator.qdrant.QdrantSettings gatewaySettings() {
        return io.apex.migrator.qdrant.QdrantSettings.of(standIn.host(), standIn.port());
    }
}

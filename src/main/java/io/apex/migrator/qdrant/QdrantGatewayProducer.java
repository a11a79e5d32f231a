package io.apex.migrator.qdrant;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Makes the application's {@link QdrantGateway} from {@code apex.qdrant.*}; the channel connects lazily. */
@Singleton
final class QdrantGatewayProducer {

    @Produces
    @Singleton
    QdrantGateway gateway(QdrantConfig config) {
        return QdrantGateway.connect(config.settings());
    }

    void close(@Disposes QdrantGateway gateway) {
        gateway.close();
    }
}

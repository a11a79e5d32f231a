package io.apex.migrator.qdrant;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Makes the application's {@link QdrantGateway} and {@link QdrantRestClient} from {@code apex.qdrant.*}; both connect
 * lazily.
 */
@Singleton
final class QdrantGatewayProducer {

    @Produces
    @Singleton
    QdrantGateway gateway(QdrantConfig config) {
        return QdrantGateway.connect(config.settings());
    }

    @Produces
    @Singleton
    QdrantRestClient restClient(QdrantConfig config) {
        return QdrantRestClient.connect(config.settings(), config.restPort());
    }

    void close(@Disposes QdrantGateway gateway) {
        gateway.close();
    }
}

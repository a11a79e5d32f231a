package io.apex.migrator.qdrant.standin;

import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import java.net.URI;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The Qdrant contract on a real Qdrant: runs where {@code QDRANT_URL} names one (its gRPC endpoint, e.g.
 * {@code http://localhost:6334}; {@code https://} for TLS) and {@code QDRANT_API_KEY} holds its key if it
 * has one. Where no Qdrant exists (our CI, no Docker) JUnit reports this class as disabled by its condition,
 * which is a statement about the machine, not a skipped failure. README "Qdrant stand-in" says how to run it.
 */
@EnabledIfEnvironmentVariable(named = "QDRANT_URL", matches = ".+")
class RealQdrantContractIT extends ShardKeysContract {

    @Override
    protected QdrantClient connect() {
        URI url = URI.create(System.getenv("QDRANT_URL"));
        boolean tls = "https".equalsIgnoreCase(url.getScheme());
        QdrantGrpcClient.Builder builder = QdrantGrpcClient.newBuilder(url.getHost(),
                url.getPort() > 0 ? url.getPort() : 6334, tls);
        String apiKey = System.getenv("QDRANT_API_KEY");
        if (apiKey != null && !apiKey.isBlank()) {
            builder.withApiKey(apiKey);
        }
        return new QdrantClient(builder.build());
    }

    @Override
    protected io.apex.migrator.qdrant.QdrantSettings gatewaySettings() {
        URI url = URI.create(System.getenv("QDRANT_URL"));
        String apiKey = System.getenv("QDRANT_API_KEY");
        return io.apex.migrator.qdrant.QdrantSettings.of(url.getHost(), url.getPort() > 0 ? url.getPort() : 6334)
                .withTls("https".equalsIgnoreCase(url.getScheme()))
                .withApiKey(apiKey == null || apiKey.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(apiKey));
    }
}

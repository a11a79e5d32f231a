package io.apex.migrator.qdrant;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * The one way a gRPC channel to Qdrant is opened (TLS or plain text, the inbound size limit), shared by the
 * {@link QdrantGateway} and the capture proxy's upstream, so both reach Qdrant with the same settings. The channel
 * carries no credentials: the gateway adds its API key per call; the proxy passes its clients' headers on.
 */
public final class QdrantChannels {

    private static final Logger LOGGER = Logger.getLogger(QdrantChannels.class);
    /** Scroll pages with vectors are large (1,000 × 1536-d ≈ 6.5 MB); accept answers well above gRPC's 4 MiB. */
    public static final int MAX_INBOUND_BYTES = 256 * 1024 * 1024;

    private QdrantChannels() {
    }

    /** A (lazily connecting) channel to the endpoint {@code settings} describe. */
    public static ManagedChannel open(QdrantSettings settings) {
        Objects.requireNonNull(settings, "settings");
        ManagedChannelBuilder<?> builder = ManagedChannelBuilder.forAddress(settings.host(), settings.port())
                .maxInboundMessageSize(MAX_INBOUND_BYTES);
        if (settings.tls()) {
            builder.useTransportSecurity();
        } else {
            builder.usePlaintext();
            if (settings.apiKey().isPresent()) {
                LOGGER.warnf("Qdrant API key is sent without TLS to %s; set apex.qdrant.tls=true outside a trusted "
                        + "network", settings.endpoint());
            }
        }
        return builder.build();
    }
}

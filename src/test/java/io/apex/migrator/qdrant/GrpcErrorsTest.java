package io.apex.migrator.qdrant;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Metadata;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class GrpcErrorsTest {

    private static QdrantException map(Status status, Metadata trailers) {
        return GrpcErrors.map(new ExecutionException(status.asRuntimeException(trailers)), "documents_v2", "upsert",
                "qdrant:6334");
    }

    @Test
    void notFoundNamesTheCollectionAndTheOperation() {
        // when
        QdrantException e = map(Status.NOT_FOUND.withDescription("Collection `documents_v2` doesn't exist!"), null);

        // then
        assertThat(e).isInstanceOf(CollectionNotFoundException.class)
                .hasMessageContaining("`documents_v2`").hasMessageContaining("upsert");
        assertThat(e.collection()).contains("documents_v2");
    }

    @Test
    void alreadyExistsBecomesItsOwnType() {
        QdrantException e = map(Status.ALREADY_EXISTS.withDescription("Wrong input: Collection `documents_v2` "
                + "already exists!"), null);

        assertThat(e).isInstanceOf(CollectionAlreadyExistsException.class).hasMessageContaining("documents_v2");
    }

    @Test
    void rateLimitCarriesTheServersRetryAfter() {
        // given
        Metadata trailers = new Metadata();
        trailers.put(GrpcErrors.RETRY_AFTER, "2");

        // when
        QdrantException e = map(Status.RESOURCE_EXHAUSTED.withDescription("rate limited"), trailers);

        // then
        assertThat(e).isInstanceOf(QdrantTransientException.class);
        assertThat(((QdrantTransientException) e).retryAfter()).contains(Duration.ofSeconds(2));
    }

    @Test
    void aMessageOverTheSizeLimitIsNotRetried() {
        QdrantException e = map(Status.RESOURCE_EXHAUSTED
                .withDescription("gRPC message exceeds maximum size 4194304: 6912345"), null);

        assertThat(e).isInstanceOf(QdrantRequestException.class).hasMessageContaining("exceeds maximum size");
    }

    @Test
    void unavailableNamesTheEndpoint() {
        QdrantException e = map(Status.UNAVAILABLE.withDescription("io exception"), null);

        assertThat(e).isInstanceOf(QdrantTransientException.class)
                .hasMessageContaining("qdrant:6334").hasMessageContaining("`documents_v2`");
    }

    @Test
    void invalidArgumentIsARequestError() {
        QdrantException e = map(Status.INVALID_ARGUMENT.withDescription("Wrong input: vector dimension error: "
                + "expected dim: 1536, got 768"), null);

        assertThat(e).isInstanceOf(QdrantRequestException.class)
                .hasMessageContaining("INVALID_ARGUMENT").hasMessageContaining("expected dim: 1536");
        assertThat(((QdrantRequestException) e).code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }
}

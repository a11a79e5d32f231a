package io.apex.migrator.qdrant.standin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApiKeyTest {

    private QdrantStandIn standIn;

    @BeforeEach
    void start() {
        standIn = QdrantStandIn.startWithApiKey(0, "s3cret-key");
    }

    @AfterEach
    void stop() {
        standIn.close();
    }

    @Test
    void callsWithTheKeySucceed() throws Exception {
        try (QdrantClient client = new QdrantClient(QdrantGrpcClient.newBuilder(standIn.host(), standIn.port(), false)
                .withApiKey("s3cret-key").build())) {
            assertThat(client.listCollectionsAsync().get()).isEmpty();
        }
    }

    @Test
    void callsWithoutOrWithAWrongKeyAreUnauthenticatedWithoutEchoingTheKey() {
        try (QdrantClient none = new QdrantClient(QdrantGrpcClient.newBuilder(standIn.host(), standIn.port(), false)
                .build());
                QdrantClient wrong = new QdrantClient(QdrantGrpcClient.newBuilder(standIn.host(), standIn.port(),
                        false).withApiKey("guess").build())) {
            assertThatThrownBy(() -> none.listCollectionsAsync().get()).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                        assertThat(e.getStatus().getDescription()).contains("Must provide an API key");
                    });
            assertThatThrownBy(() -> wrong.listCollectionsAsync().get()).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                        assertThat(e.getStatus().getDescription()).doesNotContain("guess");
                    });
        }
    }
}

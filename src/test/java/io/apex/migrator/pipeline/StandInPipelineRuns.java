package io.apex.migrator.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.apex.migrator.api.Messages;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.standin.QdrantStandIn;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunStore;
import io.qdrant.client.grpc.Collections.AliasOperations;
import io.qdrant.client.grpc.Collections.CreateAlias;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;

/**
 * What the {@code @QuarkusTest}s of the worker pipeline ({@link PipelineWorkerResource}, the Qdrant stand-in) share:
 * the gateway and the run store, commands sent and events read through the {@link PipelineTopics} of the test
 * class (closed after it), and the stand-in's faults reset after each test.
 */
abstract class StandInPipelineRuns {

    @Inject
    QdrantGateway gateway;
    @Inject
    RunStore runStore;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private static PipelineTopics topics;

    @AfterEach
    void resetFaults() {
        QdrantStandIn.shared().faults().reset();
    }

    @AfterAll
    static synchronized void closeTopics() {
        if (topics != null) {
            topics.close();
            topics = null;
        }
    }

    void pointAlias(String alias, String collection) {
        gateway.updateAliases(List.of(AliasOperations.newBuilder()
                .setCreateAlias(CreateAlias.newBuilder().setAliasName(alias).setCollectionName(collection)).build()));
    }

    void send(String json) {
        topics().send(json);
    }

    JsonNode awaitEvent(String commandId, String shortType, Duration within) {
        return topics().awaitEvent(commandId, shortType, within);
    }

    List<JsonNode> eventsOf(String commandId, String shortType) {
        return topics().eventsOf(commandId, shortType);
    }

    List<String> typesOf(String commandId) {
        return topics().typesOf(commandId);
    }

    /** A qdrant.cutover command for the run, as an operator sends it. */
    static String cutover(String commandId, UUID runId) {
        return "{\"schemaVersion\":1,\"commandId\":\"" + commandId + "\",\"type\":\"qdrant.cutover\",\"runId\":\""
                + runId + "\"}";
    }

    static String cutover(UUID runId) {
        return cutover("cut-" + UUID.randomUUID(), runId);
    }

    /** The run's summary (JSON): what {@code status} reads of it. */
    static JsonNode summary(Run run) {
        try {
            return Messages.get().mapper().readTree(run.summaryJson());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    PipelineTopics topics() {
        return topics(bootstrap);
    }

    private static synchronized PipelineTopics topics(String bootstrap) {
        if (topics == null) {
            topics = new PipelineTopics(bootstrap);
        }
        return topics;
    }
}

package io.apex.migrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.apex.migrator.qdrant.standin.QdrantStandInResource;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunState;
import io.apex.migrator.support.LocalStackResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code apex.pipeline.readiness.on-timeout=fail}: a target still indexing when the readiness gate's timeout passes
 * fails the run with the gate's reason, and the alias stays where it was (real Kafka and PostgreSQL, the stand-in).
 */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
@WithTestResource(QdrantStandInResource.class)
@WithTestResource(PipelineWorkerResource.class)
@WithTestResource(value = ReadinessTimeoutResource.class, initArgs = @ResourceArg(name = "on-timeout", value = "fail"))
class ReadinessTimeoutFailIT extends ReadinessTimeoutRuns {

    @Test
    void aTargetStillIndexingAtTheTimeoutFailsTheRunNamingWhyAndLeavesTheAlias() {
        // given
        Names n = sourceAndTargetStillIndexing("notready");
        String commandId = "c-" + UUID.randomUUID();

        // when
        send(migrate(commandId, n, "auto"));
        JsonNode failed = awaitEvent(commandId, "migration-failed", Duration.ofMinutes(1));

        // then: failed with the gate's reason, in the event, the run and the report
        String reason = failed.path("reason").asText();
        assertThat(reason).startsWith("target " + n.v2() + " is not ready to serve after 2 s: status yellow; ")
                .contains(" of " + REQUIRED_INDEXED + " required vectors indexed")
                .endsWith("; the alias is left unchanged");
        JsonNode readiness = failed.path("details").path("verification").path("readiness");
        assertThat(readiness.path("ready").asBoolean(true)).isFalse();
        assertThat(readiness.path("status").asText()).isEqualTo("yellow");
        assertThat(readiness.path("requiredIndexed").asLong()).isEqualTo(REQUIRED_INDEXED);
        assertThat(reason).contains(readiness.path("reason").asText());
        Run run = run(commandId);
        assertThat(run.state()).isEqualTo(RunState.FAILED);
        assertThat(run.failure()).isEqualTo(reason);

        // and: the alias did not move, the target was reported indexing before the failure, nothing was verified
        assertThat(gateway.aliases()).containsEntry(n.alias(), n.v1());
        JsonNode indexing = eventsOf(commandId, "migration-indexing").get(0).path("details").path("readiness");
        assertThat(indexing.path("status").asText()).isEqualTo("yellow");
        assertThat(indexing.path("reason").asText()).contains("status yellow");
        List<String> types = typesOf(commandId);
        assertThat(types.indexOf("migration-indexing")).isLessThan(types.indexOf("migration-failed"));
        assertThat(types).containsOnlyOnce("migration-failed")
                .doesNotContain("migration-verified", "alias-swapped", "migration-completed");
    }
}

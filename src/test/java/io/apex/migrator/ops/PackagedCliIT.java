package io.apex.migrator.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainIntegrationTest;
import org.junit.jupiter.api.Test;

/** The packaged artifact (the JVM jar, or the native binary with -Dnative) runs the CLI. */
@QuarkusMainIntegrationTest
class PackagedCliIT {

    @Test
    @Launch("--help")
    void thePackagedCliPrintsItsCommandTree(LaunchResult result) {
        assertThat(result.getOutput()).contains("neo4j", "postgres", "qdrant", "worker");
    }
}

package io.apex.migrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainIntegrationTest;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import org.junit.jupiter.api.Test;

@QuarkusMainIntegrationTest
class CliIT {

    @Test
    @Launch("--help")
    void helpListsTheCommandTree(LaunchResult result) {
        assertThat(result.getOutput()).contains("neo4j", "postgres", "qdrant", "worker");
    }

    @Test
    @Launch("--version")
    void versionPrintsTheApplicationVersion(LaunchResult result) {
        assertThat(result.getOutputStream()).anySatisfy(line -> assertThat(line).matches("apex-migrator \\S+"));
    }

    @Test
    void subCommandHelpShowsItsCommands(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("neo4j", "--help");
        assertThat(result.exitCode()).isZero();
        assertThat(result.getOutput()).contains("status", "up", "down", "create");
    }

    @Test
    void completionPrintsABashScriptOfTheWholeTreeWithEveryKafkaCommand(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("completion");
        assertThat(result.exitCode()).isZero();
        assertThat(result.getOutput()).contains("complete -F", "apex-migrator", "rollback-alias", "recall", "cutover",
                "pause", "resume", "cancel", "throttle", "--output", "--verbose");
    }

    @Test
    void anUnknownCommandIsAUsageError(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("frobnicate");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.getErrorOutput()).contains("frobnicate");
    }
}

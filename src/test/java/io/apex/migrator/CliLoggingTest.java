package io.apex.migrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CliLoggingTest {

    @Test
    void byDefaultOnlyWarningsReachTheTerminalAndKafkaClientsOnlyErrors() {
        Map<String, String> s = CliLogging.settings(new String[] {"status"}, null);
        assertThat(s).containsEntry("quarkus.log.console.level", "WARN")
                .containsEntry("quarkus.log.category.\"org.apache.kafka\".level", "ERROR")
                .containsEntry("quarkus.log.category.\"org.apache.kafka.clients\".level", "ERROR")
                .doesNotContainKey("quarkus.log.file.enabled");
    }

    @Test
    void verboseLeavesInfoOnTheTerminal() {
        assertThat(CliLogging.settings(new String[] {"status", "-v"}, null)).isEmpty();
        assertThat(CliLogging.settings(new String[] {"--verbose", "status"}, null)).isEmpty();
    }

    @Test
    void followingSendsEveryLogLineToAFileInsteadOfTheTerminal() {
        Map<String, String> s = CliLogging.settings(new String[] {"qdrant", "migrate", "--follow"}, null);
        assertThat(s).containsEntry("quarkus.log.console.enabled", "false")
                .containsEntry("quarkus.log.file.enabled", "true");
        assertThat(s.get("quarkus.log.file.path")).contains("apex-migrator-").endsWith(".log")
                .isEqualTo(s.get(CliLogging.LOG_FILE_PROPERTY));
    }

    @Test
    void aFollowedReleasePrintsWholeTablesAndKeepsItsWarningsOnTheTerminal() {
        assertThat(CliLogging.settings(new String[] {"release", "apply", "phase-2", "--follow"}, null))
                .containsEntry("quarkus.log.console.level", "WARN").doesNotContainKey("quarkus.log.file.enabled");
    }

    @Test
    void theLogFileIsTheOptionsElseTheConfiguredOne() {
        assertThat(CliLogging.settings(new String[] {"qdrant", "migrate", "--follow", "--log-file", "/tmp/a.log"},
                "/tmp/b.log")).containsEntry("quarkus.log.file.path", "/tmp/a.log");
        assertThat(CliLogging.settings(new String[] {"qdrant", "migrate", "--follow", "--log-file=/tmp/c.log"},
                null)).containsEntry("quarkus.log.file.path", "/tmp/c.log");
        assertThat(CliLogging.settings(new String[] {"qdrant", "migrate", "--follow"}, "/tmp/b.log"))
                .containsEntry("quarkus.log.file.path", "/tmp/b.log");
    }
}

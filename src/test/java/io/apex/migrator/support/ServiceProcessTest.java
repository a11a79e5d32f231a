package io.apex.migrator.support;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceProcessTest {

    @TempDir
    Path dir;

    @Test
    void aServiceThatDiesDuringStartIsReportedWithItsLogTail() {
        // given
        List<String> cmd = List.of("sh", "-c", "echo 'FATAL: port already in use'; exit 3");

        // when / then
        assertThatThrownBy(() -> ServiceProcess.start("demo service", cmd, dir, dir.resolve("demo.log"))
                .awaitReady(() -> false, Duration.ofSeconds(30)))
                .isInstanceOf(ServiceStartException.class)
                .hasMessageContaining("demo service exited with code 3")
                .hasMessageContaining("FATAL: port already in use");
    }

    @Test
    void aServiceThatNeverBecomesReadyFailsAtTheDeadlineAndIsStopped() {
        // given
        List<String> cmd = List.of("sh", "-c", "echo 'still warming up'; exec sleep 60");

        // when / then
        assertThatThrownBy(() -> ServiceProcess.start("slow service", cmd, dir, dir.resolve("slow.log"))
                .awaitReady(() -> false, Duration.ofSeconds(1)))
                .isInstanceOf(ServiceStartException.class)
                .hasMessageContaining("slow service was not ready within 1 s")
                .hasMessageContaining("still warming up");
        // the failed start left no process behind (sleep would otherwise still hold the log open)
        ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains("sleep 60"))
                .filter(p -> p.parent().map(pp -> pp.pid() == ProcessHandle.current().pid()).orElse(false))
                .forEach(p -> { throw new AssertionError("left running: " + p.pid()); });
    }
}

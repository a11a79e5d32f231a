package io.apex.migrator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CompilerThreadsTest {

    @ParameterizedTest
    @CsvSource({"C2 CompilerThre, 1234, 56, 1290", "C1 CompilerThre, 7, 3, 10"})
    void aCompilerThreadsStatLineGivesItsUserPlusSystemTicks(String name, long user, long system, long ticks) {
        String stat = "17825 (" + name + ") S 1 17816 9 0 -1 4210752 2130 0 0 0 " + user + " " + system
                + " 0 0 20 0 25 0 1 0 0";

        assertThat(CompilerThreads.parse(stat)).contains(ticks);
    }

    @Test
    void otherThreadsAreNotCounted() {
        String stat = "17888 (grpc-default-wo) S 1 17816 9 0 -1 4210752 2130 0 0 0 1234 56 0 0 20 0 25 0 1 0 0";

        assertThat(CompilerThreads.parse(stat)).isEmpty();
    }

    @Test
    void usedCpuCountsThreadsStartedInBetweenWholeAndIgnoresEndedOnes() {
        Map<String, Double> before = Map.of("1/10", 5.0, "1/11", 2.0);
        Map<String, Double> after = Map.of("1/10", 6.5, "1/12", 0.25);

        assertThat(CompilerThreads.between(before, after)).isEqualTo(1.75);
    }
}

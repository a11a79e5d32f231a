package io.apex.migrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OperatorDurationTest {

    @Test
    void wholeSecondsMinutesAndHoursReadAsAnOperatorWritesThem() {
        assertThat(OperatorDuration.of(Duration.ofSeconds(2))).isEqualTo("2 s");
        assertThat(OperatorDuration.of(Duration.ofMinutes(10))).isEqualTo("10 min");
        assertThat(OperatorDuration.of(Duration.ofMinutes(90))).isEqualTo("1 h 30 min");
        assertThat(OperatorDuration.of(Duration.ofHours(2).plusSeconds(5))).isEqualTo("2 h 5 s");
    }

    @Test
    void fractionsOfASecondKeepTheirMillis() {
        assertThat(OperatorDuration.of(Duration.ofMillis(500))).isEqualTo("500 ms");
        assertThat(OperatorDuration.of(Duration.ofMillis(1_500))).isEqualTo("1.5 s");
        assertThat(OperatorDuration.of(Duration.ofSeconds(90).plusMillis(250))).isEqualTo("1 min 30.25 s");
        assertThat(OperatorDuration.of(Duration.ZERO)).isEqualTo("0 ms");
    }
}

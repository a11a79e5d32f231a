package io.apex.migrator.pipeline;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * A duration as an operator reads it in a reason or a log line ({@code 2 s}, {@code 10 min}, {@code 1 h 30 min},
 * {@code 500 ms}) rather than ISO-8601 ({@code PT2S}).
 */
final class OperatorDuration {

    private OperatorDuration() {
    }

    static String of(Duration d) {
        if (d.compareTo(Duration.ofSeconds(1)) < 0) {
            return d.toMillis() + " ms";
        }
        StringBuilder text = new StringBuilder();
        append(text, d.toHours(), "h");
        append(text, d.toMinutesPart(), "min");
        BigDecimal seconds = BigDecimal.valueOf(d.toSecondsPart())
                .add(BigDecimal.valueOf(d.toMillisPart(), 3)).stripTrailingZeros();
        if (seconds.signum() != 0) {
            text.append(text.isEmpty() ? "" : " ").append(seconds.toPlainString()).append(" s");
        }
        return text.toString();
    }

    private static void append(StringBuilder text, long amount, String unit) {
        if (amount != 0) {
            text.append(text.isEmpty() ? "" : " ").append(amount).append(' ').append(unit);
        }
    }
}

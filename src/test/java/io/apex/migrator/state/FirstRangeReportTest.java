package io.apex.migrator.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.apex.migrator.api.BatchKind;
import io.apex.migrator.api.BatchProgress;
import io.apex.migrator.api.RangeVerification;
import java.lang.reflect.Proxy;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The statement of a range's first report binds every parameter it declares, once, in each of its forms: a copy
 * report (its own kind), a verify report without a verification (any pass), and one with it (held to its pass).
 */
class FirstRangeReportTest {

    private static final UUID RUN = UUID.randomUUID();

    @Test
    void aCopyReportBindsTheRangeOfItsKindWithoutTheVerificationColumns() throws SQLException {
        // given
        BatchProgress copy = new BatchProgress(RUN.toString(), 3, BatchKind.COPY, BatchProgress.Status.DONE, 100, 5,
                "w1", null, null);

        // when
        Map<Integer, Object> bound = bind(FirstRangeReport.COPY, copy);

        // then
        assertThat(FirstRangeReport.COPY.sql()).doesNotContain("verification", "repaired_points", "pass =");
        assertThat(bound.keySet()).containsExactlyElementsOf(indexes(placeholders(FirstRangeReport.COPY)));
        assertThat(bound.values()).containsSequence(RUN, "copy", 3);
    }

    @Test
    void aVerifyReportWithItsVerificationIsHeldToItsPassAndAddsItsRepairedPoints() throws SQLException {
        // given
        RangeVerification v = new RangeVerification(2, "a", "b", 10, 10, true, 1, 4, true, 0, 0, 0, List.of());
        BatchProgress verify = new BatchProgress(RUN.toString(), 7, BatchKind.VERIFY, BatchProgress.Status.DONE, 10,
                5, "w1", null, "b", v);

        // when
        FirstRangeReport form = FirstRangeReport.ofVerify(verify);
        Map<Integer, Object> bound = bind(form, verify);

        // then
        assertThat(form).isEqualTo(FirstRangeReport.VERIFY_OF_PASS);
        assertThat(form.sql()).contains("verification = ?::jsonb", "repaired_points = repaired_points + ?")
                .endsWith(" AND pass = ?");
        assertThat(bound.keySet()).containsExactlyElementsOf(indexes(placeholders(form)));
        assertThat(bound.values()).containsSequence(4L, RUN, "verify", 7, 2);
    }

    @Test
    void aVerifyReportWithoutAVerificationMatchesAnyPassAndRepairsNothing() throws SQLException {
        // given
        BatchProgress failed = new BatchProgress(RUN.toString(), 7, BatchKind.VERIFY, BatchProgress.Status.FAILED, 0,
                5, "w1", "refused", null);

        // when
        FirstRangeReport form = FirstRangeReport.ofVerify(failed);
        Map<Integer, Object> bound = bind(form, failed);

        // then
        assertThat(form).isEqualTo(FirstRangeReport.VERIFY);
        assertThat(form.sql()).contains("verification = ?::jsonb").doesNotContain("pass =");
        assertThat(bound.keySet()).containsExactlyElementsOf(indexes(placeholders(form)));
        assertThat(bound.values()).containsSequence(0L, RUN, "verify", 7);
    }

    private static int placeholders(FirstRangeReport form) {
        return (int) form.sql().chars().filter(ch -> ch == '?').count();
    }

    private static List<Integer> indexes(int count) {
        return java.util.stream.IntStream.rangeClosed(1, count).boxed().toList();
    }

    /** What {@code form} binds, by parameter index (a parameter bound twice fails the test). */
    private static Map<Integer, Object> bind(FirstRangeReport form, BatchProgress p) throws SQLException {
        Map<Integer, Object> bound = new TreeMap<>();
        PreparedStatement ps = (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
                    if (!method.getName().startsWith("set") || args == null || args.length < 2) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    assertThat(bound).as("parameter %s bound once", args[0]).doesNotContainKey((Integer) args[0]);
                    bound.put((Integer) args[0], args[1]);
                    return null;
                });
        form.bind(ps, p, UUID.fromString(p.runId()));
        return bound;
    }
}

package io.apex.migrator.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class OperatorTokenTest {

    private static final String TOKEN = "op-0123456789";

    @Test
    void readsAreOpenUnlessProtected() {
        OperatorToken open = new OperatorToken(config(Optional.of(TOKEN), false));

        assertThat(open.readRefusal(null)).isNull();
        assertThat(open.refusal(null)).isEqualTo("missing operator token (header X-Operator-Token)");
    }

    @Test
    void protectedReadsNeedTheTokenLikeActions() {
        OperatorToken guarded = new OperatorToken(config(Optional.of(TOKEN), true));

        assertThat(guarded.readRefusal(null)).isEqualTo("missing operator token (header X-Operator-Token)");
        assertThat(guarded.readRefusal("guess")).isEqualTo("wrong operator token");
        assertThat(guarded.readRefusal(TOKEN)).isNull();
    }

    @Test
    void protectedReadsWithoutAConfiguredTokenAreRefusedNotOpened() {
        OperatorToken unset = new OperatorToken(config(Optional.empty(), true));

        assertThat(unset.readRefusal("anything"))
                .isEqualTo("reads are protected (apex.dashboard.protect-reads): no operator token is configured "
                        + "(apex.dashboard.operator-token)");
    }

    private static DashboardConfig config(Optional<String> token, boolean protectReads) {
        return new DashboardConfig() {
            @Override
            public Optional<String> operatorToken() {
                return token;
            }

            @Override
            public boolean protectReads() {
                return protectReads;
            }
        };
    }
}

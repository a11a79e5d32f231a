package io.apex.migrator.dashboard;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Checks the operator token of an action, and of a read when {@code apex.dashboard.protect-reads} is on; the
 * comparison takes the same time whatever the input.
 */
@ApplicationScoped
class OperatorToken {

    private final DashboardConfig config;

    OperatorToken(DashboardConfig config) {
        this.config = config;
    }

    /** Why an action with {@code presented} is refused, or null when it is allowed. */
    String refusal(String presented) {
        return refusal(presented, "actions are disabled");
    }

    /** Why a read with {@code presented} is refused, or null when it is allowed (always, unless reads are protected). */
    String readRefusal(String presented) {
        return config.protectReads() ? refusal(presented, "reads are protected (apex.dashboard.protect-reads)") : null;
    }

    private String refusal(String presented, String disabled) {
        if (config.operatorToken().filter(t -> !t.isBlank()).isEmpty()) {
            return disabled + ": no operator token is configured (apex.dashboard.operator-token)";
        }
        if (presented == null || presented.isEmpty()) {
            return "missing operator token (header X-Operator-Token)";
        }
        byte[] expected = config.operatorToken().get().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8))) {
            return "wrong operator token";
        }
        return null;
    }
}

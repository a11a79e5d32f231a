package io.apex.migrator.dashboard;

import com.fasterxml.jackson.annotation.JsonValue;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Where one planned range is, as the range map colours it, read from its copy row and its verify row of the
 * current pass. A range "failed" while an attempt of it failed and its worker tries again (or, in a run made with
 * {@code --local}, which has no dead-letter topic, when it failed for good); "dead-lettered" once its task went to
 * the dead-letter topic. "Repaired" outlives later passes: a range once made equal by a re-sync stays marked.
 */
@RegisterForReflection
public enum RangeState {
    PENDING("pending"),
    COPYING("copying"),
    COPIED("copied"),
    VERIFYING("verifying"),
    VERIFIED("verified"),
    REPAIRED("repaired"),
    FAILED("failed"),
    DEAD_LETTERED("dead-lettered");

    private final String wireName;

    RangeState(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /**
     * What a batches row says about a range.
     *
     * @param state the row's state (pending, done, failed, skipped)
     * @param started a worker took it
     * @param lastError the error of its last failed attempt, if any
     * @param deadLettered its task went to the dead-letter topic
     * @param equal (verify rows that reported) the two sides matched in the end
     */
    @RegisterForReflection // not serialised; registered like every record of the package
    record Row(String state, boolean started, String lastError, boolean deadLettered, Boolean equal) {
    }

    /** The state of a range from its copy row and its verify row (null before verification reached it). */
    static RangeState of(Row copy, Row verify, long repairedPoints) {
        if ("failed".equals(copy.state())) {
            return copy.deadLettered() ? DEAD_LETTERED : FAILED;
        }
        if (verify != null && "failed".equals(verify.state())) {
            return verify.deadLettered() ? DEAD_LETTERED : FAILED;
        }
        if ("skipped".equals(copy.state())) {
            return PENDING; // its run ended before the range was copied
        }
        if ("pending".equals(copy.state())) {
            return copy.lastError() != null ? FAILED : copy.started() ? COPYING : PENDING;
        }
        boolean repaired = repairedPoints > 0;
        if (verify == null || "skipped".equals(verify.state())) {
            return repaired ? REPAIRED : COPIED;
        }
        if ("pending".equals(verify.state())) {
            return verify.lastError() != null ? FAILED : verify.started() ? VERIFYING : repaired ? REPAIRED : COPIED;
        }
        if (Boolean.FALSE.equals(verify.equal())) {
            return FAILED; // still different after the last allowed repair
        }
        return repaired ? REPAIRED : VERIFIED;
    }
}

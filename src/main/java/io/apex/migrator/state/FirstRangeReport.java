package io.apex.migrator.state;

import io.apex.migrator.api.BatchKind;
import io.apex.migrator.api.BatchProgress;
import io.apex.migrator.api.Messages;
import io.apex.migrator.api.RangeVerification;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

/**
 * The UPDATE that records the first report of a range in its batches row (pending to the reported state; a later
 * report matches no row), for copy reports and for verify reports, which also store what the check found and the
 * points it repaired and, when they carry a verification, hold to its pass.
 */
enum FirstRangeReport {

    /** A copy report: the range of the report's kind. */
    COPY(false, false),
    /** A verify report without a verification (a failure or a skip): any pass. */
    VERIFY(true, false),
    /** A verify report with its verification: only the range of the verification's pass. */
    VERIFY_OF_PASS(true, true);

    private final boolean verification;
    private final boolean ofPass;
    private final String sql;

    FirstRangeReport(boolean verification, boolean ofPass) {
        this.verification = verification;
        this.ofPass = ofPass;
        this.sql = "UPDATE " + RunStoreSchema.NAME + ".batches SET state = ?, points = ?, duration_ms = ?, worker = ?, "
                + "reason = ?, checksum = ?, " + (verification ? "verification = ?::jsonb, " : "")
                + "reports = reports + 1, " + (verification ? "repaired_points = repaired_points + ?, " : "")
                + "updated_at = now() WHERE run_id = ? AND kind = ? AND batch_index = ? AND state = 'pending'"
                + (ofPass ? " AND pass = ?" : "");
    }

    /** The form for a verify task's report. */
    static FirstRangeReport ofVerify(BatchProgress p) {
        return p.verification() == null ? VERIFY : VERIFY_OF_PASS;
    }

    String sql() {
        return sql;
    }

    /** Binds {@code p} (whose run id is {@code runId}) to a statement prepared from {@link #sql()}. */
    void bind(PreparedStatement ps, BatchProgress p, UUID runId) throws SQLException {
        int i = 1;
        ps.setString(i++, p.status().wireName());
        ps.setLong(i++, p.points());
        ps.setLong(i++, p.durationMs());
        ps.setString(i++, p.worker());
        ps.setString(i++, p.reason());
        ps.setString(i++, p.checksum());
        RangeVerification v = p.verification();
        if (verification) {
            ps.setString(i++, v == null ? null : Messages.get().write(v));
            // kept over passes (a new pass does not reset it): the range map shows a range once repaired
            ps.setLong(i++, v == null ? 0 : v.repairedPoints());
        }
        ps.setObject(i++, runId);
        ps.setString(i++, (verification ? BatchKind.VERIFY : p.kind()).wireName());
        ps.setInt(i++, p.batchIndex());
        if (ofPass) {
            ps.setInt(i, v.pass());
        }
    }
}

package io.apex.migrator.pipeline;

import io.apex.migrator.api.BatchTask;
import io.apex.migrator.api.RangeVerification;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.RangeChecksum;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * A worker's verify task: checksums one range on the source and on the target; when they differ, re-copies
 * the range ({@link RangeRepair}) and checks again, up to {@code apex.pipeline.verify.max-repairs} times. What
 * it found and did travels back in the progress report; the run's verification decides on the whole.
 */
@ApplicationScoped
public class RangeVerifier {

    private static final Logger LOGGER = Logger.getLogger(RangeVerifier.class);

    private final QdrantGateway gateway;
    private final PipelineConfig config;

    @Inject
    public RangeVerifier(QdrantGateway gateway, PipelineConfig config) {
        this.gateway = gateway;
        this.config = config;
    }

    /** Checks (and repairs) the task's range. */
    public RangeVerification verify(BatchTask task) {
        return verify(gateway, task.source(), task.target(), task, config.verify().maxRepairs());
    }

    static RangeVerification verify(QdrantGateway gateway, String source, String target, BatchTask task,
            int maxRepairs) {
        boolean differed = false;
        long repairedPoints = 0;
        for (int repairs = 0; ; repairs++) {
            RangeChecksum.Result s = RangeChecksum.of(gateway, source, task.range(), task.pageSize());
            RangeChecksum.Result t = RangeChecksum.of(gateway, target, task.range(), task.pageSize());
            boolean equal = s.checksum().equals(t.checksum());
            differed |= !equal;
            if (equal || repairs >= maxRepairs) {
                if (!equal) {
                    LOGGER.warnf("run %s: range %s %s still differs after %s repairs (source %s points, target %s)",
                            task.runId(), task.batchIndex(), task.range(), repairs, s.points(), t.points());
                } else if (repairs > 0) {
                    LOGGER.infof("run %s: range %s %s repaired (%s re-copies, %s points written or deleted)",
                            task.runId(), task.batchIndex(), task.range(), repairs, repairedPoints);
                }
                return new RangeVerification(task.pass(), s.checksum(), t.checksum(), s.points(), t.points(),
                        differed, repairs, repairedPoints, equal);
            }
            LOGGER.infof("run %s: range %s %s differs (source %s points, target %s); re-copying", task.runId(),
                    task.batchIndex(), task.range(), s.points(), t.points());
            repairedPoints += RangeRepair.repair(gateway, source, target, task.range(), task.pageSize());
        }
    }
}

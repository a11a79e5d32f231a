package io.apex.migrator.pipeline;

import io.apex.migrator.api.BatchTask;
import java.util.List;

/** Hands a run's batch tasks to workers: the batches topic, or an in-process pool for {@code --local}. */
public interface BatchDispatcher {

    /**
     * Returns once every task is durably handed over.
     *
     * @param tasks single-range tasks of one run
     * @param pointsPerRange the run's range size (its batch size): small ranges may travel several to a message
     */
    void dispatch(List<BatchTask> tasks, int pointsPerRange);
}

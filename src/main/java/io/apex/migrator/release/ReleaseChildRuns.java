package io.apex.migrator.release;

import io.apex.migrator.pipeline.RunFinisher;
import io.apex.migrator.state.ReleaseStore;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The copies of a release that ended before its cutover (failed or cancelled): the ones still running are cancelled
 * — a copy nobody will cut over only loads Qdrant — and their parts marked {@code cancelled}. Their aliases are left
 * as they are (a release's runs never swap). Safe to repeat: a run that has ended is skipped.
 */
@ApplicationScoped
public class ReleaseChildRuns {

    private static final Logger LOGGER = Logger.getLogger(ReleaseChildRuns.class);

    private final ReleaseStore releases;
    private final RunStore runStore;
    private final RunFinisher finisher;

    @Inject
    public ReleaseChildRuns(ReleaseStore releases, RunStore runStore, RunFinisher finisher) {
        this.releases = releases;
        this.runStore = runStore;
        this.finisher = finisher;
    }

    /**
     * Cancels the release's runs that have not ended, each recorded as processed under {@code commandId/ALIAS}.
     *
     * @return how many were cancelled by this call
     */
    public int cancelRunning(UUID releaseId, String reason, String commandId) {
        int cancelled = 0;
        for (ReleaseStore.Part part : releases.parts(releaseId)) {
            if (!part.kind().equals("qdrant") || part.runId() == null) {
                continue;
            }
            Run run = runStore.findRun(part.runId()).orElse(null);
            if (run == null || run.state().isFinal()) {
                continue;
            }
            if (finisher.cancel(run, reason, commandId + "/" + part.subject(), "release.cancel")) {
                releases.partState(releaseId, part.position(), "cancelled", reason + " (run " + run.id() + ")");
                LOGGER.infof("release %s: run %s of alias %s cancelled: %s", releaseId, run.id(), part.subject(),
                        reason);
                cancelled++;
            }
        }
        return cancelled;
    }
}

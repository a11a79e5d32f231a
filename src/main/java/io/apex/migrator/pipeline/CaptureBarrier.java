package io.apex.migrator.pipeline;

import io.apex.migrator.state.ProxyHolds;
import io.apex.migrator.state.Run;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashSet;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Before a run's copy starts: every live capture proxy replica captures the run's writes (it has read the run and
 * every write it let through uncaptured has completed), so no write can reach the source after the copy read its
 * range without being captured. Without proxies this returns at once.
 */
@ApplicationScoped
public class CaptureBarrier {

    private static final Logger LOGGER = Logger.getLogger(CaptureBarrier.class);
    private static final long POLL_MS = 10;

    private final ProxyHolds holds;
    private final PipelineConfig.Live config;

    @Inject
    public CaptureBarrier(ProxyHolds holds, PipelineConfig config) {
        this.holds = holds;
        this.config = config.live();
    }

    /** Waits for the live replicas; false (logged) when one did not answer in time (the checksum path covers it). */
    public boolean await(Run run) {
        long deadline = System.nanoTime() + config.replicaExpiry().plusSeconds(5).toNanos();
        Set<String> waiting = new HashSet<>(holds.liveReplicas(config.replicaExpiry()));
        while (true) {
            waiting.removeAll(holds.acks(run.id(), 0));
            if (waiting.isEmpty()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                LOGGER.warnf("run %s: proxy replicas %s did not confirm they capture the run's writes; the copy "
                        + "starts anyway (the verification's checksums catch what they let through)", run.id(), waiting);
                return false;
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            waiting.retainAll(holds.liveReplicas(config.replicaExpiry()));
        }
    }
}

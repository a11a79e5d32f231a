package io.apex.migrator.release;

import io.apex.migrator.state.ReleaseStore;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunState;
import io.apex.migrator.state.RunStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Releases with their parts and progress, read from the run store, for {@code status} and the dashboard. */
@ApplicationScoped
public class ReleaseViews {

    private final ReleaseStore releases;
    private final RunStore runStore;

    @Inject
    public ReleaseViews(ReleaseStore releases, RunStore runStore) {
        this.releases = releases;
        this.runStore = runStore;
    }

    /** The latest {@code limit} applies, newest first. */
    public List<ReleaseView> list(int limit) {
        return releases.list(limit).stream().map(this::view).toList();
    }

    /** The latest apply of the release {@code name}. */
    public Optional<ReleaseView> latest(String name) {
        return releases.latest(name).map(this::view);
    }

    /** One apply of a release. */
    public ReleaseView view(ReleaseStore.Release release) {
        List<ReleaseView.Part> parts = new ArrayList<>();
        for (ReleaseStore.Part p : releases.parts(release.id())) {
            parts.add(part(p));
        }
        return new ReleaseView(release.id(), release.name(), release.commandId(), release.state(),
                release.failedPart(), release.failure(), release.createdAt(), release.finishedAt(), parts,
                actions(release.state()));
    }

    /** The commands an operator can send the release in {@code state}. */
    static List<String> actions(String state) {
        return switch (state) {
            case "accepted", "expanding" -> List.of("cancel");
            case "ready-for-cutover" -> List.of("cutover", "cancel");
            case "completed", "failed", "cancelled" -> List.of("rollback");
            default -> List.of();
        };
    }

    private ReleaseView.Part part(ReleaseStore.Part p) {
        double progress = p.state().equals("done") ? 1.0 : 0.0;
        String text = p.state();
        if (p.kind().equals("qdrant") && p.runId() != null) {
            Optional<Run> run = runStore.findRun(p.runId());
            if (run.isPresent()) {
                Run r = run.get();
                Long total = r.sourcePoints();
                progress = r.state() == RunState.COMPLETED ? 1.0 : total == null || total == 0 ? 0.0
                        : Math.min(1.0, (double) r.copiedPoints() / total);
                text = String.format("%,d / %s points (run %s)", r.copiedPoints(),
                        total == null ? "?" : String.format("%,d", total), r.state().db());
            }
        } else if (!p.kind().equals("qdrant")) {
            text = p.state().equals("done") ? "at " + p.target() : p.state();
        }
        return new ReleaseView.Part(p.position(), p.kind(), p.subject(), p.previous(), p.target(), p.state(),
                progress, text, p.detail(), p.runId());
    }
}

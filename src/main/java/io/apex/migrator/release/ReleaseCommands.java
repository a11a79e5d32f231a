package io.apex.migrator.release;

import io.apex.migrator.CrashPoint;
import io.apex.migrator.api.InvalidMessageException;
import io.apex.migrator.api.Messages;
import io.apex.migrator.api.ReleaseCommand;
import io.apex.migrator.state.ReleaseStore;
import io.apex.migrator.state.RunStore;
import io.apex.migrator.state.RunStoreException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The release commands. {@code release.apply}: reads the manifest and plans the release from the stores (nothing written), then records the
 * release with its parts and hands it to {@link ReleaseDriver}. A release that cannot be applied now (unknown, invalid
 * manifest, a source missing, another apply of it active) is rejected naming {@code $.release} and writes nothing.
 */
@ApplicationScoped
public class ReleaseCommands {

    private static final Logger LOGGER = Logger.getLogger(ReleaseCommands.class);

    private final ReleasePlanner planner;
    private final ReleaseStore releases;
    private final ReleaseDriver driver;
    private final ReleaseEvents events;
    private final ReleaseChildRuns children;
    private final RunStore runStore;

    @Inject
    public ReleaseCommands(ReleasePlanner planner, ReleaseStore releases, ReleaseDriver driver, ReleaseEvents events,
            ReleaseChildRuns children, RunStore runStore) {
        this.runStore = runStore;
        this.planner = planner;
        this.releases = releases;
        this.driver = driver;
        this.events = events;
        this.children = children;
    }

    /** Accepts a release command; the release is driven off the caller's thread in worker mode. */
    public void handle(ReleaseCommand command) {
        switch (command.type()) {
            case RELEASE_ROLLBACK -> rollback(command);
            case RELEASE_CUTOVER -> cutover(command);
            case RELEASE_CANCEL -> cancel(command);
            default -> apply(command);
        }
    }

    /**
     * {@code release.cutover}: the active apply waiting in {@code ready-for-cutover} (manual cutover) moves to its
     * cutover — every alias in ONE UpdateAliases request, then {@code release-ready}. Refused in any other state.
     */
    void cutover(ReleaseCommand command) {
        if (runStore.commandSeen(command.commandId())) {
            // redelivered (a crash before the offset commit): the release's driver finishes the cutover
            releases.latest(command.release()).ifPresent(r -> driver.wake(r.id()));
            return;
        }
        ReleaseStore.Release release = active(command);
        if (!release.state().equals("ready-for-cutover")) {
            throw new InvalidMessageException("$.release", "release '" + command.release() + "' is " + release.state()
                    + " (release " + release.id() + "), not ready-for-cutover: only a release with manual cutover "
                    + "waits for one");
        }
        if (releases.requestCutover(release.id(), command.commandId(), command.type().wireName())) {
            LOGGER.infof("release %s (%s): cutover requested by command %s", release.name(), release.id(),
                    command.commandId());
            CrashPoint.reached(CrashPoint.MID_RELEASE_CUTOVER_COMMAND);
        }
        driver.wake(release.id());
    }

    /**
     * {@code release.cancel}: the active apply ends {@code cancelled} before its cutover; its copies still running are
     * cancelled, no alias moves. The schema parts already applied stay (additive, expand-only): {@code release
     * rollback} undoes them. Refused once the cutover has begun.
     */
    void cancel(ReleaseCommand command) {
        if (runStore.commandSeen(command.commandId())) {
            // redelivered: a crash may have come between the release's end and its copies' cancel
            releases.latest(command.release()).filter(r -> r.state().equals("cancelled")).ifPresent(r -> children
                    .cancelRunning(r.id(), "release " + r.name() + " cancelled by command " + command.commandId(),
                            command.commandId()));
            return;
        }
        ReleaseStore.Release release = active(command);
        if (!List.of("accepted", "expanding", "ready-for-cutover").contains(release.state())) {
            throw new InvalidMessageException("$.release", "release '" + command.release() + "' is " + release.state()
                    + " (release " + release.id() + "): only a release before its cutover can be cancelled");
        }
        if (events.cancel(release, command.commandId(), command.type().wireName())) {
            children.cancelRunning(release.id(), "release " + release.name() + " cancelled by command "
                    + command.commandId(), command.commandId());
        }
    }

    /** The apply a cutover or cancel acts on; a command seen before is answered by the state it left. */
    private ReleaseStore.Release active(ReleaseCommand command) {
        ReleaseStore.Release release = releases.latest(command.release()).orElseThrow(() -> new InvalidMessageException(
                "$.release", "release '" + command.release() + "' was never applied"));
        if (release.isFinal()) {
            throw new InvalidMessageException("$.release", "release '" + command.release() + "' has ended ("
                    + release.state() + ", release " + release.id() + ")");
        }
        return release;
    }

    /**
     * {@code release.rollback}: the latest apply of the release, completed or failed, is undone in reverse order. Refused
     * while it is still being applied, and when a schema store has moved past the release's version since (rolling
     * back would undo someone else's migration).
     */
    void rollback(ReleaseCommand command) {
        ReleaseStore.Release release = releases.latest(command.release()).orElseThrow(() -> new InvalidMessageException(
                "$.release", "release '" + command.release() + "' was never applied"));
        if (command.commandId().equals(releases.rollbackCommand(release.id()).orElse(null))) {
            driver.wake(release.id());
            return;
        }
        if (!List.of("completed", "failed", "cancelled").contains(release.state())) {
            throw new InvalidMessageException("$.release", "release '" + command.release() + "' is " + release.state()
                    + " (release " + release.id() + "); only a completed, failed or cancelled release can be rolled back");
        }
        for (ReleaseStore.Part part : releases.parts(release.id())) {
            if (!part.kind().equals("qdrant")) {
                java.util.Optional<io.apex.migrator.schema.Version> now = planner.schemaVersion(part.kind());
                if (now.isPresent() && now.get().compareTo(io.apex.migrator.schema.Version.parse(part.target())) > 0) {
                    throw new InvalidMessageException("$.release", part.kind() + " is at " + now.get().label()
                            + ", past the release's " + part.target() + ": roll that back first");
                }
            }
        }
        if (releases.startRollback(release.id(), command.commandId(), command.type().wireName())) {
            LOGGER.infof("release %s (%s): rolling back", release.name(), release.id());
        }
        driver.wake(release.id());
    }

    void apply(ReleaseCommand command) {
        Optional<ReleaseStore.Release> seen = releases.findByCommand(command.commandId());
        if (seen.isPresent()) {
            LOGGER.infof("command %s seen before; release %s is %s", command.commandId(), seen.get().id(),
                    seen.get().state());
            driver.wake(seen.get().id());
            return;
        }
        ReleaseManifest manifest;
        ReleasePlan plan;
        try {
            manifest = planner.manifests().get(command.release());
            plan = planner.plan(manifest);
        } catch (ReleaseException e) {
            throw new InvalidMessageException("$.release", e.getMessage());
        }
        if (!plan.applicable()) {
            throw new InvalidMessageException("$.release", "release '" + manifest.name() + "' cannot be applied now: "
                    + String.join("; ", plan.problems()));
        }
        Optional<UUID> id;
        try {
            id = releases.create(manifest.name(), command.commandId(), command.type().wireName(),
                    Messages.get().write(manifest), parts(manifest));
        } catch (RunStoreException e) {
            Optional<ReleaseStore.Release> active = releases.latest(manifest.name()).filter(r -> !r.isFinal());
            if (active.isPresent()) {
                throw new InvalidMessageException("$.release", "release '" + manifest.name() + "' is being applied "
                        + "(release " + active.get().id() + ", command " + active.get().commandId() + ", "
                        + active.get().state() + ")");
            }
            throw e;
        }
        if (id.isEmpty()) {
            LOGGER.infof("command %s seen before; nothing to do", command.commandId());
            return;
        }
        LOGGER.infof("release %s (%s): accepted, parts %s", manifest.name(), id.get(), manifest.parts());
        driver.wake(id.get());
    }

    private static List<ReleaseStore.NewPart> parts(ReleaseManifest manifest) {
        List<ReleaseStore.NewPart> parts = new ArrayList<>();
        for (String part : manifest.parts()) {
            switch (part) {
                case "postgres" -> parts.add(new ReleaseStore.NewPart("postgres", "postgres",
                        manifest.postgres().target()));
                case "neo4j" -> parts.add(new ReleaseStore.NewPart("neo4j", "neo4j", manifest.neo4j().target()));
                default -> manifest.collections().forEach(c -> parts.add(new ReleaseStore.NewPart("qdrant", c.alias(),
                        c.target())));
            }
        }
        return parts;
    }
}

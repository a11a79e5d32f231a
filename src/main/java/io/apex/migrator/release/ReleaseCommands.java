package io.apex.migrator.release;

import io.apex.migrator.api.InvalidMessageException;
import io.apex.migrator.api.Messages;
import io.apex.migrator.api.ReleaseCommand;
import io.apex.migrator.state.ReleaseStore;
import io.apex.migrator.state.RunStoreException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * {@code release.apply}: reads the manifest and plans the release from the stores (nothing written), then records the
 * release with its parts and hands it to {@link ReleaseDriver}. A release that cannot be applied now (unknown, invalid
 * manifest, a source missing, another apply of it active) is rejected naming {@code $.release} and writes nothing.
 */
@ApplicationScoped
public class ReleaseCommands {

    private static final Logger LOGGER = Logger.getLogger(ReleaseCommands.class);

    private final ReleasePlanner planner;
    private final ReleaseStore releases;
    private final ReleaseDriver driver;

    @Inject
    public ReleaseCommands(ReleasePlanner planner, ReleaseStore releases, ReleaseDriver driver) {
        this.planner = planner;
        this.releases = releases;
        this.driver = driver;
    }

    /** Accepts a release command; the release is driven off the caller's thread in worker mode. */
    public void handle(ReleaseCommand command) {
        if (command.type() == io.apex.migrator.api.CommandType.RELEASE_ROLLBACK) {
            rollback(command);
        } else {
            apply(command);
        }
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
        if (!release.state().equals("completed") && !release.state().equals("failed")) {
            throw new InvalidMessageException("$.release", "release '" + command.release() + "' is " + release.state()
                    + " (release " + release.id() + "); only a completed or failed release can be rolled back");
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

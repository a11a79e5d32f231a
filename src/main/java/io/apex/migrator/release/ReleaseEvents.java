package io.apex.migrator.release;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.apex.migrator.api.CommandType;
import io.apex.migrator.api.EventData;
import io.apex.migrator.api.EventType;
import io.apex.migrator.api.Messages;
import io.apex.migrator.pipeline.EventPublisher;
import io.apex.migrator.state.ReleaseStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * How a release ends: its state and its one event ({@code release-ready}, {@code release-failed}) written in one
 * transaction to the run store's outbox, which the relay sends.
 */
@ApplicationScoped
public class ReleaseEvents {

    private static final Logger LOGGER = Logger.getLogger(ReleaseEvents.class);

    private final ReleaseStore releases;
    private final EventPublisher events;

    @Inject
    public ReleaseEvents(ReleaseStore releases, EventPublisher events) {
        this.releases = releases;
        this.events = events;
    }

    /** The manifest the release was accepted with (kept in the run store: a file changed since does not matter). */
    static ReleaseManifest manifest(ReleaseStore.Release release) {
        try {
            return Messages.get().mapper().readValue(release.manifestJson(), ReleaseManifest.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("release " + release.id() + ": its stored manifest cannot be read", e);
        }
    }

    /** Ends the release {@code failed} naming the part and the reason, with {@code release-failed}; no alias moved. */
    void fail(ReleaseStore.Release release, String part, String reason) {
        Map<String, Object> details = details(release);
        details.put("failedPart", part);
        EventData data = base(release).reason(part + ": " + reason).details(details).build();
        if (releases.end(release.id(), "failed", part, reason, EventPublisher.event(EventType.RELEASE_FAILED, data,
                true), "accepted", "expanding", "ready-for-cutover", "cutting-over")) {
            LOGGER.warnf("release %s (%s): failed in %s: %s; no alias was moved", release.name(), release.id(), part,
                    reason);
        }
        events.sendSoon();
    }

    /**
     * Ends an active release {@code cancelled} on behalf of {@code commandId} (recorded processed with it), with
     * {@code release-failed} naming the command; false when it was not cancelled (seen before, or past its cutover).
     */
    boolean cancel(ReleaseStore.Release release, String commandId, String commandType) {
        String reason = "cancelled by command " + commandId;
        Map<String, Object> details = details(release);
        details.put("failedPart", "release");
        details.put("cancelled", true);
        EventData data = base(release).reason("release: " + reason).details(details).build();
        boolean cancelled = releases.cancel(release.id(), commandId, commandType, reason,
                EventPublisher.event(EventType.RELEASE_FAILED, data, true));
        if (cancelled) {
            LOGGER.infof("release %s (%s): %s; no alias was moved", release.name(), release.id(), reason);
        }
        events.sendSoon();
        return cancelled;
    }

    /** Ends the release {@code completed} with {@code release-ready}; false when it had ended before. */
    boolean ready(ReleaseStore.Release release) {
        EventData data = base(release).details(details(release)).build();
        boolean ended = releases.end(release.id(), "completed", null, null,
                EventPublisher.event(EventType.RELEASE_READY, data, true), "cutting-over");
        events.sendSoon();
        return ended;
    }

    /** Ends a rolling-back release {@code rolled-back} with {@code release-rolled-back}; false when it had ended. */
    boolean rolledBack(ReleaseStore.Release release) {
        String commandId = releases.rollbackCommand(release.id()).orElse(release.commandId());
        EventData data = EventData.forRun(null, commandId).store("release")
                .commandType(CommandType.RELEASE_ROLLBACK.wireName()).details(details(release)).build();
        boolean ended = releases.end(release.id(), "rolled-back", null, null,
                EventPublisher.event(EventType.RELEASE_ROLLED_BACK, data, true), "rolling-back");
        events.sendSoon();
        return ended;
    }

    private static EventData.Builder base(ReleaseStore.Release release) {
        return EventData.forRun(null, release.commandId()).store("release")
                .commandType(CommandType.RELEASE_APPLY.wireName());
    }

    /**
     * What the release changed: {@code release}, {@code releaseId}, per schema store its {@code version} and
     * {@code previous} one, per alias its {@code collection} and {@code previous} one and the {@code runId} that copied
     * it.
     */
    private Map<String, Object> details(ReleaseStore.Release release) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("release", release.name());
        details.put("releaseId", release.id().toString());
        Map<String, Object> aliases = new LinkedHashMap<>();
        List<ReleaseStore.Part> parts = releases.parts(release.id());
        for (ReleaseStore.Part part : parts) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("state", part.state());
            if (part.kind().equals("qdrant")) {
                p.put("collection", part.target());
                p.put("previous", part.previous() == null ? "(none)" : part.previous());
                if (part.runId() != null) {
                    p.put("runId", part.runId().toString());
                }
                aliases.put(part.subject(), p);
            } else {
                p.put("version", part.target());
                p.put("previous", part.previous() == null ? "(unknown)" : part.previous());
                details.put(part.kind(), p);
            }
        }
        if (!aliases.isEmpty()) {
            details.put("aliases", aliases);
        }
        return details;
    }
}

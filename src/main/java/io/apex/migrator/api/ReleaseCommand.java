package io.apex.migrator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code release.apply}: apply the release {@code release} (a manifest under {@code releases/} or
 * {@code apex.releases.dir}): expand the schemas, copy and verify the collections, swap every alias in one request,
 * then one {@code release-ready} event. {@code release.rollback}: undo the latest apply of {@code release} in reverse
 * order (aliases back in one request, Neo4j down, PostgreSQL downgrade), then {@code release-rolled-back}.
 * {@code release.cutover}: swap every alias of the active apply waiting in {@code ready-for-cutover} (manual cutover)
 * in one request, then {@code release-ready}. {@code release.cancel}: end the active apply {@code cancelled}, its
 * running copies cancelled, no alias moved.
 */
@JsonIgnoreProperties(value = {"schemaVersion"}, allowGetters = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReleaseCommand(String commandId, CommandType type, String release) implements Command {

    public ReleaseCommand {
        Checks.text(commandId, "commandId");
        if (type == null || !type.wireName().startsWith("release.")) {
            throw new InvalidMessageException("$.type", "is not a release command type: " + type);
        }
        if (release == null || !release.matches("[a-z0-9][a-z0-9._-]{0,99}")) {
            throw new InvalidMessageException("$.release", "is not a release name: '" + release + "'");
        }
    }

    public static ReleaseCommand apply(String commandId, String release) {
        return new ReleaseCommand(commandId, CommandType.RELEASE_APPLY, release);
    }

    public static ReleaseCommand rollback(String commandId, String release) {
        return new ReleaseCommand(commandId, CommandType.RELEASE_ROLLBACK, release);
    }

    public static ReleaseCommand cutover(String commandId, String release) {
        return new ReleaseCommand(commandId, CommandType.RELEASE_CUTOVER, release);
    }

    public static ReleaseCommand cancel(String commandId, String release) {
        return new ReleaseCommand(commandId, CommandType.RELEASE_CANCEL, release);
    }
}

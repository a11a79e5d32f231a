package io.apex.migrator.qdrant;

import java.util.Objects;

/**
 * Where a spec's alias stands.
 *
 * @param alias the alias name, e.g. {@code documents}
 * @param kind what was found or done
 * @param target the collection the alias points to, or the collection blocking its name; empty if none
 */
public record AliasState(String alias, Kind kind, String target) {

    /** What was found or done about an alias. */
    public enum Kind {
        /** Created by this run, pointing to the spec's collection. */
        CREATED,
        /** Already pointing to the spec's collection. */
        PRESENT,
        /** Points to another collection (an older version): the migration's cutover moves it, not provisioning. */
        POINTS_ELSEWHERE,
        /** A collection (typically the unversioned v1) has the alias's name: the cutover handles that explicitly. */
        NAME_TAKEN_BY_COLLECTION,
        /** Absent; provisioning would create it (info only). */
        MISSING,
        /** Not touched because the collection drifted from its spec. */
        SKIPPED
    }

    public AliasState {
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(kind, "kind");
        target = target == null ? "" : target;
    }

    /** One line for reports. */
    public String describe() {
        return switch (kind) {
            case CREATED -> alias + " -> " + target + " (created)";
            case PRESENT -> alias + " -> " + target;
            case POINTS_ELSEWHERE -> alias + " -> " + target + " (cutover pending)";
            case NAME_TAKEN_BY_COLLECTION -> alias + ": name taken by collection `" + target + "` (cutover handles it)";
            case MISSING -> alias + ": missing";
            case SKIPPED -> alias + ": not touched (drift)";
        };
    }
}

package io.apex.migrator.release;

import java.util.List;

/**
 * What applying a release would change, store by store, in order — read from the stores, nothing written.
 *
 * @param release the manifest's name
 * @param description the manifest's description
 * @param steps the changes in the order they are applied; the alias cutover and the event come last
 * @param problems what would stop the release now (a missing source, an alias named like a collection); empty when
 *        it can be applied
 */
public record ReleasePlan(String release, String description, List<Step> steps, List<String> problems) {

    public ReleasePlan {
        steps = List.copyOf(steps);
        problems = List.copyOf(problems);
    }

    /**
     * One change.
     *
     * @param position 1-based order
     * @param part {@code postgres}, {@code neo4j}, {@code qdrant}, {@code cutover} or {@code event}
     * @param subject the store, or the alias
     * @param now the store's version or the alias's collection now
     * @param then what it will be after the release
     * @param action what is done, in words; "nothing" when the store is already there
     */
    public record Step(int position, String part, String subject, String now, String then, String action) {
    }

    /** Whether nothing stops the release. */
    public boolean applicable() {
        return problems.isEmpty();
    }
}

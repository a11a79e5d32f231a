package io.apex.migrator.cli;

import io.apex.migrator.api.MigrateCommand;
import io.apex.migrator.state.Run;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which collection {@code qdrant migrate --collection ALIAS} copies from and into. The source is what the alias
 * serves now (or a collection carrying its name, or {@code ALIAS_v1}); the target the next version
 * ({@code name_vN} to {@code name_vN+1}). When the alias already serves the target of its last completed run and
 * there is no next version to go to (no such collection, no spec), or the target asked for is the one it serves,
 * there is nothing to copy: the resolution says which run did it instead of a command.
 */
final class MigrationTargets {

    private static final Pattern VERSIONED = Pattern.compile("(.+)_v(\\d+)");

    /** One alias resolved: either a command to send, or the completed run whose target the alias already serves. */
    record Resolution(String alias, String source, String target, Optional<Run> alreadyServedBy,
            Optional<MigrateCommand> command) {

        Resolution withCommand(MigrateCommand c) {
            return new Resolution(alias, source, target, alreadyServedBy, Optional.of(c));
        }
    }

    private final Map<String, String> aliases;
    private final Predicate<String> collectionExists;
    private final Predicate<String> specExists;
    private final Function<String, Optional<Run>> lastCompletedForAlias;

    MigrationTargets(Map<String, String> aliases, Predicate<String> collectionExists, Predicate<String> specExists,
            Function<String, Optional<Run>> lastCompletedForAlias) {
        this.aliases = aliases;
        this.collectionExists = collectionExists;
        this.specExists = specExists;
        this.lastCompletedForAlias = lastCompletedForAlias;
    }

    Resolution resolve(String alias, String source, String target) {
        String serving = aliases.get(alias);
        String from = source != null ? source : serving != null ? serving
                : collectionExists.test(alias) ? alias : alias + "_v1";
        String to = target != null ? target : nextVersion(alias, from);
        Optional<Run> done = serving == null ? Optional.empty()
                : lastCompletedForAlias.apply(alias).filter(r -> r.target().equals(serving));
        boolean nowhereToGo = target == null && source == null && !collectionExists.test(to) && !specExists.test(to);
        if (done.isPresent() && (to.equals(serving) || nowhereToGo)) {
            return new Resolution(alias, done.get().source(), serving, done, Optional.empty());
        }
        return new Resolution(alias, from, to, Optional.empty(), Optional.empty());
    }

    static String nextVersion(String alias, String source) {
        Matcher m = VERSIONED.matcher(source);
        return m.matches() ? m.group(1) + "_v" + (Integer.parseInt(m.group(2)) + 1) : alias + "_v2";
    }
}

package io.apex.migrator.qdrant.standin;

import io.qdrant.client.grpc.Collections.AliasOperations;
import io.qdrant.client.grpc.Collections.CollectionConfig;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The collections and aliases of one stand-in. Aliases are an immutable map swapped in one volatile write,
 * so a batch of alias actions is all-or-nothing and a concurrent reader sees the mapping either before or
 * after the batch, never in between (Qdrant applies an alias batch under its collections write lock).
 */
final class Catalog {

    private final Map<String, StoredCollection> collections = new ConcurrentHashMap<>();
    private volatile Map<String, String> aliases = Map.of();
    /** Per alias: [UpdateAliases requests that named it and succeeded, of them the ones that changed its target]. */
    private final Map<String, int[]> aliasHistory = new HashMap<>();
    /** Told the aliases each successful UpdateAliases request named (a test can tell several moved in one). */
    private volatile java.util.function.Consumer<Set<String>> aliasRequestListener = named -> { };

    /** A collection by its name or by an alias. */
    StoredCollection resolve(String nameOrAlias) {
        StoredCollection collection = collections.get(nameOrAlias);
        if (collection == null) {
            String target = aliases.get(nameOrAlias);
            collection = target == null ? null : collections.get(target);
        }
        if (collection == null) {
            throw StandInErrors.collectionNotFound(nameOrAlias);
        }
        return collection;
    }

    boolean exists(String name) {
        return collections.containsKey(name);
    }

    synchronized StoredCollection create(String name, CollectionConfig config) {
        if (collections.containsKey(name) || aliases.containsKey(name)) {
            throw StandInErrors.collectionExists(name);
        }
        StoredCollection collection = new StoredCollection(name, config);
        collections.put(name, collection);
        return collection;
    }

    /** Deletes a collection and, as Qdrant does, the aliases that pointed to it. */
    synchronized boolean delete(String name) {
        boolean removed = collections.remove(name) != null;
        if (removed) {
            Map<String, String> next = new HashMap<>(aliases);
            next.values().removeIf(name::equals);
            aliases = Map.copyOf(next);
        }
        return removed;
    }

    List<String> collectionNames() {
        return List.copyOf(new TreeMap<>(collections).keySet());
    }

    Map<String, String> aliases() {
        return aliases;
    }

    /** Applies the actions in order on a copy and publishes it only if every action succeeded. */
    synchronized void updateAliases(List<AliasOperations> actions) {
        Map<String, String> next = new HashMap<>(aliases);
        for (AliasOperations action : actions) {
            switch (action.getActionCase()) {
                case CREATE_ALIAS -> {
                    var create = action.getCreateAlias();
                    if (!collections.containsKey(create.getCollectionName())) {
                        throw StandInErrors.collectionNotFound(create.getCollectionName());
                    }
                    if (collections.containsKey(create.getAliasName())) {
                        throw StandInErrors.collectionExists(create.getAliasName());
                    }
                    next.put(create.getAliasName(), create.getCollectionName());
                }
                case DELETE_ALIAS -> {
                    if (next.remove(action.getDeleteAlias().getAliasName()) == null) {
                        throw StandInErrors.aliasNotFound(action.getDeleteAlias().getAliasName());
                    }
                }
                case RENAME_ALIAS -> {
                    var rename = action.getRenameAlias();
                    String target = next.remove(rename.getOldAliasName());
                    if (target == null) {
                        throw StandInErrors.aliasNotFound(rename.getOldAliasName());
                    }
                    next.put(rename.getNewAliasName(), target);
                }
                case ACTION_NOT_SET -> throw StandInErrors.invalid("Wrong input: alias action is not set");
            }
        }
        count(actions, aliases, next);
        aliases = Map.copyOf(next);
    }

    /** How often an UpdateAliases request named {@code alias} and succeeded, and how often it moved it. */
    void onAliasRequest(java.util.function.Consumer<Set<String>> listener) {
        aliasRequestListener = listener;
    }

    synchronized AliasUpdates aliasUpdates(String alias) {
        int[] counts = aliasHistory.getOrDefault(alias, new int[2]);
        return new AliasUpdates(counts[0], counts[1]);
    }

    private void count(List<AliasOperations> actions, Map<String, String> before, Map<String, String> after) {
        Set<String> named = new HashSet<>();
        for (AliasOperations action : actions) {
            switch (action.getActionCase()) {
                case CREATE_ALIAS -> named.add(action.getCreateAlias().getAliasName());
                case DELETE_ALIAS -> named.add(action.getDeleteAlias().getAliasName());
                case RENAME_ALIAS -> {
                    named.add(action.getRenameAlias().getOldAliasName());
                    named.add(action.getRenameAlias().getNewAliasName());
                }
                case ACTION_NOT_SET -> { }
            }
        }
        aliasRequestListener.accept(Set.copyOf(named));
        for (String alias : named) {
            int[] counts = aliasHistory.computeIfAbsent(alias, a -> new int[2]);
            counts[0]++;
            if (!Objects.equals(before.get(alias), after.get(alias))) {
                counts[1]++;
            }
        }
    }
}

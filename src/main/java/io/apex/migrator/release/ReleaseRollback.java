package io.apex.migrator.release;

import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.schema.SchemaMigrations;
import io.apex.migrator.schema.Store;
import io.apex.migrator.schema.Version;
import io.apex.migrator.state.Leases;
import io.apex.migrator.state.ReleaseStore;
import io.qdrant.client.grpc.Collections.AliasOperations;
import io.qdrant.client.grpc.Collections.CreateAlias;
import io.qdrant.client.grpc.Collections.DeleteAlias;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Undoes an applied (or failed) release in reverse order: every alias of the release back to the collection it had, in
 * ONE UpdateAliases request; then each schema store back to the version it had (Neo4j down, PostgreSQL downgrade, in
 * the reverse of the manifest's order); then {@code release-rolled-back}. Safe to repeat: the aliases are read first
 * and only those not on their previous collection yet are in the request, and each store is brought down only as far
 * as it is above its previous version.
 */
@ApplicationScoped
public class ReleaseRollback {

    private static final Logger LOGGER = Logger.getLogger(ReleaseRollback.class);

    private final QdrantGateway gateway;
    private final ReleaseStore releases;
    private final SchemaMigrations migrations;
    private final Leases leases;
    private final ReleaseEvents events;

    @Inject
    public ReleaseRollback(QdrantGateway gateway, ReleaseStore releases, SchemaMigrations migrations, Leases leases,
            ReleaseEvents events) {
        this.gateway = gateway;
        this.releases = releases;
        this.migrations = migrations;
        this.leases = leases;
        this.events = events;
    }

    boolean run(ReleaseStore.Release release, String owner) {
        if (!leases.holds(Leases.Kind.RELEASE, release.id(), owner)) {
            LOGGER.warnf("release %s: lease lost before the rollback; left to the replica that took it over",
                    release.id());
            return false;
        }
        List<ReleaseStore.Part> parts = releases.parts(release.id());
        aliasesBack(release, parts);
        List<ReleaseStore.Part> reversed = new ArrayList<>(parts);
        java.util.Collections.reverse(reversed);
        for (ReleaseStore.Part part : reversed) {
            if (!part.kind().equals("qdrant") && part.previous() != null) {
                storeBack(release, part);
            }
        }
        if (events.rolledBack(release)) {
            LOGGER.infof("release %s (%s): rolled back; release-rolled-back recorded", release.name(), release.id());
        }
        return true;
    }

    private void aliasesBack(ReleaseStore.Release release, List<ReleaseStore.Part> parts) {
        Map<String, String> now = gateway.aliases();
        List<AliasOperations> actions = new ArrayList<>();
        List<String> moves = new ArrayList<>();
        for (ReleaseStore.Part part : parts) {
            // only an alias the release moved goes back: one on another collection was moved by someone else since
            if (!part.kind().equals("qdrant") || !part.target().equals(now.get(part.subject()))
                    || part.target().equals(part.previous())) {
                continue;
            }
            actions.add(AliasOperations.newBuilder().setDeleteAlias(DeleteAlias.newBuilder()
                    .setAliasName(part.subject())).build());
            if (part.previous() != null) {
                actions.add(AliasOperations.newBuilder().setCreateAlias(CreateAlias.newBuilder()
                        .setAliasName(part.subject()).setCollectionName(part.previous())).build());
            }
            moves.add(part.subject() + " " + part.target() + " -> " + Optional.ofNullable(part.previous())
                    .orElse("(removed)"));
        }
        if (!actions.isEmpty()) {
            gateway.updateAliases(actions);
            LOGGER.infof("release %s (%s): %s aliases back in one request: %s", release.name(), release.id(),
                    moves.size(), String.join(", ", moves));
        }
    }

    private void storeBack(ReleaseStore.Release release, ReleaseStore.Part part) {
        Store store = part.kind().equals("postgres") ? Store.POSTGRES : Store.NEO4J;
        int previous = part.previous().equals("none") ? 0 : Version.parse(part.previous()).number();
        int current = migrations.status(store).current().map(Version::number).orElse(0);
        if (current <= previous) {
            return;
        }
        migrations.downgrade(store, current - previous, release.commandId() + "/rollback");
        releases.partState(release.id(), part.position(), "rolled-back", "back at " + part.previous());
        LOGGER.infof("release %s: %s back from V%03d to %s", release.name(), part.kind(), current, part.previous());
    }
}

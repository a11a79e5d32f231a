package io.apex.migrator.release;

import io.apex.migrator.CrashPoint;
import io.apex.migrator.qdrant.QdrantGateway;
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
import org.jboss.logging.Logger;

/**
 * The release's cutover: every alias of the release swapped in ONE UpdateAliases request, which Qdrant applies
 * atomically — readers never see the old and new collections of a release mixed. Safe to repeat: the aliases are read
 * first and only those not on their target yet are in the request (a cutover repeated after a crash swaps nothing
 * twice). Then the release completes with {@code release-ready}.
 */
@ApplicationScoped
public class ReleaseCutover {

    private static final Logger LOGGER = Logger.getLogger(ReleaseCutover.class);

    private final QdrantGateway gateway;
    private final ReleaseStore releases;
    private final Leases leases;
    private final ReleaseEvents events;

    @Inject
    public ReleaseCutover(QdrantGateway gateway, ReleaseStore releases, Leases leases, ReleaseEvents events) {
        this.gateway = gateway;
        this.releases = releases;
        this.leases = leases;
        this.events = events;
    }

    boolean run(ReleaseStore.Release release, String owner) {
        // a replica whose lease ran out (a long pause) must not swap: the one that took the release over does
        if (!leases.holds(Leases.Kind.RELEASE, release.id(), owner)) {
            LOGGER.warnf("release %s: lease lost before the cutover; left to the replica that took it over",
                    release.id());
            return false;
        }
        Map<String, String> now = gateway.aliases();
        List<AliasOperations> actions = new ArrayList<>();
        List<String> swaps = new ArrayList<>();
        for (ReleaseStore.Part part : releases.parts(release.id())) {
            if (!part.kind().equals("qdrant") || part.target().equals(now.get(part.subject()))) {
                continue;
            }
            if (now.containsKey(part.subject())) {
                actions.add(AliasOperations.newBuilder().setDeleteAlias(DeleteAlias.newBuilder()
                        .setAliasName(part.subject())).build());
            }
            actions.add(AliasOperations.newBuilder().setCreateAlias(CreateAlias.newBuilder()
                    .setAliasName(part.subject()).setCollectionName(part.target())).build());
            swaps.add(part.subject() + " " + now.getOrDefault(part.subject(), "(none)") + " -> " + part.target());
        }
        if (!actions.isEmpty()) {
            gateway.updateAliases(actions);
            CrashPoint.reached(CrashPoint.RELEASE_AFTER_ALIAS_SWAP);
            LOGGER.infof("release %s (%s): %s aliases swapped in one request: %s", release.name(), release.id(),
                    swaps.size(), String.join(", ", swaps));
        }
        if (events.ready(release)) {
            LOGGER.infof("release %s (%s): completed; release-ready recorded", release.name(), release.id());
        }
        return true;
    }
}

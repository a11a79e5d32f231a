package io.apex.migrator.qdrant;

import java.util.List;

/** What {@code create-collections} did, per collection, in spec order. */
public record ProvisioningReport(List<CollectionOutcome> outcomes) {

    public ProvisioningReport {
        outcomes = List.copyOf(outcomes);
    }

    /** Whether any existing collection differs from its spec. */
    public boolean hasDrift() {
        return outcomes.stream().anyMatch(o -> o.result() == CollectionOutcome.Result.DRIFTED);
    }

    /** The collections that differ from their specs. */
    public List<CollectionOutcome> drifted() {
        return outcomes.stream().filter(o -> o.result() == CollectionOutcome.Result.DRIFTED).toList();
    }

    /** Throws {@link CollectionDriftException} if any collection drifted: for callers that must not go on. */
    public ProvisioningReport requireNoDrift() {
        if (hasDrift()) {
            throw new CollectionDriftException(drifted());
        }
        return this;
    }

    /** e.g. {@code 3 collections: 1 created, 1 unchanged, 1 drifted}. */
    public String summary() {
        return outcomes.size() + (outcomes.size() == 1 ? " collection: " : " collections: ")
                + count(CollectionOutcome.Result.CREATED) + " created, "
                + count(CollectionOutcome.Result.UNCHANGED) + " unchanged, "
                + count(CollectionOutcome.Result.DRIFTED) + " drifted";
    }

    private long count(CollectionOutcome.Result result) {
        return outcomes.stream().filter(o -> o.result() == result).count();
    }
}

package io.apex.migrator.pipeline;

import io.apex.migrator.api.PointKey;
import io.apex.migrator.qdrant.PointDigests;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What becomes of the points that made a range's checksums differ. First the capture stream gets its chance: it is
 * waited for twice, each time past a position taken after the last look (a write Qdrant acknowledged before a look
 * may still be on its way to the capture topic at the first position, never at the second), and the points are
 * compared again by id; the ones now equal were writes in flight, "converged by the stream". The points still
 * different are re-synced from the source THROUGH the stream (the applier stays the one ordered writer of the
 * target), the stream is waited for, and they are compared again: the ones now equal are "repaired by checksum" (a
 * write that bypassed the capture, or a capture that was lost). Each round of repair is followed by one more wait,
 * up to {@code maxRounds} rounds; a point still different after that makes the range differ.
 *
 * <p>A point counts as repaired only when its source stood still over the three looks before its re-sync and the
 * one after: the write that made it differ was acknowledged by Qdrant before the first of them, so its capture (sent
 * after that acknowledgement) had two full waits of the stream to arrive. A point whose source kept changing was
 * being written while it was repaired: whichever of the capture and the re-sync fixed it, a write was in flight, so
 * it counts as converged by the stream.
 */
final class PointConvergence {

    /** The capture stream as the verification uses it. */
    interface Stream {
        /** Waits until the stream applied every record before its end now (bounded patience; false: it did not). */
        boolean catchUp();

        /** Re-syncs these points from the source through the stream, and waits until the stream applied it. */
        void resync(Collection<PointKey> points);
    }

    /** Reads the digests of points by id on both sides. */
    interface Sides {
        PointDigests source(Collection<PointKey> points);

        PointDigests target(Collection<PointKey> points);
    }

    /**
     * The outcome for one range.
     *
     * @param differing points that differed at the range's checksum
     * @param convergedByStream of those, points made equal by captured writes in flight
     * @param repaired points made equal by a re-sync the verification asked for
     * @param resynced points sent to be re-synced (over every round; a point re-synced twice counts twice)
     * @param rounds rounds of re-sync
     * @param still points still different after the last round, in id order
     */
    record Outcome(long differing, long convergedByStream, long repaired, long resynced, int rounds,
            List<PointKey> still) {

        Outcome {
            still = List.copyOf(still);
        }

        boolean equal() {
            return still.isEmpty();
        }
    }

    private final Stream stream;
    private final Sides sides;
    private final int maxRounds;
    private final Set<PointKey> pending;
    /** Source digests of the last look and of the two before it (null before there were that many). */
    private PointDigests source;
    private PointDigests before;
    private PointDigests older;
    private long converged;
    private long repaired;
    private long resynced;
    private int rounds;

    private PointConvergence(Stream stream, Sides sides, int maxRounds, Collection<PointKey> differing,
            PointDigests sourceAtChecksum) {
        this.stream = Objects.requireNonNull(stream, "stream");
        this.sides = Objects.requireNonNull(sides, "sides");
        this.maxRounds = maxRounds;
        this.pending = new LinkedHashSet<>(differing);
        this.source = sourceAtChecksum;
    }

    /**
     * Converges {@code differing}, the points found different when the range was checksummed
     * ({@code sourceAtChecksum}: their source digests then).
     */
    static Outcome converge(Collection<PointKey> differing, PointDigests sourceAtChecksum, Stream stream, Sides sides,
            int maxRounds) {
        return new PointConvergence(stream, sides, maxRounds, differing, sourceAtChecksum).run(differing.size());
    }

    private Outcome run(int differing) {
        lookAfterTheStream();
        while (!pending.isEmpty()) {
            lookAfterTheStream();
            if (pending.isEmpty() || rounds >= maxRounds) {
                break;
            }
            Set<PointKey> stable = new LinkedHashSet<>();
            for (PointKey p : pending) {
                if (older != null && Objects.equals(older.of(p), before.of(p))
                        && Objects.equals(before.of(p), source.of(p))) {
                    stable.add(p);
                }
            }
            repairRound(stable);
        }
        List<PointKey> still = new ArrayList<>(pending);
        return new Outcome(differing, converged, repaired, resynced, rounds, still);
    }

    /** Waits for the stream to pass a fresh position and compares the pending points again. */
    private void lookAfterTheStream() {
        if (pending.isEmpty()) {
            return;
        }
        stream.catchUp();
        converged += compare().size();
    }

    /** Re-syncs the pending points through the stream and compares them again. */
    private void repairRound(Set<PointKey> stable) {
        rounds++;
        resynced += pending.size();
        PointDigests last = source;
        stream.resync(List.copyOf(pending));
        for (PointKey p : compare()) {
            if (stable.contains(p) && Objects.equals(last.of(p), source.of(p))) {
                repaired++;
            } else {
                converged++;
            }
        }
    }

    /** Compares the pending points by id; removes and returns the ones now equal. */
    private List<PointKey> compare() {
        List<PointKey> ids = List.copyOf(pending);
        older = before;
        before = source;
        source = sides.source(ids);
        PointDigests target = sides.target(ids);
        Set<PointKey> still = PointDigests.differing(source, target, ids);
        List<PointKey> equal = ids.stream().filter(p -> !still.contains(p)).toList();
        pending.retainAll(still);
        return equal;
    }
}

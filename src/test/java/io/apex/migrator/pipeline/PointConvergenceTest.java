package io.apex.migrator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.apex.migrator.api.PointKey;
import io.apex.migrator.qdrant.PointDigests;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The differing points of a range against a scripted pair of collections and capture stream: the stream applies
 * what was "in flight" when it is waited for, a re-sync copies the source's state unless the target refuses it.
 */
class PointConvergenceTest {

    private static final PointKey A = new PointKey(1L, null);
    private static final PointKey B = new PointKey(2L, null);
    private static final PointKey C = new PointKey(3L, null);

    @Test
    void pointsTheStreamMakesEqualAreConvergedByTheStreamAndNothingIsResynced() {
        // given: A and B differ because their captures are not applied yet
        Pair pair = new Pair();
        pair.source.putAll(Map.of(A, "a2", B, "b2"));
        pair.target.putAll(Map.of(A, "a1", B, "b1"));
        pair.inFlight.addAll(List.of(A, B));

        // when
        PointConvergence.Outcome o = pair.converge(List.of(A, B), 3);

        // then
        assertThat(o.equal()).isTrue();
        assertThat(o.convergedByStream()).isEqualTo(2);
        assertThat(o.repaired()).isZero();
        assertThat(o.rounds()).isZero();
        assertThat(pair.resynced).isEmpty();
    }

    @Test
    void onlyThePointsTheStreamDidNotExplainAreResyncedAndCountAsRepairs() {
        // given: A's capture is in flight; B was written around the capture; C was deleted around it
        Pair pair = new Pair();
        pair.source.putAll(Map.of(A, "a2", B, "b2"));
        pair.target.putAll(Map.of(A, "a1", B, "b1", C, "c1"));
        pair.inFlight.add(A);

        // when
        PointConvergence.Outcome o = pair.converge(List.of(A, B, C), 3);

        // then: the stream was waited for twice before B and C were re-synced, once
        assertThat(o.equal()).isTrue();
        assertThat(o.convergedByStream()).isEqualTo(1);
        assertThat(o.repaired()).isEqualTo(2);
        assertThat(o.resynced()).isEqualTo(2);
        assertThat(o.rounds()).isEqualTo(1);
        assertThat(pair.resynced).containsExactly(List.of(B, C));
        assertThat(pair.catchUps).isEqualTo(3);
        assertThat(pair.target).doesNotContainKey(C).containsEntry(B, "b2");
    }

    @Test
    void aPointNoRepairFixesIsStillDifferentAfterMaxRoundsOfResync() {
        // given: the target corrupts every write of B
        Pair pair = new Pair();
        pair.source.put(B, "b2");
        pair.target.put(B, "b1");
        pair.corrupted.add(B);

        // when
        PointConvergence.Outcome o = pair.converge(List.of(B), 3);

        // then
        assertThat(o.equal()).isFalse();
        assertThat(o.still()).containsExactly(B);
        assertThat(o.rounds()).isEqualTo(3);
        assertThat(o.resynced()).isEqualTo(3);
        assertThat(o.repaired()).isZero();
    }

    @Test
    void aPointWhoseSourceKeepsChangingWhileItIsResyncedCountsAsConvergedByTheStream() {
        // given: B is written again before every look, each write's capture in flight until the next wait
        Pair pair = new Pair();
        pair.source.put(B, "b1");
        pair.target.put(B, "b0");
        pair.writesBeforeLooks = 2;
        pair.moving = B;

        // when
        PointConvergence.Outcome o = pair.converge(List.of(B), 3);

        // then
        assertThat(o.equal()).isTrue();
        assertThat(o.repaired()).isZero();
        assertThat(o.convergedByStream()).isEqualTo(1);
    }

    @Test
    void aWriteWhoseCaptureReachesTheTopicLateIsNotCountedAsARepair() {
        // given: B is written just before the first look, and its capture reaches the topic only after two waits
        Pair pair = new Pair();
        pair.source.put(B, "b1");
        pair.target.put(B, "b1-old");
        pair.late = B;
        pair.lateWaits = 3;

        // when
        PointConvergence.Outcome o = pair.converge(List.of(B), 3);

        // then: its source changed between the checksum and the first look, so a write was in flight
        assertThat(o.equal()).isTrue();
        assertThat(o.repaired()).isZero();
        assertThat(o.convergedByStream()).isEqualTo(1);
    }

    /** A source, a target and a capture stream, as digests per point. */
    private static final class Pair implements PointConvergence.Stream, PointConvergence.Sides {
        final Map<PointKey, String> source = new HashMap<>();
        final Map<PointKey, String> target = new HashMap<>();
        final Set<PointKey> inFlight = new HashSet<>();
        final Set<PointKey> corrupted = new HashSet<>();
        final List<List<PointKey>> resynced = new ArrayList<>();
        int catchUps;
        PointKey moving;
        int writesBeforeLooks;
        PointKey late;
        int lateWaits;
        private int revision;
        private boolean lateWritten;

        PointConvergence.Outcome converge(List<PointKey> differing, int maxRounds) {
            return PointConvergence.converge(differing, new PointDigests(source), this, this, maxRounds);
        }

        @Override
        public boolean catchUp() {
            catchUps++;
            if (late != null && lateWritten && --lateWaits == 0) {
                inFlight.add(late);
            }
            inFlight.forEach(this::copy);
            inFlight.clear();
            return true;
        }

        @Override
        public void resync(Collection<PointKey> points) {
            resynced.add(List.copyOf(points));
            points.forEach(this::copy);
            catchUp();
        }

        @Override
        public PointDigests source(Collection<PointKey> points) {
            if (late != null && !lateWritten) {
                source.put(late, "late");
                lateWritten = true;
            }
            if (moving != null && writesBeforeLooks-- > 0) {
                // a write lands on the source and its capture is on its way
                source.put(moving, "moved" + (++revision));
                inFlight.add(moving);
            }
            return new PointDigests(only(source, points));
        }

        @Override
        public PointDigests target(Collection<PointKey> points) {
            return new PointDigests(only(target, points));
        }

        private void copy(PointKey p) {
            if (!source.containsKey(p)) {
                target.remove(p);
            } else {
                target.put(p, corrupted.contains(p) ? "corrupt" : source.get(p));
            }
        }

        private static Map<PointKey, String> only(Map<PointKey, String> side, Collection<PointKey> points) {
            Map<PointKey, String> out = new HashMap<>();
            points.stream().filter(side::containsKey).forEach(p -> out.put(p, side.get(p)));
            return out;
        }
    }
}

package io.apex.migrator.live;

import io.apex.migrator.qdrant.QdrantGateway;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The exact point counts of a run's source and target, compared at a consistent point of the capture stream:
 * counting the two sides is never one atomic read, so while writes arrive the counts can differ by the writes in
 * flight. {@link #atConsistentPoint} lets the stream apply what was captured before each count and tells whether
 * the stream kept moving; {@link #compare} counts once, for the cutover hold (writes held, stream drained), where
 * the counts must be equal.
 */
@ApplicationScoped
public class ExactCounts {

    /** What the verification report says of counts left to the cutover hold. */
    public static final String DEFERRED = "to be compared at the cutover hold";

    private final QdrantGateway gateway;
    private final CaptureCatchUp catchUp;
    private final CaptureStream stream;

    @Inject
    public ExactCounts(QdrantGateway gateway, CaptureCatchUp catchUp, CaptureStream stream) {
        this.gateway = gateway;
        this.catchUp = catchUp;
        this.stream = stream;
    }

    /**
     * Counts of both sides.
     *
     * @param attempts times both sides were counted
     * @param streamMoved captures were added to the stream while the counts were taken (writes keep arriving)
     */
    public record Result(long sourcePoints, long targetPoints, int attempts, boolean streamMoved) {

        public boolean equal() {
            return sourcePoints == targetPoints;
        }
    }

    /** Counts both sides once, now: for a moment when no write can arrive (the cutover hold, after the drain). */
    public Result compare(String source, String target) {
        return new Result(gateway.count(source), gateway.count(target), 1, false);
    }

    /**
     * Up to {@code attempts} times: waits until the stream applied what it holds, counts both sides; stops at the
     * first equal counts. The stream counts as moving when captures were added at any time since the first count
     * began: two counts a few milliseconds apart often see no new capture even while writes keep arriving.
     */
    public Result atConsistentPoint(String source, String target, int attempts) {
        Result last = null;
        long first = -1;
        for (int i = 1; i <= Math.max(1, attempts); i++) {
            catchUp.catchUp();
            long before = end();
            if (first < 0) {
                first = before;
            }
            long s = gateway.count(source);
            long t = gateway.count(target);
            last = new Result(s, t, i, end() != first);
            if (last.equal()) {
                return last;
            }
        }
        return last;
    }

    private long end() {
        return catchUp.streamApplies() ? stream.end().size() : 0;
    }
}

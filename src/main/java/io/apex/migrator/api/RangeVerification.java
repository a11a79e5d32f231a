package io.apex.migrator.api;

import java.util.List;

/**
 * What a verify task found on one range and what it did about it: the range's checksums and exact counts on both
 * sides as first read, the points that made them differ, how many of those the capture stream made equal by itself
 * and how many a re-sync repaired, and whether the two sides were equal in the end.
 *
 * @param pass the verification pass the task belonged to (from 1)
 * @param sourceChecksum digest of the source range as first read
 * @param targetChecksum digest of the target range as first read
 * @param sourcePoints points of the source in the range
 * @param targetPoints points of the target in the range
 * @param differed the two sides differed when first compared
 * @param repairs rounds of re-sync of the points still different (0 when the stream explained everything)
 * @param repairedPoints points made equal by those re-syncs: writes that bypassed the capture, or lost captures
 * @param equal the two sides matched in the end (false: still different after the last allowed repair)
 * @param differingPoints points whose digests differed when the range was first compared
 * @param convergedByStream of those, points the capture stream made equal (writes in flight)
 * @param resyncedPoints points sent to be re-synced over all rounds (what the repair wrote or deleted)
 * @param stillDifferingPoints a few of the points still different at the end (ids, lowest first)
 */
public record RangeVerification(int pass, String sourceChecksum, String targetChecksum, long sourcePoints,
        long targetPoints, boolean differed, int repairs, long repairedPoints, boolean equal, long differingPoints,
        long convergedByStream, long resyncedPoints, List<String> stillDifferingPoints) {

    public RangeVerification {
        if (pass < 1) {
            throw new InvalidMessageException("$.verification.pass", "must be >= 1, was " + pass);
        }
        Checks.text(sourceChecksum, "verification.sourceChecksum");
        Checks.text(targetChecksum, "verification.targetChecksum");
        if (sourcePoints < 0 || targetPoints < 0 || repairs < 0 || repairedPoints < 0 || differingPoints < 0
                || convergedByStream < 0 || resyncedPoints < 0) {
            throw new InvalidMessageException("$.verification", "counts must not be negative");
        }
        stillDifferingPoints = stillDifferingPoints == null ? List.of() : List.copyOf(stillDifferingPoints);
    }
}

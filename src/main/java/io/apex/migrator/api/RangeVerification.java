package io.apex.migrator.api;

/**
 * What a verify task found on one range and what it did about it: the range's checksums and exact counts on
 * both sides as first read, how many times it re-copied the range, and whether the two sides were equal in the
 * end.
 *
 * @param pass the verification pass the task belonged to (from 1)
 * @param sourceChecksum digest of the source range (after the last repair, when there was one)
 * @param targetChecksum digest of the target range (after the last repair, when there was one)
 * @param sourcePoints points of the source in the range
 * @param targetPoints points of the target in the range
 * @param differed the two sides differed when first compared
 * @param repairs times the range was re-copied (0 when it matched at once)
 * @param repairedPoints points upserted or deleted in the target by those repairs
 * @param equal the two sides matched in the end (false: still different after the last allowed repair)
 */
public record RangeVerification(int pass, String sourceChecksum, String targetChecksum, long sourcePoints,
        long targetPoints, boolean differed, int repairs, long repairedPoints, boolean equal) {

    public RangeVerification {
        if (pass < 1) {
            throw new InvalidMessageException("$.verification.pass", "must be >= 1, was " + pass);
        }
        Checks.text(sourceChecksum, "verification.sourceChecksum");
        Checks.text(targetChecksum, "verification.targetChecksum");
        if (sourcePoints < 0 || targetPoints < 0 || repairs < 0 || repairedPoints < 0) {
            throw new InvalidMessageException("$.verification", "counts must not be negative");
        }
    }
}

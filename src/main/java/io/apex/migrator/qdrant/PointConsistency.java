package io.apex.migrator.qdrant;

import io.qdrant.client.grpc.Points;
import java.util.Locale;
import java.util.Objects;

/**
 * How point reads and writes ask a Qdrant cluster to agree. Reads carry {@code read_consistency}: {@code majority}
 * (the default: a checksum, a count or the recall gate decides only on what most replicas hold), {@code quorum},
 * {@code all}, or a number of replicas; on a single node every setting reads the one copy. Writes carry
 * {@code ordering}: {@code weak} (the default, Qdrant's own), {@code medium} (through the shard's current leader) or
 * {@code strong} (through its permanent leader: consistent, unavailable while that peer is down).
 */
public record PointConsistency(Points.ReadConsistency read, Points.WriteOrdering write) {

    /** majority reads, weak writes. */
    public static final PointConsistency DEFAULT = parse("majority", "weak");

    public PointConsistency {
        Objects.requireNonNull(read, "read");
        Objects.requireNonNull(write, "write");
    }

    /**
     * From config words: {@code read} is {@code majority}, {@code quorum}, {@code all} or a number of replicas
     * (at least 1); {@code write} is {@code weak}, {@code medium} or {@code strong} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the value and what is allowed
     */
    public static PointConsistency parse(String read, String write) {
        return new PointConsistency(readConsistency(read), writeOrdering(write));
    }

    private static Points.ReadConsistency readConsistency(String value) {
        String v = Objects.requireNonNull(value, "read consistency").trim().toLowerCase(Locale.ROOT);
        Points.ReadConsistency.Builder out = Points.ReadConsistency.newBuilder();
        switch (v) {
            case "majority" -> out.setType(Points.ReadConsistencyType.Majority);
            case "quorum" -> out.setType(Points.ReadConsistencyType.Quorum);
            case "all" -> out.setType(Points.ReadConsistencyType.All);
            default -> {
                long factor;
                try {
                    factor = Long.parseLong(v);
                } catch (NumberFormatException e) {
                    factor = 0;
                }
                if (factor < 1) {
                    throw new IllegalArgumentException("read consistency must be majority, quorum, all or a number "
                            + "of replicas >= 1, got '" + value + "'");
                }
                out.setFactor(factor);
            }
        }
        return out.build();
    }

    private static Points.WriteOrdering writeOrdering(String value) {
        String v = Objects.requireNonNull(value, "write ordering").trim().toLowerCase(Locale.ROOT);
        Points.WriteOrderingType type = switch (v) {
            case "weak" -> Points.WriteOrderingType.Weak;
            case "medium" -> Points.WriteOrderingType.Medium;
            case "strong" -> Points.WriteOrderingType.Strong;
            default -> throw new IllegalArgumentException("write ordering must be weak, medium or strong, got '"
                    + value + "'");
        };
        return Points.WriteOrdering.newBuilder().setType(type).build();
    }

    @Override
    public String toString() {
        String r = read.hasFactor() ? Long.toString(read.getFactor()) : read.getType().name().toLowerCase(Locale.ROOT);
        return "read=" + r + ", write=" + write.getType().name().toLowerCase(Locale.ROOT);
    }
}

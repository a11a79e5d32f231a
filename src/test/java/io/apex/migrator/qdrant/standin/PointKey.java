package io.apex.migrator.qdrant.standin;

import io.qdrant.client.grpc.Common.PointId;
import java.util.UUID;

/**
 * A point id as a compact sort key in Qdrant's order (see {@code io.apex.migrator.qdrant.PointIdOrder}): integer ids first, by
 * unsigned value, then UUIDs by their 128-bit unsigned value. Kept as two longs so that 200k keys in a
 * sorted map cost little memory and compare without parsing.
 */
record PointKey(boolean uuid, long high, long low) implements Comparable<PointKey> {

    static PointKey of(PointId id) {
        return switch (id.getPointIdOptionsCase()) {
            case NUM -> new PointKey(false, id.getNum(), 0);
            case UUID -> {
                UUID u = parseUuid(id.getUuid());
                yield new PointKey(true, u.getMostSignificantBits(), u.getLeastSignificantBits());
            }
            case POINTIDOPTIONS_NOT_SET -> throw StandInErrors.invalid("Wrong input: point id is not set");
        };
    }

    /**
     * The UUID forms Qdrant accepts (hyphenated, 32 plain hex digits, braced, {@code urn:uuid:}); anything
     * else is the INVALID_ARGUMENT a real server answers. The server parses for itself, as Qdrant does,
     * rather than borrowing the product's parser it is meant to check.
     */
    private static UUID parseUuid(String text) {
        String hex = text.strip().toLowerCase(java.util.Locale.ROOT);
        if (hex.startsWith("urn:uuid:")) {
            hex = hex.substring("urn:uuid:".length());
        } else if (hex.startsWith("{") && hex.endsWith("}")) {
            hex = hex.substring(1, hex.length() - 1);
        }
        if (hex.length() == 36 && hex.charAt(8) == '-' && hex.charAt(13) == '-' && hex.charAt(18) == '-'
                && hex.charAt(23) == '-') {
            hex = hex.replace("-", "");
        }
        if (hex.length() != 32 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw StandInErrors.invalid("Unable to parse UUID: " + text);
        }
        return new UUID(Long.parseUnsignedLong(hex.substring(0, 16), 16),
                Long.parseUnsignedLong(hex.substring(16), 16));
    }

    static PointKey num(long num) {
        return new PointKey(false, num, 0);
    }

    /** Qdrant answers UUIDs in their lower-case hyphenated form, whatever form they were sent in. */
    PointId toPointId() {
        return uuid
                ? PointId.newBuilder().setUuid(new UUID(high, low).toString()).build()
                : PointId.newBuilder().setNum(high).build();
    }

    @Override
    public int compareTo(PointKey other) {
        if (uuid != other.uuid) {
            return uuid ? 1 : -1;
        }
        int c = Long.compareUnsigned(high, other.high);
        return c != 0 ? c : Long.compareUnsigned(low, other.low);
    }

    @Override
    public String toString() {
        return uuid ? new UUID(high, low).toString() : Long.toUnsignedString(high);
    }
}

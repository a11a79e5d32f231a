package io.apex.migrator.qdrant;

import io.qdrant.client.grpc.Common;
import java.util.Comparator;
import java.util.UUID;

/**
 * The order Qdrant scrolls points in: every integer id before every UUID; integers as unsigned 64-bit values;
 * UUIDs by their 128-bit value read as unsigned. Range planning and range checks depend on agreeing with the
 * server, so this is the one copy of that rule.
 */
public final class PointIdOrder implements Comparator<Common.PointId> {

    /** The shared instance; the comparator is stateless. */
    public static final PointIdOrder INSTANCE = new PointIdOrder();

    @Override
    public int compare(Common.PointId a, Common.PointId b) {
        boolean aNum = isNumber(a);
        boolean bNum = isNumber(b);
        if (aNum != bNum) {
            return aNum ? -1 : 1;
        }
        if (aNum) {
            return Long.compareUnsigned(a.getNum(), b.getNum());
        }
        UUID ua = parseUuid(a.getUuid());
        UUID ub = parseUuid(b.getUuid());
        int high = Long.compareUnsigned(ua.getMostSignificantBits(), ub.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(ua.getLeastSignificantBits(), ub.getLeastSignificantBits());
    }

    /** Qdrant accepts the simple (32 hex), hyphenated, braced and urn forms; compare them all by value. */
    static UUID parseUuid(String text) {
        String hex = text.strip().toLowerCase(java.util.Locale.ROOT);
        if (hex.startsWith("urn:uuid:")) {
            hex = hex.substring("urn:uuid:".length());
        }
        hex = hex.replace("{", "").replace("}", "").replace("-", "");
        if (hex.length() != 32 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("point id is not a UUID: '" + text + "'");
        }
        return new UUID(Long.parseUnsignedLong(hex.substring(0, 16), 16), Long.parseUnsignedLong(hex.substring(16), 16));
    }

    private static boolean isNumber(Common.PointId id) {
        return switch (id.getPointIdOptionsCase()) {
            case NUM -> true;
            case UUID -> false;
            default -> throw new IllegalArgumentException("point id has neither num nor uuid: " + id);
        };
    }
}

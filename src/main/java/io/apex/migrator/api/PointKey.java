package io.apex.migrator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.qdrant.client.grpc.Common.PointId;
import java.util.UUID;

/**
 * A Qdrant point id as it travels in messages and sits in the run store: exactly one of an unsigned
 * 64-bit integer ({@code num}) or a UUID. JSON: {@code {"num": 42}} or {@code {"uuid": "..."}}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PointKey(Long num, UUID uuid) {

    public PointKey {
        if ((num == null) == (uuid == null)) {
            throw new InvalidMessageException("$", "a point id has exactly one of 'num' or 'uuid'");
        }
    }

    public static PointKey of(PointId id) {
        return switch (id.getPointIdOptionsCase()) {
            case NUM -> new PointKey(id.getNum(), null);
            case UUID -> new PointKey(null, UUID.fromString(id.getUuid()));
            default -> throw new InvalidMessageException("$", "point id without a value");
        };
    }

    public PointId toPointId() {
        return num != null
                ? PointId.newBuilder().setNum(num).build()
                : PointId.newBuilder().setUuid(uuid.toString()).build();
    }

    /** Compact text form for the run store and logs: {@code 42} or the UUID. */
    public String text() {
        return num != null ? Long.toUnsignedString(num) : uuid.toString();
    }

    /** Parses {@link #text()}. */
    public static PointKey parse(String text) {
        if (text.indexOf('-') >= 0) {
            return new PointKey(null, UUID.fromString(text));
        }
        return new PointKey(Long.parseUnsignedLong(text), null);
    }

    @Override
    public String toString() {
        return text();
    }
}

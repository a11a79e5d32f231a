package io.apex.migrator.pipeline;

import com.google.protobuf.Timestamp;
import io.apex.migrator.qdrant.QdrantGateway;
import io.apex.migrator.qdrant.WireScrollPage;
import io.qdrant.client.grpc.Common.Condition;
import io.qdrant.client.grpc.Common.DatetimeRange;
import io.qdrant.client.grpc.Common.FieldCondition;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.PointId;
import java.time.Instant;

/**
 * The quick half of a catch-up when the target's spec names {@code migration.updated_at_field}: every source
 * point whose field (an RFC 3339 datetime) is at or after the copy's start is copied again, found by a filtered
 * scroll instead of a read of every range. It cannot see deletions or writers that leave the field alone, so
 * the checksum pass that follows still decides.
 */
final class UpdatedSince {

    private UpdatedSince() {
    }

    /** Copies the source points changed since {@code since}; returns how many. */
    static long copy(QdrantGateway gateway, String source, String target, String field, Instant since, int pageSize) {
        Filter filter = Filter.newBuilder().addMust(Condition.newBuilder().setField(FieldCondition.newBuilder()
                .setKey(field).setDatetimeRange(DatetimeRange.newBuilder().setGte(Timestamp.newBuilder()
                        .setSeconds(since.getEpochSecond()).setNanos(since.getNano()))))).build();
        long copied = 0;
        PointId offset = null;
        while (true) {
            WireScrollPage page = gateway.scrollWire(source, offset, pageSize, filter);
            gateway.upsertWire(target, page.points());
            copied += page.points().size();
            if (page.isLast() || page.points().isEmpty()) {
                return copied;
            }
            offset = page.nextOffset().orElseThrow();
        }
    }
}

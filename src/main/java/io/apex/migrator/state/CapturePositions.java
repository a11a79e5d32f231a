package io.apex.migrator.state;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;

/** How far the workers have applied each partition of the capture topic (next offset to apply). */
@ApplicationScoped
public class CapturePositions {

    private final RunStore runStore;

    @Inject
    public CapturePositions(RunStore runStore) {
        this.runStore = runStore;
    }

    /** Records that every record before these offsets is applied (never moves a partition back). */
    public void applied(String topic, Map<Integer, Long> nextOffsets) {
        runStore.inTransaction("recording applied captures", c -> {
            try (var ps = c.prepareStatement("INSERT INTO " + RunStoreSchema.NAME + ".capture_positions (topic, partition, "
                    + "next_offset) VALUES (?, ?, ?) ON CONFLICT (topic, partition) DO UPDATE SET next_offset = "
                    + "GREATEST(" + RunStoreSchema.NAME + ".capture_positions.next_offset, EXCLUDED.next_offset), updated_at = now()")) {
                for (Map.Entry<Integer, Long> e : nextOffsets.entrySet()) {
                    ps.setString(1, topic);
                    ps.setInt(2, e.getKey());
                    ps.setLong(3, e.getValue());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** Next offset to apply, per partition of {@code topic} (absent: nothing applied yet). */
    public Map<Integer, Long> positions(String topic) {
        Map<Integer, Long> positions = new HashMap<>();
        runStore.queryList("reading capture positions", "SELECT partition, next_offset FROM "
                + RunStoreSchema.NAME + ".capture_positions WHERE topic = ?", ps -> ps.setString(1, topic),
                rs -> positions.put(rs.getInt(1), rs.getLong(2)));
        return positions;
    }
}

package io.apex.migrator.qdrant;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What it takes to turn a live collection into what a spec describes, field by field: Qdrant changes HNSW params,
 * quantization, optimizers, on_disk flags, replication and write consistency, strict mode, sparse indexes in place
 * ({@code UpdateCollection}; segments are rebuilt in the background), and missing shard keys and payload indexes
 * by creating them; a vector's size, distance, datatype or multivector config, adding or removing a vector, a
 * sparse modifier, the shard number and the sharding method need a new collection and a copy.
 *
 * @param changes every field that differs, each with how it can be changed
 */
public record ChangePlan(List<Change> changes) {

    /** How one field can be changed. */
    public enum Mode {
        IN_PLACE, COPY;

        public String label() {
            return this == IN_PLACE ? "in place" : "copy";
        }
    }

    /** One field that differs, with how it can be changed. */
    public record Change(Drift drift, Mode mode) {

        public Change {
            Objects.requireNonNull(drift, "drift");
            Objects.requireNonNull(mode, "mode");
        }
    }

    /** Fields only a new collection can change (vector shape, sharding); everything else Qdrant changes in place. */
    private static final Pattern NEEDS_COPY = Pattern.compile(
            "vectors|named_vectors|named_vectors\\.[^.]+"
            + "|(vectors|named_vectors\\.[^.]+)\\.(size|distance|datatype|multivector)"
            + "|sparse_vectors\\.[^.]+|sparse_vectors\\.[^.]+\\.modifier|shard_number|sharding_method");

    public ChangePlan {
        changes = List.copyOf(changes);
    }

    /** The plan for the drifts of a live collection against a spec. */
    public static ChangePlan of(List<Drift> drifts) {
        return new ChangePlan(drifts.stream().map(d -> new Change(d, modeOf(d.field()))).toList());
    }

    static Mode modeOf(String field) {
        return NEEDS_COPY.matcher(field).matches() ? Mode.COPY : Mode.IN_PLACE;
    }

    /** Whether nothing differs. */
    public boolean isEmpty() {
        return changes.isEmpty();
    }

    /** Whether every difference can be made in place (true when nothing differs). */
    public boolean inPlace() {
        return changes.stream().allMatch(c -> c.mode() == Mode.IN_PLACE);
    }

    /** One line per field, e.g. {@code hnsw.m: 16 -> 32 (in place)}, then the verdict. */
    public List<String> describe() {
        List<String> lines = new java.util.ArrayList<>();
        changes.forEach(c -> lines.add(c.drift().field() + ": " + c.drift().actual() + " -> " + c.drift().expected()
                + " (" + c.mode().label() + ")"));
        lines.add(isEmpty() ? "nothing differs: no change needed"
                : inPlace() ? "every change can be made in place (--in-place), or by the default copy"
                : "needs a copy (the default: copy, verify, swap): " + needingCopy().stream().map(Drift::field)
                        .toList());
        return lines;
    }

    /** The fields that need a copy. */
    public List<Drift> needingCopy() {
        return changes.stream().filter(c -> c.mode() == Mode.COPY).map(Change::drift).toList();
    }
}

package io.apex.migrator.qdrant.standin;

import io.qdrant.client.grpc.JsonWithInt.Value;
import java.util.Map;

/**
 * One point as the stand-in keeps it: dense vectors as plain {@code float[]} (a 1536-d vector costs ~6 KB,
 * not the ~4x of a boxed protobuf list), sparse vectors as two arrays, the payload as protobuf values.
 * The unnamed default vector is stored under the name {@code ""}. Immutable once stored; an upsert
 * replaces the whole point, as Qdrant's upsert does.
 */
record StoredPoint(PointKey key, Map<String, Value> payload, Map<String, float[]> dense,
        Map<String, SparseVec> sparse) {

    StoredPoint {
        payload = Map.copyOf(payload);
        dense = Map.copyOf(dense);
        sparse = Map.copyOf(sparse);
    }

    /** A sparse vector as given: indices and values in the order the client sent them. */
    record SparseVec(int[] indices, float[] values) {

        SparseVec {
            if (indices.length != values.length) {
                throw StandInErrors.invalid("Wrong input: sparse vector has " + indices.length + " indices but "
                        + values.length + " values");
            }
        }

        double dot(SparseVec other) {
            double sum = 0;
            for (int i = 0; i < indices.length; i++) {
                for (int j = 0; j < other.indices.length; j++) {
                    if (indices[i] == other.indices[j]) {
                        sum += (double) values[i] * other.values[j];
                    }
                }
            }
            return sum;
        }
    }
}

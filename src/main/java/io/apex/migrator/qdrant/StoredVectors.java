package io.apex.migrator.qdrant;

import io.qdrant.client.grpc.Points.DenseVector;
import io.qdrant.client.grpc.Points.VectorOutput;
import io.qdrant.client.grpc.Points.VectorsOutput;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The vectors of a point as Qdrant returned them, one canonical form whatever the server filled in: the
 * {@code dense}/{@code sparse}/{@code multi_dense} oneof of newer servers, or the deprecated {@code data} /
 * {@code indices} / {@code vectors_count} fields of older ones. Unnamed vectors carry the name "".
 */
public final class StoredVectors {

    /** One vector: dense ({@code indices} null), sparse, or multi-dense ({@code rows} > 1 dense rows). */
    public record Vector(float[] values, int[] indices, int rows) {
        public boolean dense() {
            return indices == null && rows == 1;
        }
    }

    private StoredVectors() {
    }

    /** Every vector of the point by name, sorted by name. */
    public static Map<String, Vector> of(VectorsOutput vectors) {
        Map<String, Vector> out = new TreeMap<>();
        if (vectors.hasVector()) {
            out.put("", of(vectors.getVector()));
        } else if (vectors.hasVectors()) {
            vectors.getVectors().getVectorsMap().forEach((name, v) -> out.put(name, of(v)));
        }
        return out;
    }

    @SuppressWarnings("deprecation")
    static Vector of(VectorOutput v) {
        return switch (v.getVectorCase()) {
            case DENSE -> new Vector(floats(v.getDense().getDataList()), null, 1);
            case SPARSE -> new Vector(floats(v.getSparse().getValuesList()), ints(v.getSparse().getIndicesList()), 1);
            case MULTI_DENSE -> {
                List<DenseVector> rows = v.getMultiDense().getVectorsList();
                int total = rows.stream().mapToInt(DenseVector::getDataCount).sum();
                float[] all = new float[total];
                int i = 0;
                for (DenseVector row : rows) {
                    for (float x : row.getDataList()) {
                        all[i++] = x;
                    }
                }
                yield new Vector(all, null, rows.size());
            }
            default -> v.hasIndices() ? new Vector(floats(v.getDataList()), ints(v.getIndices().getDataList()), 1)
                    : new Vector(floats(v.getDataList()), null, v.hasVectorsCount() ? v.getVectorsCount() : 1);
        };
    }

    private static float[] floats(List<Float> list) {
        float[] out = new float[list.size()];
        if (list instanceof com.google.protobuf.Internal.FloatList primitive) {
            // protobuf's own list: get(i) would box every float
            for (int i = 0; i < out.length; i++) {
                out[i] = primitive.getFloat(i);
            }
            return out;
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
        }
        return out;
    }

    private static int[] ints(List<Integer> list) {
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
        }
        return out;
    }
}

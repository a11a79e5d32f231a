package io.apex.migrator.pipeline;

import io.qdrant.client.grpc.Collections.Datatype;
import io.qdrant.client.grpc.Collections.SparseVectorConfig;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Whether a target's vectors can hold the source's points unchanged: the same dense vectors (names), each with the
 * same size, distance, datatype and multivector config, and every sparse vector of the source. A difference in
 * distance is not harmless: Qdrant normalises the vectors written into a Cosine vector, so the copy would differ from
 * its source and verification could only fail later, without naming the cause.
 */
final class VectorShapes {

    private VectorShapes() {
    }

    /** Every difference, each naming the vector and both values; empty when the target fits. */
    static List<String> mismatches(VectorsConfig source, SparseVectorConfig sourceSparse, VectorsConfig target,
            SparseVectorConfig targetSparse) {
        List<String> out = new ArrayList<>();
        Map<String, VectorParams> s = dense(source);
        Map<String, VectorParams> t = dense(target);
        Set<String> missing = new TreeSet<>(s.keySet());
        missing.removeAll(t.keySet());
        Set<String> extra = new TreeSet<>(t.keySet());
        extra.removeAll(s.keySet());
        missing.forEach(name -> out.add(label(name) + ": in the source, not in the target"));
        extra.forEach(name -> out.add(label(name) + ": in the target, not in the source"));
        s.forEach((name, sp) -> {
            VectorParams tp = t.get(name);
            if (tp == null) {
                return;
            }
            compare(out, name, "size", sp.getSize(), tp.getSize());
            compare(out, name, "distance", sp.getDistance(), tp.getDistance());
            compare(out, name, "datatype", datatype(sp), datatype(tp));
            compare(out, name, "multivector", multivector(sp), multivector(tp));
        });
        Set<String> sparseMissing = new TreeSet<>(sourceSparse.getMapMap().keySet());
        sparseMissing.removeAll(targetSparse.getMapMap().keySet());
        sparseMissing.forEach(name -> out.add("sparse vector `" + name + "`: in the source, not in the target"));
        return out;
    }

    private static void compare(List<String> out, String name, String field, Object source, Object target) {
        if (!source.equals(target)) {
            out.add(label(name) + ": " + field + " " + source + " in the source, " + target + " in the target");
        }
    }

    static String label(String name) {
        return name.isEmpty() ? "the unnamed vector" : "vector `" + name + "`";
    }

    /** Qdrant stores float32 unless told otherwise: an unset datatype and Float32 are the same. */
    private static Datatype datatype(VectorParams p) {
        return p.hasDatatype() && p.getDatatype() != Datatype.Default ? p.getDatatype() : Datatype.Float32;
    }

    private static String multivector(VectorParams p) {
        return p.hasMultivectorConfig() ? p.getMultivectorConfig().getComparator().name() : "none";
    }

    /** Dense vector name to its params; the unnamed vector is "". */
    static Map<String, VectorParams> dense(VectorsConfig config) {
        Map<String, VectorParams> out = new TreeMap<>();
        if (config.hasParams()) {
            out.put("", config.getParams());
        } else {
            out.putAll(config.getParamsMap().getMapMap());
        }
        return out;
    }
}

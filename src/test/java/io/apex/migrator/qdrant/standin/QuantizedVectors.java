package io.apex.migrator.qdrant.standin;

import com.google.protobuf.Internal.FloatList;
import io.qdrant.client.grpc.Collections.ScalarQuantization;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Int8 scalar quantization of one collection's dense vectors, as Qdrant does it: one value range per
 * vector name, cut at the configured quantile of all components (the tails beyond it clamp), each
 * component mapped to one of 256 levels. Built lazily on the first quantized search and kept up to date
 * incrementally: a point is re-quantized only when it was replaced, and the range is re-estimated only when
 * the collection has grown or shrunk by more than a fifth since it was estimated, so a benchmark that
 * searches 200k points does not pay a rebuild per query.
 */
final class QuantizedVectors {

    private static final int MAX_SAMPLE = 200_000;

    private final StoredCollection collection;
    private final Map<String, Codebook> codebooks = new ConcurrentHashMap<>();
    /** Noise of the quantization-noise fault: added to vectors before they are quantized (0 = none). */
    private volatile double noise;

    QuantizedVectors(StoredCollection collection) {
        this.collection = collection;
    }

    /** Sets the quantization-noise fault's sigma; the index is rebuilt when it changes. */
    void useNoise(double sigma) {
        if (sigma != noise) {
            synchronized (this) {
                noise = sigma;
                codebooks.clear();
            }
        }
    }

    void forget(PointKey key) {
        codebooks.values().forEach(c -> c.forget(key));
    }

    /** The quantization of one vector name, refreshed when needed. */
    Codebook codebook(String vectorName, ScalarQuantization config) {
        float quantile = config.hasQuantile() ? config.getQuantile() : 1.0f;
        int size = collection.points().size();
        Codebook current = codebooks.get(vectorName);
        if (current == null || current.quantile != quantile
                || Math.abs(size - current.sizeAtEstimate) > Math.max(1, current.sizeAtEstimate / 5)) {
            synchronized (this) {
                current = codebooks.get(vectorName);
                if (current == null || current.quantile != quantile
                        || Math.abs(size - current.sizeAtEstimate) > Math.max(1, current.sizeAtEstimate / 5)) {
                    current = estimate(vectorName, quantile, size);
                    codebooks.put(vectorName, current);
                }
            }
        }
        return current;
    }

    private Codebook estimate(String vectorName, float quantile, int size) {
        int dims = (int) collection.denseVectors().get(vectorName).getSize();
        int stride = Math.max(1, (int) ((long) size * dims / MAX_SAMPLE));
        float[] sample = new float[Math.min(MAX_SAMPLE, Math.max(1, size * dims))];
        int n = 0;
        int i = 0;
        for (StoredPoint p : collection.points().values()) {
            FloatList v = p.values(vectorName);
            if (v != null && i++ % stride == 0) {
                for (int d = 0; d < v.size() && n < sample.length; d++) {
                    sample[n++] = v.getFloat(d);
                }
            }
        }
        if (n == 0) {
            return new Codebook(quantile, size, -1f, 2f / 255, noise);
        }
        float[] values = Arrays.copyOf(sample, n);
        Arrays.sort(values);
        double cut = (1.0 - quantile) / 2;
        float lo = values[(int) Math.floor(cut * (n - 1))];
        float hi = values[(int) Math.ceil((1.0 - cut) * (n - 1))];
        float step = hi > lo ? (hi - lo) / 255f : 1e-6f;
        return new Codebook(quantile, size, lo, step, noise);
    }

    /** One value range: {@code value ≈ lo + code * step}, code in 0..255. */
    static final class Codebook {
        private final float quantile;
        private final int sizeAtEstimate;
        final float lo;
        final float step;
        private final double noise;
        private final Map<PointKey, Entry> codes = new ConcurrentHashMap<>();

        Codebook(float quantile, int sizeAtEstimate, float lo, float step, double noise) {
            this.noise = noise;
            this.quantile = quantile;
            this.sizeAtEstimate = sizeAtEstimate;
            this.lo = lo;
            this.step = step;
        }

        /** The quantized components of the point's vector; recomputed if the point was replaced. */
        byte[] codes(StoredPoint point, FloatList vector) {
            Entry entry = codes.get(point.key());
            if (entry == null || entry.point != point) {
                entry = new Entry(point, quantize(vector, point.key()));
                codes.put(point.key(), entry);
            }
            return entry.codes;
        }

        void forget(PointKey key) {
            codes.remove(key);
        }

        private byte[] quantize(FloatList vector, PointKey key) {
            byte[] out = new byte[vector.size()];
            // the fault's noise is drawn per point from its key, so the same index comes out every time
            java.util.Random random = noise > 0 ? new java.util.Random(key.hashCode() * 31L + 7) : null;
            for (int i = 0; i < out.length; i++) {
                double value = random == null ? vector.getFloat(i) : vector.getFloat(i) + random.nextGaussian() * noise;
                int code = (int) Math.round((value - lo) / step);
                out[i] = (byte) Math.max(0, Math.min(255, code));
            }
            return out;
        }

        float value(byte code) {
            return lo + (code & 0xFF) * step;
        }

        private record Entry(StoredPoint point, byte[] codes) {
        }
    }
}

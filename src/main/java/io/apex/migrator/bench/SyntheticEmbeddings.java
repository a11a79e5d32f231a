package io.apex.migrator.bench;

import java.util.SplittableRandom;

/**
 * Deterministic embeddings shaped like real ones: unit vectors scattered around a few hundred topic centroids
 * (uniform random vectors are all nearly orthogonal, which flatters or ruins an index unrealistically).
 */
public final class SyntheticEmbeddings {

    private final int dimensions;
    private final float[][] centroids;
    private final long seed;

    public SyntheticEmbeddings(int dimensions, int topics, long seed) {
        if (dimensions < 2 || topics < 1) {
            throw new IllegalArgumentException("dimensions >= 2 and topics >= 1 required");
        }
        this.dimensions = dimensions;
        this.seed = seed;
        SplittableRandom random = new SplittableRandom(seed);
        this.centroids = new float[topics][];
        for (int t = 0; t < topics; t++) {
            centroids[t] = gaussian(random, 1.0);
            normalize(centroids[t]);
        }
    }

    public int dimensions() {
        return dimensions;
    }

    /** The i-th vector: the same i always gives the same vector. */
    public float[] vector(long i) {
        SplittableRandom random = new SplittableRandom(seed * 31 + i);
        float[] centroid = centroids[random.nextInt(centroids.length)];
        float[] noise = gaussian(random, 0.6 / Math.sqrt(dimensions));
        float[] v = new float[dimensions];
        for (int d = 0; d < dimensions; d++) {
            v[d] = centroid[d] + noise[d];
        }
        normalize(v);
        return v;
    }

    /** Topic of the i-th vector, usable as a payload/metadata value correlated with the embedding. */
    public int topic(long i) {
        return new SplittableRandom(seed * 31 + i).nextInt(centroids.length);
    }

    private float[] gaussian(SplittableRandom random, double sigma) {
        float[] v = new float[dimensions];
        for (int d = 0; d < dimensions; d++) {
            // Box-Muller
            double u1 = 1.0 - random.nextDouble();
            double u2 = random.nextDouble();
            v[d] = (float) (sigma * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
        }
        return v;
    }

    private static void normalize(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        float inv = (float) (1.0 / Math.sqrt(norm));
        for (int d = 0; d < v.length; d++) {
            v[d] *= inv;
        }
    }
}

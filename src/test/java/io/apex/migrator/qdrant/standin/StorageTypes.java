package io.apex.migrator.qdrant.standin;

import com.google.protobuf.Internal.FloatList;
import io.qdrant.client.grpc.Collections.Datatype;
import io.qdrant.client.grpc.Collections.VectorParams;

/**
 * The storage datatype of a dense vector, applied as Qdrant stores it (lib/segment PrimitiveVectorElement): float16
 * rounds each value to the nearest half-precision number (ties to even; past 65504 it is infinite), uint8 converts as
 * Rust's {@code x as u8} (towards zero, saturating at 0 and 255, NaN to 0). A read returns the stored value as a
 * float, so a vector read from such a collection and written to another of the same datatype is stored bit for bit.
 */
final class StorageTypes {

    private static final double HALF_MAX = 65504;

    private StorageTypes() {
    }

    /** Whether storing {@code values} under {@code params} leaves every one of them as it is. */
    static boolean storesExactly(VectorParams params, FloatList values) {
        Datatype type = params.getDatatype();
        if (type != Datatype.Float16 && type != Datatype.Uint8) {
            return true;
        }
        for (int i = 0, n = values.size(); i < n; i++) {
            float x = values.getFloat(i);
            if (Float.floatToRawIntBits(stored(type, x)) != Float.floatToRawIntBits(x)) {
                return false;
            }
        }
        return true;
    }

    /** Replaces each value with the one stored under {@code params}' datatype. */
    static void apply(VectorParams params, float[] values) {
        Datatype type = params.getDatatype();
        if (type != Datatype.Float16 && type != Datatype.Uint8) {
            return;
        }
        for (int i = 0; i < values.length; i++) {
            values[i] = stored(type, values[i]);
        }
    }

    static float stored(Datatype type, float x) {
        return type == Datatype.Uint8 ? asU8(x) : toHalf(x);
    }

    private static float asU8(float x) {
        if (Float.isNaN(x) || x <= 0) {
            return 0;
        }
        return x >= 255 ? 255 : (float) Math.floor(x);
    }

    /** The float16 nearest to {@code x}, as a float (round half to even on the half's spacing at x's magnitude). */
    static float toHalf(float x) {
        if (Float.isNaN(x) || Float.isInfinite(x)) {
            return x;
        }
        int exponent = Math.getExponent(x);
        double spacing = exponent < -14 ? 0x1p-24 : Math.scalb(1.0, exponent - 10);
        double rounded = Math.rint(x / spacing) * spacing;
        if (Math.abs(rounded) > HALF_MAX) {
            return x > 0 ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
        }
        return (float) rounded;
    }
}

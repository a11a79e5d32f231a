package io.apex.migrator.api;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a command record: HMAC-SHA256 over the record value's exact bytes, sent in the Kafka header
 * {@value #HEADER} as {@code sha256=<64 lowercase hex digits>} (the form of GitHub's webhook signatures). The bytes
 * are signed as sent, so any change to them (even whitespace) breaks the signature.
 */
public final class CommandSignature {

    /** The Kafka record header that carries the signature. */
    public static final String HEADER = "apex-signature";

    private static final String PREFIX = "sha256=";
    private static final String ALGORITHM = "HmacSHA256";

    private CommandSignature() {
    }

    /** The header value for {@code value} signed with {@code key}. */
    public static String sign(byte[] key, byte[] value) {
        return PREFIX + HexFormat.of().formatHex(mac(key, value));
    }

    /**
     * Whether {@code presented} (a header value, perhaps null or malformed) is the signature of {@code value} under
     * {@code key}; the comparison takes the same time wherever the bytes first differ.
     */
    public static boolean matches(byte[] key, byte[] value, byte[] presented) {
        if (presented == null) {
            return false;
        }
        byte[] expected = sign(key, value).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, presented);
    }

    private static byte[] mac(byte[] key, byte[] value) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return mac.doFinal(value == null ? new byte[0] : value);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            // every JDK has HmacSHA256, and any non-empty key is valid for it; the message names no key
            throw new IllegalStateException("HMAC-SHA256 unavailable: " + e.getClass().getSimpleName(), e);
        }
    }
}

package io.apex.migrator.schema;

import com.fasterxml.jackson.annotation.JsonValue;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** SHA-256 of a script's text (line endings normalised, so a checkout on Windows does not count as an edit). */
@RegisterForReflection
public record Checksum(String hex) {

    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    public Checksum {
        if (hex == null || !HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("a checksum is 64 lower-case hex digits, got " + hex);
        }
    }

    public static Checksum of(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(text.replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8));
            return new Checksum(HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @JsonValue
    @Override
    public String toString() {
        return hex;
    }
}

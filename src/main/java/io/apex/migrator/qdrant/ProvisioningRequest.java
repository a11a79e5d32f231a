package io.apex.migrator.qdrant;

import java.util.Objects;
import java.util.Optional;

/**
 * What to provision: {@code spec} is a collection ({@code documents_v2}) or logical name ({@code documents});
 * {@code version} picks that version; neither means the newest version of every spec. {@code quantization=false}
 * creates (and expects) collections without quantization. {@code migrationId} tags the log lines.
 */
public record ProvisioningRequest(Optional<String> spec, Optional<Integer> version, boolean quantization,
        Optional<String> migrationId) {

    public ProvisioningRequest {
        spec = Objects.requireNonNull(spec, "spec").filter(s -> !s.isBlank());
        Objects.requireNonNull(version, "version");
        version.ifPresent(v -> {
            if (v < 1) {
                throw new IllegalArgumentException("version must be >= 1, got " + v);
            }
        });
        Objects.requireNonNull(migrationId, "migrationId");
    }

    /** The newest version of every spec, quantized as the specs say. */
    public static ProvisioningRequest all() {
        return new ProvisioningRequest(Optional.empty(), Optional.empty(), true, Optional.empty());
    }

    /** One spec (collection or logical name), quantized as it says. */
    public static ProvisioningRequest of(String spec) {
        return new ProvisioningRequest(Optional.of(spec), Optional.empty(), true, Optional.empty());
    }

    String logTag() {
        return migrationId.map(id -> "[migration " + id + "] ").orElse("");
    }
}

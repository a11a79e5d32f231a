package io.apex.migrator.qdrant;

import static io.apex.migrator.yaml.InvalidYamlValueException.check;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.google.protobuf.Descriptors.FieldDescriptor;
import io.qdrant.client.grpc.Collections.StrictModeConfig;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A collection's strict-mode settings, keyed by the field names of Qdrant's {@code StrictModeConfig} (e.g.
 * {@code enabled}, {@code max_query_limit}, {@code upsert_max_batchsize}): every scalar setting the client exposes,
 * read from the proto descriptor so that a setting the client gains needs no code here.
 */
@RegisterForReflection
public record StrictModeSpec(Map<String, Object> settings) {

    /** No strict-mode settings: Qdrant's defaults. */
    static final StrictModeSpec NONE = new StrictModeSpec(Map.of());

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public StrictModeSpec {
        settings = settings == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        for (Map.Entry<String, Object> e : settings.entrySet()) {
            FieldDescriptor field = StrictModeConfig.getDescriptor().findFieldByName(e.getKey());
            check(field != null && field.getJavaType() != FieldDescriptor.JavaType.MESSAGE, e.getKey(),
                    "is not a strict-mode setting; known: " + known());
            check(e.getValue() != null, e.getKey(), "needs a value");
            Object value = e.getValue();
            switch (field.getJavaType()) {
                case BOOLEAN -> check(value instanceof Boolean, e.getKey(), "must be true or false, got '" + value + "'");
                case INT, LONG -> check(value instanceof Integer || value instanceof Long, e.getKey(),
                        "must be a whole number, got '" + value + "'");
                case FLOAT, DOUBLE -> check(value instanceof Number, e.getKey(), "must be a number, got '" + value + "'");
                default -> check(false, e.getKey(), "is not a setting specs support");
            }
            check(!(value instanceof Number n) || n.doubleValue() >= 0, e.getKey(), "must be >= 0, got " + value);
        }
    }

    @JsonValue
    public Map<String, Object> settings() {
        return settings;
    }

    /** Whether no setting is given. */
    public boolean isEmpty() {
        return settings.isEmpty();
    }

    /** The settings as the proto message {@code CreateCollection} carries. */
    StrictModeConfig toProto() {
        StrictModeConfig.Builder config = StrictModeConfig.newBuilder();
        settings.forEach((name, value) -> {
            FieldDescriptor field = StrictModeConfig.getDescriptor().findFieldByName(name);
            config.setField(field, switch (field.getJavaType()) {
                case INT -> ((Number) value).intValue();
                case LONG -> ((Number) value).longValue();
                case FLOAT -> ((Number) value).floatValue();
                case DOUBLE -> ((Number) value).doubleValue();
                default -> value;
            });
        });
        return config.build();
    }

    /** A setting's value in {@code config} as the spec would write it, or {@code unset}. */
    static String valueOf(StrictModeConfig config, String name) {
        FieldDescriptor field = StrictModeConfig.getDescriptor().findFieldByName(name);
        return config.hasField(field) ? normal(config.getField(field)) : "unset";
    }

    /** The spec's value of {@code name}, normalised as {@link #valueOf} prints it. */
    String expected(String name) {
        return valueOf(toProto(), name);
    }

    private static String normal(Object value) {
        if (value instanceof Float f) {
            return java.math.BigDecimal.valueOf(Math.round(f * 10_000) / 10_000.0).stripTrailingZeros()
                    .toPlainString();
        }
        return String.valueOf(value);
    }

    private static String known() {
        return StrictModeConfig.getDescriptor().getFields().stream()
                .filter(f -> f.getJavaType() != FieldDescriptor.JavaType.MESSAGE).map(FieldDescriptor::getName)
                .sorted().collect(Collectors.joining(", "));
    }
}

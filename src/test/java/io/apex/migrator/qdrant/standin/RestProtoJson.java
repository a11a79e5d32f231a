package io.apex.migrator.qdrant.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Qdrant's REST shapes of its collection settings are, field for field, its protobuf messages with the same snake_case
 * names (hnsw_config, optimizers_config, wal_config, quantization_config, ...): this converts between the two by the
 * fields' descriptors, enums by name regardless of case. Fields the message does not have are ignored. Points, filters
 * and payloads have REST shapes of their own ({@link RestPoints}, {@link RestFilters}).
 */
final class RestProtoJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RestProtoJson() {
    }

    /** Merges a JSON object into a message builder; a value of the wrong type is Qdrant's 400. */
    static <B extends Message.Builder> B merge(JsonNode json, B builder) {
        if (json == null || json.isNull() || json.isMissingNode()) {
            return builder;
        }
        if (!json.isObject()) {
            throw StandInErrors.invalid("Format error in JSON body: expected an object for "
                    + builder.getDescriptorForType().getName());
        }
        json.fields().forEachRemaining(e -> {
            FieldDescriptor field = builder.getDescriptorForType().findFieldByName(e.getKey());
            if (field == null || e.getValue().isNull()) {
                return;
            }
            if (field.isMapField()) {
                FieldDescriptor valueField = field.getMessageType().findFieldByName("value");
                e.getValue().fields().forEachRemaining(entry -> {
                    Message.Builder mapEntry = builder.newBuilderForField(field);
                    mapEntry.setField(field.getMessageType().findFieldByName("key"), entry.getKey());
                    mapEntry.setField(valueField, scalar(entry.getValue(), valueField, mapEntry));
                    builder.addRepeatedField(field, mapEntry.build());
                });
            } else if (field.isRepeated()) {
                for (JsonNode item : e.getValue()) {
                    builder.addRepeatedField(field, scalar(item, field, builder));
                }
            } else {
                builder.setField(field, scalar(e.getValue(), field, builder));
            }
        });
        return builder;
    }

    private static Object scalar(JsonNode value, FieldDescriptor field, Message.Builder parent) {
        return switch (field.getJavaType()) {
            case MESSAGE -> merge(value, parent.newBuilderForField(field)).build();
            case ENUM -> enumValue(value.asText(), field);
            case BOOLEAN -> requireType(value.isBoolean(), value, field) ? value.asBoolean() : null;
            case INT -> (int) number(value, field);
            case LONG -> number(value, field);
            case FLOAT -> (float) value.asDouble();
            case DOUBLE -> value.asDouble();
            case STRING -> value.asText();
            case BYTE_STRING -> throw StandInErrors.invalid("Format error in JSON body: bytes not supported");
        };
    }

    private static long number(JsonNode value, FieldDescriptor field) {
        requireType(value.isNumber(), value, field);
        return value.asLong();
    }

    private static boolean requireType(boolean ok, JsonNode value, FieldDescriptor field) {
        if (!ok) {
            throw StandInErrors.invalid("Format error in JSON body: invalid type: " + value + " for `"
                    + field.getName() + "`");
        }
        return true;
    }

    private static EnumValueDescriptor enumValue(String name, FieldDescriptor field) {
        for (EnumValueDescriptor v : field.getEnumType().getValues()) {
            if (v.getName().equalsIgnoreCase(name) || v.getName().equalsIgnoreCase(name.replace("_", ""))) {
                return v;
            }
        }
        throw StandInErrors.invalid("Format error in JSON body: unknown variant `" + name + "` of "
                + field.getEnumType().getName());
    }

    /** A message as JSON: the fields it has set, enums in lower case as Qdrant's REST API writes most of them. */
    static ObjectNode toJson(MessageOrBuilder message) {
        ObjectNode out = NODES.objectNode();
        for (Map.Entry<FieldDescriptor, Object> e : message.getAllFields().entrySet()) {
            FieldDescriptor field = e.getKey();
            if (field.isMapField()) {
                ObjectNode map = out.putObject(field.getName());
                for (Object entry : (List<?>) e.getValue()) {
                    Message m = (Message) entry;
                    map.set(String.valueOf(m.getField(field.getMessageType().findFieldByName("key"))),
                            value(m.getField(field.getMessageType().findFieldByName("value"))));
                }
            } else if (field.isRepeated()) {
                var array = out.putArray(field.getName());
                ((List<?>) e.getValue()).forEach(v -> array.add(value(v)));
            } else {
                out.set(field.getName(), value(e.getValue()));
            }
        }
        return out;
    }

    private static JsonNode value(Object v) {
        if (v instanceof MessageOrBuilder m) {
            return toJson(m);
        }
        if (v instanceof EnumValueDescriptor e) {
            // Qdrant writes distances capitalised (Cosine, Euclid), its other enums in lower case
            return NODES.textNode(e.getType().getName().equals("Distance") ? e.getName()
                    : e.getName().toLowerCase(Locale.ROOT));
        }
        if (v instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (v instanceof Integer i) {
            return NODES.numberNode(i);
        }
        if (v instanceof Long l) {
            return NODES.numberNode(l);
        }
        if (v instanceof Float f) {
            return NODES.numberNode(f);
        }
        if (v instanceof Double d) {
            return NODES.numberNode(d);
        }
        return NODES.textNode(String.valueOf(v));
    }
}

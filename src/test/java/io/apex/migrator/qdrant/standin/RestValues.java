package io.apex.migrator.qdrant.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.ListValue;
import io.qdrant.client.grpc.JsonWithInt.NullValue;
import io.qdrant.client.grpc.JsonWithInt.Struct;
import io.qdrant.client.grpc.JsonWithInt.Value;
import java.util.LinkedHashMap;
import java.util.Map;

/** Point ids and payload values between Qdrant's REST JSON and the protobuf the stand-in's services take. */
final class RestValues {

    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RestValues() {
    }

    /** A REST point id: an unsigned integer or a UUID string. */
    static PointId id(JsonNode id) {
        if (id.isIntegralNumber() && !id.asText().startsWith("-")) {
            return PointId.newBuilder().setNum(Long.parseUnsignedLong(id.asText())).build();
        }
        if (id.isTextual()) {
            return PointId.newBuilder().setUuid(id.asText()).build();
        }
        throw StandInErrors.invalid("Format error in JSON body: value " + id
                + " is not a valid point ID, valid values are either an unsigned integer or a UUID");
    }

    static JsonNode id(PointId id) {
        return id.hasUuid() ? NODES.textNode(id.getUuid()) : NODES.numberNode(
                new java.math.BigInteger(Long.toUnsignedString(id.getNum())));
    }

    /** A JSON object as a payload. */
    static Map<String, Value> payload(JsonNode json) {
        if (!json.isObject()) {
            throw StandInErrors.invalid("Format error in JSON body: payload must be an object");
        }
        Map<String, Value> out = new LinkedHashMap<>();
        json.fields().forEachRemaining(e -> out.put(e.getKey(), value(e.getValue())));
        return out;
    }

    static Value value(JsonNode json) {
        Value.Builder v = Value.newBuilder();
        if (json.isNull()) {
            v.setNullValue(NullValue.NULL_VALUE);
        } else if (json.isBoolean()) {
            v.setBoolValue(json.asBoolean());
        } else if (json.isIntegralNumber() && json.canConvertToLong()) {
            v.setIntegerValue(json.asLong());
        } else if (json.isNumber()) {
            v.setDoubleValue(json.asDouble());
        } else if (json.isTextual()) {
            v.setStringValue(json.asText());
        } else if (json.isArray()) {
            ListValue.Builder list = ListValue.newBuilder();
            json.forEach(item -> list.addValues(value(item)));
            v.setListValue(list);
        } else {
            v.setStructValue(Struct.newBuilder().putAllFields(payload(json)));
        }
        return v.build();
    }

    static ObjectNode json(Map<String, Value> payload) {
        ObjectNode out = NODES.objectNode();
        payload.forEach((k, v) -> out.set(k, json(v)));
        return out;
    }

    static JsonNode json(Value v) {
        return switch (v.getKindCase()) {
            case NULL_VALUE, KIND_NOT_SET -> NODES.nullNode();
            case BOOL_VALUE -> NODES.booleanNode(v.getBoolValue());
            case INTEGER_VALUE -> NODES.numberNode(v.getIntegerValue());
            case DOUBLE_VALUE -> NODES.numberNode(v.getDoubleValue());
            case STRING_VALUE -> NODES.textNode(v.getStringValue());
            case LIST_VALUE -> {
                ArrayNode list = NODES.arrayNode();
                v.getListValue().getValuesList().forEach(item -> list.add(json(item)));
                yield list;
            }
            case STRUCT_VALUE -> json(v.getStructValue().getFieldsMap());
        };
    }
}

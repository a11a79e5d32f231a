package io.apex.migrator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and writes the message contracts as JSON. Every message read is first validated against its JSON
 * Schema (shipped under {@code schemas/}, the same files producers can validate with), then bound to its
 * record, whose compact constructor checks what a schema cannot. Any failure is an
 * {@link InvalidMessageException} naming the field.
 */
public final class Messages {

    private static final Messages INSTANCE = new Messages();

    private final ObjectMapper mapper = JsonMapper.builder()
            .findAndAddModules()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private final Schema envelope;
    private final Map<CommandType, Schema> commandSchemas = new EnumMap<>(CommandType.class);
    private final Schema batchTask;
    private final Schema batchProgress;

    private Messages() {
        // JSON paths ($.batchSize) read better in a rejection than JSON pointers (/batchSize).
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                builder -> builder.schemaRegistryConfig(
                        SchemaRegistryConfig.builder().pathType(PathType.JSON_PATH).build()));
        envelope = load(registry, "schemas/command-envelope.schema.json");
        for (CommandType type : CommandType.values()) {
            commandSchemas.put(type, load(registry, type.schemaResource()));
        }
        batchTask = load(registry, "schemas/batch-task.schema.json");
        batchProgress = load(registry, "schemas/batch-progress.schema.json");
    }

    /** The shared, thread-safe codec. */
    public static Messages get() {
        return INSTANCE;
    }

    /** The mapper used for message JSON (also fit for event data). */
    public ObjectMapper mapper() {
        return mapper;
    }

    /** Validates and binds a command. */
    public Command readCommand(String json) {
        JsonNode node = tree(json);
        check(envelope, node);
        CommandType type = CommandType.fromWire(node.get("type").asText()).orElseThrow();
        check(commandSchemas.get(type), node);
        return bind(node, type.recordType());
    }

    /** The commandId of a message that may be invalid, for the rejection event. */
    public Optional<String> peekCommandId(String json) {
        return peek(json, "commandId");
    }

    /** The runId of a command that may be invalid (run controls name one), for logs and traces. */
    public Optional<String> peekRunId(String json) {
        return peek(json, "runId");
    }

    /** The type of a message that may be invalid, for the rejection event. */
    public Optional<String> peekType(String json) {
        return peek(json, "type");
    }

    public BatchTask readBatchTask(String json) {
        JsonNode node = tree(json);
        check(batchTask, node);
        return bind(node, BatchTask.class);
    }

    public BatchProgress readProgress(String json) {
        JsonNode node = tree(json);
        check(batchProgress, node);
        return bind(node, BatchProgress.class);
    }

    /** Writes any message record as JSON. */
    public String write(Object message) {
        try {
            return mapper.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + message.getClass().getSimpleName(), e);
        }
    }

    public byte[] writeBytes(Object message) {
        try {
            return mapper.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + message.getClass().getSimpleName(), e);
        }
    }

    private Optional<String> peek(String json, String field) {
        try {
            JsonNode node = mapper.readTree(json);
            return node != null && node.path(field).isTextual() ? Optional.of(node.get(field).asText())
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private JsonNode tree(String json) {
        if (json == null || json.isBlank()) {
            throw new InvalidMessageException("$", "the message is empty");
        }
        try {
            JsonNode node = mapper.readTree(json);
            if (!(node instanceof ObjectNode)) {
                throw new InvalidMessageException("$", "the message is not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new InvalidMessageException("$", "not valid JSON: " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        }
    }

    private static void check(Schema schema, JsonNode node) {
        List<Error> errors = schema.validate(node);
        if (!errors.isEmpty()) {
            Error first = errors.get(0);
            String location = first.getInstanceLocation().toString();
            String field = first.getProperty() != null && !location.endsWith("." + first.getProperty())
                    ? location + "." + first.getProperty() : location;
            throw new InvalidMessageException(field, first.getMessage());
        }
    }

    private <T> T bind(JsonNode node, Class<T> type) {
        try {
            return mapper.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof InvalidMessageException ime) {
                    throw ime;
                }
            }
            throw new InvalidMessageException("$", e.getOriginalMessage());
        }
    }

    private static Schema load(SchemaRegistry registry, String resource) {
        try (InputStream in = Messages.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing message schema " + resource);
            }
            return registry.getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

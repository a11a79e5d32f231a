package io.apex.migrator.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
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
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and writes the message contracts as JSON. Every message read is first validated against its JSON
 * Schema (shipped under {@code schemas/}, the same files producers can validate with), then bound to its
 * record, whose compact constructor checks what a schema cannot. Any failure is an
 * {@link InvalidMessageException} naming the field. Messages are read within limits (size of a command, nesting
 * depth), so no value, however large or deep, costs more than reading those limits' worth.
 */
public final class Messages {

    /** Most bytes a command may have: a command is a few hundred bytes; a list of collection specs a few KB. */
    public static final int MAX_COMMAND_BYTES = 1 << 20;
    /** Deepest nesting a message may have: the contracts are flat, so anything deeper is not one of them. */
    public static final int MAX_NESTING_DEPTH = 64;

    private static final Messages INSTANCE = new Messages();

    private final ObjectMapper mapper = JsonMapper.builder()
            .findAndAddModules()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    /** Reads messages off the topics: Jackson's own nesting limit (1,000) is far above anything a contract needs. */
    private final ObjectMapper reader = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_NESTING_DEPTH)
                            .build())
                    .build())
            .build();
    private final Schema envelope;
    private final Map<CommandType, Schema> commandSchemas = new EnumMap<>(CommandType.class);
    private final Schema batchTask;
    private final Schema batchProgress;

    private Messages() {
        // JSON paths ($.batchSize) read better in a rejection than JSON pointers (/batchSize).
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                builder -> builder.schemaRegistryConfig(
                        SchemaRegistryConfig.builder().pathType(PathType.JSON_PATH)
                                // "format": "uuid" is only an annotation in 2020-12 unless asserted
                                .formatAssertionsEnabled(true).build()));
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
        return validateCommand(tree(json));
    }

    /** Validates and binds a command read off the topic; throws its {@link RawCommand#unreadable()} reason if any. */
    public Command readCommand(RawCommand raw) {
        if (raw.unreadable() != null) {
            throw raw.unreadable();
        }
        return validateCommand(raw.tree());
    }

    /**
     * Reads a command record's value as far as it goes and never throws: whatever the bytes (none, empty, not
     * UTF-8, not JSON, nested or sized beyond the limits, not an object), the result says why it is unreadable.
     */
    public RawCommand parseCommand(byte[] value) {
        try {
            return RawCommand.of(tree(utf8(value)));
        } catch (InvalidMessageException e) {
            return RawCommand.unreadable(e);
        } catch (RuntimeException e) {
            // Whatever a parser may still throw must not stop the consumer: the reason travels in the rejection.
            return RawCommand.unreadable(new InvalidMessageException("$", "unreadable: " + e));
        }
    }

    private Command validateCommand(ObjectNode node) {
        checkUnicode(node, "$");
        check(envelope, node);
        CommandType type = CommandType.fromWire(node.get("type").asText()).orElseThrow();
        check(commandSchemas.get(type), node);
        return bind(node, type.recordType());
    }

    /** The commandId of a message that may be invalid (or null), for the rejection event; never throws. */
    public Optional<String> peekCommandId(String json) {
        return parseCommand(bytes(json)).commandId();
    }

    /** The runId of a command that may be invalid (run controls name one), for logs and traces; never throws. */
    public Optional<String> peekRunId(String json) {
        return parseCommand(bytes(json)).runId();
    }

    /** The type of a message that may be invalid, for the rejection event; never throws. */
    public Optional<String> peekType(String json) {
        return parseCommand(bytes(json)).type();
    }

    public BatchTask readBatchTask(String json) {
        ObjectNode node = tree(json);
        check(batchTask, node);
        return bind(node, BatchTask.class);
    }

    public BatchProgress readProgress(String json) {
        ObjectNode node = tree(json);
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

    private static byte[] bytes(String json) {
        return json == null ? null : json.getBytes(StandardCharsets.UTF_8);
    }

    /** The value as text: JSON on the wire is UTF-8 (RFC 8259), so other bytes are named, not replaced. */
    private static String utf8(byte[] value) {
        if (value == null) {
            throw new InvalidMessageException("$", "the record has no value (null)");
        }
        if (value.length > MAX_COMMAND_BYTES) {
            throw new InvalidMessageException("$", "the message is " + value.length + " bytes, more than the "
                    + MAX_COMMAND_BYTES + " a command may have");
        }
        ByteBuffer in = ByteBuffer.wrap(value);
        // UTF-8 never decodes to more chars than it has bytes, so the buffer cannot overflow.
        CharBuffer out = CharBuffer.allocate(value.length);
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new InvalidMessageException("$", "not UTF-8: invalid byte sequence at byte " + in.position());
        }
        return out.flip().toString();
    }

    private ObjectNode tree(String json) {
        if (json == null || json.isBlank()) {
            throw new InvalidMessageException("$", "the message is empty");
        }
        if (json.length() > MAX_COMMAND_BYTES) {
            throw new InvalidMessageException("$", "the message is " + json.length() + " characters, more than the "
                    + MAX_COMMAND_BYTES + " a message may have");
        }
        try {
            JsonNode node = reader.readTree(json);
            if (!(node instanceof ObjectNode object)) {
                throw new InvalidMessageException("$", "the message is not a JSON object");
            }
            return object;
        } catch (StreamConstraintsException e) {
            // A reading limit (nesting depth, size) was passed; Jackson gives such errors no location.
            throw new InvalidMessageException("$", "not a message: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            JsonLocation location = e.getLocation();
            throw new InvalidMessageException("$", "not valid JSON: " + e.getOriginalMessage() + (location == null
                    ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr()));
        }
    }

    /** Every string (and field name) must be well-formed Unicode, so it has one UTF-8 form to store and compare. */
    private static void checkUnicode(JsonNode node, String path) {
        if (node.isTextual() && !Checks.wellFormed(node.asText())) {
            throw new InvalidMessageException(path, "is not valid Unicode: a lone surrogate (\\uD800-\\uDFFF escape) "
                    + "has no UTF-8 form");
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkUnicode(node.get(i), path + "[" + i + "]");
            }
        } else if (node.isObject()) {
            for (var it = node.fields(); it.hasNext(); ) {
                var field = it.next();
                if (!Checks.wellFormed(field.getKey())) {
                    throw new InvalidMessageException(path, "has a field name that is not valid Unicode (a lone surrogate)");
                }
                checkUnicode(field.getValue(), path + "." + field.getKey());
            }
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

package io.apex.migrator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

/**
 * A command record's value read as far as it goes, before any validation: the JSON object, or why the bytes are
 * not one ({@link Messages#parseCommand(byte[])}). Either way it tells what a rejection can name: the
 * {@code commandId}, {@code type} and {@code runId} when they are readable strings. (A class, not a record: it is
 * no message, Jackson never binds it.)
 */
public final class RawCommand {

    private final ObjectNode tree;
    private final InvalidMessageException unreadable;

    private RawCommand(ObjectNode tree, InvalidMessageException unreadable) {
        this.tree = tree;
        this.unreadable = unreadable;
    }

    static RawCommand of(ObjectNode tree) {
        return new RawCommand(Objects.requireNonNull(tree, "tree"), null);
    }

    static RawCommand unreadable(InvalidMessageException reason) {
        return new RawCommand(null, Objects.requireNonNull(reason, "reason"));
    }

    /** The JSON object, or null when the value is unreadable. */
    public ObjectNode tree() {
        return tree;
    }

    /** Why the value is not a JSON object, or null when it is one. */
    public InvalidMessageException unreadable() {
        return unreadable;
    }

    /** The commandId when the value is an object with a string there. */
    public Optional<String> commandId() {
        return text("commandId");
    }

    /** The type when the value is an object with a string there. */
    public Optional<String> type() {
        return text("type");
    }

    /** The runId when the value is an object with a string there (run controls name one). */
    public Optional<String> runId() {
        return text("runId");
    }

    private Optional<String> text(String field) {
        JsonNode value = tree == null ? null : tree.get(field);
        // a lone surrogate cannot be written into the rejection (no UTF-8 has it): the record's origin names it then
        return value != null && value.isTextual() && Checks.wellFormed(value.asText()) ? Optional.of(value.asText())
                : Optional.empty();
    }
}

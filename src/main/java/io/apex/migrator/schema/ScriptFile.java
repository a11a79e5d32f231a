package io.apex.migrator.schema;

import java.util.Objects;

/** One migration file as read: its name (for messages) and its text. */
public record ScriptFile(String name, String content) {

    public ScriptFile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(content, "content");
    }

    public Checksum checksum() {
        return Checksum.of(content);
    }
}

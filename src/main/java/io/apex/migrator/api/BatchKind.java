package io.apex.migrator.api;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a worker does with a range: copy it, or (verification) checksum it on both sides. */
public enum BatchKind {
    COPY("copy"),
    VERIFY("verify");

    private final String wireName;

    BatchKind(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }
}

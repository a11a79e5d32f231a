package io.apex.migrator.schema;

/** The stores whose schema the engine migrates. */
public enum Store {
    POSTGRES("postgres"),
    NEO4J("neo4j");

    private final String id;

    Store(String id) {
        this.id = id;
    }

    /** The name used in commands, events and the CLI ({@code postgres}, {@code neo4j}). */
    public String id() {
        return id;
    }
}

package io.apex.migrator.api;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** The {@code type} of a command on the commands topic, with the record it binds to. */
public enum CommandType {
    QDRANT_MIGRATE("qdrant.migrate", MigrateCommand.class),
    QDRANT_CREATE_COLLECTIONS("qdrant.create-collections", CreateCollectionsCommand.class),
    QDRANT_ROLLBACK_ALIAS("qdrant.rollback-alias", RollbackAliasCommand.class),
    QDRANT_CUTOVER("qdrant.cutover", RunControlCommand.class),
    RUN_PAUSE("run.pause", RunControlCommand.class),
    RUN_RESUME("run.resume", RunControlCommand.class),
    RUN_CANCEL("run.cancel", RunControlCommand.class),
    RUN_THROTTLE("run.throttle", RunControlCommand.class),
    POSTGRES_UPGRADE("postgres.upgrade", SchemaCommand.class),
    POSTGRES_DOWNGRADE("postgres.downgrade", SchemaCommand.class),
    NEO4J_UP("neo4j.up", SchemaCommand.class),
    NEO4J_DOWN("neo4j.down", SchemaCommand.class),
    RELEASE_APPLY("release.apply", ReleaseCommand.class),
    RELEASE_ROLLBACK("release.rollback", ReleaseCommand.class),
    RELEASE_CUTOVER("release.cutover", ReleaseCommand.class),
    RELEASE_CANCEL("release.cancel", ReleaseCommand.class);

    private final String wireName;
    private final Class<? extends Command> recordType;

    CommandType(String wireName, Class<? extends Command> recordType) {
        this.wireName = wireName;
        this.recordType = recordType;
    }

    /** The value of the JSON {@code type} field. */
    @JsonValue
    public String wireName() {
        return wireName;
    }

    /**
     * The store a command of this type acts on: {@code postgres}, {@code neo4j}, {@code release} (all of them), else
     * {@code qdrant} (runs included).
     */
    public String store() {
        String area = wireName.substring(0, wireName.indexOf('.'));
        return "postgres".equals(area) || "neo4j".equals(area) || "release".equals(area) ? area : "qdrant";
    }

    Class<? extends Command> recordType() {
        return recordType;
    }

    /** The JSON Schema (classpath resource) that validates this command type. */
    String schemaResource() {
        return "schemas/commands/" + wireName + ".schema.json";
    }

    public static Optional<CommandType> fromWire(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }
}

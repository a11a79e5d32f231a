package io.apex.migrator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.EnumSet;
import java.util.Set;

/**
 * A schema change of PostgreSQL or Neo4j requested over Kafka: {@code postgres.upgrade} / {@code neo4j.up}
 * (to {@code target}, default: the newest), {@code postgres.downgrade} / {@code neo4j.down} ({@code steps},
 * default 1). Ends with a {@code schema-ready} event.
 */
@JsonIgnoreProperties(value = {"schemaVersion"}, allowGetters = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SchemaCommand(String commandId, CommandType type, String target, Integer steps) implements Command {

    private static final Set<CommandType> TYPES = EnumSet.of(CommandType.POSTGRES_UPGRADE,
            CommandType.POSTGRES_DOWNGRADE, CommandType.NEO4J_UP, CommandType.NEO4J_DOWN);

    public SchemaCommand {
        Checks.text(commandId, "commandId");
        if (type == null || !TYPES.contains(type)) {
            throw new InvalidMessageException("$.type", "is not a schema command type: " + type);
        }
        if (steps != null) {
            Checks.range(steps, 1, 10_000, "steps");
        }
    }

    /** {@code postgres} or {@code neo4j}. */
    public String store() {
        return type.wireName().substring(0, type.wireName().indexOf('.'));
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isUpgrade() {
        return type == CommandType.POSTGRES_UPGRADE || type == CommandType.NEO4J_UP;
    }
}

package io.apex.migrator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code qdrant.rollback-alias}: point {@code alias} back at {@code collection}, or, when that is absent, at the
 * collection it pointed to before the last completed migration of that alias. One atomic alias update.
 */
@JsonIgnoreProperties(value = {"schemaVersion", "type"}, allowGetters = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RollbackAliasCommand(String commandId, String alias, String collection) implements Command {

    public RollbackAliasCommand {
        Checks.text(commandId, "commandId");
        Checks.name(alias, "alias");
        Checks.optionalName(collection, "collection");
    }

    @Override
    @JsonProperty("type")
    public CommandType type() {
        return CommandType.QDRANT_ROLLBACK_ALIAS;
    }
}

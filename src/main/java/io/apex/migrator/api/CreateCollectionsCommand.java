package io.apex.migrator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code qdrant.create-collections}: create the named collection specs (all when {@code collections} is empty),
 * idempotently; drift is reported, never resolved silently.
 */
@JsonIgnoreProperties(value = {"schemaVersion", "type"}, allowGetters = true)
public record CreateCollectionsCommand(String commandId, List<String> collections, Boolean noQuantization)
        implements Command {

    public CreateCollectionsCommand {
        Checks.text(commandId, "commandId");
        collections = collections == null ? List.of() : List.copyOf(collections);
        for (int i = 0; i < collections.size(); i++) {
            Checks.name(collections.get(i), "collections[" + i + "]");
        }
        noQuantization = Boolean.TRUE.equals(noQuantization);
    }

    @Override
    @JsonProperty("type")
    public CommandType type() {
        return CommandType.QDRANT_CREATE_COLLECTIONS;
    }
}

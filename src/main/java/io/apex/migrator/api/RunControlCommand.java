package io.apex.migrator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.EnumSet;
import java.util.Set;

/**
 * Runtime control of a running migration: {@code run.pause}, {@code run.resume}, {@code run.cancel},
 * {@code run.throttle} (with {@code maxPointsPerSecond}, 0 = unlimited) and {@code qdrant.cutover} (the
 * go-ahead of a run waiting for a manual cutover).
 */
@JsonIgnoreProperties(value = {"schemaVersion"}, allowGetters = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunControlCommand(String commandId, CommandType type, String runId, Integer maxPointsPerSecond)
        implements Command {

    /** The highest cap run.throttle takes (as in its JSON Schema); beyond it, 0 (unlimited) says what is meant. */
    public static final int MAX_POINTS_PER_SECOND = 1_000_000;

    private static final Set<CommandType> TYPES = EnumSet.of(CommandType.RUN_PAUSE, CommandType.RUN_RESUME,
            CommandType.RUN_CANCEL, CommandType.RUN_THROTTLE, CommandType.QDRANT_CUTOVER);

    public RunControlCommand {
        Checks.text(commandId, "commandId");
        if (type == null || !TYPES.contains(type)) {
            throw new InvalidMessageException("$.type", "is not a run control type: " + type);
        }
        Checks.uuid(runId, "runId");
        if (type == CommandType.RUN_THROTTLE) {
            if (maxPointsPerSecond == null) {
                throw new InvalidMessageException("$.maxPointsPerSecond", "is required for run.throttle");
            }
            Checks.range(maxPointsPerSecond, 0, MAX_POINTS_PER_SECOND, "maxPointsPerSecond");
        }
    }
}

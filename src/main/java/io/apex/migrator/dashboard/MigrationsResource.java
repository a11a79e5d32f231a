package io.apex.migrator.dashboard;

import io.apex.migrator.api.Command;
import io.apex.migrator.api.CommandType;
import io.apex.migrator.api.RollbackAliasCommand;
import io.apex.migrator.api.RunControlCommand;
import io.apex.migrator.pipeline.CommandSender;
import io.apex.migrator.state.Run;
import io.apex.migrator.state.RunStore;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The JSON API behind the dashboard: runs from the run store, and operator actions that send the same Kafka
 * commands as the CLI (signed like the CLI's when a signing key is configured). Actions need the operator token;
 * without one configured they are refused. Reads need it too when {@code apex.dashboard.protect-reads} is on.
 */
@Path("/api/migrations")
@Produces(MediaType.APPLICATION_JSON)
public class MigrationsResource {

    private static final Logger LOGGER = Logger.getLogger(MigrationsResource.class);
    private static final String TOKEN_HEADER = "X-Operator-Token";

    private final RunViews views;
    private final RunActivityViews activity;
    private final RunStore runStore;
    private final CommandSender sender;
    private final OperatorToken token;

    MigrationsResource(RunViews views, RunActivityViews activity, RunStore runStore, CommandSender sender,
            OperatorToken token) {
        this.views = views;
        this.activity = activity;
        this.runStore = runStore;
        this.sender = sender;
        this.token = token;
    }

    @GET
    public Response list(@HeaderParam(TOKEN_HEADER) String presented) {
        String refusal = token.readRefusal(presented);
        if (refusal != null) {
            return error(Response.Status.FORBIDDEN, refusal);
        }
        return Response.ok(views.list()).build();
    }

    @GET
    @Path("{id}")
    public Response detail(@PathParam("id") String id, @HeaderParam(TOKEN_HEADER) String presented)
            throws SQLException {
        String refusal = token.readRefusal(presented);
        if (refusal != null) {
            return error(Response.Status.FORBIDDEN, refusal);
        }
        Optional<UUID> runId = parse(id);
        if (runId.isEmpty()) {
            return error(Response.Status.BAD_REQUEST, "'" + id + "' is not a run id (UUID)");
        }
        return views.detail(runId.get()).map(d -> Response.ok(d).build())
                .orElseGet(() -> error(Response.Status.NOT_FOUND, "no run " + id));
    }

    /** The range map: every planned range with its state, bounds, worker, attempts and duration. */
    @GET
    @Path("{id}/ranges")
    public Response ranges(@PathParam("id") String id, @HeaderParam(TOKEN_HEADER) String presented)
            throws SQLException {
        return readOfRun(id, presented, activity::ranges);
    }

    /** The worker replicas seen on the run's ranges, with ranges and points/s per worker. */
    @GET
    @Path("{id}/workers")
    public Response workers(@PathParam("id") String id, @HeaderParam(TOKEN_HEADER) String presented)
            throws SQLException {
        return readOfRun(id, presented, activity::workers);
    }

    /** The run's lifecycle events, oldest first. */
    @GET
    @Path("{id}/events")
    public Response events(@PathParam("id") String id, @HeaderParam(TOKEN_HEADER) String presented)
            throws SQLException {
        return readOfRun(id, presented, activity::timeline);
    }

    @POST
    @Path("{id}/actions/{action}")
    public Response act(@PathParam("id") String id, @PathParam("action") String action,
            @HeaderParam(TOKEN_HEADER) String presented) {
        String refusal = token.refusal(presented);
        if (refusal != null) {
            return error(Response.Status.FORBIDDEN, refusal);
        }
        Optional<Run> run = parse(id).flatMap(runStore::findRun);
        if (run.isEmpty()) {
            return error(Response.Status.NOT_FOUND, "no run " + id);
        }
        String commandId = "dashboard-" + UUID.randomUUID();
        if ("rollback-alias".equals(action) && (run.get().alias() == null || run.get().previousCollection() == null)) {
            return error(Response.Status.CONFLICT, "run " + id + " has no previous collection to point its alias back to");
        }
        Command command = switch (action) {
            case "pause" -> new RunControlCommand(commandId, CommandType.RUN_PAUSE, id, null);
            case "resume" -> new RunControlCommand(commandId, CommandType.RUN_RESUME, id, null);
            case "cancel" -> new RunControlCommand(commandId, CommandType.RUN_CANCEL, id, null);
            case "cutover" -> new RunControlCommand(commandId, CommandType.QDRANT_CUTOVER, id, null);
            case "rollback-alias" -> new RollbackAliasCommand(commandId, run.get().alias(), run.get().previousCollection());
            default -> null;
        };
        if (command == null) {
            return error(Response.Status.BAD_REQUEST, "unknown action '" + action
                    + "' (pause, resume, cancel, cutover, rollback-alias)");
        }
        sender.send(command);
        LOGGER.infof("[run %s] operator action %s sent as command %s", id, action, commandId);
        return Response.accepted(Map.of("commandId", commandId, "type", command.type().wireName())).build();
    }

    /** A read about one run: refused like the others without the token, 400 for a malformed id, 404 for no run. */
    private Response readOfRun(String id, String presented, RunRead read) throws SQLException {
        String refusal = token.readRefusal(presented);
        if (refusal != null) {
            return error(Response.Status.FORBIDDEN, refusal);
        }
        Optional<UUID> runId = parse(id);
        if (runId.isEmpty()) {
            return error(Response.Status.BAD_REQUEST, "'" + id + "' is not a run id (UUID)");
        }
        if (runStore.findRun(runId.get()).isEmpty()) {
            return error(Response.Status.NOT_FOUND, "no run " + id);
        }
        return Response.ok(read.read(runId.get())).build();
    }

    @FunctionalInterface
    private interface RunRead {
        Object read(UUID runId) throws SQLException;
    }

    private static Optional<UUID> parse(String id) {
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Response error(Response.Status status, String message) {
        return Response.status(status).entity(Map.of("error", message)).build();
    }
}

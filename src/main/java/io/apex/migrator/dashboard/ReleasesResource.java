package io.apex.migrator.dashboard;

import io.apex.migrator.api.ReleaseCommand;
import io.apex.migrator.pipeline.CommandSender;
import io.apex.migrator.release.ReleaseView;
import io.apex.migrator.release.ReleaseViews;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The dashboard's releases: the latest applies with their parts and progress, and the operator actions on a release
 * (cutover, cancel, rollback), sent as the same Kafka commands as {@code apex-migrator release ...}. Guarded by the
 * operator token like the run actions.
 */
@Path("/api/releases")
@Produces(MediaType.APPLICATION_JSON)
public class ReleasesResource {

    private static final Logger LOGGER = Logger.getLogger(ReleasesResource.class);
    private static final String TOKEN_HEADER = "X-Operator-Token";
    private static final int SHOWN = 20;

    private final ReleaseViews views;
    private final CommandSender sender;
    private final OperatorToken token;

    ReleasesResource(ReleaseViews views, CommandSender sender, OperatorToken token) {
        this.views = views;
        this.sender = sender;
        this.token = token;
    }

    @GET
    public Response list(@HeaderParam(TOKEN_HEADER) String presented) {
        String refusal = token.readRefusal(presented);
        if (refusal != null) {
            return error(Response.Status.FORBIDDEN, refusal);
        }
        return Response.ok(views.list(SHOWN)).build();
    }

    /**
     * Sends {@code release.cutover}, {@code release.cancel} or {@code release.rollback} for the release's latest apply;
     * refused (409, nothing sent) when its state does not allow the action.
     */
    @POST
    @Path("{name}/actions/{action}")
    public Response act(@PathParam("name") String name, @PathParam("action") String action,
            @HeaderParam(TOKEN_HEADER) String presented) {
        String refusal = token.refusal(presented);
        if (refusal != null) {
            return error(Response.Status.FORBIDDEN, refusal);
        }
        Optional<ReleaseView> release = views.latest(name);
        if (release.isEmpty()) {
            return error(Response.Status.NOT_FOUND, "release '" + name + "' was never applied");
        }
        String commandId = "dashboard-" + UUID.randomUUID();
        ReleaseCommand command = switch (action) {
            case "cutover" -> ReleaseCommand.cutover(commandId, name);
            case "cancel" -> ReleaseCommand.cancel(commandId, name);
            case "rollback" -> ReleaseCommand.rollback(commandId, name);
            default -> null;
        };
        if (command == null) {
            return error(Response.Status.BAD_REQUEST, "unknown action '" + action + "' (cutover, cancel, rollback)");
        }
        if (!release.get().actions().contains(action)) {
            return error(Response.Status.CONFLICT, "release '" + name + "' is " + release.get().state() + ": "
                    + action + " is not possible now" + (release.get().actions().isEmpty() ? ""
                    : " (possible: " + String.join(", ", release.get().actions()) + ")"));
        }
        sender.send(command);
        LOGGER.infof("[release %s] operator action %s sent as command %s", name, action, commandId);
        return Response.accepted(Map.of("commandId", commandId, "type", command.type().wireName())).build();
    }

    private static Response error(Response.Status status, String message) {
        return Response.status(status).entity(Map.of("error", message)).build();
    }
}

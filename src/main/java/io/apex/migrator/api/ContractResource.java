package io.apex.migrator.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.regex.Pattern;

/**
 * The message contracts over HTTP (worker and proxy modes): {@code /asyncapi.yaml}, the AsyncAPI 3.0 document of every
 * topic, and {@code /schemas/...}, the JSON Schemas it references by relative path, so AsyncAPI tools pointed at the
 * worker resolve them.
 */
@Path("/")
public class ContractResource {

    /** A schema file name: no path traversal, only what the jar's schemas folders hold. */
    private static final Pattern SCHEMA = Pattern.compile("(commands/)?[a-z0-9.-]+\\.schema\\.json");

    @GET
    @Path("asyncapi.yaml")
    @Produces("application/yaml")
    public Response asyncApi() {
        return resource("asyncapi.yaml", "application/yaml");
    }

    @GET
    @Path("schemas/{name: .+}")
    @Produces("application/schema+json")
    public Response schema(@PathParam("name") String name) {
        if (!SCHEMA.matcher(name).matches()) {
            return Response.status(Response.Status.NOT_FOUND).build();
        }
        return resource("schemas/" + name, "application/schema+json");
    }

    private static Response resource(String path, String type) {
        try (InputStream in = ContractResource.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                return Response.status(Response.Status.NOT_FOUND).build();
            }
            return Response.ok(in.readAllBytes(), type).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

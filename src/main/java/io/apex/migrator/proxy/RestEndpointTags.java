package io.apex.migrator.proxy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code service} and {@code method} tags of a REST call: the endpoint group of Qdrant's REST API (as Qdrant's
 * OpenAPI groups them: points, collections, aliases, indexes, snapshots, distributed, service) and the endpoint, its
 * HTTP method and path template ({@code PUT /collections/{name}/points}); {@code other} for any request that is not
 * one of Qdrant's endpoints. The proxy forwards any path a client sends, and paths carry collection names and point
 * ids, so tagging by the raw path would let clients create meters without bound.
 */
record RestEndpointTags(String service, String method, boolean write) implements CallTags {

    private static final RestEndpointTags UNKNOWN = new RestEndpointTags(OTHER, OTHER, false);

    /** Templates by HTTP method and number of path segments; {@code {...}} matches any one segment. */
    private static final Map<String, List<Template>> TEMPLATES = new HashMap<>();

    static {
        endpoints("service", "GET /", "GET /telemetry", "GET /metrics", "GET /locks", "POST /locks", "GET /healthz",
                "GET /livez", "GET /readyz", "GET /issues", "DELETE /issues");
        endpoints("collections", "GET /collections", "GET /collections/{name}", "PUT /collections/{name}",
                "PATCH /collections/{name}", "DELETE /collections/{name}", "GET /collections/{name}/exists");
        endpoints("aliases", "GET /aliases", "POST /collections/aliases", "GET /collections/{name}/aliases");
        endpoints("indexes", "PUT /collections/{name}/index", "DELETE /collections/{name}/index/{field}");
        endpoints("snapshots", "GET /snapshots", "POST /snapshots", "GET /snapshots/{snapshot}",
                "DELETE /snapshots/{snapshot}", "GET /collections/{name}/snapshots",
                "POST /collections/{name}/snapshots", "PUT /collections/{name}/snapshots/recover",
                "POST /collections/{name}/snapshots/upload", "GET /collections/{name}/snapshots/{snapshot}",
                "DELETE /collections/{name}/snapshots/{snapshot}", "GET /collections/{name}/shards/{shard}/snapshots",
                "POST /collections/{name}/shards/{shard}/snapshots",
                "PUT /collections/{name}/shards/{shard}/snapshots/recover",
                "POST /collections/{name}/shards/{shard}/snapshots/upload",
                "GET /collections/{name}/shards/{shard}/snapshots/{snapshot}",
                "DELETE /collections/{name}/shards/{shard}/snapshots/{snapshot}");
        endpoints("distributed", "GET /cluster", "POST /cluster/recover", "DELETE /cluster/peer/{peer}",
                "GET /collections/{name}/cluster", "POST /collections/{name}/cluster", "PUT /collections/{name}/shards",
                "POST /collections/{name}/shards/delete");
        endpoints("points", "GET /collections/{name}/points/{id}", "POST /collections/{name}/points",
                "PUT /collections/{name}/points", "POST /collections/{name}/points/delete",
                "PUT /collections/{name}/points/vectors", "POST /collections/{name}/points/vectors/delete",
                "POST /collections/{name}/points/payload", "PUT /collections/{name}/points/payload",
                "POST /collections/{name}/points/payload/delete", "POST /collections/{name}/points/payload/clear",
                "POST /collections/{name}/points/batch", "POST /collections/{name}/points/scroll",
                "POST /collections/{name}/points/count", "POST /collections/{name}/points/facet",
                "POST /collections/{name}/points/search", "POST /collections/{name}/points/search/batch",
                "POST /collections/{name}/points/search/groups", "POST /collections/{name}/points/search/matrix/pairs",
                "POST /collections/{name}/points/search/matrix/offsets", "POST /collections/{name}/points/recommend",
                "POST /collections/{name}/points/recommend/batch", "POST /collections/{name}/points/recommend/groups",
                "POST /collections/{name}/points/discover", "POST /collections/{name}/points/discover/batch",
                "POST /collections/{name}/points/query", "POST /collections/{name}/points/query/batch",
                "POST /collections/{name}/points/query/groups");
    }

    @Override
    public String api() {
        return REST;
    }

    /**
     * The tags of a request: {@code path} without the query. Where a template with a literal segment and one with a
     * variable both match ({@code POST /collections/aliases}, {@code GET /collections/{name}}), the literal wins.
     */
    static RestEndpointTags of(String httpMethod, String path) {
        if (httpMethod == null || path == null || !path.startsWith("/")) {
            return UNKNOWN;
        }
        String[] segments = segments(path);
        RestEndpointTags best = UNKNOWN;
        int bestLiterals = -1;
        for (Template template : TEMPLATES.getOrDefault(key(httpMethod, segments.length), List.of())) {
            int literals = literalsMatched(template.segments(), segments);
            if (literals > bestLiterals) {
                best = template.tags();
                bestLiterals = literals;
            }
        }
        return best;
    }

    /** An endpoint's path segments and its tags. */
    private record Template(String[] segments, RestEndpointTags tags) {
    }

    /** How many literal segments of {@code template} match, or -1 when it does not match at all. */
    private static int literalsMatched(String[] template, String[] segments) {
        int literals = 0;
        for (int i = 0; i < segments.length; i++) {
            String t = template[i];
            if (t.startsWith("{")) {
                if (segments[i].isEmpty()) {
                    return -1;
                }
            } else if (t.equals(segments[i])) {
                literals++;
            } else {
                return -1;
            }
        }
        return literals;
    }

    private static void endpoints(String group, String... endpoints) {
        for (String endpoint : endpoints) {
            int space = endpoint.indexOf(' ');
            String[] segments = segments(endpoint.substring(space + 1));
            RestEndpointTags tags = new RestEndpointTags(group, endpoint,
                    RestCaptureMethods.isWrite(RestCaptureMethods.PREFIX + endpoint));
            TEMPLATES.computeIfAbsent(key(endpoint.substring(0, space), segments.length), k -> new ArrayList<>())
                    .add(new Template(segments, tags));
        }
    }

    private static String[] segments(String path) {
        String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return trimmed.equals("/") ? new String[0] : trimmed.substring(1).split("/", -1);
    }

    private static String key(String httpMethod, int segments) {
        return httpMethod + " " + segments;
    }
}

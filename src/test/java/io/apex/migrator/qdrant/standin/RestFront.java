package io.apex.migrator.qdrant.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * The stand-in's REST front: Qdrant's REST API (JSON, port 6333 on a real server) over the same catalog as its gRPC
 * side, by translating each request into the gRPC service call it corresponds to ({@link RestCollectionsApi},
 * {@link RestPointsApi}). Answers in Qdrant's envelope {@code {"result": ..., "status": "ok", "time": s}}; errors as
 * {@code {"status": {"error": "..."}, "time": s}} with Qdrant's HTTP codes (400 bad input, 401 no or wrong API key,
 * 404 missing collection, 409 existing collection, 429, 501 for what the stand-in does not model, 503). With an API
 * key, every request but {@code /healthz} needs it ({@code api-key} header or bearer token). Fault injection applies
 * to the gRPC side only.
 */
final class RestFront implements AutoCloseable {

    private static final Logger LOGGER = Logger.getLogger(RestFront.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // Qdrant's server (actix-web) sets TCP_NODELAY on its connections; the JDK's does only when asked (read once,
        // by the first server of the JVM), and without it an answer written as headers then body waits for the
        // client's delayed ACK: ~40 ms per call on Linux loopback
        System.getProperties().putIfAbsent("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final RestCollectionsApi collections;
    private final RestPointsApi points;
    private final Optional<byte[]> apiKey;

    private RestFront(HttpServer server, ExecutorService executor, RestCollectionsApi collections,
            RestPointsApi points, Optional<byte[]> apiKey) {
        this.server = server;
        this.executor = executor;
        this.collections = collections;
        this.points = points;
        this.apiKey = apiKey;
    }

    /** Starts the front on {@code port} of the loopback address (0: a free one). */
    static RestFront start(int port, CollectionsService collections, PointsService points, Optional<String> apiKey) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        } catch (IOException e) {
            throw new UncheckedIOException("Qdrant stand-in's REST front could not listen on port " + port, e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "standin-rest");
            t.setDaemon(true);
            return t;
        });
        RestFront front = new RestFront(server, executor, new RestCollectionsApi(collections, points),
                new RestPointsApi(points), apiKey.map(k -> k.getBytes(StandardCharsets.UTF_8)));
        server.createContext("/", front::handle);
        server.setExecutor(executor);
        server.start();
        return front;
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        long start = System.nanoTime();
        try (exchange) {
            int code;
            ObjectNode answer;
            try {
                JsonNode result = route(exchange);
                code = 200;
                answer = JSON.createObjectNode();
                answer.set("result", result);
                answer.put("status", "ok");
            } catch (StatusRuntimeException e) {
                code = httpCode(e.getStatus().getCode());
                answer = JSON.createObjectNode();
                answer.putObject("status").put("error", e.getStatus().getDescription());
            } catch (RuntimeException e) {
                LOGGER.warnf(e, "Qdrant stand-in REST: unexpected failure");
                code = 500;
                answer = JSON.createObjectNode();
                answer.putObject("status").put("error", "Service internal error: " + e);
            }
            answer.put("time", Rpc.since(start));
            byte[] body = JSON.writeValueAsBytes(answer);
            exchange.getResponseHeaders().set("content-type", "application/json");
            exchange.sendResponseHeaders(code, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private JsonNode route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String method = exchange.getRequestMethod();
        if (path.equals("/healthz") || path.equals("/readyz") || path.equals("/livez")) {
            return RestValues.NODES.textNode("healthz check passed");
        }
        authenticate(exchange);
        JsonNode body = body(exchange);
        boolean wait = Boolean.parseBoolean(query(exchange, "wait"));
        String[] s = segments(path);
        if (s.length == 0) {
            return RestValues.NODES.objectNode().put("title", "qdrant - vector search engine (stand-in)");
        }
        if (!s[0].equals("collections")) {
            throw notFound(method, path);
        }
        if (s.length == 1 && method.equals("GET")) {
            return collections.list();
        }
        if (s.length == 2 && s[1].equals("aliases")) {
            return switch (method) {
                case "GET" -> collections.aliases(null);
                case "POST" -> collections.updateAliases(body);
                default -> throw notFound(method, path);
            };
        }
        String c = s[1];
        String rest = String.join("/", java.util.Arrays.copyOfRange(s, 2, s.length));
        if (rest.startsWith("points") && body != null && body.has("shard_key")) {
            // custom sharding is modelled over gRPC only: said plainly rather than ignored
            throw StandInErrors.unsupported("shard_key over REST");
        }
        return switch (method + " " + rest) {
            case "GET " -> collections.info(c);
            case "PUT " -> collections.create(c, body);
            case "DELETE " -> collections.delete(c);
            case "GET exists" -> collections.exists(c);
            case "GET aliases" -> collections.aliases(c);
            case "PUT index" -> collections.createIndex(c, body, wait);
            case "PUT points" -> points.upsert(c, body, wait);
            case "POST points" -> points.get(c, body);
            case "POST points/scroll" -> points.scroll(c, body);
            case "POST points/count" -> points.count(c, body);
            case "POST points/delete" -> points.delete(c, body, wait);
            case "POST points/payload" -> points.setPayload(c, body, wait, false);
            case "PUT points/payload" -> points.setPayload(c, body, wait, true);
            case "POST points/payload/delete" -> points.deletePayload(c, body, wait);
            case "POST points/payload/clear" -> points.clearPayload(c, body, wait);
            case "PUT points/vectors" -> points.updateVectors(c, body, wait);
            case "POST points/vectors/delete" -> points.deleteVectors(c, body, wait);
            case "POST points/batch" -> points.batch(c, body, wait);
            case "POST points/query" -> points.query(c, body);
            case "POST points/search" -> points.search(c, body);
            default -> throw notFound(method, path);
        };
    }

    /** Qdrant's API-key check: the {@code api-key} header or a bearer token, compared in constant time. */
    private void authenticate(HttpExchange exchange) {
        if (apiKey.isEmpty()) {
            return;
        }
        String given = exchange.getRequestHeaders().getFirst("api-key");
        String bearer = exchange.getRequestHeaders().getFirst("authorization");
        if (given == null && bearer != null && bearer.startsWith("Bearer ")) {
            given = bearer.substring("Bearer ".length());
        }
        if (given == null) {
            throw Status.UNAUTHENTICATED.withDescription("Must provide an API key or an Authorization bearer token")
                    .asRuntimeException();
        }
        if (!MessageDigest.isEqual(apiKey.get(), given.getBytes(StandardCharsets.UTF_8))) {
            throw Status.UNAUTHENTICATED.withDescription("Invalid API key or JWT").asRuntimeException();
        }
    }

    private static JsonNode body(HttpExchange exchange) throws IOException {
        byte[] bytes = exchange.getRequestBody().readAllBytes();
        if (bytes.length == 0) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw StandInErrors.invalid("Format error in JSON body: " + e.getMessage());
        }
    }

    private static String query(HttpExchange exchange, String name) {
        String query = exchange.getRequestURI().getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static String[] segments(String rawPath) {
        return java.util.Arrays.stream(rawPath.split("/")).filter(s -> !s.isEmpty())
                .map(s -> URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8)).toArray(String[]::new);
    }

    private static StatusRuntimeException notFound(String method, String path) {
        return Status.NOT_FOUND.withDescription("Not found: no endpoint " + method + " " + path).asRuntimeException();
    }

    /** Qdrant's HTTP status for a gRPC status the services answered with. */
    static int httpCode(Status.Code code) {
        return switch (code) {
            case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> 400;
            case UNAUTHENTICATED -> 401;
            case PERMISSION_DENIED -> 403;
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS -> 409;
            case RESOURCE_EXHAUSTED -> 429;
            case UNIMPLEMENTED -> 501;
            case UNAVAILABLE -> 503;
            case DEADLINE_EXCEEDED -> 504;
            default -> 500;
        };
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

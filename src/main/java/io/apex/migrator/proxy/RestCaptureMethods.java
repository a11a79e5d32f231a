package io.apex.migrator.proxy;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/**
 * The write endpoints of Qdrant's REST API (points, payload, vectors, delete, batch), the only requests the proxy's REST
 * front reads: their collection comes from the path, their JSON body is captured as it came. A captured REST write's
 * method is {@code "REST <HTTP method> <path template>"}, e.g. {@code REST POST /collections/{name}/points/delete}.
 */
final class RestCaptureMethods {

    static final String PREFIX = "REST ";
    private static final String COLLECTIONS = "/collections/";
    private static final String NAME = "{name}";

    /** HTTP method and path template of every captured write. */
    private static final Set<String> WRITES = Set.of(
            method("PUT", "/points"),
            method("POST", "/points/delete"),
            method("POST", "/points/payload"),
            method("PUT", "/points/payload"),
            method("POST", "/points/payload/delete"),
            method("POST", "/points/payload/clear"),
            method("PUT", "/points/vectors"),
            method("POST", "/points/vectors/delete"),
            method("POST", "/points/batch"));

    private RestCaptureMethods() {
    }

    /** A REST write: the method name it is captured under and the collection (or alias) its path addresses. */
    record RestWrite(String method, String collection) {
    }

    /** Whether {@code method} names a captured REST write. */
    static boolean isWrite(String method) {
        return WRITES.contains(method);
    }

    /**
     * The write an HTTP request is, if it is one: {@code path} without the query, as it came (percent-encoded).
     */
    static Optional<RestWrite> of(String httpMethod, String path) {
        if (path == null || !path.startsWith(COLLECTIONS)) {
            return Optional.empty();
        }
        int nameEnd = path.indexOf('/', COLLECTIONS.length());
        if (nameEnd < 0) {
            return Optional.empty();
        }
        String method = PREFIX + httpMethod + " " + COLLECTIONS + NAME + path.substring(nameEnd);
        if (!WRITES.contains(method)) {
            return Optional.empty();
        }
        String collection = URLDecoder.decode(path.substring(COLLECTIONS.length(), nameEnd).replace("+", "%2B"),
                StandardCharsets.UTF_8);
        return Optional.of(new RestWrite(method, collection));
    }

    /** The HTTP method of a captured REST write ({@code PUT}, {@code POST}). */
    static String httpMethod(String method) {
        return method.substring(PREFIX.length(), method.indexOf(' ', PREFIX.length()));
    }

    /** The path of a captured REST write addressed to {@code collection} (percent-encoded), without a query. */
    static String path(String method, String collection) {
        String template = method.substring(method.indexOf(' ', PREFIX.length()) + 1);
        return template.replace(NAME, java.net.URLEncoder.encode(collection, StandardCharsets.UTF_8)
                .replace("+", "%20"));
    }

    /** A collection name as a path segment (percent-encoded). */
    static String encode(String collection) {
        return java.net.URLEncoder.encode(collection, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A request URI ({@code /collections/<name>/points...?query}) addressed to {@code collection} instead. */
    static String readdress(String uri, String collection) {
        int nameEnd = uri.indexOf('/', COLLECTIONS.length());
        return COLLECTIONS + java.net.URLEncoder.encode(collection, StandardCharsets.UTF_8).replace("+", "%20")
                + uri.substring(nameEnd);
    }

    private static String method(String httpMethod, String suffix) {
        return PREFIX + httpMethod + " " + COLLECTIONS + NAME + suffix;
    }
}

package io.apex.migrator.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A generated corpus of commands that must all be rejected: broken JSON, wrong types, missing fields, unknown
 * command types, huge numbers, negative sizes, names that try Cypher/SQL/path/shell injection, unicode tricks
 * and 100 KB strings. Each entry with a readable command id gets its own, so its rejection can be found.
 */
final class MalformedCommands {

    /** One malformed command; {@code commandId} is null when the message is too broken to carry one. */
    record Entry(String label, String json, String commandId, String field) {
    }

    static final String HUGE = "a".repeat(100_000);

    private MalformedCommands() {
    }

    /** The corpus; {@code source} and {@code target} are real, compatible collections (so only the fault counts). */
    static List<Entry> corpus(String source, String target) {
        List<Entry> corpus = new ArrayList<>();
        // not JSON, or not an object
        for (String broken : List.of("{", "not json", "", "[]", "null", "42", "\"qdrant.migrate\"",
                "{\"schemaVersion\":1,\"commandId\":\"x\",\"type\":\"qdrant.migrate\",}", "\u0000\u0001\u0002",
                "{\"schemaVersion\":1,\"type\":\"qdrant.migrate\",\"source\":\"" + HUGE)) {
            corpus.add(new Entry("invalid JSON " + abbreviate(broken), broken, null, null));
        }
        // wrong types
        corpus.add(migrate("batchSize as text", source, target, "\"ten\"", "", "$.batchSize"));
        corpus.add(migrate("batchSize as float", source, target, "10.5", "", "$.batchSize"));
        corpus.add(withId("source as number", id -> "{\"schemaVersion\":1,\"commandId\":\"" + id
                + "\",\"type\":\"qdrant.migrate\",\"source\":42,\"target\":\"" + target + "\",\"batchSize\":100}",
                "$.source"));
        corpus.add(migrate("dryRun as text", source, target, "100", ",\"dryRun\":\"yes\"", "$.dryRun"));
        corpus.add(withId("schemaVersion as text", id -> "{\"schemaVersion\":\"1\",\"commandId\":\"" + id
                + "\",\"type\":\"qdrant.migrate\",\"source\":\"" + source + "\",\"target\":\"" + target
                + "\",\"batchSize\":100}", "$.schemaVersion"));
        corpus.add(withId("type as object", id -> "{\"schemaVersion\":1,\"commandId\":\"" + id
                + "\",\"type\":{\"name\":\"qdrant.migrate\"}}", "$.type"));
        // missing fields
        corpus.add(new Entry("no commandId", "{\"schemaVersion\":1,\"type\":\"qdrant.migrate\",\"source\":\""
                + source + "\",\"target\":\"" + target + "\",\"batchSize\":100}", null, "$.commandId"));
        corpus.add(withId("no type", id -> "{\"schemaVersion\":1,\"commandId\":\"" + id + "\"}", "$.type"));
        corpus.add(withId("no source", id -> "{\"schemaVersion\":1,\"commandId\":\"" + id
                + "\",\"type\":\"qdrant.migrate\",\"target\":\"" + target + "\",\"batchSize\":100}", "$.source"));
        corpus.add(withId("no target", id -> "{\"schemaVersion\":1,\"commandId\":\"" + id
                + "\",\"type\":\"qdrant.migrate\",\"source\":\"" + source + "\",\"batchSize\":100}", "$.target"));
        corpus.add(withId("no schemaVersion", id -> "{\"commandId\":\"" + id + "\",\"type\":\"qdrant.migrate\","
                + "\"source\":\"" + source + "\",\"target\":\"" + target + "\",\"batchSize\":100}", "$.schemaVersion"));
        // unknown command types
        for (String type : List.of("qdrant.delete-everything", "", "QDRANT.MIGRATE", "postgres.drop", HUGE)) {
            corpus.add(withId("type " + abbreviate(type), id -> "{\"schemaVersion\":1,\"commandId\":\"" + id
                    + "\",\"type\":\"" + type + "\"}", "$.type"));
        }
        // huge numbers and negative sizes
        for (String size : List.of("1e30", "99999999999999999999", "9223372036854775807", "2147483648", "-1", "0",
                "-2147483648", "1000000")) {
            corpus.add(migrate("batchSize " + size, source, target, size, "", "$.batchSize"));
        }
        corpus.add(migrate("maxPointsPerSecond huge", source, target, "100", ",\"maxPointsPerSecond\":1e40",
                "$.maxPointsPerSecond"));
        corpus.add(withId("schemaVersion huge", id -> "{\"schemaVersion\":99999999999,\"commandId\":\"" + id
                + "\",\"type\":\"qdrant.migrate\",\"source\":\"" + source + "\",\"target\":\"" + target
                + "\",\"batchSize\":100}", "$.schemaVersion"));
        // injection attempts in names (SQL, Cypher, paths, shell, URL encoding, NUL)
        for (String name : List.of("x'; DROP TABLE apex_migrator.runs; --", "docs` MATCH (n) DETACH DELETE n //",
                "../../etc/passwd", "..", "/tmp/evil", "$(rm -rf /)", "%2e%2e%2fevil", "docs\\u0000v2",
                "docs\\nv2", "docs v2")) {
            corpus.add(migrate("target " + abbreviate(name), source, name, "100", "", "$.target"));
            corpus.add(migrate("alias " + abbreviate(name), source, target, "100", ",\"alias\":\"" + name + "\"",
                    "$.alias"));
        }
        // unicode: names Qdrant might take but this tool keeps portable; bidi overrides; emoji
        for (String name : List.of("döcs_v2", "文档", "docs\u202Ev2", "🚀")) {
            corpus.add(migrate("target " + name, source, name, "100", "", "$.target"));
        }
        // 100 KB strings
        corpus.add(migrate("100 KB target", source, HUGE, "100", "", "$.target"));
        corpus.add(migrate("100 KB alias", source, target, "100", ",\"alias\":\"" + HUGE + "\"", "$.alias"));
        corpus.add(new Entry("100 KB commandId", "{\"schemaVersion\":1,\"commandId\":\"" + HUGE
                + "\",\"type\":\"qdrant.migrate\",\"source\":\"" + source + "\",\"target\":\"" + target
                + "\",\"batchSize\":100}", HUGE, "$.commandId"));
        return corpus;
    }

    private static Entry migrate(String label, String source, String target, String batchSize, String extra,
            String field) {
        return withId(label, id -> "{\"schemaVersion\":1,\"commandId\":\"" + id + "\",\"type\":\"qdrant.migrate\","
                + "\"source\":\"" + source + "\",\"target\":\"" + target + "\",\"batchSize\":" + batchSize + extra
                + "}", field);
    }

    private static Entry withId(String label, java.util.function.Function<String, String> json, String field) {
        String id = "bad-" + UUID.randomUUID();
        return new Entry(label, json.apply(id), id, field);
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "... (" + s.length() + " chars)";
    }
}

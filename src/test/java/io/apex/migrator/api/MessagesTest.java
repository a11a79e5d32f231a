package io.apex.migrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MessagesTest {

    private final Messages messages = Messages.get();

    @Test
    void aMigrateCommandIsReadWithItsDefaults() {
        // given
        String json = """
                {"schemaVersion":1,"commandId":"c-1","type":"qdrant.migrate","source":"documents_v1",
                 "target":"documents_v2","alias":"documents"}""";

        // when
        Command command = messages.readCommand(json);

        // then
        assertThat(command).isEqualTo(new MigrateCommand("c-1", "documents_v1", "documents_v2", "documents",
                1000, false, true, false, false, "auto"));
    }

    @Test
    void aWrittenCommandReadsBackEqual() {
        // given
        MigrateCommand command = MigrateCommand.of("c-2", "a", "b", "al").withBatchSize(50).withDryRun(true);

        // when
        Command read = messages.readCommand(messages.write(command));

        // then
        assertThat(read).isEqualTo(command);
    }

    @Test
    void aWrittenSchemaCommandReadsBackEqual() {
        // given: as a schema job stores it, to be read again by the replica that runs it
        SchemaCommand command = new SchemaCommand("c-4", CommandType.POSTGRES_UPGRADE, "V002", null);

        // when
        Command read = messages.readCommand(messages.write(command));

        // then
        assertThat(read).isEqualTo(command);
    }

    @Test
    void aRunControlCommandBindsItsType() {
        String runId = UUID.randomUUID().toString();
        Command command = messages.readCommand("""
                {"schemaVersion":1,"commandId":"c-3","type":"run.throttle","runId":"%s","maxPointsPerSecond":500}"""
                .formatted(runId));
        assertThat(command).isEqualTo(new RunControlCommand("c-3", CommandType.RUN_THROTTLE, runId, 500));
    }

    static Stream<Arguments> invalidCommands() {
        return Stream.of(
                Arguments.of(Named.of("bad JSON", "{\"commandId\": \"x\", "), "$"),
                Arguments.of(Named.of("not an object", "[1,2]"), "$"),
                Arguments.of(Named.of("unknown type",
                        "{\"schemaVersion\":1,\"commandId\":\"x\",\"type\":\"qdrant.frobnicate\"}"), "$.type"),
                Arguments.of(Named.of("missing commandId",
                        "{\"schemaVersion\":1,\"type\":\"qdrant.migrate\",\"source\":\"a\",\"target\":\"b\"}"),
                        "$.commandId"),
                Arguments.of(Named.of("negative batch size",
                        "{\"schemaVersion\":1,\"commandId\":\"x\",\"type\":\"qdrant.migrate\",\"source\":\"a\","
                                + "\"target\":\"b\",\"batchSize\":-5}"), "$.batchSize"),
                Arguments.of(Named.of("misspelt field",
                        "{\"schemaVersion\":1,\"commandId\":\"x\",\"type\":\"qdrant.migrate\",\"source\":\"a\","
                                + "\"target\":\"b\",\"bachSize\":5}"), "$.bachSize"),
                Arguments.of(Named.of("invalid collection name",
                        "{\"schemaVersion\":1,\"commandId\":\"x\",\"type\":\"qdrant.migrate\",\"source\":\"a b\","
                                + "\"target\":\"b\"}"), "$.source"),
                Arguments.of(Named.of("target equal to source",
                        "{\"schemaVersion\":1,\"commandId\":\"x\",\"type\":\"qdrant.migrate\",\"source\":\"a\","
                                + "\"target\":\"a\"}"), "$.target"),
                Arguments.of(Named.of("an in-place change with a bulk load (nothing is copied)",
                        "{\"schemaVersion\":1,\"commandId\":\"x\",\"type\":\"qdrant.migrate\",\"source\":\"a\","
                                + "\"target\":\"b\",\"inPlace\":true,\"bulkLoad\":true}"), "$.bulkLoad"),
                Arguments.of(Named.of("an in-place change with a manual cutover (the alias does not move)",
                        "{\"schemaVersion\":1,\"commandId\":\"x\",\"type\":\"qdrant.migrate\",\"source\":\"a\","
                                + "\"target\":\"b\",\"inPlace\":true,\"cutover\":\"manual\"}"), "$.cutover"),
                Arguments.of(Named.of("inPlace that is no boolean",
                        "{\"schemaVersion\":1,\"commandId\":\"x\",\"type\":\"qdrant.migrate\",\"source\":\"a\","
                                + "\"target\":\"b\",\"inPlace\":\"yes\"}"), "$.inPlace"),
                Arguments.of(Named.of("throttle beyond its documented bound (10^12, once a Jackson overflow at $)",
                        "{\"schemaVersion\":1,\"commandId\":\"x\",\"type\":\"run.throttle\",\"runId\":\""
                                + UUID.randomUUID() + "\",\"maxPointsPerSecond\":1000000000000}"),
                        "$.maxPointsPerSecond"),
                Arguments.of(Named.of("throttle one above its bound",
                        "{\"schemaVersion\":1,\"commandId\":\"x\",\"type\":\"run.throttle\",\"runId\":\""
                                + UUID.randomUUID() + "\",\"maxPointsPerSecond\":1000001}"), "$.maxPointsPerSecond"),
                Arguments.of(Named.of("run id 1-1-1-1-1 (UUID.fromString takes it)",
                        "{\"schemaVersion\":1,\"commandId\":\"x\",\"type\":\"run.pause\",\"runId\":\"1-1-1-1-1\"}"),
                        "$.runId"),
                Arguments.of(Named.of("postgres target with a path",
                        "{\"schemaVersion\":1,\"commandId\":\"x\",\"type\":\"postgres.upgrade\",\"target\":\"../../x\"}"),
                        "$.target"),
                Arguments.of(Named.of("neo4j target that is no version",
                        "{\"schemaVersion\":1,\"commandId\":\"x\",\"type\":\"neo4j.up\",\"target\":\"latest\"}"),
                        "$.target"),
                Arguments.of(Named.of("commandId with a lone surrogate escape",
                        "{\"schemaVersion\":1,\"commandId\":\"c-\\ud800\",\"type\":\"run.pause\",\"runId\":\""
                                + UUID.randomUUID() + "\"}"), "$.commandId"),
                Arguments.of(Named.of("commandId with a NUL escape",
                        "{\"schemaVersion\":1,\"commandId\":\"c-\\u0000\",\"type\":\"run.pause\",\"runId\":\""
                                + UUID.randomUUID() + "\"}"), "$.commandId"));
    }

    @Test
    void anInPlaceChangeMayNameTheSourcesOwnSpecAndLeavesItsRunOnTheSource() {
        // when
        MigrateCommand command = (MigrateCommand) messages.readCommand("{\"schemaVersion\":1,\"commandId\":\"c-i\","
                + "\"type\":\"qdrant.migrate\",\"source\":\"docs_v2\",\"target\":\"docs_v3\",\"alias\":\"docs\","
                + "\"inPlace\":true}");

        // then
        assertThat(command.inPlace()).isTrue();
        assertThat(command.runTarget()).isEqualTo("docs_v2");
        assertThat(messages.readCommand(messages.write(command))).isEqualTo(command);
        assertThat(new MigrateCommand("c-j", "docs_v2", "docs_v2", "docs", null, null, null, null, null, null, null,
                null, true).runTarget()).as("the source's own spec").isEqualTo("docs_v2");
        assertThat(MigrateCommand.of("c-k", "docs_v1", "docs_v2", "docs").runTarget()).isEqualTo("docs_v2");
    }

    @Test
    void aThrottleAtItsBoundAndAnUppercaseRunIdAreAccepted() {
        String runId = UUID.randomUUID().toString().toUpperCase();
        Command command = messages.readCommand("{\"schemaVersion\":1,\"commandId\":\"c-b\",\"type\":\"run.throttle\","
                + "\"runId\":\"" + runId + "\",\"maxPointsPerSecond\":" + RunControlCommand.MAX_POINTS_PER_SECOND + "}");
        assertThat(((RunControlCommand) command).maxPointsPerSecond()).isEqualTo(1_000_000);
    }

    @Test
    void aCommandWithALoneSurrogateInItsIdHasNoIdARejectionCouldName() {
        RawCommand raw = messages.parseCommand("{\"commandId\":\"c-\\udbff\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(raw.commandId()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("invalidCommands")
    void anInvalidCommandIsRefusedNamingTheField(String json, String field) {
        assertThatThrownBy(() -> messages.readCommand(json))
                .isInstanceOfSatisfying(InvalidMessageException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.reason()).isNotBlank();
                });
    }

    @Test
    void aBatchTaskRoundTripsWithBothKindsOfPointId() {
        // given
        BatchTask task = new BatchTask(UUID.randomUUID().toString(), 3, BatchKind.COPY, "a", "b",
                new PointRange(new PointKey(17L, null), new PointKey(null, UUID.randomUUID())), 100);

        // when
        BatchTask read = messages.readBatchTask(messages.write(task));

        // then
        assertThat(read).isEqualTo(task);
    }

    @Test
    void aMessageOfSeveralRangesRoundTripsAndHandsOutItsRangesInOrderAsSingleTasks() {
        // given
        String run = UUID.randomUUID().toString();
        List<BatchTask> singles = List.of(
                new BatchTask(run, 4, BatchKind.VERIFY, "a", "b", new PointRange(PointKey.parse("40"), PointKey.parse("50")), 10, 2),
                new BatchTask(run, 5, BatchKind.VERIFY, "a", "b", new PointRange(PointKey.parse("50"), PointKey.parse("60")), 10, 2),
                new BatchTask(run, 6, BatchKind.VERIFY, "a", "b", new PointRange(PointKey.parse("60"), null), 10, 2));
        BatchTask message = BatchTask.carrying(singles);

        // when
        BatchTask read = messages.readBatchTask(messages.write(message));

        // then
        assertThat(read).isEqualTo(message);
        assertThat(read.ranges()).containsExactlyElementsOf(singles);
        assertThat(read.key()).isEqualTo(run + "/verify/4-6/2");
        assertThat(singles.get(0).ranges()).containsExactly(singles.get(0));
    }

    @Test
    void aMessageCarriesRangesOfOneRunKindAndPassOnly() {
        String run = UUID.randomUUID().toString();
        PointRange range = new PointRange(PointKey.parse("0"), null);
        BatchTask copy = new BatchTask(run, 0, BatchKind.COPY, "a", "b", range, 10);
        assertThatThrownBy(() -> BatchTask.carrying(List.of(copy, new BatchTask(run, 1, BatchKind.VERIFY, "a", "b", range, 10, 1))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BatchTask.carrying(List.of(copy,
                new BatchTask(UUID.randomUUID().toString(), 1, BatchKind.COPY, "a", "b", range, 10))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFurtherRangeWithoutItsRangeIsRefusedNamingTheField() {
        String json = """
                {"schemaVersion":1,"runId":"%s","batchIndex":0,"kind":"copy","source":"a","target":"b",
                 "range":{"start":{"num":0}},"pageSize":10,"more":[{"batchIndex":1}]}"""
                .formatted(UUID.randomUUID());
        assertThatThrownBy(() -> messages.readBatchTask(json))
                .isInstanceOfSatisfying(InvalidMessageException.class,
                        e -> assertThat(e.field()).startsWith("$.more"));
    }

    @Test
    void progressOfAFailedRangeNeedsAReason() {
        String json = """
                {"schemaVersion":1,"runId":"%s","batchIndex":0,"kind":"copy","status":"failed","points":0}"""
                .formatted(UUID.randomUUID());
        assertThatThrownBy(() -> messages.readProgress(json))
                .isInstanceOfSatisfying(InvalidMessageException.class,
                        e -> assertThat(e.field()).isEqualTo("$.reason"));
    }

    @Test
    void pointKeysKeepTheirTextForm() {
        assertThat(PointKey.parse(new PointKey(-1L, null).text())).isEqualTo(new PointKey(-1L, null));
        UUID u = UUID.randomUUID();
        assertThat(PointKey.parse(u.toString())).isEqualTo(new PointKey(null, u));
    }
}

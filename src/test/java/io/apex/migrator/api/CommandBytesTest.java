package io.apex.migrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A command record's value as bytes: whatever arrives is read into a command or into the reason it is none. */
class CommandBytesTest {

    private final Messages messages = Messages.get();

    static Stream<Arguments> unreadableValues() {
        return Stream.of(
                Arguments.of(Named.of("null value (a tombstone)", null), "no value"),
                Arguments.of(Named.of("empty", new byte[0]), "empty"),
                Arguments.of(Named.of("blank", utf8("  \n\t ")), "empty"),
                Arguments.of(Named.of("invalid UTF-8", new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}),
                        "not UTF-8: invalid byte sequence at byte 2"),
                Arguments.of(Named.of("Latin-1 text", "{\"commandId\":\"caf\u00e9\"}"
                        .getBytes(StandardCharsets.ISO_8859_1)), "not UTF-8"),
                Arguments.of(Named.of("not JSON", utf8("not json")), "not valid JSON"),
                Arguments.of(Named.of("cut-off JSON", utf8("{\"commandId\":\"x\",")), "not valid JSON"),
                Arguments.of(Named.of("5,000 levels of arrays", utf8("[".repeat(5_000) + "]".repeat(5_000))),
                        "nesting depth"),
                Arguments.of(Named.of("5,000 levels of objects", utf8("{\"a\":".repeat(5_000) + "1"
                        + "}".repeat(5_000))), "nesting depth"),
                Arguments.of(Named.of("5,000 unclosed levels", utf8("[".repeat(5_000))), "nesting depth"),
                Arguments.of(Named.of("5 MB", utf8("{\"commandId\":\"" + "a".repeat(5 << 20) + "\"}")),
                        "more than the 1048576"),
                Arguments.of(Named.of("JSON array", utf8("[{\"commandId\":\"x\"}]")), "not a JSON object"),
                Arguments.of(Named.of("JSON null", utf8("null")), "not a JSON object"),
                Arguments.of(Named.of("JSON string", utf8("\"qdrant.migrate\"")), "not a JSON object"));
    }

    @ParameterizedTest
    @MethodSource("unreadableValues")
    void anUnreadableValueIsReadIntoTheReasonAndNeverThrows(byte[] value, String reason) {
        // when
        RawCommand raw = messages.parseCommand(value);

        // then
        assertThat(raw.tree()).isNull();
        assertThat(raw.commandId()).isEmpty();
        assertThat(raw.unreadable().field()).isEqualTo("$");
        assertThat(raw.unreadable().reason()).contains(reason);
        assertThatThrownBy(() -> messages.readCommand(raw)).isSameAs(raw.unreadable());
    }

    @Test
    void anObjectWithoutCommandIdIsReadableAndRejectedNamingTheField() {
        // given
        RawCommand raw = messages.parseCommand(utf8("{\"schemaVersion\":1,\"type\":\"run.pause\"}"));

        // when / then
        assertThat(raw.unreadable()).isNull();
        assertThat(raw.commandId()).isEmpty();
        assertThat(raw.type()).contains("run.pause");
        assertThatThrownBy(() -> messages.readCommand(raw)).isInstanceOfSatisfying(InvalidMessageException.class,
                e -> assertThat(e.field()).isEqualTo("$.commandId"));
    }

    @Test
    void theFieldsOfAnInvalidCommandAreStillReadForItsRejection() {
        // when
        RawCommand raw = messages.parseCommand(utf8("{\"schemaVersion\":1,\"commandId\":\"c-9\","
                + "\"type\":\"run.pause\",\"runId\":\"r-1\",\"batchSize\":\"ten\"}"));

        // then
        assertThat(raw.commandId()).contains("c-9");
        assertThat(raw.type()).contains("run.pause");
        assertThat(raw.runId()).contains("r-1");
    }

    @Test
    void aValidCommandReadAsBytesEqualsTheOneReadAsText() {
        // given
        String json = "{\"schemaVersion\":1,\"commandId\":\"c-\u00e9\",\"type\":\"qdrant.migrate\","
                + "\"source\":\"a\",\"target\":\"b\"}";

        // when
        Command command = messages.readCommand(messages.parseCommand(utf8(json)));

        // then
        assertThat(command).isEqualTo(messages.readCommand(json));
        assertThat(command.commandId()).isEqualTo("c-\u00e9");
    }

    @Test
    void peekingNeverThrowsWhateverTheText() {
        assertThat(messages.peekCommandId(null)).isEmpty();
        assertThat(messages.peekType("[".repeat(5_000))).isEmpty();
        assertThat(messages.peekRunId("{\"runId\":\"r-2\"}")).contains("r-2");
    }

    @Test
    void deepJsonReadAsTextIsRefusedWithAReasonNotANullPointer() {
        assertThatThrownBy(() -> messages.readCommand("{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000)))
                .isInstanceOfSatisfying(InvalidMessageException.class,
                        e -> assertThat(e.reason()).contains("nesting depth"));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
